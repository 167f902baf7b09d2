import Foundation
import GRDB
@testable import Store
import Testing

/// A store made by each earlier schema version upgrades to the current one and keeps every
/// answer and every audit row (issue 20). The store of version k is made as that version made
/// it: the first schema's tables and the upgrades up to k (``Schema/upgrades``), holding what a
/// store of the current version holds in the tables and columns that version had — a loaded
/// list, keyed and verified forms, a refusal, the audit trail.
@Suite("Store schema upgrades")
struct SchemaUpgradeTests {
    /// The statements that made a store of version `version`.
    static func statements(version: Int) -> [String] {
        let first = Schema.statements.count - Schema.upgrades.flatMap { $0 }.count
        return Array(Schema.statements.prefix(first)) + Schema.upgrades.prefix(version - 1).flatMap { $0 }
    }

    /// A current store with cases, forms of both passes (some verified, some still unverified),
    /// a refusal with its reserve, and their audit.
    static func current() async throws -> String {
        let f = try await StoreFixture(.sqlite)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", note: "路灯不亮"), StoreFixture.form("H-02-0001")], q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", note: "路灯不亮")], pass: .second, q: q, operator: "录入员乙")
        _ = try await f.store.verify(questionnaire: nil, operator: "督导")
        _ = try await f.store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-02-0002", disposition: .refusal)],
                                                                   operator: "督导", source: "test", useReserves: true))
        return f.address
    }

    /// Copies the rows of every table of `version`'s schema from the current store, column by
    /// column where both have it; the store says it is of `version`.
    static func made(by version: Int, from source: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-v\(version)-\(UUID().uuidString).sqlite").path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            for sql in statements(version: version) { try db.execute(sql: sql) }
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
            for table in try String.fetchAll(db, sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name <> 'meta'") {
                let mine = Set(try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").map { $0["name"] as String })
                let theirs = try Row.fetchAll(db, sql: "PRAGMA source.table_info(\(table))").map { $0["name"] as String }
                let common = theirs.filter(mine.contains).map { "\"\($0)\"" }.joined(separator: ", ")
                guard !common.isEmpty else { continue }
                try db.execute(sql: "INSERT INTO main.\(table) (\(common)) SELECT \(common) FROM source.\(table)")
            }
            // What that version would have left: before version 4, a counted case stayed pending.
            if version < 4 { try db.execute(sql: "UPDATE main.cases SET disposition = 'pending' WHERE disposition = 'complete'") }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", arguments: [String(version)])
            try db.execute(sql: "DETACH DATABASE source")
        }
        try queue.close()
        return path
    }

    static func rows(_ path: String, _ sql: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
    }

    @Test(arguments: Array(1..<Schema.version))
    func aStoreOfAnEarlierVersionUpgradesKeepingEveryAnswerAndAuditRow(_ version: Int) async throws {
        let source = try await Self.current()
        let old = try Self.made(by: version, from: source)
        #expect(SQLiteStore.schemaVersion(at: old) == version)
        let answers = try Self.rows(old, "SELECT f.case_id, f.kind, a.item, a.value FROM answers a JOIN forms f USING (form_id) ORDER BY 1, 2, 3")
        let audit = try Self.rows(old, "SELECT audit_id, at, operator, action, case_id, pass, item, old_value, new_value, reason, source FROM audit ORDER BY audit_id")
        #expect(answers.count > 20 && audit.count > 10)

        let store = try SQLiteStore(path: old)
        #expect(SQLiteStore.schemaVersion(at: old) == Schema.version)
        #expect(try Self.rows(old, "SELECT f.case_id, f.kind, a.item, a.value FROM answers a JOIN forms f USING (form_id) ORDER BY 1, 2, 3") == answers)
        let upgraded = try Self.rows(old, "SELECT audit_id, at, operator, action, case_id, pass, item, old_value, new_value, reason, source FROM audit ORDER BY audit_id")
        #expect(Array(upgraded.prefix(audit.count)) == audit)
        #expect(try Self.rows(old, "PRAGMA integrity_check") == ["[integrity_check:\"ok\"]"])
        // The store works as one made by this version: the same counted forms, the same cases.
        let now = try await store.snapshot(questionnaire: nil)
        let reference = try await SQLiteStore(path: source).snapshot(questionnaire: nil)
        #expect(now.forms == reference.forms)
        let cases = try await store.cases(questionnaire: "small")
        let referenceCases = try await SQLiteStore(path: source).cases(questionnaire: "small")
        #expect(cases == referenceCases)
        // Before version 4 the upgrade completes the cases whose forms were counted, audited as such.
        if version < 4 {
            #expect(upgraded.count == audit.count + 2)
            #expect(upgraded.suffix(2).allSatisfy { $0.contains("store upgrade") && $0.contains("complete") })
        } else {
            #expect(upgraded.count == audit.count)
        }
    }
}
