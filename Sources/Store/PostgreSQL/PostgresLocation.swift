import Foundation
import PostgresNIO

/// Where a PostgreSQL database is, read from a URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`, or with a
/// Unix socket folder, `postgres://USER@/DATABASE?host=/var/run/postgresql[&port=5432]`.
/// `postgresql://` works too. Percent-escapes are decoded. Without a password in the URL,
/// `PGPASSWORD` is used (as `psql` does), so the password need not show in a process list. TLS is off unless `sslmode` says
/// `prefer` or `require` (a server on the same machine or a private network, the usual case).
struct PostgresLocation: Sendable, Equatable {
    var user: String
    var password: String?
    var host: String?
    var socketFolder: String?
    var port: Int
    var database: String
    var sslmode: String

    /// The URL without its password, for messages.
    var display: String {
        let at = socketFolder.map { "@/\(database)?host=\($0)" } ?? "@\(host ?? "localhost"):\(port)/\(database)"
        return "postgres://\(user)\(at)"
    }

    init(url text: String) throws(StoreError) {
        func bad(_ what: String) -> StoreError {
            StoreError(.usage, file: "--postgres", message: "'\(PostgresLocation.redacted(text))' is not a PostgreSQL URL (\(what))",
                       hint: "write postgres://USER:PASSWORD@HOST:PORT/DATABASE, or postgres://USER@/DATABASE?host=/socket/folder")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else { throw bad("it must start with postgres://") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
        user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? ProcessInfo.processInfo.environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw bad("it names no database") }
        port = components.port ?? query["port"].flatMap { Int($0) } ?? 5432
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"]
        if let host, host.hasPrefix("/") {
            socketFolder = host
            self.host = nil
        } else {
            guard let host else { throw bad("it names no host") }
            self.host = host
            socketFolder = nil
        }
        sslmode = query["sslmode"] ?? "disable"
        guard ["disable", "prefer", "require"].contains(sslmode) else { throw bad("sslmode must be disable, prefer or require") }
    }

    /// The database for PostgreSQL's client tools (`pg_dump`, `pg_restore`, `psql`), as libpq's
    /// environment variables: the password never appears on a command line (a process list).
    var clientEnvironment: [String: String] {
        var e = ["PGUSER": user, "PGDATABASE": database, "PGPORT": String(port), "PGSSLMODE": sslmode == "disable" ? "disable" : sslmode,
                 "PGHOST": socketFolder ?? host ?? "localhost", "PGCONNECT_TIMEOUT": "10"]
        if let password { e["PGPASSWORD"] = password }
        return e
    }

    /// The URL with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? text
    }

    func configuration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = .init(unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch sslmode {
            case "require": .require(.makeClientConfiguration())
            case "prefer": .prefer(.makeClientConfiguration())
            default: .disable
            }
            configuration = .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The same server with another database.
    func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }
}
