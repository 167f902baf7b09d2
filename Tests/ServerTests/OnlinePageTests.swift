import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Questionnaire
import Store
import Tables
import Testing

/// The access codes themselves: made from the secure generator, read back as typed.
@Suite("Access codes")
struct InvitationCodeTests {
    @Test func aMistypedSymbolOrTwoSwappedAreToldApartFromAWrongCode() {
        for _ in 0..<50 {
            let code = InvitationCode.make()
            #expect(code.count == 11 && InvitationCode.read(code) == .code(code))
            let chars = Array(code)
            for i in 0..<chars.count {
                for other in InvitationCode.alphabet where other != chars[i] {
                    var typo = chars
                    typo[i] = other
                    #expect(InvitationCode.read(String(typo)) == .mistyped, "\(code) with \(other) at \(i)")
                }
                if i + 1 < chars.count, chars[i] != chars[i + 1] {
                    var swapped = chars
                    swapped.swapAt(i, i + 1)
                    #expect(InvitationCode.read(String(swapped)) == .mistyped, "\(code) swapped at \(i)")
                }
            }
        }
        #expect(Set((0..<1000).map { _ in InvitationCode.make() }).count == 1000)
    }

    @Test func caseWidthDashesAndLookAlikesDoNotMatter() {
        let code = InvitationCode.make()
        let grouped = InvitationCode.grouped(code)
        #expect(grouped.count == 13 && grouped.split(separator: "-").map(\.count) == [4, 4, 3])
        #expect(InvitationCode.read(grouped.lowercased()) == .code(code))
        let fullWidth = String(String.UnicodeScalarView(code.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        #expect(InvitationCode.read(" " + fullWidth + " ") == .code(code))
        let withO = code.replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")
        #expect(InvitationCode.read(withO) == .code(code))
        #expect(InvitationCode.read("ABC") == .malformed && InvitationCode.read(code + "7") == .malformed && InvitationCode.read("好" + code.dropFirst()) == .malformed)
        #expect(InvitationCode.hash(code) != InvitationCode.hash(InvitationCode.make()) && InvitationCode.hash(code).count == 64)
    }
}

/// The respondent's pages on the small questionnaire of Tests/Fixtures/store.
@Suite("Online self-completion pages")
struct OnlinePageTests {
    /// The fixture with a code for every sampled case: (fixture, code by case).
    func invited() async throws -> (ServerFixture, [String: String]) {
        let f = try await ServerFixture()
        let cases = try await f.store.invitationCandidates(questionnaire: "small", replacing: nil)
        let codes = Dictionary(uniqueKeysWithValues: cases.map { ($0, InvitationCode.make()) })
        _ = try await f.store.issueInvitations(questionnaire: "small", codes: codes.map { IssuedCode(caseID: $0.key, hash: InvitationCode.hash($0.value)) },
                                               replacing: false, now: f.clock.now)
        return (f, codes)
    }

    @Test func halfAnsweredClosedResumedAndSubmittedOnce() async throws {
        let (f, codes) = try await invited()
        let (caseID, code) = try #require(codes.sorted { $0.key < $1.key }.first)
        try await f.test { client in
            let page = try await client.get("/s/\(InvitationCode.grouped(code).lowercased())")
            #expect(page.status == .ok)
            #expect(page.text.contains("市政府办") && page.text.contains("不了解") && !page.text.contains("<span>无效（多选）</span>") && page.text.contains("<span>不了解/说不清</span>") && !page.text.contains("退出"))
            // Half the answers, as the page's script sends them.
            let saved = try await client.post("/s/\(code)/save", nil, [("D01", "1"), ("D02", "2"), ("members", "4")], json: true)
            let count = try saved.json()["saved"] as? Int
            #expect(saved.status == .ok && count == 3)
            let bad = try await client.post("/s/\(code)/save", nil, [("members", "25")], json: true)
            #expect(bad.status == .unprocessableContent && bad.text.contains("家庭常住人口"))
            // Back later with the typed code: the answers are there, HTML kept as text.
            let typed = try await client.post("/s", nil, [("code", InvitationCode.grouped(code))])
            #expect(typed.status == .seeOther && typed.headers[.location] == "/s/\(code)")
            _ = try await client.post("/s/\(code)/save", nil, [("q_note", "<b>好</b>'; DROP TABLE forms; --")], json: true)
            let back = try await client.get("/s/\(code)")
            #expect(back.text.contains("name=\"D01\" value=\"1\" checked") && back.text.contains("value=\"4\""))
            #expect(back.text.contains("&lt;b&gt;好&lt;/b&gt;") && !back.text.contains("<b>好</b>"))
            // Submitting early names what is missing and keeps what was given.
            let early = try await client.post("/s/\(code)/submit", nil, [("D03", "3")])
            #expect(early.status == .unprocessableContent && early.text.contains("尚未回答"))
            let done = try await client.post("/s/\(code)/submit", nil, [("own_town", "2"), ("q_students", "2")])
            #expect(done.status == .ok && done.text.contains("问卷已提交"))
            let again = try await client.post("/s/\(code)/submit", nil, [("D01", "4")])
            #expect(again.status == .gone && again.text.contains("已经提交"))
            #expect(try await client.get("/s/\(code)").status == .gone)
            // The supervisor sees the online figures by town, and no code or case.
            let progress = try await client.get("/supervise/progress", try await client.login("supervisor")).text
            let invited = codes.count
            #expect(progress.contains("网上自填") && progress.contains("<tr><th>\(RespondentGroup.urban.label)</th><td class=\"n\">\(invited)</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td></tr>"))
            #expect(!progress.contains(code) && !progress.contains(caseID))
        }
        let record = try #require(try await f.store.caseRecord(caseID))
        #expect(record.disposition == .complete && record.counted)
        let form = try #require(try await f.store.snapshot(questionnaire: "small").forms.first { $0.caseID == caseID })
        #expect(form.mode == .online && form.answers["D03"] == "3" && form.answers["q_note"] == "<b>好</b>'; DROP TABLE forms; --")
    }

    /// A questionnaire saying `online: {layout: one-per-screen}` gets the one-item navigation
    /// (shown by the script, which starts at the first unanswered item); without it, none.
    @Test func onePerScreenAsTheQuestionnaireSays() async throws {
        let f = try await ServerFixture(questionnaire: "small-online")
        let cases = try await f.store.invitationCandidates(questionnaire: "small", replacing: nil)
        let code = InvitationCode.make()
        _ = try await f.store.issueInvitations(questionnaire: "small", codes: [IssuedCode(caseID: cases[0], hash: InvitationCode.hash(code))],
                                               replacing: false, now: f.clock.now)
        try await f.test { client in
            let page = try await client.get("/s/\(code)").text
            #expect(page.contains("data-layout=\"one-per-screen\"") && page.contains("id=\"nav\" hidden") && page.contains("上一题"))
            #expect(page.contains("form.dataset.layout === 'one-per-screen'"))
        }
        let (plain, codes) = try await invited()
        try await plain.test { client in
            let page = try await client.get("/s/\(codes.first!.value)").text
            #expect(page.contains("data-layout=\"page\"") && !page.contains("id=\"nav\""))
        }
    }

    /// A code opens its own questionnaire only: with two in the store, a deputy's code shows the
    /// deputies' form, ignores the other's items, and stays open when the other is closed.
    @Test func aCodeOfAnotherQuestionnaireOpensOnlyItsOwn() async throws {
        let (f, codes) = try await invited()
        let small = f.questionnaire
        let deputies = Questionnaire(id: "dep", version: 1, title: "代表测评表", group: .deputies, scale: small.scale, units: Array(small.units.prefix(2)),
                                     further: [])
        let list = try RespondentList(table: CSVReader.read(path: ServerFixture.fixtures.appendingPathComponent("lists/deputies.csv").path), for: deputies)
        _ = try await f.store.loadCases(list, for: deputies, replace: false, operator: "载入员")
        let deputy = try #require(try await f.store.invitationCandidates(questionnaire: "dep", replacing: nil).first)
        let code = InvitationCode.make()
        _ = try await f.store.issueInvitations(questionnaire: "dep", codes: [IssuedCode(caseID: deputy, hash: InvitationCode.hash(code))],
                                               replacing: false, now: f.clock.now)
        _ = try await f.store.setEntry(questionnaire: "small", open: false, reason: "调查结束", operator: "admin")
        try await f.test { client in
            #expect(try await client.get("/s/\(codes.first!.value)").status == .gone)
            let page = try await client.get("/s/\(code)")
            #expect(page.status == .ok && page.text.contains("代表测评表") && !page.text.contains("测试问卷") && !page.text.contains("家庭常住人口"))
            // Another questionnaire's item is not this form's: ignored, nothing saved.
            let foreign = try await client.post("/s/\(code)/save", nil, [("members", "3")], json: true)
            let savedCount = try foreign.json()["saved"] as? Int
            #expect(foreign.status == .ok && savedCount == 0)
            let done = try await client.post("/s/\(code)/submit", nil, [("D01", "1"), ("D02", "2")])
            #expect(done.status == .ok && done.text.contains("问卷已提交"))
        }
        let forms = try await f.store.snapshot(questionnaire: nil).forms
        #expect(forms.count == 1 && forms[0].caseID == deputy && forms[0].questionnaire == "dep" && forms[0].answers == ["D01": "1", "D02": "2"])
    }

    @Test func wrongMistypedRevokedAndClosedCodesEachSayWhat() async throws {
        let (f, codes) = try await invited()
        let sorted = codes.sorted { $0.key < $1.key }
        let (first, second) = (sorted[0], sorted[1])
        _ = try await f.store.issueInvitations(questionnaire: "small", codes: [IssuedCode(caseID: first.key, hash: InvitationCode.hash(InvitationCode.make()))],
                                               replacing: true, now: f.clock.now)
        try await f.test { client in
            var typo = Array(second.value)
            typo[3] = typo[3] == "A" ? "B" : "A"
            let mistyped = try await client.post("/s", nil, [("code", String(typo))])
            #expect(mistyped.status == .unprocessableContent && mistyped.text.contains("输错"))
            #expect(try await client.get("/s/\(String(typo))").text.contains("输错"))
            let other = InvitationCode.make()
            let wrong = try await client.get("/s/\(other)")
            #expect(wrong.status == .notFound && wrong.text.contains("没有这个访问码") && !wrong.text.contains(other))
            let revoked = try await client.get("/s/\(first.value)")
            #expect(revoked.status == .gone && revoked.text.contains("已作废"))
        }
        _ = try await f.store.setEntry(questionnaire: "small", open: false, reason: "调查结束", operator: "admin")
        try await f.test { client in
            let closed = try await client.get("/s/\(second.value)")
            #expect(closed.status == .gone && closed.text.contains("调查已经结束"))
            let save = try await client.post("/s/\(second.value)/save", nil, [("D01", "1")], json: true)
            #expect(save.status == .gone)
        }
    }

    @Test(.timeLimit(.minutes(2))) func aThousandGuessesFromOneAddressAreSlowedAndRefused() async throws {
        let (f, codes) = try await invited()
        let before = try await f.dump()
        let statuses = try await f.test { client in
            var seen: [Int: Int] = [:]
            for _ in 0..<1000 {
                let r = try await client.get("/s/\(InvitationCode.make())")
                seen[r.status.code, default: 0] += 1
            }
            // While refused, even a real code is not looked up from this address.
            let real = try await client.get("/s/\(codes.values.first!)")
            seen[real.status.code, default: 0] += 1
            return seen
        }
        #expect(statuses == [404: 10, 429: 991])
        #expect(try await f.dump() == before)
        // The window passes: the real code opens again.
        f.clock.advance(601)
        let reopened = try await f.test { client in try await client.get("/s/\(codes.values.first!)").status }
        #expect(reopened == .ok)
    }
}
