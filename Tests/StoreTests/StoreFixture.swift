import Foundation
import GRDB
import PostgresNIO
import Questionnaire
@testable import Store
import Tables
import Testing

/// The store implementations the suite runs against.
enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The PostgreSQL server to test against: a URL naming a database the tests may create
    /// databases from (`postgres://pingyi@127.0.0.1:5433/postgres`), from PINGYI_TEST_POSTGRES.
    /// `make test` starts a throwaway server and sets it (scripts/with-postgres.sh).
    static let postgresURL: String? = ProcessInfo.processInfo.environment["PINGYI_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite always; PostgreSQL when PINGYI_TEST_POSTGRES is set.
    static let enabled: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    static let skipMessage: Comment = "PINGYI_TEST_POSTGRES is not set, so the store tests ran on SQLite only; run make test (scripts/with-postgres.sh starts a throwaway PostgreSQL) or set it to a server URL"
}

/// A fresh store (an SQLite file in a temporary folder, or a new PostgreSQL database), with the
/// test questionnaire and list of Tests/Fixtures/store.
struct StoreFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store")

    static func path(_ name: String) -> String {
        fixtures.appendingPathComponent(name).path
    }

    let backend: Backend
    let store: any ServerStore
    /// How the store names itself in messages: the SQLite file, or the database URL.
    let location: String
    /// What opens the same database again: the file's path, or the database's URL.
    let address: String

    init(_ backend: Backend) async throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let s = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path, create: true)
            store = s
            location = s.path
            address = s.path
        case .postgres:
            address = try await StoreFixture.newDatabase()
            let s = try await PostgresStore(url: address, create: true)
            store = s
            location = s.location
        }
    }

    /// Another connection to the same database, as a second server process would open it.
    func reopen() async throws -> any ServerStore {
        switch backend {
        case .sqlite: try SQLiteStore(path: address)
        case .postgres: try await PostgresStore(url: address)
        }
    }

    /// Makes an empty database on the test server and returns its URL.
    static func newDatabase() async throws -> String {
        let url = try #require(Backend.postgresURL)
        let name = "pingyi_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await TestServer.shared.admin(url).query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        guard var components = URLComponents(string: url) else { throw StoreError(.usage, file: url, message: "bad URL") }
        components.path = "/" + name
        return components.string ?? url
    }

    static func questionnaire(_ name: String = "small-v1") throws -> Questionnaire {
        try Questionnaire.load(path: path("questionnaires/\(name).yaml"))
    }

    static func list(_ name: String = "urban", for q: Questionnaire) throws -> RespondentList {
        try RespondentList(table: CSVReader.read(path: path("lists/\(name).csv")), for: q)
    }

    /// Loads the urban list for `q`.
    @discardableResult
    func load(_ q: Questionnaire) async throws -> LoadSummary {
        try await store.loadCases(StoreFixture.list(for: q), for: q, replace: false, operator: "载入员")
    }

    /// A form of the small questionnaire: units, own town, members, students, education, note.
    static func form(_ caseID: String, _ d: [String?] = ["1", "2", "3"], town: String? = "2", members: String? = "3",
                     students: String? = "2", education: String? = nil, note: String? = nil, line: Int? = nil) -> FormInput {
        FormInput(caseID: caseID, answers: d + [town, members, students, education, note], line: line)
    }

    func enter(_ forms: [FormInput], pass: Pass = .first, q: Questionnaire, replace: Bool = false, reason: String? = nil,
               operator: String = "录入员甲") async throws -> EntrySummary {
        try await store.enterForms(FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: "forms.csv", forms: forms,
                                             replace: replace, reason: reason, caseColumn: 1, itemColumns: Array(2...(q.items.count + 1))))
    }

    /// Every row of every table, as text: equal dumps mean an unchanged store.
    func dump() async throws -> String {
        switch store {
        case let s as SQLiteStore:
            let queue = try DatabaseQueue(path: s.path)
            return try await queue.read { db in
                var out = ""
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                    out += "# \(table)\n"
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2") { out += row.description + "\n" }
                }
                return out
            }
        case let s as PostgresStore:
            return try await s.reading { db in
                var out = ""
                for table in try await s.strings(db, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1") {
                    out += "# \(table)\n"
                    for row in try await s.strings(db, PostgresQuery(unsafeSQL: "SELECT t::text FROM \(table) t ORDER BY 1")) { out += row + "\n" }
                }
                return out
            }
        default:
            throw StoreError(.usage, file: "dump", message: "unknown store")
        }
    }

    /// Takes an SQLite store back to schema 4 (before telephone and online entry, and before the
    /// invitations of schema 7), so that
    /// opening it runs the upgrades from there.
    static func dropSchemaFive(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE online_answers; DROP TABLE invitations")
        try db.execute(sql: "DROP TABLE callbacks; DROP TABLE call_attempts; DROP TABLE call_cases; DROP TABLE case_phones; DROP INDEX cases_by_replaces")
        try db.execute(sql: "ALTER TABLE forms DROP COLUMN mode")
    }

    /// The message of the StoreError `body` throws, with its problems.
    static func failure(_ body: () async throws -> Void) async -> StoreError? {
        do {
            try await body()
            return nil
        } catch let error as StoreError {
            return error
        } catch {
            return nil
        }
    }
}

@Suite("PostgreSQL store")
struct PostgresAvailability {
    @Test("the PostgreSQL server of the tests answers", .enabled(if: Backend.postgresURL != nil, Backend.skipMessage))
    func serverAnswers() async throws {
        let f = try await StoreFixture(.postgres)
        #expect(try await f.store.questionnaires(id: nil).isEmpty)
        #expect(try await f.dump().contains("(schema_version,7)"))
    }
}

/// One connection pool to the test server's admin database, for making test databases.
actor TestServer {
    static let shared = TestServer()
    private var client: PostgresClient?

    func admin(_ url: String) throws -> PostgresClient {
        if let client { return client }
        let c = PostgresClient(configuration: try PostgresLocation(url: url).configuration(maximumConnections: 2))
        Task { await c.run() }
        client = c
        return c
    }
}
