import Foundation
import Questionnaire
@testable import Store
import Testing

/// Online self-completion on both stores, with the small questionnaire and the urban list of
/// Tests/Fixtures/store (ten sampled cases, two reserves). Codes here are made-up hashes: the
/// store never sees a code itself.
@Suite("Online self-completion")
struct InvitationTests {
    static let t = Int64(1_796_036_400)

    func invited(_ backend: Backend) async throws -> (StoreFixture, Questionnaire, [String]) {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        _ = try await f.load(q)
        let cases = try await f.store.invitationCandidates(questionnaire: "small", replacing: nil)
        let n = try await f.store.issueInvitations(questionnaire: "small", codes: cases.map { IssuedCode(caseID: $0, hash: "h-" + $0) },
                                                   replacing: false, now: Self.t)
        #expect(n == cases.count)
        return (f, q, cases)
    }

    @Test(arguments: Backend.enabled) func codesGoToCasesInUseOnceEach(_ backend: Backend) async throws {
        let (f, _, cases) = try await invited(backend)
        let snapshot = try await f.store.snapshot(questionnaire: "small")
        let inUse = snapshot.cases.filter { $0.role == .sample }.map(\.caseID)
        #expect(Set(cases) == Set(inUse) && cases.count == inUse.count)
        // Running again makes none; two runs at once cannot give a case two codes.
        #expect(try await f.store.invitationCandidates(questionnaire: "small", replacing: nil).isEmpty)
        let twice = await StoreFixture.failure {
            _ = try await f.store.issueInvitations(questionnaire: "small", codes: [IssuedCode(caseID: cases[0], hash: "other")], replacing: false, now: Self.t)
        }
        #expect(twice?.message.contains("got a code from another run meanwhile") == true)
        #expect(try await f.store.invitation(hash: "other", now: Self.t) == .unknown)
        // Replacing revokes the old code: it is told apart from a wrong one.
        #expect(try await f.store.invitationCandidates(questionnaire: "small", replacing: cases[0]) == [cases[0]])
        _ = try await f.store.issueInvitations(questionnaire: "small", codes: [IssuedCode(caseID: cases[0], hash: "new")], replacing: true, now: Self.t)
        #expect(try await f.store.invitation(hash: "h-" + cases[0], now: Self.t) == .revoked)
        guard case .open(let c) = try await f.store.invitation(hash: "new", now: Self.t) else { Issue.record("the new code does not open"); return }
        #expect(c.caseID == cases[0] && c.answers.isEmpty && c.openedAt == Self.t)
    }

    @Test(arguments: Backend.enabled) func answersAreSavedAsTheRespondentGoesAndSubmittedOnce(_ backend: Backend) async throws {
        let (f, q, cases) = try await invited(backend)
        let code = "h-" + cases[1]
        _ = try await f.store.invitation(hash: code, now: Self.t)
        // Half the answers, then the page is closed; a bad value is refused and nothing of it kept.
        var c = try await f.store.saveOnline(hash: code, answers: ["D01": "1", "D02": "2", "members": "4"], now: Self.t + 60)
        #expect(c.answers == ["D01": "1", "D02": "2", "members": "4"] && c.savedAt == Self.t + 60)
        let bad = await StoreFixture.failure { _ = try await f.store.saveOnline(hash: code, answers: ["members": "25"], now: Self.t + 70) }
        #expect(bad?.problems.isEmpty == false)
        let unknownItem = await StoreFixture.failure { _ = try await f.store.saveOnline(hash: code, answers: ["D99": "1"], now: Self.t + 70) }
        #expect(unknownItem?.message.contains("has no item D99") == true)
        // Back with the code: the answers are there; an empty value clears one; HTML and SQL are kept as typed.
        guard case .open(let back) = try await f.store.invitation(hash: code, now: Self.t + 3600) else { Issue.record("closed"); return }
        #expect(back.answers == c.answers && back.openedAt == Self.t)
        let text = "<script>alert(1)</script>'; DROP TABLE forms; --"
        c = try await f.store.saveOnline(hash: code, answers: ["D02": "", "q_note": text], now: Self.t + 3700)
        #expect(c.answers == ["D01": "1", "members": "4", "q_note": text])
        // A submission with required items missing is refused; with all, the case is complete.
        let early = await StoreFixture.failure { _ = try await f.store.submitOnline(hash: code, answers: [:], now: Self.t + 3800) }
        #expect(early?.problems.isEmpty == false)
        let summary = try await f.store.submitOnline(hash: code, answers: ["D02": "3", "D03": "7", "own_town": "2", "q_students": "2"], now: Self.t + 3900)
        #expect(summary.stored == 1 && summary.counted == 1)
        let record = try #require(try await f.store.caseRecord(cases[1]))
        #expect(record.disposition == .complete && record.counted)
        let snapshot = try await f.store.snapshot(questionnaire: "small")
        let form = try #require(snapshot.forms.first { $0.caseID == cases[1] })
        #expect(form.mode == .online)
        #expect(form.answers == ["D01": "1", "D02": "3", "D03": "7", "own_town": "2", "members": "4", "q_students": "2", "q_note": text])
        _ = q
        // The code is spent.
        #expect(try await f.store.invitation(hash: code, now: Self.t + 4000) == .submitted(at: Self.t + 3900))
        let again = await StoreFixture.failure { _ = try await f.store.submitOnline(hash: code, answers: [:], now: Self.t + 4000) }
        #expect(again?.invitation == .submitted(at: Self.t + 3900))
        let counts = try await f.store.invitationCounts(questionnaire: "small")
        #expect(counts.map(\.invited).reduce(0, +) == cases.count && counts.map(\.complete).reduce(0, +) == 1)
        #expect(counts.map(\.opened).reduce(0, +) == 1 && counts.map(\.partial).reduce(0, +) == 0)
        // Voided by a supervisor (not the respondent's answers): the same code answers again.
        let void = try await f.store.voidForm(FormVoid(caseID: cases[1], kind: .final, reason: "代答，非本人", operator: "督导", source: "web"))
        #expect(void == VoidSummary(unverified: false, restored: .complete))
        guard case .open(let reopened) = try await f.store.invitation(hash: code, now: Self.t + 5000) else { Issue.record("the code does not open again"); return }
        #expect(reopened.answers.isEmpty)
        // Full-width digits are saved as the digits they are.
        let wide = try await f.store.saveOnline(hash: code, answers: ["D01": "３", "members": "４"], now: Self.t + 5100)
        #expect(wide.answers == ["D01": "3", "members": "4"])
        #expect(try await f.store.invitationCounts(questionnaire: "small").map(\.complete).reduce(0, +) == 0)
    }

