import Foundation
import GRDB
import Questionnaire
import Store
import Tables

/// A fresh store in a temporary folder, with the test questionnaire and list of
/// Tests/Fixtures/store.
struct StoreFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store")

    static func path(_ name: String) -> String {
        fixtures.appendingPathComponent(name).path
    }

    let directory: URL
    let store: SQLiteStore
    var dbPath: String { store.path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path, create: true)
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
    func dump() throws -> String {
        let queue = try DatabaseQueue(path: dbPath)
        return try queue.read { db in
            var out = ""
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                out += "# \(table)\n"
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2") { out += row.description + "\n" }
            }
            return out
        }
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
