import Foundation
import Questionnaire
@testable import Store
import Testing

/// The telephone scheduler on both stores, with the phone questionnaire of Tests/Fixtures/store
/// (weekdays 18:30–21:00 and weekends 10:00–12:00 and 14:00–21:00 Beijing time, four attempts,
/// a 20-minute lock, the quota rule, half of the completes called back on D01 and D02) and the
/// urban list with numbers (nine of its ten cases have one; H-02-0002 has none).
@Suite("Telephone calls")
struct CallTests {
    /// Monday 30 November 2026, 19:00 in Beijing.
    static let monday19 = Int64(1_796_036_400)
    static let minute = Int64(60), hour = Int64(3600)

    func loaded(_ backend: Backend) async throws -> (StoreFixture, Questionnaire) {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire("phone")
        let summary = try await f.store.loadCases(StoreFixture.list("urban-phone", for: q), for: q, replace: false, operator: "载入员")
        #expect(summary.callable == 9 && summary.withoutPhones == 1)
        return (f, q)
    }

    func next(_ f: StoreFixture, _ who: String, at t: Int64) async throws -> CallAssignment? {
        try await f.store.nextCall(questionnaire: "phone", interviewer: who, now: t).assignment
    }

    func dial(_ a: CallAssignment, _ who: String, _ outcome: CallOutcome, at t: Int64, phone: Int = 1, appointment: Int64? = nil) -> CallAttemptInput {
        CallAttemptInput(caseID: a.caseID, interviewer: who, phoneRank: phone, startedAt: t, endedAt: t + 2 * CallTests.minute, outcome: outcome,
                         appointmentAt: appointment)
    }

    static let answers = ["D01": "1", "D02": "2", "D03": "3", "own_town": "2", "members": "3", "q_students": "2"]

    @Test(arguments: Backend.enabled) func numbersAreKeptApartAndInFull(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        let numbers = try await f.store.phoneNumbers(questionnaire: "phone")
        #expect(numbers["H-01-0001"] == ["01065123456", "13812345678"])
        #expect(numbers["H-02-0001"] == ["15800006666", "15800005555"])
        #expect(numbers["H-02-0002"] == nil && numbers.count == 9)
        let record = try #require(try await f.store.caseRecord("H-01-0001"))
        #expect(!record.attributes.contains("1381234") && !record.attributes.contains("6512") && record.attributes.contains("孔杰"))
        #expect(PhoneNumbers.mask("13812345678") == "138****5678")
        #expect(PhoneNumbers.split("138-1234-5678；139 0000 1111 / 12") == ["13812345678", "13900001111"])
    }

