import ArgumentParser
import Exports
import Foundation
import Store

extension StoreError: ReportableError {
    var exitStatus: Int32 { kind == .usage ? 64 : 65 }
}

extension ExportError: ReportableError {
    var exitStatus: Int32 { 65 }
}

/// The case store every store command works on: an SQLite file, or a PostgreSQL database.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The store, an SQLite file (made by pingyi cases load; default pingyi.sqlite).",
                                                         valueName: "db"))
    var dbPath: String?

    /// The SQLite file (default pingyi.sqlite).
    var db: String { dbPath ?? "pingyi.sqlite" }

    /// Whether --db or --postgres was given.
    var isGiven: Bool { dbPath != nil || postgres != nil }

    @Option(help: ArgumentHelp("A PostgreSQL store instead of --db, shared by several servers: postgres://USER@HOST[:PORT]/DATABASE, or postgres://USER@/DATABASE?host=/socket/folder (the password from $PGPASSWORD, or in the URL).",
                               valueName: "url"))
    var postgres: String?

    /// The store as messages name it (a PostgreSQL URL without its password).
    var name: String {
        guard let postgres else { return db }
        guard var c = URLComponents(string: postgres), c.password != nil else { return postgres }
        c.password = "***"
        return c.string ?? postgres
    }

    /// Opens the store; only `cases load` (and `serve`, `users`) may create it.
    func open(create: Bool = false) async throws -> any ServerStore {
        if let postgres { return try await PostgresStore(url: postgres, create: create) }
        return try SQLiteStore(path: db, create: create)
    }
}

/// Who does a write, for the audit trail.
struct OperatorOption: ParsableArguments {
    @Option(name: .customLong("operator"), help: "Who does this, for the audit trail (default: the login name).")
    var name: String?

    var resolved: String {
        name ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
    }
}
