import Foundation
import PostgresNIO
import Tables

extension PostgresStore {
    /// Writes a backup of the store at `path` with `pg_dump --format=custom` (PostgreSQL's
    /// client tools must be on the PATH). The dump and the counts in the header come from one
    /// snapshot: a read-only transaction exports it (`pg_export_snapshot`) and `pg_dump
    /// --snapshot` reads the same, while servers go on writing.
    /// - Parameter url: the store's URL as given (with its password, if it holds one).
    public func backup(url: String, to path: String) async throws(StoreError) -> StoreBackup.Header {
        do { try checkOutput(path) } catch {
            throw StoreError(.usage, file: error.file, message: error.message, hint: error.hint)
        }
        let place = try PostgresLocation(url: url)
        let (folder, scratch) = try PostgresStore.privateScratch("backup.dump", store: place.display)
        defer { unlink(scratch); rmdir(folder) }
        let taken = StoreBackup.now()
        let location = self.location
        let (schema, counts) = try await reading { db in
            let snapshot = try await self.strings(db, "SELECT pg_export_snapshot()").first ?? ""
            try await PostgresStore.tool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)",
                                                     "--file=\(scratch)"], place: place)
            let schema = Int(try await self.strings(db, "SELECT value FROM meta WHERE key = 'schema_version'").first ?? "") ?? 0
            return (schema, try await self.census(db))
        }
        guard let payload = FileManager.default.contents(atPath: scratch) else {
            throw StoreError(.database, file: path, message: "pg_dump wrote no dump", hint: "check free disk space beside the backup file")
        }
        let bytes = StoreBackup.encode(kind: .postgres, schemaVersion: schema, store: location, counts: counts, payload: [UInt8](payload), takenAt: taken)
        do {
            try writeAtomically(bytes, to: path, mode: 0o600)
        } catch {
            throw StoreError(error.kind == .output ? .usage : .database, file: error.file, message: error.message, hint: error.hint)
        }
        return try StoreBackup.read(path).header
    }

    /// Rows of the counted tables, in the transaction of `db`.
    func census(_ db: PostgresConnection) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let tables = Set(try await strings(db, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()"))
        for table in StoreBackup.countedTables where tables.contains(table) {
            counts[table] = Int(try await strings(db, PostgresQuery(unsafeSQL: "SELECT count(*)::text FROM \(table)")).first ?? "") ?? 0
        }
        return counts
    }

    /// Rows of the counted tables.
    public func census() async throws(StoreError) -> [String: Int] {
        try await reading { db in try await self.census(db) }
    }

    /// Restores a PostgreSQL backup into the database at `url` with `pg_restore` in one
    /// transaction: into an empty database, or over a store when `replace` (its tables are
    /// dropped first, in the same transaction). Older schemas are upgraded as the store is opened.
    /// - Returns: the rows of the counted tables in the restored store.
    public static func restore(_ backup: (header: StoreBackup.Header, payload: [UInt8]), from file: String, url: String,
                               replace: Bool) async throws(StoreError) -> [String: Int] {
        let place = try PostgresLocation(url: url)
        guard backup.header.kind == .postgres else {
            throw StoreError(.usage, file: file, message: "is a backup of an SQLite store", hint: "restore it with --db FILE")
        }
        let tables = try await tool("psql", ["-XAtq", "-c", "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"], place: place)
        let existing = Int(tables.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if existing > 0 && !replace {
            throw StoreError(.usage, file: place.display, message: "the database already holds tables; restoring would replace them",
                             hint: "stop pingyi serve, then add --replace to replace the store, or name an empty database")
        }
        let (folder, dump) = try privateScratch("restore.dump", store: place.display)
        let script = folder + "/restore.sql"
        defer { unlink(dump); unlink(script); rmdir(folder) }
        guard FileManager.default.createFile(atPath: dump, contents: Data(backup.payload), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError(.database, file: dump, message: "cannot write the dump for pg_restore", hint: "check free space in the temporary folder")
        }
        // The dump as SQL, after dropping every table of the store there (tables of a newer
        // schema than the backup's too), run in one transaction: all of it or nothing.
        let restore = try await tool("pg_restore", ["--no-owner", "--no-privileges", "--file=-", dump], place: place)
        let drop = existing == 0 ? "" : """
            DO $$ DECLARE t record; BEGIN
              FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
                EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(t.tablename) || ' CASCADE';
              END LOOP;
            END $$;

            """
        guard FileManager.default.createFile(atPath: script, contents: Data((drop + restore).utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError(.database, file: script, message: "cannot write the restore script", hint: "check free space in the temporary folder")
        }
        _ = try await tool("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", script], place: place)
        let store = try await PostgresStore(url: url)
        defer { store.close() }
        return try await store.census()
    }

    /// Runs one of PostgreSQL's client tools; its standard output, or a ``StoreError`` with
    /// its message (never the URL, which may hold a password).
    /// A new folder only this user can read (0700) in the temporary folder, and a path in it.
    static func privateScratch(_ name: String, store: String) throws(StoreError) -> (folder: String, path: String) {
        var template = Array((NSTemporaryDirectory() + "pingyi-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StoreError(.database, file: store, message: "cannot make a temporary folder (\(String(cString: strerror(errno))))",
                             hint: "check the temporary folder")
        }
        let folder = String(cString: made)
        return (folder, folder + "/" + name)
    }

    /// Runs one of PostgreSQL's client tools on the database at `place` (named by libpq's
    /// environment variables, never on the command line); its standard output, or a
    /// ``StoreError`` with its first line of error (with any password taken out).
    static func tool(_ name: String, _ arguments: [String], place: PostgresLocation) async throws(StoreError) -> String {
        try await tool(name, arguments, environment: place.clientEnvironment, store: place.display, secret: place.password)
    }

    static func tool(_ name: String, _ arguments: [String], environment extra: [String: String], store: String, secret: String?) async throws(StoreError) -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw StoreError(.usage, file: store, message: "\(name) is not installed", hint: "install PostgreSQL's client tools (apt install postgresql-client)")
        }
        let result: (status: Int32, out: String, err: String)
        do {
            result = try await runBlocking(path, arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { _, new in new })
        } catch {
            throw StoreError(.database, file: store, message: "cannot run \(name) (\(error))")
        }
        guard result.status == 0 else {
            var first = result.err.split(separator: "\n").first.map(String.init) ?? "exit status \(result.status)"
            if let secret, !secret.isEmpty { first = first.replacingOccurrences(of: secret, with: "***") }
            throw StoreError(.database, file: store, message: "\(name) failed: \(first)", hint: "check that the PostgreSQL server is running and reachable")
        }
        return result.out
    }

    /// Runs a program to its end on threads of its own, never the cooperative pool's (its reads
    /// block: on a 2-core machine two such reads would hold every pool thread), reading its
    /// output and its errors at once — a tool that fills the error pipe (64 KB of warnings)
    /// before its output ends would otherwise wait for ever.
    static func runBlocking(_ path: String, _ arguments: [String], environment: [String: String]) async throws -> (status: Int32, out: String, err: String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = arguments
                process.environment = environment
                let out = Pipe(), err = Pipe()
                process.standardOutput = out
                process.standardError = err
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let errors = ErrorsRead()
                let reader = Thread { errors.finish(err.fileHandleForReading.readDataToEndOfFile()) }
                reader.start()
                let output = out.fileHandleForReading.readDataToEndOfFile()
                let errorBytes = errors.wait()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errorBytes, as: UTF8.self)))
            }
            thread.start()
        }
    }
}

/// The error stream of a tool, read on a thread of its own, handed over when it ends.
private final class ErrorsRead: @unchecked Sendable {
    private let done = NSCondition()
    private var data: Data?

    func finish(_ bytes: Data) {
        done.lock()
        data = bytes
        done.signal()
        done.unlock()
    }

    func wait() -> Data {
        done.lock()
        while data == nil { done.wait() }
        let bytes = data ?? Data()
        done.unlock()
        return bytes
    }
}
