import Foundation
import GRDB
import PostgresNIO
import Questionnaire
@testable import Store
import Testing

/// A supervisor corrects a case's answers, or voids one of its forms: every form of the case in
/// one transaction, each change audited with the reason, the keyers kept, the verification and
/// a disposition the form had set following; refused (nothing written) without a reason, on a
/// closed questionnaire, with answers the questionnaire refuses.
@Suite("Correcting and voiding stored forms")
struct CorrectionTests {
    static func correction(_ caseID: String, _ q: Questionnaire, _ d: [String?], reason: String = "对照纸质问卷") -> FormCorrection {
        FormCorrection(caseID: caseID, questionnaire: q, answers: StoreFixture.form(caseID, d).answers, reason: reason, operator: "督导",
                       source: "web")
    }

    @Test(arguments: Backend.enabled) func aCorrectionChangesEveryFormOfTheCase(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002")], q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", ["1", "2", "4"])], pass: .second, q: q, operator: "录入员乙")
        _ = try await f.store.verify(questionnaire: "small", operator: "审核员")
        #expect(try await f.store.forms(caseID: "H-01-0001").map(\.kind) == [.pass1, .pass2, .final])

        // A verified case: its counted form takes D02 = 4; the keyed passes stay as keyed.
        let summary = try await f.store.correct(Self.correction("H-01-0001", q, ["1", "4", "3"]))
        #expect(summary == CorrectionSummary(changedAnswers: 1, forms: 1, verified: false))
        let forms = try await f.store.forms(caseID: "H-01-0001")
        #expect(forms.map { $0.answers["D02"] } == ["2", "2", "4"])
        #expect(forms.map(\.operator) == ["录入员甲", "录入员乙", "审核员"])
        let corrections = try await f.store.auditTrail(caseID: "H-01-0001").filter { $0.action == "correct" }
        #expect(corrections.map(\.pass) == [nil])
        #expect(corrections.allSatisfy { $0.item == "D02" && $0.oldValue == "2" && $0.newValue == "4" && $0.reason == "对照纸质问卷" && $0.operator == "督导" })
        let counted = try await f.store.snapshot(questionnaire: "small").forms.first { $0.caseID == "H-01-0001" }
        #expect(counted?.answers["D02"] == "4")

        // The disagreeing case: its disagreement resolved with the corrected value (so the error
        // stays with pass 2 in the keying work), D01 corrected too: verified and complete.
        #expect(try await f.store.disagreements(questionnaire: nil).map(\.caseID) == ["H-01-0002"])
        let settled = try await f.store.correct(Self.correction("H-01-0002", q, ["2", "2", "3"]))
        #expect(settled == CorrectionSummary(changedAnswers: 2, forms: 1, verified: true))
        #expect(try await f.store.disagreements(questionnaire: nil).isEmpty)
        #expect(try await f.store.caseRecord("H-01-0002")?.disposition == .complete)
        #expect(try await f.store.forms(caseID: "H-01-0002").map { $0.answers["D03"] } == ["3", "4", "3"])
        let trail = try await f.store.auditTrail(caseID: "H-01-0002")
        #expect(trail.contains { $0.action == "resolve" && $0.item == "D03" && $0.oldValue == "pass 1 '3', pass 2 '4'" && $0.newValue == "3" })
        #expect(trail.contains { $0.action == "correct" && $0.item == "D01" && $0.oldValue == "1" && $0.newValue == "2" })
        #expect(trail.contains { $0.action == "verify" && $0.newValue == "verified by correction" })
        let pass2 = try #require(try await f.store.keyingWork().first { $0.operator == "录入员乙" })
        #expect(pass2.disagreements == 1 && pass2.errors == 1)

        // Refused, nothing written: no reason, a code off the scale, an unknown case, a case
        // without forms, a closed questionnaire.
        let before = try await f.dump()
        let noReason = await StoreFixture.failure { _ = try await f.store.correct(Self.correction("H-01-0001", q, ["1", "3", "3"], reason: " ")) }
        #expect(noReason?.kind == .usage && noReason?.message.contains("needs a reason") == true)
        let offScale = await StoreFixture.failure { _ = try await f.store.correct(Self.correction("H-01-0001", q, ["5", "3", "3"])) }
        #expect(offScale?.kind == .data && offScale?.problems.first?.message.contains("D01") == true, "\(String(describing: offScale))")
        let unknown = await StoreFixture.failure { _ = try await f.store.correct(Self.correction("H-09-0009", q, ["1", "3", "3"])) }
        #expect(unknown?.message.contains("not in the store") == true)
        let unkeyed = await StoreFixture.failure { _ = try await f.store.correct(Self.correction("H-01-0003", q, ["1", "3", "3"])) }
        #expect(unkeyed?.message.contains("has no stored form") == true)
        #expect(try await f.dump() == before)
        _ = try await f.store.setEntry(questionnaire: "small", open: false, reason: "季度结束", operator: "管理员")
        let afterClosing = try await f.dump()
        let closed = await StoreFixture.failure { _ = try await f.store.correct(Self.correction("H-01-0001", q, ["1", "3", "3"])) }
        #expect(closed?.message.contains("closed for entry") == true)
        let closedVoid = await StoreFixture.failure {
            _ = try await f.store.voidForm(FormVoid(caseID: "H-01-0001", kind: .pass1, reason: "错号", operator: "督导", source: "web"))
        }
        #expect(closedVoid?.message.contains("closed for entry") == true)
        #expect(try await f.dump() == afterClosing)
        #expect(before != afterClosing)
    }

    @Test(arguments: Backend.enabled) func aVoidedPassUndoesTheVerificationAndTheDispositionItSet(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        // H-02-0001 was recorded partial by a supervisor: voiding its form keeps that.
        _ = try await f.store.recordDispositions(DispositionBatch(
            updates: [DispositionUpdate(caseID: "H-02-0001", disposition: .partial)], operator: "督导", source: "d.csv", useReserves: false))
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-02-0001")], q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-02-0001")], pass: .second, q: q, operator: "录入员乙")
        _ = try await f.store.verify(questionnaire: "small", operator: "审核员")
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .complete)

        let summary = try await f.store.voidForm(FormVoid(caseID: "H-01-0001", kind: .pass2, reason: "错号：应为 H-01-0002", operator: "督导", source: "web"))
        #expect(summary == VoidSummary(unverified: true, restored: .complete))
        #expect(try await f.store.forms(caseID: "H-01-0001").map(\.kind) == [.pass1])
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .pending)
        let trail = try await f.store.auditTrail(caseID: "H-01-0001")
        let void = try #require(trail.first { $0.action == "void" })
        #expect(void.pass == 2 && void.oldValue?.contains("录入员乙") == true && void.reason == "错号：应为 H-01-0002")
        #expect(trail.last?.action == "dispose" && trail.last?.newValue == "pending" && trail.last?.reason == "form voided")
        // Keyed anew by someone else, compared, counted again.
        _ = try await f.enter([StoreFixture.form("H-01-0001")], pass: .second, q: q, operator: "录入员丙")
        _ = try await f.store.verify(caseID: "H-01-0001", operator: "录入员丙")
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .complete)

        let kept = try await f.store.voidForm(FormVoid(caseID: "H-02-0001", kind: .pass1, reason: "问卷无效", operator: "督导", source: "web"))
        #expect(kept == VoidSummary(unverified: true, restored: nil))
        #expect(try await f.store.caseRecord("H-02-0001")?.disposition == .partial)

        // The verified form is made from the passes; a form the case does not have; no reason.
        let before = try await f.dump()
        let final = await StoreFixture.failure {
            _ = try await f.store.voidForm(FormVoid(caseID: "H-01-0001", kind: .final, reason: "x", operator: "督导", source: "web"))
        }
        #expect(final?.message.contains("made from its two passes") == true)
        let missing = await StoreFixture.failure {
            _ = try await f.store.voidForm(FormVoid(caseID: "H-02-0001", kind: .pass1, reason: "x", operator: "督导", source: "web"))
        }
        #expect(missing?.message.contains("has no pass1 form") == true)
        let noReason = await StoreFixture.failure {
            _ = try await f.store.voidForm(FormVoid(caseID: "H-01-0001", kind: .pass1, reason: "", operator: "督导", source: "web"))
        }
        #expect(noReason?.kind == .usage)
        #expect(try await f.dump() == before)
    }

    /// A telephone interview is its counted form: corrected in place, voided with the
    /// disposition it set.
    @Test(arguments: Backend.enabled) func aTelephoneInterviewIsCorrectedOrVoided(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.store.enterForms(FormBatch(questionnaire: q, pass: .first, operator: "访员甲", source: "calls", forms: [StoreFixture.form("H-01-0003")],
                                                   mode: .telephone))
        #expect(try await f.store.caseRecord("H-01-0003")?.disposition == .complete)
        let summary = try await f.store.correct(Self.correction("H-01-0003", q, ["2", "2", "3"], reason: "回访核实：D01 为比较满意"))
        #expect(summary == CorrectionSummary(changedAnswers: 1, forms: 1, verified: false))
        let form = try #require(try await f.store.forms(caseID: "H-01-0003").first)
        #expect(form.kind == .final && form.mode == .telephone && form.answers["D01"] == "2" && form.operator == "访员甲")
        let voided = try await f.store.voidForm(FormVoid(caseID: "H-01-0003", kind: .final, reason: "访问未实际进行", operator: "督导", source: "web"))
        #expect(voided == VoidSummary(unverified: false, restored: .complete))
        #expect(try await f.store.forms(caseID: "H-01-0003").isEmpty)
        #expect(try await f.store.caseRecord("H-01-0003")?.disposition == .pending)
    }

    /// A voided interview puts its case back in the call queue (its attempts kept): the quota
    /// table no longer counts it complete and it is open to be called again.
    @Test(arguments: Backend.enabled) func aVoidedInterviewIsCalledAgain(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire("phone")
        _ = try await f.store.loadCases(StoreFixture.list("urban-phone", for: q), for: q, replace: false, operator: "载入员")
        let t = CallTests.monday19
        let a = try #require(try await f.store.nextCall(questionnaire: "phone", interviewer: "甲", now: t).assignment)
        _ = try await f.store.recordInterview(CallAttemptInput(caseID: a.caseID, interviewer: "甲", phoneRank: 1, startedAt: t, endedAt: t + 540,
                                                               outcome: .complete), answers: CallTests.answers, now: t + 540)
        #expect(try await f.store.callQuotas(questionnaire: "phone", now: t + 600).map(\.completes).reduce(0, +) == 1)
        #expect(try await Self.callState(f, a.caseID) == "complete")
        let summary = try await f.store.voidForm(FormVoid(caseID: a.caseID, kind: .final, reason: "回访：未接受过访问", operator: "督导", source: "web"))
        #expect(summary == VoidSummary(unverified: false, restored: .complete))
        #expect(try await f.store.callQuotas(questionnaire: "phone", now: t + 600).map(\.completes).reduce(0, +) == 0)
        #expect(try await Self.callState(f, a.caseID) == "open")
        #expect(try await f.store.auditTrail(caseID: a.caseID).contains { $0.action == "void" && $0.newValue == "voided; back in the call queue" })
    }

    /// The case's `call_cases.final_disposition`, or "open".
    static func callState(_ f: StoreFixture, _ caseID: String) async throws -> String? {
        switch f.store {
        case let s as SQLiteStore:
            return try await DatabaseQueue(path: s.path).read { db in
                try String.fetchOne(db, sql: "SELECT coalesce(final_disposition, 'open') FROM call_cases WHERE case_id = ?", arguments: [caseID])
            }
        case let s as PostgresStore:
            return try await s.reading { db in
                try await s.strings(db, "SELECT coalesce(final_disposition, 'open') FROM call_cases WHERE case_id = \(caseID)").first
            }
        default:
            return nil
        }
    }
}
