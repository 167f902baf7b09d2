import Foundation
import GRDB
import Questionnaire
import Store
import Testing

@Suite("Reading the store for supervision")
struct ReadingTests {
    @Test(arguments: Backend.enabled) func answerCountsOfKeyedAndOfCountedForms(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        // Pass 1: three forms (towns T01, T01, T02); pass 2 agrees on two of them.
        _ = try await f.enter([StoreFixture.form("H-01-0001", ["1", "2", "3"], town: "1"), StoreFixture.form("H-01-0002", ["1", "1", "7"]),
                               StoreFixture.form("H-02-0001", ["2", "1", "3"], town: "4")], q: q)
        _ = try await f.enter([StoreFixture.form("H-01-0001", ["1", "2", "3"], town: "1"), StoreFixture.form("H-02-0001", ["2", "1", "3"], town: "4")],
                              pass: .second, q: q, operator: "录入员乙")
        _ = try await f.store.verify(questionnaire: nil, operator: "督导")
        let keyed = try await f.store.answerCounts(questionnaire: "small", countedOnly: false)
        let d01 = keyed.filter { $0.item == "D01" }.map { "\($0.value):\($0.count)" }
        #expect(d01 == ["1:2", "2:1"])
        #expect(keyed.filter { $0.item == "own_town" }.map { "\($0.townID ?? "-") \($0.value):\($0.count)" } == ["T01 1:1", "T01 2:1", "T02 4:1"])
        #expect(keyed.first { $0.item == "D03" && $0.value == "7" }?.count == 1)
        #expect(keyed.filter { $0.item == "members" }.allSatisfy { $0.townID == nil })
        let counted = try await f.store.answerCounts(questionnaire: "small", countedOnly: true)
        #expect(counted.filter { $0.item == "D01" }.map { "\($0.value):\($0.count)" } == ["1:1", "2:1"])
        #expect(counted.filter { $0.item == "D03" }.map { "\($0.value):\($0.count)" } == ["3:2"])
        #expect(try await f.store.answerCounts(questionnaire: "nothing", countedOnly: false).isEmpty)
    }

    @Test(arguments: Backend.enabled) func auditEntriesByOperatorNewestFirst(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001")], q: q, operator: "甲")
        _ = try await f.enter([StoreFixture.form("H-01-0002")], q: q, operator: "乙")
        _ = try await f.enter([StoreFixture.form("H-02-0001")], q: q, operator: "甲")
        let mine = try await f.store.auditEntries(AuditQuery(operator: "甲", actions: ["enter"], limit: 10))
        #expect(mine.map(\.caseID) == ["H-02-0001", "H-01-0001"])
        #expect(mine.first?.pass == 1 && mine.first?.newValue == "v1" && mine.first?.source == "forms.csv")
        #expect(try await f.store.auditEntries(AuditQuery(operator: "甲", actions: ["enter"], limit: 1)).count == 1)
    }

    /// A store made by the first schema gains the users, sessions and entry-closure tables when opened.
    @Test func aVersionOneStoreIsUpgraded() async throws {
        let f = try await StoreFixture(.sqlite)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let queue = try DatabaseQueue(path: f.address)
        try await queue.write { db in
            try StoreFixture.dropSchemaFive(db)
            try db.execute(sql: "DROP TABLE sessions; DROP TABLE users; DROP INDEX audit_by_operator; DROP TABLE entry_closures")
            try db.execute(sql: "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        }
        try queue.close()
        let store = try SQLiteStore(path: f.address)
        try await store.addUser(name: "王芳", role: .admin, passwordHash: "h", by: "setup")
        #expect(try await store.users().map(\.name) == ["王芳"])
        #expect(try await store.caseRecord("H-01-0001") != nil)
        #expect(try await f.store.entryClosures().isEmpty)
        #expect(try await f.dump().contains("[key:\"schema_version\" value:\"7\"]"))
    }
}
