import Foundation
import HummingbirdTesting
@testable import Server
import Store
import Testing

/// The telephone pages on the phone questionnaire of Tests/Fixtures/store (weekday evenings
/// 18:30–21:00 Beijing time) and its urban list with numbers.
@Suite("Telephone pages")
struct CallPageTests {
    /// Monday 30 November 2026, 19:00 in Beijing.
    static let monday19 = Int64(1_796_036_400)

    func fixture() async throws -> ServerFixture {
        let f = try await ServerFixture(questionnaire: "phone", list: "urban-phone")
        f.clock.advance(CallPageTests.monday19 - f.clock.now)
        return f
    }

    /// The value of a hidden field of the page.
    static func hidden(_ name: String, in text: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    static let answers = [("D01", "1"), ("D02", "2"), ("D03", "3"), ("own_town", "2"), ("members", "3"), ("q_students", "2")]

    @Test func anInterviewerTakesACaseRecordsADialAndCompletesAnInterview() async throws {
        let f = try await fixture()
        let numbers = try await f.store.phoneNumbers(questionnaire: "phone")
        try await f.test { client in
            let me = try await client.login("interviewer")
            let start = try await client.get("/calls", me)
            #expect(start.status == .ok && start.text.contains("下一个案例（N）") && start.text.contains("拨打时段中"))
            // The next case: its numbers in full on the call screen, nowhere else.
            let screen = try await client.post("/calls/phone/next", me, [])
            #expect(screen.status == .ok)
            let first = try #require(CallPageTests.hidden("case_id", in: screen.text))
            let full = try #require(numbers[first]?.first)
            #expect(screen.text.contains(CallWording.spaced(full)) && screen.text.contains("新案例"))
            #expect(screen.text.contains("[2] 无人接听") && screen.text.contains("开始访问（Enter）"))
            let startedAt = try #require(CallPageTests.hidden("started_at", in: screen.text))
            // Another interviewer cannot record a dial on it.
            let other = try await client.login("supervisor")
            let stolen = try await client.post("/calls/phone/attempt", other, [("case_id", first), ("outcome", "busy")])
            #expect(stolen.status == .conflict && stolen.text.contains("已分给访员 interviewer"))
            // A no-answer: back to the start page, the retry time said.
            f.clock.advance(60)
            let dial = try await client.post("/calls/phone/attempt", me, [("case_id", first), ("phone_rank", "1"), ("outcome", "no-answer"),
                                                                        ("started_at", startedAt)])
            #expect(dial.status == .seeOther)
            let notice = try await client.get(try #require(dial.headers[.location]), me)
            #expect(notice.text.contains("已记录 \(first)：无人接听") && notice.text.contains("后再拨"))
            for page in [notice.text, try await client.get("/supervise/calls", other).text] {
                for n in numbers.values.flatMap({ $0 }) { #expect(!page.contains(n) && !page.contains(CallWording.spaced(n))) }
            }
            // The next case: an interview with an answer missing is shown again with the answers kept.
            let second = try await client.post("/calls/phone/next", me, [])
            let caseID = try #require(CallPageTests.hidden("case_id", in: second.text))
            #expect(caseID != first)
            let missing = try await client.post("/calls/phone/interview", me, [("case_id", caseID), ("outcome", "complete")]
                                                + CallPageTests.answers.dropLast())
            #expect(missing.status == .unprocessableContent && missing.text.contains("家中是否有在读学生（q_students）未录入"))
            #expect(missing.text.contains("id=\"f-D02\" name=\"D02\" type=\"text\" inputmode=\"numeric\" maxlength=\"1\" autocomplete=\"off\" value=\"2\""))
            let done = try await client.post("/calls/phone/interview", me, [("case_id", caseID), ("outcome", "complete")] + CallPageTests.answers)
            #expect(done.status == .seeOther)
            #expect(try await client.get(try #require(done.headers[.location]), me).text.contains("案例结束：完成（AAPOR 1.1）"))
            // The supervisor's quota table shows the complete and the attempts.
            let supervision = try await client.get("/supervise/calls", other)
            #expect(supervision.text.contains("<h2>配额与进度（按镇街）</h2>"))
            let quotas = try await f.store.callQuotas(questionnaire: "phone", now: f.clock.now)
            #expect(quotas.map(\.completes).reduce(0, +) == 1 && quotas.map(\.attempts).reduce(0, +) == 2)
        }
        let last = try #require(try await f.store.callAttempts(questionnaire: "phone").last?.caseID)
        let record = try #require(try await f.store.caseRecord(last))
        #expect(record.disposition == .complete && record.counted)
        let form = try #require(try await f.store.snapshot(questionnaire: "phone").forms.first)
        #expect(form.mode == .telephone && form.answers["D02"] == "2")
    }

    @Test func outsideTheWindowsNoCaseIsHandedOut() async throws {
        let f = try await fixture()
        f.clock.advance(3 * 3600)   // 22:00
        try await f.test { client in
            let me = try await client.login("interviewer")
            let response = try await client.post("/calls/phone/next", me, [])
            #expect(response.status == .seeOther)
            let page = try await client.get(try #require(response.headers[.location]), me)
            #expect(page.text.contains("现在不是拨打时段；下一个时段 12月1日 18:30 开始"))
        }
        #expect(try await f.store.callAttempts(questionnaire: nil).isEmpty)
    }

    @Test func aBreakOffKeepsTheAnswersGivenAndAnAppointmentIsKept() async throws {
        let f = try await fixture()
        try await f.test { client in
            let me = try await client.login("interviewer")
            let screen = try await client.post("/calls/phone/next", me, [])
            let first = try #require(CallPageTests.hidden("case_id", in: screen.text))
            let booked = try await client.post("/calls/phone/attempt", me, [("case_id", first), ("outcome", "call-back"),
                                                                          ("appointment", "2026-11-30T20:30")])
            #expect(booked.status == .seeOther)
            #expect(try await client.get(try #require(booked.headers[.location]), me).text.contains("预约 11月30日 20:30 回电"))
            let bad = try await client.post("/calls/phone/attempt", me, [("case_id", first), ("outcome", "call-back"), ("appointment", "明天")])
            #expect(bad.status == .unprocessableContent)
            let second = try await client.post("/calls/phone/next", me, [])
            let caseID = try #require(CallPageTests.hidden("case_id", in: second.text))
            let brokenOff = try await client.post("/calls/phone/interview", me, [("case_id", caseID), ("outcome", "break-off"), ("D01", "2")])
            #expect(brokenOff.status == .seeOther)
            #expect(try await client.get(try #require(brokenOff.headers[.location]), me).text.contains("部分完成"))
        }
        let appointment = try #require(try await f.store.callAttempts(questionnaire: "phone").first)
        #expect(appointment.appointmentAt == CallPageTests.monday19 + 90 * 60)
    }
}
