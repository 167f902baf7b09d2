import Foundation
import GRDB
import Testing

/// Fault injection (issue 21): every command that writes the store, killed with SIGKILL at many
/// moments of its run, leaves a store that passes `PRAGMA integrity_check` and holds either
/// everything the command would have written or nothing of it.
@Suite("Faults: a write command killed at any moment writes all or nothing", .serialized)
struct KilledCommandTests {
    /// One write command on a store prepared for it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Makes the store and the command's input files in the folder.
        let prepare: @Sendable (URL) throws -> Void
        /// The command's arguments (run in the folder).
        let arguments: [String]
        /// Whether the command writes enough that its transaction spills into the write-ahead
        /// log before it commits: then one kill is sent the moment the log grows, mid-write.
        let large: Bool
        var testDescription: String { name }
    }

    static let urban = StoreCommandTests.urban

    /// A store with one village in each of the 12 towns, each of `households` sampled and 6
    /// reserve households.
    static func loaded(_ dir: URL, households: Int) throws -> (sampled: [String], reserves: [String]) {
        let (csv, sampled, reserves) = Households.list(villages: 12, sample: households, reserves: 6)
        let load = try Command.run(["cases", "load", "--list", try dir.write(csv, to: "list.csv"), "--survey", urban, "--operator", "载入员"], in: dir)
        guard load.status == 0 else { throw Failure("cases load: \(load.stderr)") }
        return (sampled, reserves)
    }

    static func must(_ arguments: [String], in dir: URL) throws {
        let result = try Command.run(arguments, in: dir)
        guard result.status == 0 else { throw Failure("\(arguments.joined(separator: " ")): \(result.stderr)") }
    }

    /// Keys both passes of every sampled case, pass 2 differing in D01 for every tenth, and
    /// verifies: `resolve.csv` then settles every disagreement.
    static func disagreeing(_ dir: URL, households: Int) throws {
        let (sampled, _) = try loaded(dir, households: households)
        var changes: [String: (Int, String)] = [:]
        for id in sampled.enumerated().filter({ $0.offset % 10 == 3 }).map(\.element) { changes[id] = (0, "9") }
        try must(["responses", "import", try dir.write(Households.forms(sampled), to: "pass1.csv"), "--survey", urban, "--pass", "1", "--operator", "王芳"], in: dir)
        try must(["responses", "import", try dir.write(Households.forms(sampled, changes: changes), to: "pass2.csv"), "--survey", urban, "--pass", "2", "--operator", "张伟"], in: dir)
        try must(["responses", "verify", "--out", "open.csv", "--operator", "督导"], in: dir)
        let open = try String(contentsOf: dir.appendingPathComponent("open.csv"), encoding: .utf8)
        let rows = open.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let resolved = "case_id,item,pass1,pass2,value,reason\n" + rows.map { "\($0[0]),\($0[1]),\($0[2]),\($0[3]),\($0[2]),原件\n" }.joined()
        _ = try dir.write(resolved, to: "resolve.csv")
    }

    static let cases: [Case] = [
        Case(name: "responses import", prepare: { dir in
            let (sampled, _) = try loaded(dir, households: 100)
            _ = try dir.write(Households.forms(sampled), to: "forms.csv")
        }, arguments: ["responses", "import", "forms.csv", "--survey", urban, "--pass", "1", "--operator", "王芳"], large: true),
        Case(name: "cases load --replace", prepare: { dir in
            _ = try loaded(dir, households: 5)
            _ = try dir.write(Households.list(villages: 12, sample: 150, reserves: 6).csv, to: "bigger.csv")
        }, arguments: ["cases", "load", "--list", "bigger.csv", "--survey", urban, "--replace", "--operator", "载入员"], large: true),
        Case(name: "cases dispose", prepare: { dir in
            let (sampled, _) = try loaded(dir, households: 100)
            let lines = sampled.enumerated().filter { $0.offset % 10 < 3 }.map { "\($0.element),\($0.offset % 2 == 0 ? "refusal" : "non-contact"),拒访或不在家\n" }
            _ = try dir.write("case_id,disposition,note\n" + lines.joined(), to: "dispositions.csv")
        }, arguments: ["cases", "dispose", "dispositions.csv", "--operator", "督导"], large: false),
        Case(name: "responses verify", prepare: { dir in
            let (sampled, _) = try loaded(dir, households: 50)
            try must(["responses", "import", try dir.write(Households.forms(sampled), to: "pass1.csv"), "--survey", urban, "--pass", "1", "--operator", "王芳"], in: dir)
            try must(["responses", "import", try dir.write(Households.forms(sampled), to: "pass2.csv"), "--survey", urban, "--pass", "2", "--operator", "张伟"], in: dir)
        }, arguments: ["responses", "verify", "--operator", "督导"], large: false),
        Case(name: "responses resolve", prepare: { dir in try disagreeing(dir, households: 50) },
             arguments: ["responses", "resolve", "resolve.csv", "--operator", "督导"], large: false),
        Case(name: "survey close", prepare: { dir in _ = try loaded(dir, households: 10) },
             arguments: ["survey", "close", "urban", "--reason", "调查结束", "--operator", "管理员"], large: false),
        Case(name: "survey reopen", prepare: { dir in
            _ = try loaded(dir, households: 10)
            try must(["survey", "close", "urban", "--reason", "调查结束", "--operator", "管理员"], in: dir)
        }, arguments: ["survey", "reopen", "urban", "--reason", "补录", "--operator", "管理员"], large: false),
    ]

    /// For each command: the store before, and after a complete run (on a copy); then eight
    /// runs, each on a fresh copy, killed with SIGKILL at one moment (``delays``). Every killed
    /// run's store must pass the integrity check and equal one of the two, time stamps aside.
    @Test(arguments: KilledCommandTests.cases)
    func killedAtAnyMomentWritesAllOrNothing(_ c: Case) throws {
        let baseline = try Command.temporaryDirectory()
        try c.prepare(baseline)
        let store = "pingyi.sqlite"
        let before = try Self.contents(baseline.appendingPathComponent(store).path)

        let complete = try Self.copy(baseline)
        let started = Date()
        try Self.must(c.arguments, in: complete)
        let seconds = Date().timeIntervalSince(started)
        let after = try Self.contents(complete.appendingPathComponent(store).path)
        #expect(after != before, "the command changed nothing, so killing it proves nothing")

        var outcomes: [String] = []
        // The first kill goes the moment the store's write-ahead log starts to grow: for a large
        // write while its transaction spills into the log (it must then leave nothing), for a
        // small one while its commit is being written (all or nothing). The others sweep from
        // start-up to past the end of a complete run, across the commit.
        let delays = [Double.infinity] + [0.3, 0.55, 0.8, 1.0, 1.2, 1.5, 2.0].map { $0 * seconds }
        for delay in delays {
            let dir = try Self.copy(baseline)
            let wal = dir.appendingPathComponent(store + "-wal").path
            let walBefore = Self.size(wal)
            let trigger: (() -> Bool)? = delay.isInfinite ? { Self.size(wal) > walBefore + (c.large ? 256 * 1024 : 0) } : nil
            let killed = try Self.run(c.arguments, in: dir, killAfter: delay.isInfinite ? 60 : delay, when: trigger)
            let path = dir.appendingPathComponent(store).path
            let moment = delay.isInfinite ? "as the log grew" : String(format: "after %.3f s", delay)
            #expect(try Self.integrity(path) == "ok", "\(c.name) killed \(moment): the store fails its integrity check")
            let now = try Self.contents(path)
            let outcome = now == before ? "nothing" : now == after ? "all" : "PART"
            #expect(outcome != "PART", "\(c.name) killed \(moment) (a complete run takes \(String(format: "%.3f", seconds)) s) left part of its writes")
            outcomes.append("\(killed ? "killed" : "ended"):\(outcome)")
            if delay.isInfinite && c.large {
                #expect(killed, "\(c.name) ended before its write-ahead log grew")
                #expect(outcome == "nothing", "\(c.name) killed while its transaction was writing left \(outcome)")
            }
        }
        print("faults: \(c.name) (a complete run \(String(format: "%.2f", seconds)) s): \(outcomes.joined(separator: " "))")
        // The sweep crossed the commit: kills before it left nothing, runs past it everything.
        #expect(outcomes.contains { $0.hasSuffix(":nothing") } && outcomes.contains { $0.hasSuffix(":all") }, "\(c.name): \(outcomes)")
    }

    // MARK: Helpers

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func copy(_ dir: URL) throws -> URL {
        let target = try Command.temporaryDirectory().appendingPathComponent("copy")
        try FileManager.default.copyItem(at: dir, to: target)
        return target
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Runs pingyi in `dir` and sends SIGKILL after `killAfter` seconds, or as soon as `when`
    /// holds (looked at every half millisecond). Returns whether it was killed before it ended.
    static func run(_ arguments: [String], in dir: URL, killAfter: Double, when trigger: (() -> Bool)?) throws -> Bool {
        let process = Process()
        process.executableURL = try Command.executable
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        while process.isRunning {
            if Date().timeIntervalSince(start) >= killAfter || trigger?() == true {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return process.terminationReason == .uncaughtSignal
            }
            usleep(500)
        }
        process.waitUntilExit()
        return false
    }

    static func integrity(_ path: String) throws -> String? {
        try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    }

    /// Every row of every table, time stamps aside (``dumpStore(_:withoutTimes:)``).
    static func contents(_ path: String) throws -> String {
        try dumpStore(path, withoutTimes: true)
    }
}

