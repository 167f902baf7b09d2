import Foundation
import Logging
import PostgresNIO
public import Questionnaire
import Synchronization

/// The case store in a PostgreSQL database (postgres-nio), for several server processes and
/// offices sharing one database.
///
/// The schema is SQLite's (``Schema``), translated by ``Schema/postgres(_:)``. Every write
/// method is one transaction (READ COMMITTED) that first locks what it decides on, so that
/// concurrent processes behave as if they ran one after another:
/// - keying locks the rows of its cases (`SELECT … FOR UPDATE`, in case order), so two
///   operators keying the same case, or a disposition recorded while a form is keyed, wait
///   for each other and the second sees the first's result;
/// - list loads, dispositions, verification and resolutions also take one transaction-level
///   advisory lock (they read many cases);
/// - unique keys (one form per case and kind, one disagreement per case and item, case ids)
///   are the backstop: a transaction that still collides (a serialization failure, a
///   deadlock, a unique violation) is rolled back and run again, up to five times, so the
///   loser gets the same message as if it had come second.
public final class PostgresStore: SurveyStore, AccountStore {
    /// The database, as a URL without password (for messages).
    public let location: String
    /// PostgreSQL runs several write transactions at once (the server's group commits).
    public var concurrentWriters: Int { 4 }
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger = Logger(label: "pingyi.postgres")
    /// Questionnaire versions known to be stored with exactly this definition.
    let confirmed = Mutex<[String: Questionnaire]>([:])

    /// The advisory lock that list loads, dispositions, verification and resolutions hold.
    static let writeLock: Int64 = 0x7069_6E67_7969

    /// Connects to the database at `url` (see ``PostgresLocation``) and checks its schema.
    /// - Parameters:
    ///   - create: make the tables when the database has none (only `cases load` and `serve`).
    ///   - maximumConnections: the size of the connection pool.
    /// - Throws: ``StoreError`` when the URL is wrong, the server cannot be reached, or the
    ///   database is not a pingyi store.
    ///   - upgrade: bring an older schema to this version's (every command but `backup`).
    public init(url: String, create: Bool = false, maximumConnections: Int = 8, upgrade: Bool = true) async throws(StoreError) {
        let place = try PostgresLocation(url: url)
        location = place.display
        client = PostgresClient(configuration: place.configuration(maximumConnections: maximumConnections))
        let client = self.client
        runner = Task { await client.run() }
        do {
            try await prepareSchema(create: create, upgrade: upgrade)
        } catch {
            runner.cancel()
            throw error
        }
    }

    deinit {
        runner.cancel()
    }

    /// Closes the connections.
    public func close() {
        runner.cancel()
    }

