import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("pingyi users and pingyi serve")
struct ServeCommandTests {
    @Test func usersAreAddedListedAndGivenTokens() throws {
        let dir = try Command.temporaryDirectory()
        try "long-enough-1\n".write(to: dir.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
        let added = try Command.run(["users", "add", "王芳", "--role", "supervisor", "--password-file", "pw", "--db", "s.sqlite", "--operator", "管理员"], in: dir)
        #expect(added.status == 0)
        #expect(added.stdout == "已添加用户  王芳（督导）→ s.sqlite\n")
        let again = try Command.run(["users", "add", "王芳", "--role", "admin", "--password-file", "pw", "--db", "s.sqlite"], in: dir)
        #expect(again.status == 65)
        #expect(again.stderr == "pingyi: error: s.sqlite: user 王芳 already exists; choose another name, or change the password with the users page\n")
        // The password from standard input when it is not a terminal.
        let piped = try Command.run(["users", "add", "李明", "--role", "operator", "--db", "s.sqlite"], in: dir, input: "another-pass\n")
        #expect(piped.status == 0)
        let list = try Command.run(["users", "list", "--db", "s.sqlite"], in: dir)
        let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(4).joined(separator: " ") }
        #expect(lines == ["用户 角色 状态 API", "李明 录入员 正常 无", "王芳 督导 正常 无"])
        let token = try Command.run(["users", "token", "李明", "--db", "s.sqlite"], in: dir)
        #expect(token.status == 0 && token.stdout.count == 44)
        #expect(try Command.run(["users", "list", "--db", "s.sqlite"], in: dir).stdout.contains("李明  录入员  正常  有"))
        let unknown = try Command.run(["users", "unlock", "赵六", "--db", "s.sqlite"], in: dir)
        #expect(unknown.status == 65 && unknown.stderr == "pingyi: error: s.sqlite: there is no user 赵六; add the user first (pingyi users add)\n")
    }

