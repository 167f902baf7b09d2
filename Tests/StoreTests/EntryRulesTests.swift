import Foundation
import GRDB
import PostgresNIO
import Questionnaire
@testable import Store
import Testing

/// The store's entry rules are the one decision: the pass-2 operator rule holds for every batch
/// (the CLI import, the keying page and the API all store through it), the one-case check gives
/// the same answer before a form is keyed, and a database failure inside one batch of a group
/// commit fails that batch alike on both stores.
@Suite("Entry rules, one home")
struct EntryRulesTests {
    @Test(arguments: Backend.enabled) func passTwoIsKeyedByAnotherOperator(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002")], q: q, operator: "甲")
        let before = try await f.dump()
        let error = await StoreFixture.failure {
            _ = try await f.enter([StoreFixture.form("H-01-0001", line: 2)], pass: .second, q: q, operator: "甲")
        }
        #expect(error?.problems.map(\.description) == [
            "forms.csv:2:1: case H-01-0001: pass 1 was keyed by 甲, who may not key pass 2 of small (second-pass-operator: different); have another operator key this pass (the passes are compared, so they must be independent), or set second-pass-operator: any in a new version of the questionnaire",
        ])
        #expect(error?.problems.first?.refusal == .sameOperator(operator: "甲", pass: .first))
        #expect(try await f.dump() == before)
        // The same decision, asked before keying.
        #expect(try await f.store.entryRefusal(caseID: "H-01-0001", questionnaire: q, pass: .second, operator: "甲") == .sameOperator(operator: "甲", pass: .first))
        #expect(try await f.store.entryRefusal(caseID: "H-01-0001", questionnaire: q, pass: .second, operator: "乙") == nil)
        #expect(try await f.store.entryRefusal(caseID: "H-01-0001", questionnaire: q, pass: .first, operator: "乙")
                == .alreadyKeyed(pass: .first, operator: "甲", at: try #require(try await f.store.auditTrail(caseID: "H-01-0001").last?.at)))
        #expect(try await f.store.entryRefusal(caseID: "H-09-0009", questionnaire: q, pass: .first, operator: "乙") == .notInSample(questionnaire: "small"))
        _ = try await f.enter([StoreFixture.form("H-01-0001")], pass: .second, q: q, operator: "乙")
        // Pass 1 voided and keyed anew: not by the operator of the pass 2 that stayed.
        _ = try await f.store.voidForm(FormVoid(caseID: "H-01-0001", kind: .pass1, reason: "错号", operator: "督导", source: "web"))
        let again = await StoreFixture.failure { _ = try await f.enter([StoreFixture.form("H-01-0001", line: 2)], q: q, operator: "乙") }
        #expect(again?.problems.first?.refusal == .sameOperator(operator: "乙", pass: .second))
        #expect(again?.problems.first?.message == "case H-01-0001: pass 2 was keyed by 乙, who may not key pass 1 of small (second-pass-operator: different)")
        #expect(try await f.store.entryRefusal(caseID: "H-01-0001", questionnaire: q, pass: .first, operator: "乙") == .sameOperator(operator: "乙", pass: .second))
        _ = try await f.enter([StoreFixture.form("H-01-0001")], q: q, operator: "丙")
        // A questionnaire that allows one person both passes says so.
        let any = Questionnaire(id: "small", version: 3, title: q.title, group: q.group, scale: q.scale, units: q.units, ownTown: q.ownTown,
                                further: q.furtherItems, secondPassOperator: .any)
        #expect(try await f.store.entryRefusal(caseID: "H-01-0002", questionnaire: any, pass: .second, operator: "甲") == nil)
    }

    @Test func theOperatorRuleIsAnOptionOfTheQuestionnaire() throws {
        let q = try StoreFixture.questionnaire()
        #expect(q.secondPassOperator == .different)
        let text = try String(contentsOfFile: StoreFixture.path("questionnaires/small-v1.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "version: 1\n", with: "version: 1\nsecond-pass-operator: any\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-q-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("q.yaml").path
        try text.replacingOccurrences(of: "../../../../surveys", with: StoreFixture.fixtures.appendingPathComponent("../../../surveys").standardized.path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Questionnaire.load(path: path).secondPassOperator == .any)
        try text.replacingOccurrences(of: "second-pass-operator: any", with: "second-pass-operator: nobody")
            .replacingOccurrences(of: "../../../../surveys", with: StoreFixture.fixtures.appendingPathComponent("../../../surveys").standardized.path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try Questionnaire.load(path: path) }
    }

    /// A trigger makes the database refuse the form of H-01-0002: in a group of three batches,
    /// that batch fails (kind database) and the other two are stored — on SQLite and PostgreSQL.
    @Test(arguments: Backend.enabled) func aDatabaseFailureFailsOnlyItsBatch(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        switch f.store {
        case let s as SQLiteStore:
            let queue = try DatabaseQueue(path: s.path)
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER injected BEFORE INSERT ON forms WHEN NEW.case_id = 'H-01-0002'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            try queue.close()
        case let s as PostgresStore:
            _ = try await s.writing { db in
                try await db.query(PostgresQuery(unsafeSQL: """
                    CREATE FUNCTION injected() RETURNS trigger AS $$
                    BEGIN IF NEW.case_id = 'H-01-0002' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                    """), logger: s.logger)
                try await db.query("CREATE TRIGGER injected BEFORE INSERT ON forms FOR EACH ROW EXECUTE FUNCTION injected()", logger: s.logger)
                return true
            }
        default:
            Issue.record("unknown store")
        }
        let batches = ["H-01-0001", "H-01-0002", "H-02-0001"].map {
            FormBatch(questionnaire: q, pass: .first, operator: "甲", source: "web", forms: [StoreFixture.form($0)])
        }
        let outcomes = try await f.store.enterBatches(batches)
        #expect(outcomes.count == 3)
        #expect((try? outcomes[0].get())?.stored == 1)
        #expect((try? outcomes[2].get())?.stored == 1)
        guard case .failure(let error) = outcomes[1] else {
            Issue.record("the batch the database refused was stored")
            return
        }
        #expect(error.kind == .database)
        #expect(error.description.contains("injected failure"))
        #expect(try await f.store.caseRecord("H-01-0001")?.hasPass1 == true)
        #expect(try await f.store.caseRecord("H-01-0002")?.hasPass1 == false)
        #expect(try await f.store.caseRecord("H-02-0001")?.hasPass1 == true)
        #expect(try await f.store.auditTrail(caseID: "H-01-0002").map(\.action) == ["load"])
        // One batch alone: the same outcome, not a thrown error.
        let alone = try await f.store.enterBatches([batches[1]])
        guard case .failure(let single) = alone[0] else {
            Issue.record("the batch the database refused was stored")
            return
        }
        #expect(single.kind == .database)
    }
}