    /// Creates the tables in an empty database; checks (and upgrades) the schema of a store.
    func prepareSchema(create: Bool, upgrade allowed: Bool = true) async throws(StoreError) {
        let location = self.location
        try await writing { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(PostgresStore.writeLock))", logger: self.logger)
            let tables = try await self.strings(db, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
            if tables.isEmpty {
                guard create else {
                    throw StoreError(.usage, file: location, message: "there is no store in this database",
                                     hint: "load a respondent list first (pingyi cases load --postgres …)")
                }
                for sql in Schema.postgres(Schema.statements) { try await db.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) }
                try await db.query("INSERT INTO meta (key, value) VALUES ('schema_version', \(String(Schema.version)))", logger: self.logger)
                return
            }
            guard tables.contains("meta"),
                  let version = try await self.strings(db, "SELECT value FROM meta WHERE key = 'schema_version'").first.flatMap({ Int($0) })
            else {
                throw StoreError(.usage, file: location, message: "the database holds tables but no pingyi store",
                                 hint: "name an empty database or a pingyi store with --postgres")
            }
            let upgrade = try Schema.upgrade(from: version, store: location)
            if !upgrade.isEmpty && allowed {
                for sql in Schema.postgres(upgrade) { try await db.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) }
                try await db.query("UPDATE meta SET value = \(String(Schema.version)) WHERE key = 'schema_version'", logger: self.logger)
            }
        }
    }

    // MARK: Transactions

    /// Runs `body` in one transaction, rolled back when it throws; a serialization failure,
    /// deadlock or unique violation runs it again (up to five times). Database failures become
    /// ``StoreError``.
    func writing<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction("BEGIN", body)
            } catch let error as StoreError {
                throw error
            } catch let error as PSQLError where attempt < 5 && PostgresStore.isConflict(error) {
                try? await Task.sleep(for: .milliseconds(attempt * attempt))
                continue
            } catch {
                throw StoreError(.database, file: location, message: "the database failed (\(PostgresStore.reason(error)))",
                                 hint: "nothing was written; check that the PostgreSQL server is running and reachable")
            }
        }
    }

    /// Runs `body` in one read-only transaction that sees one snapshot.
    func reading<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, file: location, message: "cannot read the store (\(PostgresStore.reason(error)))",
                             hint: "check that the PostgreSQL server is running and reachable")
        }
    }

    private func transaction<T: Sendable>(_ begin: PostgresQuery, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        let location = self.location
        return try await client.withConnection { db in
            try await PostgresStore.whileOpen(db, location: location) {
                try await db.query(begin, logger: logger)
                do {
                    let value = try await body(db)
                    try await db.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await db.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body` on `db`, giving up when the connection closes under it. postgres-nio (1.33)
    /// never completes a query written to a connection that has just closed — the server ended
    /// it (`pg_terminate_backend`, a restart) while it sat in the pool or between two queries —
    /// which would hold the request, and its lease of the pool, for ever. A watchdog looks at
    /// the connection every 100 ms while `body` runs; once it is closed (and a reply already on
    /// its way has had 200 ms to arrive) the transaction fails as a database failure. Its
    /// effect is then unknown to this process: rolled back by the server, or committed just
    /// before the close — a form sent again is then refused as already keyed, never stored twice.
    static func whileOpen<T: Sendable>(_ db: PostgresConnection, location: String,
                                       _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let first = FirstOutcome(continuation)
            let watchdog = Task {
                while !first.isFinished {
                    try await Task.sleep(for: .milliseconds(100))
                    if db.isClosed {
                        try await Task.sleep(for: .milliseconds(200))
                        first.finish(.failure(StoreError(.database, file: location, message: "the connection to the database closed during the transaction",
                                                         hint: "send it again; check that the PostgreSQL server is running and reachable")))
                        return
                    }
                }
            }
            Task {
                do { first.finish(.success(try await body())) } catch { first.finish(.failure(error)) }
                watchdog.cancel()
            }
        }
    }
}

/// The first of several possible outcomes of one awaited operation; the later ones are dropped.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    var isFinished: Bool { continuation.withLock { $0 == nil } }

    func finish(_ outcome: Result<T, any Error>) {
        let waiting = continuation.withLock { c -> CheckedContinuation<T, any Error>? in
            defer { c = nil }
            return c
        }
        waiting?.resume(with: outcome)
    }
}

extension PostgresStore {

    /// Whether a failure is a collision with a concurrent transaction (worth running again).
    static func isConflict(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01" || state == "23505"
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            return "\(e.code)"
        }
        return String(describing: error)
    }

    // MARK: Queries

    /// The first column of every row, as text.
    func strings(_ db: PostgresConnection, _ query: PostgresQuery) async throws -> [String] {
        var out: [String] = []
        for try await value in try await db.query(query, logger: logger).decode(String.self) { out.append(value) }
        return out
    }

    /// Locks the rows of these cases until the transaction ends, in case order.
    func lockCases(_ db: PostgresConnection, _ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await db.query("SELECT case_id FROM cases WHERE case_id = ANY(\(ids.sorted())) ORDER BY case_id FOR UPDATE", logger: logger)
    }

    /// Takes the advisory lock of the long writes.
    func lockWrites(_ db: PostgresConnection) async throws {
        try await db.query("SELECT pg_advisory_xact_lock(\(PostgresStore.writeLock))", logger: logger)
    }

    // MARK: Questionnaires

    /// Stores a questionnaire version, or checks that the stored one is the same.
    func register(_ db: PostgresConnection, _ q: Questionnaire, operator: String, at: String) async throws {
        let key = "\(q.id)\u{1F}\(q.version)"
        if confirmed.withLock({ $0[key] == q }) { return }
        let stored = try await strings(db, "SELECT definition FROM questionnaires WHERE id = \(q.id) AND version = \(q.version)").first
        let group = try await strings(db, "SELECT group_name FROM questionnaires WHERE id = \(q.id) LIMIT 1").first
        guard try CaseRules.needsRegistration(q, stored: stored, storedGroup: group, store: location) else {
            confirmed.withLock { $0[key] = q }
            return
        }
        try await db.query("""
            INSERT INTO questionnaires (id, version, group_name, title, entry, definition, registered_at, registered_by)
            VALUES (\(q.id), \(q.version), \(q.group.rawValue), \(q.title), \(q.entry.rawValue), \(try CaseRules.definitionJSON(q)), \(at), \(`operator`))
            """, logger: logger)
    }

    func storedQuestionnaires(_ db: PostgresConnection, id: String?) async throws -> [Questionnaire] {
        let decoder = JSONDecoder()
        return try await strings(db, "SELECT definition FROM questionnaires WHERE (\(id)::text IS NULL OR id = \(id)) ORDER BY id, version")
            .map { try decoder.decode(Questionnaire.self, from: Data($0.utf8)) }
    }

    public func questionnaires(id: String?) async throws(StoreError) -> [Questionnaire] {
        try await reading { db in try await self.storedQuestionnaires(db, id: id) }
    }

    // MARK: Audit

    /// Appends audit entries.
    func audit(_ db: PostgresConnection, _ entries: [AuditRecord]) async throws {
        try await insertRows(db, "audit", ["at", "operator", "action", "case_id", "pass", "item", "old_value", "new_value", "reason", "source"],
                             entries.map { [.text($0.at), .text($0.operator), .text($0.action), .text($0.caseID), .int($0.pass), .text($0.item),
                                            .text($0.old), .text($0.new), .text($0.reason), .text($0.source)] })
    }
}
