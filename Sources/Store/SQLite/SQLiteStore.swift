import Foundation
import GRDB
public import Questionnaire
import Synchronization
import Tables

/// The case store in one SQLite file (GRDB `DatabasePool`, write-ahead logging).
///
/// Every write method runs in one `BEGIN IMMEDIATE` transaction: several processes (the command
/// line and a server) may share the file; a writer waits up to 30 s for another to finish.
public final class SQLiteStore: SurveyStore {
    /// The database file, as the user named it.
    public let path: String
    /// SQLite has one writer at a time.
    public var concurrentWriters: Int { 1 }
    let pool: DatabasePool
    /// Questionnaire versions known to be stored with exactly this definition (a stored
    /// definition never changes), so that keying one form does not decode it again.
    let confirmed = Mutex<[String: Questionnaire]>([:])

    /// Opens the store at `path`.
    /// - Parameter create: make a new store when the file does not exist (only `cases load` does;
    ///   other commands need a store that holds cases).
    /// - Throws: ``StoreError`` when there is no store (and `create` is false), the file is not a
    ///   pingyi store, or its schema is newer than this program's.
    public init(path: String, create: Bool = false) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw StoreError(.usage, file: path, message: "there is no store here",
                             hint: "load a respondent list first (pingyi cases load), or name the store with --db")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.label = "pingyi"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.usage, file: path, message: "cannot open the store (\(SQLiteStore.reason(error)))",
                             hint: "check the path and that its folder is writable")
        }
        // No output of the command may replace the store (or its write-ahead log).
        InputFiles.register(path)
        InputFiles.register(path + "-wal")
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try SQLiteStore.prepareSchema(db, path: path)
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.usage, file: path, message: "cannot use the file as a store (\(SQLiteStore.reason(error)))",
                             hint: "name a pingyi store with --db, or a new file name to start one")
        }
    }

    /// Creates the tables in an empty file; checks the schema version of an existing store.
    static func prepareSchema(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty {
            for sql in Schema.statements { try db.execute(sql: sql) }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", arguments: [String(Schema.version)])
            return
        }
        guard tables.contains("meta"),
              let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap({ Int($0) })
        else {
            throw StoreError(.usage, file: path, message: "the file is an SQLite database but not a pingyi store",
                             hint: "name a pingyi store with --db, or a new file name to start one")
        }
        let upgrade = try Schema.upgrade(from: version, store: path)
        if !upgrade.isEmpty {
            for sql in upgrade { try db.execute(sql: sql) }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'schema_version'", arguments: [String(Schema.version)])
        }
    }

    // MARK: Transactions

    /// Runs `body` in one immediate write transaction, turning database failures into
    /// ``StoreError``.
    func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(.database, file: self.path, message: "the transaction returned nothing") }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, file: path, message: "the database failed (\(SQLiteStore.reason(error)))",
                             hint: "nothing was written; check free disk space, or whether another program holds the store")
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot).
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, file: path, message: "cannot read the store (\(SQLiteStore.reason(error)))",
                             hint: "check that the file is a pingyi store")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? e.resultCode.description }
        return String(describing: error)
    }

    // MARK: Questionnaires

    /// Stores a questionnaire version, or checks that the stored one is the same.
    func register(_ db: Database, _ q: Questionnaire, operator: String, at: String) throws {
        let key = "\(q.id)\u{1F}\(q.version)"
        if confirmed.withLock({ $0[key] == q }) { return }
        let stored = try String.fetchOne(db, sql: "SELECT definition FROM questionnaires WHERE id = ? AND version = ?",
                                         arguments: [q.id, q.version])
        let group = try String.fetchOne(db, sql: "SELECT group_name FROM questionnaires WHERE id = ? LIMIT 1", arguments: [q.id])
        guard try CaseRules.needsRegistration(q, stored: stored, storedGroup: group, store: path) else {
            // Committed earlier and never changed: safe to remember. (A row inserted below is
            // not remembered, since its transaction may still roll back.)
            confirmed.withLock { $0[key] = q }
            return
        }
        try db.execute(sql: """
            INSERT INTO questionnaires (id, version, group_name, title, entry, definition, registered_at, registered_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [q.id, q.version, q.group.rawValue, q.title, q.entry.rawValue, try CaseRules.definitionJSON(q), at, `operator`])
    }

    func storedQuestionnaires(_ db: Database, id: String?) throws -> [Questionnaire] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT definition FROM questionnaires WHERE (? IS NULL OR id = ?) ORDER BY id, version
            """, arguments: [id, id])
        let decoder = JSONDecoder()
        return try rows.map { try decoder.decode(Questionnaire.self, from: Data(($0["definition"] as String).utf8)) }
    }

    public func questionnaires(id: String?) async throws(StoreError) -> [Questionnaire] {
        try await reading { db in try self.storedQuestionnaires(db, id: id) }
    }

    // MARK: Audit

    /// Appends one audit entry.
    func audit(_ db: Database, at: String, operator: String, action: String, caseID: String?, pass: Int? = nil,
               item: String? = nil, old: String? = nil, new: String? = nil, reason: String? = nil, source: String? = nil) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit (at, operator, action, case_id, pass, item, old_value, new_value, reason, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [at, `operator`, action, caseID, pass, item, old, new, reason, source])
    }

    func audit(_ db: Database, _ r: AuditRecord) throws {
        try audit(db, at: r.at, operator: r.operator, action: r.action, caseID: r.caseID, pass: r.pass, item: r.item, old: r.old,
                  new: r.new, reason: r.reason, source: r.source)
    }
}

/// What differs between two definitions of the same version, for the message.
func describeChange(_ old: Questionnaire, _ new: Questionnaire) -> String {
    let oldNames = old.items.map(\.name), newNames = new.items.map(\.name)
    let added = newNames.filter { !oldNames.contains($0) }
    let removed = oldNames.filter { !newNames.contains($0) }
    if !added.isEmpty { return "new items \(added.prefix(5).joined(separator: ", "))" }
    if !removed.isEmpty { return "items dropped: \(removed.prefix(5).joined(separator: ", "))" }
    if let changed = zip(old.items, new.items).first(where: { $0 != $1 }) { return "item \(changed.0.name) changed" }
    if old.scale != new.scale { return "the scale changed" }
    if old.title != new.title { return "the title changed" }
    return "its settings changed"
}