    @Test(arguments: Backend.enabled) func aClosedQuestionnaireOrAFormFromAnotherChannelEndsTheCode(_ backend: Backend) async throws {
        let (f, q, cases) = try await invited(backend)
        // Keyed from paper: the online code no longer opens the questionnaire.
        _ = try await f.enter([StoreFixture.form(cases[2])], q: q)
        #expect(try await f.store.invitation(hash: "h-" + cases[2], now: Self.t) == .keyed)
        let submit = await StoreFixture.failure { _ = try await f.store.submitOnline(hash: "h-" + cases[2], answers: [:], now: Self.t) }
        #expect(submit?.invitation == .keyed)
        // Closed for answers: a saved case's code says so, and a save is refused.
        _ = try await f.store.saveOnline(hash: "h-" + cases[3], answers: ["D01": "2"], now: Self.t)
        let closure = try #require(try await f.store.setEntry(questionnaire: "small", open: false, reason: "调查结束", operator: "管理员"))
        #expect(try await f.store.invitation(hash: "h-" + cases[3], now: Self.t) == .closed(closure))
        let refused = await StoreFixture.failure { _ = try await f.store.saveOnline(hash: "h-" + cases[3], answers: ["D01": "1"], now: Self.t) }
        #expect(refused?.invitation == .closed(closure))
        let counts = try await f.store.invitationCounts(questionnaire: "small")
        #expect(counts.map(\.partial).reduce(0, +) == 1)
    }

    /// At the deadline (entry closing) the questionnaire's `online: partial-above: 50%` counts
    /// saved answers over half the applicable items as a partial online form; fewer stay pending.
    @Test(arguments: Backend.enabled) func savedAnswersOverTheShareCountAsPartialAtTheDeadline(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire("small-online")
        #expect(q.online == OnlineRules(layout: .onePerScreen, partialAbove: 0.5))
        _ = try await f.load(q)
        let cases = try await f.store.invitationCandidates(questionnaire: "small", replacing: nil)
        _ = try await f.store.issueInvitations(questionnaire: "small", codes: cases.map { IssuedCode(caseID: $0, hash: "h-" + $0) },
                                               replacing: false, now: Self.t)
        // Seven applicable items (no student: q_education skipped): 4 answered is over half, 3 is not.
        let four = ["D01": "1", "D02": "2", "q_students": "2", "members": "3"]
        _ = try await f.store.saveOnline(hash: "h-" + cases[0], answers: four, now: Self.t)
        _ = try await f.store.saveOnline(hash: "h-" + cases[1], answers: ["D01": "1", "D02": "2", "q_students": "2"], now: Self.t)
        _ = try await f.store.submitOnline(hash: "h-" + cases[2], answers: ["D01": "1", "D02": "2", "D03": "3", "own_town": "2", "members": "3", "q_students": "2"],
                                           now: Self.t)
        let closure = try #require(try await f.store.setEntry(questionnaire: "small", open: false, reason: "截止", operator: "管理员"))
        let snapshot = try await f.store.snapshot(questionnaire: "small")
        let partial = try #require(snapshot.forms.first { $0.caseID == cases[0] })
        #expect(partial.mode == .online && partial.answers == four)
        #expect(!snapshot.forms.contains { $0.caseID == cases[1] } && snapshot.forms.count == 2)
        #expect(try await f.store.caseRecord(cases[0])?.disposition == .partial)
        #expect(try await f.store.caseRecord(cases[1])?.disposition == .pending)
        #expect(try await f.store.caseRecord(cases[2])?.disposition == .complete)
        #expect(try await f.store.invitation(hash: "h-" + cases[0], now: Self.t) == .closed(closure))
        // Reopened and closed again: nothing is counted twice.
        _ = try await f.store.setEntry(questionnaire: "small", open: true, reason: "补录", operator: "管理员")
        _ = try await f.store.setEntry(questionnaire: "small", open: false, reason: "截止", operator: "管理员")
        #expect(try await f.store.snapshot(questionnaire: "small").forms.count == 2)
    }
}