    @Test(arguments: Backend.enabled) func interviewersAskingAtOnceNeverShareACase(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        // A second connection pool, as a second server process would have.
        let other = try await f.reopen()
        let stores: [any ServerStore] = [f.store, other]
        let got = try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for i in 0..<12 {
                group.addTask {
                    let who = "访员\(i)"
                    let a = try await stores[i % 2].nextCall(questionnaire: "phone", interviewer: who, now: CallTests.monday19).assignment
                    return (who, a?.caseID)
                }
            }
            var out: [(String, String?)] = []
            for try await r in group { out.append(r) }
            return out
        }
        let handed = got.compactMap(\.1)
        // Five sampled cases have a number; reserves wait until a non-response activates them.
        #expect(handed.count == 5 && Set(handed).count == 5)
        #expect(!handed.contains("H-02-0002") && handed.allSatisfy { !$0.hasSuffix("4") && !$0.hasSuffix("5") })
        // The same interviewer asking again gets the case they hold.
        let (who, held) = try #require(got.first { $0.1 != nil })
        let again = try #require(try await next(f, who, at: CallTests.monday19 + CallTests.minute))
        #expect(again.caseID == held && again.reason == .resumed)
        // The seeded order is the same in every store: the first case handed alone is fixed.
        let (g, _) = try await loaded(backend)
        let first = try #require(try await next(g, "甲", at: CallTests.monday19))
        let order = ["H-01-0001", "H-01-0002", "H-01-0003", "H-02-0001", "H-02-0003"]
            .sorted { CallPlanning.randomOrder(seed: 7, caseID: $0) < CallPlanning.randomOrder(seed: 7, caseID: $1) }
        #expect(first.caseID == order[0] && first.reason == .fresh && first.phones.count >= 1)
    }

    @Test(arguments: Backend.enabled) func windowsAreHonoured(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        // Monday 15:00: the window opens at 18:30.
        let afternoon = CallTests.monday19 - 4 * CallTests.hour
        #expect(try await f.store.nextCall(questionnaire: "phone", interviewer: "甲", now: afternoon)
            == .none(.outsideWindow(next: CallTests.monday19 - 30 * CallTests.minute)))
        // 21:00 is past the end; the next window is Tuesday 18:30.
        let late = CallTests.monday19 + 2 * CallTests.hour
        #expect(try await f.store.nextCall(questionnaire: "phone", interviewer: "甲", now: late)
            == .none(.outsideWindow(next: CallTests.monday19 + 23 * CallTests.hour + 30 * CallTests.minute)))
        // A no-answer at 20:30 waits 60 minutes: past 21:00, so it is due at Tuesday 18:30.
        let a = try #require(try await next(f, "甲", at: late - 30 * CallTests.minute))
        let r = try await f.store.recordAttempt(dial(a, "甲", .noAnswer, at: late - 30 * CallTests.minute), now: late - 28 * CallTests.minute)
        #expect(r.final == nil && r.nextAt == CallTests.monday19 + 23 * CallTests.hour + 30 * CallTests.minute)
        // Saturday 11:00 is in a weekend window.
        let saturday11 = CallTests.monday19 + 4 * 24 * CallTests.hour + 16 * CallTests.hour
        #expect(try await next(f, "乙", at: saturday11) != nil)
    }

    @Test(arguments: Backend.enabled) func anAppointmentIsServedAtItsTimeAndNotBefore(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        let t = CallTests.monday19
        let a = try #require(try await next(f, "甲", at: t))
        let at = t + 90 * CallTests.minute   // 20:30
        let r = try await f.store.recordAttempt(dial(a, "甲", .callBack, at: t, appointment: at), now: t + 2 * CallTests.minute)
        #expect(r.final == nil && r.nextAt == at)
        // Before 20:30 every interviewer gets other cases, never this one.
        var handed: [String] = []
        for i in 0..<8 {
            if let b = try await next(f, "访员\(i)", at: at - CallTests.minute) { handed.append(b.caseID) }
        }
        #expect(handed.count == 4 && !handed.contains(a.caseID))
        #expect(try await f.store.nextCall(questionnaire: "phone", interviewer: "丙", now: at - CallTests.minute) == .none(.nothingDue(next: at)))
        // At 20:30 it goes first, to whoever asks.
        let due = try #require(try await next(f, "丙", at: at))
        #expect(due.caseID == a.caseID && due.reason == .appointment && due.appointmentAt == at && due.history.map(\.outcome) == [.callBack])
    }

    @Test(arguments: Backend.enabled) func aCasePastItsAttemptLimitIsClosedAndItsReserveCalled(_ backend: Backend) async throws {
        let (f, q) = try await loaded(backend)
        var t = CallTests.monday19
        var target: String?
        var result: CallAttemptResult?
        // Four no-answers, an hour or more apart over several evenings.
        for _ in 0..<4 {
            var a: CallAssignment?
            while a == nil {
                a = try await next(f, "甲", at: t)
                if let got = a, target != nil, got.caseID != target {
                    _ = try await f.store.recordAttempt(dial(got, "甲", .busy, at: t), now: t)
                    a = nil
                }
                if a == nil { t += 30 * CallTests.minute }
            }
            let case1 = try #require(a)
            target = target ?? case1.caseID
            result = try await f.store.recordAttempt(dial(case1, "甲", .noAnswer, at: t), now: t + 2 * CallTests.minute)
            t += 61 * CallTests.minute
        }
        let id = try #require(target)
        #expect(result?.final == CallFinal(disposition: "unknown", aapor: "3.13"))
        #expect(try await f.store.caseRecord(id)?.disposition == .unknown)
        // Its group's first reserve is now in use, and called; the closed case never again.
        let reserve = try #require(result?.activatedReserve)
        #expect(try await f.store.caseRecord(reserve)?.activated == true)
        var seen: Set<String> = []
        let later = try #require(q.calls?.nextCallingTime(after: t + 7 * 24 * CallTests.hour))
        for i in 0..<20 {
            if let a = try await next(f, "访员\(i)", at: later) { seen.insert(a.caseID) }
        }
        #expect(!seen.contains(id) && seen.contains(reserve))
        let error = await StoreFixture.failure {
            _ = try await f.store.recordAttempt(CallAttemptInput(caseID: id, interviewer: "甲", phoneRank: 1, startedAt: t, endedAt: t + 60,
                                                                 outcome: .noAnswer), now: t + 60)
        }
        #expect(error?.message.contains("is closed (unknown)") == true)
    }

    @Test(arguments: Backend.enabled) func onlyTheHolderRecordsACallUntilTheLockRunsOut(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        let t = CallTests.monday19
        let a = try #require(try await next(f, "甲", at: t))
        let error = await StoreFixture.failure { _ = try await f.store.recordAttempt(dial(a, "乙", .busy, at: t), now: t + 60) }
        #expect(error?.message == "case \(a.caseID) is held by interviewer 甲")
        // 20 minutes later the lock has run out: another interviewer may take the case.
        var taken: (CallAssignment, String)?
        for i in 0..<6 {
            if let b = try await next(f, "乙\(i)", at: t + 21 * CallTests.minute), b.caseID == a.caseID { taken = (b, "乙\(i)") }
        }
        let (held, holder) = try #require(taken)
        let late = await StoreFixture.failure { _ = try await f.store.recordAttempt(dial(a, "甲", .busy, at: t), now: t + 22 * CallTests.minute) }
        #expect(late?.message == "case \(a.caseID) is held by interviewer \(holder)")
        // Bad dials are refused before anything is stored.
        let now = t + 23 * CallTests.minute
        let noNumber = await StoreFixture.failure { _ = try await f.store.recordAttempt(dial(held, holder, .busy, at: now, phone: 9), now: now) }
        #expect(noNumber?.message.hasPrefix("the case has no number 9") == true)
        let backwards = await StoreFixture.failure {
            _ = try await f.store.recordAttempt(CallAttemptInput(caseID: held.caseID, interviewer: holder, phoneRank: 1, startedAt: now,
                                                                 endedAt: now - 60, outcome: .busy), now: now)
        }
        #expect(backwards?.message == "the call ends before it starts")
        let pastAppointment = await StoreFixture.failure {
            _ = try await f.store.recordAttempt(dial(held, holder, .callBack, at: now, appointment: now - CallTests.hour), now: now)
        }
        #expect(pastAppointment?.message == "the appointment is before the call ended")
        #expect(try await f.store.callAttempts(questionnaire: "phone").isEmpty)
    }

    @Test(arguments: Backend.enabled) func anInterviewIsATelephoneFormCountedAtOnce(_ backend: Backend) async throws {
        let (f, q) = try await loaded(backend)
        let t = CallTests.monday19
        var completes: [String: String] = [:]
        // Interview every callable sampled case: 甲 and 乙 in turn.
        for i in 0..<5 {
            let who = i % 2 == 0 ? "甲" : "乙"
            let a = try #require(try await next(f, who, at: t + Int64(i) * 10 * CallTests.minute))
            let attempt = CallAttemptInput(caseID: a.caseID, interviewer: who, phoneRank: 1, startedAt: t, endedAt: t + 9 * CallTests.minute,
                                           outcome: .complete)
            let r = try await f.store.recordInterview(attempt, answers: CallTests.answers, now: t + 9 * CallTests.minute)
            #expect(r.final == CallFinal(disposition: "complete", aapor: "1.1"))
            completes[a.caseID] = who
            if r.callback { #expect(CallPlanning.isChosenForCallback(caseID: a.caseID, rules: try #require(q.calls))) }
        }
        let (caseID, _) = try #require(completes.first)
        let record = try #require(try await f.store.caseRecord(caseID))
        #expect(record.disposition == .complete && record.counted)
        let snapshot = try await f.store.snapshot(questionnaire: "phone")
        #expect(snapshot.forms.filter { $0.mode == .telephone }.count == 5)
        // A paper form for the same case is refused: one counted form per case across channels.
        let paper = await StoreFixture.failure {
            _ = try await f.store.enterForms(FormBatch(questionnaire: q, pass: .first, operator: "录入员", source: "forms.csv",
                                                       forms: [FormInput(caseID: caseID, answers: Array(repeating: nil, count: q.items.count))]))
        }
        #expect(paper?.problems.contains { p in
            if case .alreadyCounted(mode: .telephone, operator: _, at: _) = p.refusal { true } else { false }
        } == true)
        // The quota of both towns is met (three sampled in T01; T02's third has no number), and
        // the quota rule gives no fresh case from T01.
        let quotas = try await f.store.callQuotas(questionnaire: "phone", now: t + CallTests.hour)
        #expect(quotas.map(\.townID) == ["T01", "T02"])
        #expect(quotas[0].target == 3 && quotas[0].completes == 3 && quotas[1].completes == 2 && quotas[0].attempts == 3)
        // Callbacks: never to the interviewer who did the interview; a differing answer is flagged.
        let chosen = completes.keys.filter { CallPlanning.isChosenForCallback(caseID: $0, rules: q.calls!) }
        var checked = 0
        for checker in ["甲", "乙"] {
            while let cb = try await f.store.nextCallback(questionnaire: "phone", checker: checker, now: t + CallTests.hour) {
                #expect(cb.interviewer != checker && cb.items == ["D01", "D02"] && !cb.phones.isEmpty)
                let result = try await f.store.recordCallback(caseID: cb.caseID, checker: checker, answers: ["D01": "1", "D02": "4"],
                                                              now: t + CallTests.hour)
                #expect(!result.agreed && result.differences == [CallbackDifference(item: "D02", interview: "2", callback: "4")])
                checked += 1
            }
        }
        #expect(checked == chosen.count)
        let flagged = try await f.store.flaggedCallbacks(questionnaire: "phone")
        #expect(Set(flagged.map(\.caseID)) == Set(chosen))
        let evenings = try await f.store.interviewerEvenings(questionnaire: "phone")
        #expect(evenings.map(\.interviewer) == ["乙", "甲"] && evenings.allSatisfy { $0.day == "2026-11-30" })
        #expect(evenings.map(\.completes) == [2, 3] && evenings.allSatisfy { $0.meanInterviewMinutes == 9 })
        #expect(evenings.map(\.callbacksChecked).reduce(0, +) == chosen.count)
        // One interviewer's evening since a time (their start page): the same figures, from
        // their own dials only; none after the last dial.
        let mine = try await f.store.interviewerEvenings(questionnaire: "phone", interviewer: "甲", since: t)
        #expect(mine == evenings.filter { $0.interviewer == "甲" })
        #expect(try await f.store.interviewerEvenings(questionnaire: "phone", interviewer: "甲", since: t + 1).isEmpty)
        #expect(try await f.store.interviewerEvenings(questionnaire: nil, interviewer: "丙", since: 0).isEmpty)
    }

    @Test(arguments: Backend.enabled) func aBreakOffKeepsItsAnswersAsAPartial(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        let t = CallTests.monday19
        let a = try #require(try await next(f, "甲", at: t))
        let attempt = CallAttemptInput(caseID: a.caseID, interviewer: "甲", phoneRank: 1, startedAt: t, endedAt: t + 4 * CallTests.minute,
                                       outcome: .breakOff)
        let r = try await f.store.recordInterview(attempt, answers: ["D01": "2", "D02": "3"], now: t + 4 * CallTests.minute)
        #expect(r.final == CallFinal(disposition: "partial", aapor: "1.2") && !r.callback)
        #expect(try await f.store.caseRecord(a.caseID)?.disposition == .partial)
        // A complete interview must answer every required item; an empty one is a refusal.
        let b = try #require(try await next(f, "甲", at: t + 5 * CallTests.minute))
        let missing = await StoreFixture.failure {
            _ = try await f.store.recordInterview(CallAttemptInput(caseID: b.caseID, interviewer: "甲", phoneRank: 1, startedAt: t,
                                                                   endedAt: t + 60, outcome: .complete),
                                                  answers: ["D01": "2"], now: t + 6 * CallTests.minute)
        }
        #expect(missing?.problems.isEmpty == false)
        let empty = await StoreFixture.failure {
            _ = try await f.store.recordInterview(CallAttemptInput(caseID: b.caseID, interviewer: "甲", phoneRank: 1, startedAt: t,
                                                                   endedAt: t + 60, outcome: .breakOff),
                                                  answers: [:], now: t + 6 * CallTests.minute)
        }
        #expect(empty?.message == "the interview has no answer")
        #expect(try await f.store.callAttempts(questionnaire: "phone").count == 1)
    }

    @Test(arguments: Backend.enabled) func nonWorkingNumbersOnEveryNumberCloseAsNotEligible(_ backend: Backend) async throws {
        let (f, _) = try await loaded(backend)
        let t = CallTests.monday19
        // Find the case with two numbers.
        var twoNumbers: CallAssignment?
        for i in 0..<5 {
            if let a = try await next(f, "访员\(i)", at: t), a.phones.count == 2 { twoNumbers = a }
        }
        var a = try #require(twoNumbers)
        let holder = try #require(try await holderOf(f, a.caseID, at: t))
        let first = try await f.store.recordAttempt(dial(a, holder, .nonWorking, at: t, phone: 1), now: t + 60)
        #expect(first.final == nil)
        a = try #require(try await nextUntil(f, holder, a.caseID, from: t + 1))
        let second = try await f.store.recordAttempt(dial(a, holder, .nonWorking, at: t + 300, phone: 2), now: t + 400)
        #expect(second.final == CallFinal(disposition: "not-eligible", aapor: "4.30") && second.activatedReserve == nil)
    }

    /// Who holds a case (the test asked for it under one of 访员0…4).
    func holderOf(_ f: StoreFixture, _ caseID: String, at t: Int64) async throws -> String? {
        for i in 0..<5 {
            if let a = try await next(f, "访员\(i)", at: t), a.caseID == caseID, a.reason == .resumed { return "访员\(i)" }
        }
        return nil
    }

    /// Asks for cases as `who` until `caseID` comes (others are recorded busy), or gives up.
    func nextUntil(_ f: StoreFixture, _ who: String, _ caseID: String, from t: Int64) async throws -> CallAssignment? {
        var now = t
        for _ in 0..<40 {
            if let a = try await next(f, who, at: now) {
                if a.caseID == caseID { return a }
                _ = try await f.store.recordAttempt(dial(a, who, .busy, at: now), now: now + 120)
            }
            now += 20 * CallTests.minute
        }
        return nil
    }
}
