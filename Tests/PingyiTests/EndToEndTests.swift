import Foundation
import Testing
import Tables

/// The main job on a slice of the shipped county (deputies and urban households), run with the
/// real commands (Tests/Fixtures/e2e/pipeline.sh), with each step's numbers checked against values
/// R computed independently from that step's own inputs (Tests/Fixtures/e2e/make_expected.R).
@Suite("End to end: sample → store → weights → scores → rates, against R", .serialized)
struct EndToEndTests {
    let fixtures = Command.root.appendingPathComponent("Tests/Fixtures/e2e")

    func run() throws -> URL {
        let out = try Command.temporaryDirectory().appendingPathComponent("run")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [fixtures.appendingPathComponent("pipeline.sh").path, out.path]
        process.currentDirectoryURL = Command.root
        process.environment = ProcessInfo.processInfo.environment.merging(["PINGYI": try Command.executable.path]) { $1 }
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the pipeline failed")
        return out
    }

    func table(_ url: URL) throws -> Table { try CSVReader.read(path: url.path) }

    func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        // A rate of exactly 1 has SE 0, which R prints as rounding noise (1e-18).
        if abs(a) < 1e-12 || abs(b) < 1e-12 { return abs(a - b) < 1e-12 }
        return a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    @Test func everyStepAgreesWithR() throws {
        let out = try run()
        // The inputs R saw must be what this run produced (else make the fixtures again).
        let hashes = try String(contentsOf: fixtures.appendingPathComponent("inputs.sha256"), encoding: .utf8)
        for line in hashes.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let data = try Data(contentsOf: out.appendingPathComponent(String(parts[0])))
            let actual = try shellSHA256(out.appendingPathComponent(String(parts[0])).path)
            #expect(actual == String(parts[1]), "\(parts[0]) (\(data.count) bytes) changed: run Tests/Fixtures/e2e/pipeline.sh and make_expected.R again")
        }

        // 1. Stage probabilities of the urban list, from the frame by R sampling.
        let probs = try table(fixtures.appendingPathComponent("expected_probs.csv"))
        var expected: [String: (Double, Double)] = [:]
        for r in 0..<probs.rowCount {
            expected[try probs.column("village_id").string(r) ?? ""] = (try probs.column("stage1_prob").number(r) ?? .nan,
                                                                        try probs.column("stage2_prob").number(r) ?? .nan)
        }
        let list = try table(out.appendingPathComponent("urban.csv"))
        for r in 0..<list.rowCount where try list.column("role").string(r) == "sample" {
            let village = try list.column("village_id").string(r) ?? ""
            let want = try #require(expected[village])
            #expect(close(try list.column("stage1_prob").number(r), want.0, 1e-12), "\(village) stage 1")
            #expect(close(try list.column("stage2_prob").number(r), want.1, 1e-12), "\(village) stage 2")
        }

        // 2. Non-response adjusted weights.
        let weights = try table(fixtures.appendingPathComponent("expected_weights.csv"))
        var weightOf: [String: Double] = [:]
        for r in 0..<weights.rowCount { weightOf[try weights.column("case_id").string(r) ?? ""] = try weights.column("weight").number(r) }
        let weighted = try table(out.appendingPathComponent("weighted.csv"))
        var checked = Set<String>()
        for r in 0..<weighted.rowCount {
            let id = try weighted.column("case_id").string(r) ?? ""
            #expect(close(try weighted.column("weight").number(r), weightOf[id], 1e-12), "weight of \(id)")
            checked.insert(id)
        }
        #expect(checked.count == weights.rowCount)

        // 3. Unit scores per group, by R survey.
        for group in ["deputies", "urban"] {
            let r = try table(fixtures.appendingPathComponent("expected_scores-\(group).csv"))
            let ours = try table(out.appendingPathComponent("scores-\(group).csv"))
            #expect(ours.rowCount == r.rowCount)
            for i in 0..<min(r.rowCount, ours.rowCount) {
                #expect(try ours.column("unit").string(i) == r.column("unit").string(i))
                #expect(try ours.column("n").integer(i) == r.column("n").integer(i))
                #expect(try ours.column("df").integer(i) == r.column("df").integer(i))
                for name in ["dont_know", "score", "score_se", "score_low", "score_high", "rate", "rate_se", "deff"] {
                    #expect(close(try ours.column(name).number(i), try r.column(name).number(i)), "\(group) \(i) \(name)")
                }
            }
        }

        // 4. AAPOR rates.
        let rates = try table(fixtures.appendingPathComponent("expected_rates.csv"))
        let ourRates = try table(out.appendingPathComponent("rates.csv"))
        for i in 0..<rates.rowCount {
            let group = try rates.column("group").string(i)
            let row = try #require((0..<ourRates.rowCount).first { try ourRates.column("group").string($0) == group })
            for name in ["RR1", "RR3", "COOP1", "REF1", "CON1", "e"] {
                #expect(close(try ourRates.column(name).number(row), try rates.column(name).number(i), 1e-12), "\(group ?? "") \(name)")
            }
        }
    }
}

func shellSHA256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
}
