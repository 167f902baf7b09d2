import Foundation
import GRDB
import Questionnaire
@testable import Store
import Testing

/// A counted form closes its case: verified (double entry) or stored (single entry), a pending
/// case becomes complete — or partial by the questionnaire's `complete-above` — and a disposition
/// a supervisor recorded stays.
@Suite("Counted forms make their cases complete")
struct CompletionTests {
    @Test(arguments: Backend.enabled) func verifiedAndResolvedFormsCompleteTheirCases(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        // H-02-0001 was recorded partial by a supervisor before keying: that stays.
        _ = try await f.store.recordDispositions(DispositionBatch(
            updates: [DispositionUpdate(caseID: "H-02-0001", disposition: .partial)], operator: "督导", source: "d.csv", useReserves: false))
        let ids = ["H-01-0001", "H-01-0002", "H-02-0001"]
        _ = try await f.enter(ids.map { StoreFixture.form($0) }, q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", ["1", "2", "4"]), StoreFixture.form("H-02-0001")],
                              pass: .second, q: q, operator: "录入员乙")
        // Keyed twice but not yet verified: still pending.
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .pending)
        _ = try await f.store.verify(questionnaire: "small", operator: "督导")
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .complete)
        #expect(try await f.store.caseRecord("H-01-0002")?.disposition == .pending)
        #expect(try await f.store.caseRecord("H-02-0001")?.disposition == .partial)
        let entry = try #require(try await f.store.auditTrail(caseID: "H-01-0001").last)
        #expect(entry.action == "dispose" && entry.oldValue == "pending" && entry.newValue == "complete")
        #expect(entry.reason == "form counted" && entry.operator == "督导" && entry.source == "verify")
        #expect(try await f.store.auditTrail(caseID: "H-02-0001").filter { $0.action == "dispose" }.count == 1)
        // The disagreement resolved: verified, complete.
        _ = try await f.store.resolve(ResolutionBatch(resolutions: [Resolution(caseID: "H-01-0002", item: "D03", value: "3")],
                                                      operator: "审核员", source: "r.csv"))
        #expect(try await f.store.caseRecord("H-01-0002")?.disposition == .complete)
        #expect(try await f.store.auditTrail(caseID: "H-01-0002").last?.operator == "审核员")
        // The case file that pingyi rates reads counts them.
        let snapshot = try await f.store.snapshot(questionnaire: "small")
        let complete = snapshot.cases.filter { $0.disposition == .complete }.map(\.caseID)
        #expect(complete == ["H-01-0001", "H-01-0002"])
    }

    @Test(arguments: Backend.enabled) func singleEntryFormsCompleteAtOnceOrArePartial(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let once = try StoreFixture.questionnaire("small-single")
        // The same questionnaire with AAPOR's rule: complete when more than 80 % of the
        // applicable items are answered (不了解 counts as an answer, 拒答 does not; an item
        // answered 不适用 or skipped is not applicable), else partial.
        let q = Questionnaire(id: once.id, version: once.version, title: once.title, group: once.group, scale: once.scale, entry: .single,
                              units: once.units, ownTown: once.ownTown, further: once.furtherItems, completeAbove: 0.8)
        try await f.load(q)
        // Applicable: D01–D03, own_town, members, q_students, q_note (q_education skipped) = 7.
        // H-01-0001 answers 6 of 7 (no note): 86 % → complete. H-01-0002: D02 don't know, D03
        // refused, no note: 5 of 7 = 71 % → partial. H-02-0001: D02 and D03 not applicable, no
        // note: 4 of 5 = 80 %, not more → partial.
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", ["1", "7", "8"]),
                               StoreFixture.form("H-02-0001", ["1", "6", "6"])], q: q)
        #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .complete)
        #expect(try await f.store.caseRecord("H-01-0002")?.disposition == .partial)
        #expect(try await f.store.caseRecord("H-02-0001")?.disposition == .partial)
        #expect(CompletionRules.answeredShare(["D01": "1", "D02": "7", "D03": "8", "own_town": "2", "members": "3", "q_students": "2"], q)
                == 5.0 / 7.0)
        #expect(CompletionRules.answeredShare(["D01": "1", "D02": "6", "D03": "6", "own_town": "2", "members": "3", "q_students": "2"], q)
                == 4.0 / 5.0)
        // Without the rule, every counted form is complete.
        #expect(CompletionRules.disposition(["D01": "7"], once) == .complete)
    }

    /// A store of schema 3 whose verified cases were left pending is put right when opened.
    @Test func aVersionThreeStoreCompletesItsCountedCases() async throws {
        let f = try await StoreFixture(.sqlite)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002")], q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001")], pass: .second, q: q, operator: "录入员乙")
        _ = try await f.store.verify(questionnaire: nil, operator: "督导")
        let queue = try DatabaseQueue(path: f.address)
        try await queue.write { db in
            try StoreFixture.dropSchemaFive(db)
            try db.execute(sql: "UPDATE cases SET disposition = 'pending'")
            try db.execute(sql: "DELETE FROM audit WHERE action = 'dispose'")
            try db.execute(sql: "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        }
        try queue.close()
        let store = try SQLiteStore(path: f.address)
        #expect(try await store.caseRecord("H-01-0001")?.disposition == .complete)
        #expect(try await store.caseRecord("H-01-0002")?.disposition == .pending)
        let entry = try #require(try await store.auditTrail(caseID: "H-01-0001").last)
        #expect(entry.action == "dispose" && entry.newValue == "complete" && entry.source == "store upgrade")
        #expect(entry.at.hasPrefix("20"))
        #expect(try await f.dump().contains("[key:\"schema_version\" value:\"\(Schema.version)\"]"))
    }
}
