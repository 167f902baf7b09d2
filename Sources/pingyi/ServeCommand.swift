import ArgumentParser
import Foundation
import Hummingbird
import Server
import Store

/// `pingyi serve`: the web application for keying and supervision.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web application: keyboard-first keying, double-entry adjudication, progress (Chinese interface).",
        discussion: """
            On SQLite (--db, one office) or PostgreSQL (--postgres, several server processes and offices
            sharing one database). Sign-in uses the store's users (pingyi users add). Prints the address it
            listens at, then serves until stopped (Ctrl-C or SIGTERM). --port 0 picks a free port.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen at (0.0.0.0 for every network interface).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen at (0: any free port).")
    var port = 8080

    @Option(help: "How long a sign-in lasts, in hours.")
    var sessionHours = 10.0

    @Flag(help: "Mark the session cookie Secure (when users reach the server over HTTPS through a proxy).")
    var secureCookies = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port)).") }
        guard sessionHours > 0 && sessionHours <= 24 * 7 else { throw ValidationError("--session-hours must be more than 0 and at most 168.") }
    }

    func run() async throws {
        try await reportingErrors {
            let s = try await store.open()
            if try await s.users().isEmpty {
                printNote("pingyi serve: the store has no users yet; add one with: pingyi users add NAME --role admin")
            }
            let settings = ServerSettings(host: host, port: port, sessionSeconds: Int64(sessionHours * 3600), secureCookies: secureCookies)
            let name = store.name
            let host = self.host
            let app = buildApplication(store: s, settings: settings) { port in
                print("pingyi serve: http://\(host):\(port)/ (\(name))")
                fflush(nil)
            }
            try await app.runService()
        }
    }
}