    @Test func badUsersAndServeOptionsAreRefused() throws {
        let dir = try Command.temporaryDirectory()
        try "short\n".write(to: dir.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
        let role = try Command.run(["users", "add", "a", "--role", "boss", "--password-file", "pw"], in: dir)
        #expect(role.status == 64 && role.stderr.contains("Error: The value 'boss' is invalid for '--role <role>'. Please provide one of 'operator', 'interviewer', 'statistician', 'supervisor' or 'admin'."))
        let short = try Command.run(["users", "add", "a", "--role", "admin", "--password-file", "pw", "--db", "s.sqlite"], in: dir)
        #expect(short.status == 64)
        #expect(short.stderr == "pingyi: error: the password must have at least 10 characters (it has 5); choose a longer one\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.sqlite").path))
        let missing = try Command.run(["users", "add", "a", "--role", "admin", "--password-file", "nope"], in: dir)
        #expect(missing.status == 64 && missing.stderr == "pingyi: error: nope: no such file (--password-file)\n")
        let port = try Command.run(["serve", "--port", "70000"], in: dir)
        #expect(port.status == 64 && port.stderr.contains("Error: --port must be between 0 and 65535 (got 70000)."))
        let minutes = try Command.run(["serve", "--setup-minutes", "0"], in: dir)
        #expect(minutes.status == 64 && minutes.stderr.contains("Error: --setup-minutes must be between 1 and 1440 (got 0)."))
        let badURL = try Command.run(["serve", "--postgres", "mysql://x/y"], in: dir)
        #expect(badURL.status == 64)
        #expect(badURL.stderr == "pingyi: error: --postgres: 'mysql://x/y' is not a PostgreSQL URL (it must start with postgres://); write postgres://USER:PASSWORD@HOST:PORT/DATABASE, or postgres://USER@/DATABASE?host=/socket/folder\n")
    }
}

/// `pingyi serve` on a store that does not exist: it makes the store and prints the one-time
/// setup link, which answers with the first admin's form.
@Test func serveOnANewStorePrintsTheSetupLink() async throws {
    let dir = try Command.temporaryDirectory()
    let process = Process()
    process.executableURL = try Command.executable
    process.arguments = ["serve", "--db", "new.sqlite", "--port", "0", "--setup-minutes", "5"]
    process.currentDirectoryURL = dir
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    defer { process.terminate(); process.waitUntilExit() }
    var text = ""
    while !text.contains("/setup/"), !text.contains("minutes"), process.isRunning {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    while !text.hasSuffix("\n"), process.isRunning {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == 2 && lines[0].hasPrefix("pingyi serve: http://127.0.0.1:") && lines[0].hasSuffix("/ (new.sqlite)"), "\(text)")
    let setup = try #require(lines.last)
    #expect(setup.hasPrefix("pingyi serve: first start: make the first admin at http://127.0.0.1:"))
    #expect(setup.hasSuffix(" (valid 5 minutes, once, from this computer only)"))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.sqlite").path))
    let link = try #require(setup.split(separator: " ").first { $0.hasPrefix("http://") }.flatMap { URL(string: String($0)) })
    #expect(link.path.hasPrefix("/setup/") && link.path.count == "/setup/".count + 43)
    let (page, response) = try await URLSession.shared.data(from: link)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    #expect(String(decoding: page, as: UTF8.self).contains("创建管理员并登录"))
    let (_, refused) = try await URLSession.shared.data(from: URL(string: "/login", relativeTo: link)!)
    #expect((refused as? HTTPURLResponse)?.statusCode == 403)
}

/// The real-browser check (scripts/browser-test.py): headless Chromium signs in and keys two
/// forms with the keyboard alone; the forms are then read from the store.
@Suite("Keying in a real browser")
struct BrowserTests {
    static let available: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func onPath(_ name: String) -> Bool {
            path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
        guard onPath("chromium") || onPath("chromium-browser"), onPath("chromedriver"), onPath("python3") else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import selenium"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    @Test(.browserAvailable,
          .timeLimit(.minutes(3)))
    func twoFormsAreKeyedWithTheKeyboardAlone() throws {
        let out = try Command.temporaryDirectory()
        let output = try Self.runScript("browser-test.py", out: out)
        #expect(output.contains("browser-test: passed: keyed "))
        try Self.expectPNG(out.appendingPathComponent("browser-keying.png"))
    }

    /// scripts/browser-keying.py, at 1366×768 and 375 pixels: Enter on an empty item stays on it,
    /// every message is seen without scrolling, numbers are range-checked before the server and
    /// a server rejection focuses its item, full-width and composed input never write a wrong
    /// answer, an expired session and a reload keep the form in progress (saved after signing in
    /// again in another tab), unit labels are whole, nothing overlaps at phone width.
    @Test(.browserAvailable,
          .timeLimit(.minutes(3)))
    func theKeyingPagesDefectsStayFixed() throws {
        let out = try Command.temporaryDirectory()
        let output = try Self.runScript("browser-keying.py", out: out)
        #expect(output.contains("browser-keying: passed: "))
        try Self.expectPNG(out.appendingPathComponent("keying-1366x768.png"))
        try Self.expectPNG(out.appendingPathComponent("keying-375.png"))
    }

    /// scripts/browser-calls.py: an interviewer takes a case, records a no-answer, takes the
    /// next and completes its interview by keyboard; the supervisor's quota table counts it.
    @Test(.browserAvailable,
          .timeLimit(.minutes(3)))
    func anInterviewerCallsAndInterviewsWithTheKeyboardAlone() throws {
        let out = try Command.temporaryDirectory()
        let output = try Self.runScript("browser-calls.py", out: out)
        #expect(output.contains("browser-calls: passed: "))
        #expect(output.contains("interviewed (46 answers) with the keyboard alone"))
        try Self.expectPNG(out.appendingPathComponent("browser-interview.png"))
        try Self.expectPNG(out.appendingPathComponent("browser-supervise-calls.png"))
    }

    /// scripts/browser-online.py: a respondent at phone size answers half, comes back with the
    /// typed code, finishes and submits once; the case is complete with those answers. Then one
    /// item per screen: taps move on, 上一题 goes back, a return visit resumes at the first unanswered.
    @Test(.browserAvailable,
          .timeLimit(.minutes(3)))
    func aRespondentAnswersOnAPhoneInTwoVisits() throws {
        let out = try Command.temporaryDirectory()
        let output = try Self.runScript("browser-online.py", out: out)
        #expect(output.contains("browser-online: passed: ") && output.contains("browser-online: one item per screen: "))
        try Self.expectPNG(out.appendingPathComponent("browser-online-form.png"))
        try Self.expectPNG(out.appendingPathComponent("browser-online-one-per-screen.png"))
        try Self.expectPNG(out.appendingPathComponent("browser-online-letter.png"))
    }

    /// scripts/browser-workbench.py: from an empty store to a downloaded report in the browser
    /// (setup link, frame as .xlsx, an edited design, a seeded draw, cases, answers, scores,
    /// composite, report); the list, scores.csv and composite.csv equal the command line's.
    @Test(.browserAvailable,
          .timeLimit(.minutes(5)))
    func theWholeJobRunsInTheWorkbench() throws {
        let out = try Command.temporaryDirectory()
        let output = try Self.runScript("browser-workbench.py", out: out)
        #expect(output.contains("browser-workbench: passed: ") && output.contains("identical to the command line's"))
        try Self.expectPNG(out.appendingPathComponent("browser-workbench-design.png"))
        try Self.expectPNG(out.appendingPathComponent("browser-workbench-analysis.png"))
    }

    /// Runs one of the scripts/*.py checks (browser-*.py, faults-serve.py) against the built pingyi; expects exit 0.
    static func runScript(_ name: String, out: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Command.root.appendingPathComponent("scripts/\(name)").path,
                             "--pingyi", try Command.executable.path, "--out", out.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        return output
    }

    static func expectPNG(_ url: URL) throws {
        let screenshot = try Data(contentsOf: url)
        #expect(screenshot.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}

extension Trait where Self == ConditionTrait {
    /// The real-browser checks run where Chromium, chromedriver and Selenium are; elsewhere they
    /// are skipped, saying so.
    static var browserAvailable: Self {
        .enabled(if: BrowserTests.available,
                 "chromium, chromedriver or python3-selenium is missing, so the browser check was skipped (PINGYI_SETUP_EXTRAS=1 scripts/setup.sh installs them)")
    }
}
