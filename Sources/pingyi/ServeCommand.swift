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

            First start: on a store that does not exist yet (it is made) or has no users, it also prints a
            one-time setup link (valid --setup-minutes, by default only from this computer) where the first
            admin is made; until then every other page says the server is not set up.

            Workbench (统计人员 and 管理员, /work): frames uploaded from the browser are kept in --work, as
            uploaded, each with who and when; the pages read them as pingyi frame inspect does.
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

    @Option(help: "How long the first-start setup link is valid, in minutes.")
    var setupMinutes = 30

    @Flag(help: "Let the first-start setup link be opened from another computer (default: only from this one).")
    var remoteSetup = false

    @Option(help: "The workbench's folder: uploaded frames and the files each step writes (default: beside the --db store, STORE.work; ./pingyi.work with --postgres).")
    var work: String?

    @Option(help: "The folder of shipped designs and questionnaires (designs/*.yaml, questionnaires/*.yaml) the workbench starts from.")
    var surveys = "surveys"

    /// The workbench folder: --work, else beside the SQLite store, else ./pingyi.work.
    var workFolder: String {
        if let work { return work }
        guard store.postgres == nil else { return "pingyi.work" }
        let db = store.db
        return (db.hasSuffix(".sqlite") ? String(db.dropLast(".sqlite".count)) : db) + ".work"
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port)).") }
        guard sessionHours > 0 && sessionHours <= 24 * 7 else { throw ValidationError("--session-hours must be more than 0 and at most 168.") }
        guard (1...24 * 60).contains(setupMinutes) else { throw ValidationError("--setup-minutes must be between 1 and 1440 (got \(setupMinutes)).") }
    }

    func run() async throws {
        try await reportingErrors {
            let s = try await store.open(create: true)
            var settings = ServerSettings(host: host, port: port, sessionSeconds: Int64(sessionHours * 3600), secureCookies: secureCookies)
            settings.workspace = workFolder
            settings.surveys = surveys
            settings.tool = "pingyi \(Pingyi.version)"
            if try await s.users().isEmpty {
                settings.firstStart = FirstStart(expires: settings.now() + Int64(setupMinutes) * 60, remote: remoteSetup)
            }
            let name = store.name
            let host = self.host, firstStart = settings.firstStart, minutes = setupMinutes, remote = remoteSetup
            let app = buildApplication(store: s, settings: settings) { port in
                print("pingyi serve: http://\(host):\(port)/ (\(name))")
                if let firstStart {
                    let local = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
                    print("pingyi serve: first start: make the first admin at http://\(local):\(port)\(firstStart.path) "
                          + "(valid \(minutes) minutes, once\(remote ? "" : ", from this computer only"))")
                }
                fflush(nil)
            }
            try await app.runService()
        }
    }
}