/// scripts/faults-serve.py: the command line importing while the server writes the same SQLite
/// store (no "database is locked", nothing lost); a backup taken under load restores every form
/// acknowledged before it began; and, under scripts/with-postgres.sh, the
/// server's PostgreSQL connections killed mid-transaction under load (it recovers by itself,
/// answers 503 meanwhile, loses no acknowledged form).
@Suite("Faults under server load")
struct ServerFaultTests {
    @Test(.timeLimit(.minutes(3)))
    func twoWritersAndKilledConnections() throws {
        let output = try BrowserTests.runScript("faults-serve.py", out: try Command.temporaryDirectory())
        #expect(output.contains("faults-serve: SQLite: ") && output.contains("faults-serve: passed"), "\(output)")
        #expect(output.contains("faults-serve: SQLite: backup taken under load") && output.contains("passes PRAGMA integrity_check"), "\(output)")
        if ProcessInfo.processInfo.environment["PINGYI_TEST_POSTGRES"] != nil {
            #expect(output.contains("faults-serve: PostgreSQL: ") && output.contains("none lost"), "\(output)")
            #expect(output.contains("faults-serve: PostgreSQL: backup taken under load"), "\(output)")
        }
        print(output.split(separator: "\n").filter { $0.hasPrefix("faults-serve: ") }.joined(separator: "\n"))
    }
}
