import Crypto
import Foundation
import GRDB
import Tables

/// A backup of a store (`pingyi backup`, `pingyi restore`): one file, a first line of JSON
/// (``Header``: the format, the kind of store, its schema version, the payload's size and
/// SHA-256, what it held), then the payload — for SQLite a copy of the database made with
/// SQLite's online backup API (a consistent snapshot, taken while a server goes on writing), for
/// PostgreSQL the output of `pg_dump --format=custom`. The one definition its writer and reader
/// share.
public enum StoreBackup {
    public static let format = "pingyi-backup/1"
    /// The store schema this program writes and reads (older ones are upgraded on opening).
    public static let currentSchema = Schema.version

    public enum Kind: String, Codable, Sendable {
        case sqlite
        case postgres
    }

    /// The first line of a backup file.
    public struct Header: Codable, Sendable, Equatable {
        public let format: String
        public let kind: Kind
        public let schemaVersion: Int
        /// The payload's size in bytes and SHA-256 (lower-case hex).
        public let bytes: Int
        public let sha256: String
        /// When the snapshot was taken (UTC, ISO 8601) and of which store (no password).
        public let takenAt: String
        public let store: String
        /// Rows of the main tables in the snapshot, for the restore's report.
        public let counts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case format, kind, bytes, sha256, store, counts
            case schemaVersion = "schema_version"
            case takenAt = "taken_at"
        }
    }

    /// The tables whose rows a backup counts.
    public static let countedTables = ["cases", "forms", "answers", "audit", "users"]

    /// The bytes of a backup file: the header line, then the payload.
    public static func encode(kind: Kind, schemaVersion: Int, store: String, counts: [String: Int], payload: [UInt8], takenAt: String) -> [UInt8] {
        let header = Header(format: format, kind: kind, schemaVersion: schemaVersion, bytes: payload.count,
                            sha256: hex(SHA256.hash(data: payload)), takenAt: takenAt, store: store, counts: counts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSON never holds a raw newline: the first one ends the header.
        return Array((try? encoder.encode(header)) ?? Data()) + [0x0A] + payload
    }

    /// Reads and checks a backup file: its header and its payload, whose size and SHA-256 must
    /// be the header's, of a schema this program can read.
    public static func read(_ path: String) throws(StoreError) -> (header: Header, payload: [UInt8]) {
        InputFiles.register(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.usage, file: path, message: "cannot read the backup file", hint: "check the path and its permissions")
        }
        let bytes = [UInt8](data)
        guard let newline = bytes.prefix(1 << 16).firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[..<newline])), header.format == format else {
            throw StoreError(.data, file: path, line: 1, message: "is not a pingyi backup (its first line is not a \(format) header)",
                             hint: "give a file written by pingyi backup")
        }
        let payload = Array(bytes[(newline + 1)...])
        guard payload.count == header.bytes else {
            throw StoreError(.data, file: path, message: "the backup is cut short or padded: \(payload.count) bytes after the header, the header says \(header.bytes)",
                             hint: "the file was damaged in copying; use another copy of the backup")
        }
        let digest = hex(SHA256.hash(data: payload))
        guard digest == header.sha256 else {
            throw StoreError(.data, file: path, message: "the backup is damaged: its SHA-256 is \(digest), the header says \(header.sha256)",
                             hint: "use another copy of the backup")
        }
        guard header.schemaVersion <= Schema.version else {
            throw StoreError(.usage, file: path, message: "the backup is of store schema \(header.schemaVersion), newer than this pingyi's \(Schema.version)",
                             hint: "restore it with the pingyi version that made it, or a newer one")
        }
        return (header, payload)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { b in b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined()
    }

    /// Rows of each counted table of an SQLite database, and its schema version.
    static func census(_ db: Database) throws -> (schema: Int, counts: [String: Int]) {
        var counts: [String: Int] = [:]
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        for table in countedTables where tables.contains(table) {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        }
        let schema = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) } ?? 0
        return (schema, counts)
    }

    /// UTC now, as ISO 8601 to the second.
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension SQLiteStore {
    /// Takes a consistent snapshot of the store at `store` while others may go on writing
    /// (SQLite's online backup API, inside one read transaction) and writes it as a backup file
    /// at `path` (0600, written whole to a temporary file, then renamed: a failed backup leaves
    /// no file and keeps an earlier one). The store is opened as it is, never upgraded: a backup
    /// taken before an upgrade can go back to the version that made it.
    public static func backup(storeAt store: String, to path: String) throws(StoreError) -> StoreBackup.Header {
        guard FileManager.default.fileExists(atPath: store) else {
            throw StoreError(.usage, file: store, message: "there is no store here", hint: "name the store with --db")
        }
        InputFiles.register(store)
        InputFiles.register(store + "-wal")
        do { try checkOutput(path) } catch {
            throw StoreError(.usage, file: error.file, message: error.message, hint: error.hint)
        }
        let scratch = AtomicFileSet.temporaryPath(for: path) + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) } }
        let taken = StoreBackup.now()
        let census: (schema: Int, counts: [String: Int])
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            let source = try DatabasePool(path: store, configuration: configuration)
            guard try source.read({ try $0.tableExists("meta") }) else {
                throw StoreError(.usage, file: store, message: "the file is an SQLite database but not a pingyi store", hint: "name a pingyi store with --db")
            }
            // The copy is a file of its own, not in write-ahead mode, so that it is one file.
            let copy = try DatabaseQueue(path: scratch)
            chmod(scratch, 0o600)
            try source.backup(to: copy)
            census = try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return try StoreBackup.census(db)
            }
            try copy.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, file: store, message: "cannot copy the store (\(SQLiteStore.reason(error)))",
                             hint: "check free disk space beside the backup file")
        }
        guard let payload = FileManager.default.contents(atPath: scratch) else {
            throw StoreError(.database, file: path, message: "cannot read the copy of the store", hint: "check free disk space beside the backup file")
        }
        let bytes = StoreBackup.encode(kind: .sqlite, schemaVersion: census.schema, store: store, counts: census.counts,
                                       payload: [UInt8](payload), takenAt: taken)
        do {
            try writeAtomically(bytes, to: path, mode: 0o600)
        } catch {
            throw StoreError(error.kind == .output ? .usage : .database, file: error.file, message: error.message, hint: error.hint)
        }
        return try StoreBackup.read(path).header
    }

    /// Restores an SQLite backup as the store at `path`: the payload is checked (`PRAGMA
    /// integrity_check`) in a temporary file beside it, then takes the store's place (and its
    /// old write-ahead log is removed, which would otherwise be replayed into the restored
    /// store). An existing store is replaced only when `replace`; a server must not be running
    /// on it. Older schemas are upgraded as the store is opened.
    /// - Returns: the rows of the counted tables in the restored store.
    public static func restore(_ backup: (header: StoreBackup.Header, payload: [UInt8]), from file: String, to path: String,
                               replace: Bool) throws(StoreError) -> [String: Int] {
        guard backup.header.kind == .sqlite else {
            throw StoreError(.usage, file: file, message: "is a backup of a PostgreSQL store", hint: "restore it with --postgres URL")
        }
        if FileManager.default.fileExists(atPath: path) && !replace {
            throw StoreError(.usage, file: path, message: "a store is already there; restoring would replace it",
                             hint: "stop pingyi serve, then add --replace to replace it, or name another file with --db")
        }
        if let input = InputFiles.input(at: path) {
            throw StoreError(.usage, file: path, message: "is also the backup being restored (read as \(input))", hint: "name another store with --db")
        }
        let scratch = AtomicFileSet.temporaryPath(for: path) + ".restore"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) } }
        do {
            try writeAtomically(backup.payload, to: scratch, database: true, mode: 0o600)
        } catch {
            throw StoreError(error.kind == .output ? .usage : .database, file: error.file, message: error.message, hint: error.hint)
        }
        do {
            let check = try DatabaseQueue(path: scratch)
            let verdict = try check.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try check.close()
            guard verdict == ["ok"] else {
                throw StoreError(.data, file: file, message: "the backup's database fails its integrity check (\(verdict.prefix(3).joined(separator: "; ")))",
                                 hint: "use another backup")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.data, file: file, message: "the backup's payload is not a database (\(SQLiteStore.reason(error)))", hint: "use another backup")
        }
        // The store being replaced: its write-ahead log folded in (a log left beside the restored
        // file would be replayed into it), refused while another program is using it.
        if FileManager.default.fileExists(atPath: path) {
            do {
                let old = try DatabaseQueue(path: path)
                let busy = try old.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")?[0] as Int? }
                try old.close()
                if busy == 1 {
                    throw StoreError(.usage, file: path, message: "the store is in use by another program (pingyi serve?)", hint: "stop it, then restore again")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.usage, file: path, message: "the store there cannot be opened to be replaced (\(SQLiteStore.reason(error)))",
                                 hint: "stop pingyi serve, or name another file with --db")
            }
        }
        guard rename(scratch, path) == 0 else {
            throw StoreError(.database, file: path, message: "cannot move the restored store into place (\(String(cString: strerror(errno))))",
                             hint: "check the folder's permissions")
        }
        for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        let store = try SQLiteStore(path: path)
        return try store.census()
    }

    /// Rows of the counted tables.
    public func census() throws(StoreError) -> [String: Int] {
        do {
            return try pool.read { db in try StoreBackup.census(db).counts }
        } catch {
            throw StoreError(.database, file: path, message: "cannot read the store (\(SQLiteStore.reason(error)))")
        }
    }
}

extension SQLiteStore {
    /// The schema version of the store at `path` as it is on disk (before any upgrade), or nil
    /// when the file is not a pingyi store.
    public static func schemaVersion(at path: String) -> Int? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        return try? queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) }
        }
    }
}

extension PostgresStore {
    /// The schema version of the store at `url` before any upgrade, or nil when the database
    /// holds no pingyi store (read with psql).
    public static func schemaVersion(url: String) async -> Int? {
        guard let place = try? PostgresLocation(url: url),
              let out = try? await tool("psql", ["-XAtq", "-c", "SELECT value FROM meta WHERE key = 'schema_version'"], place: place)
        else { return nil }
        return Int(out.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

