import Foundation
import GRDB
import Tables
import Testing

/// Telephone fieldwork from the command line: a simulated week of calls on the enterprise sample
/// of Tests/Fixtures/calls gives the committed attempt history byte for byte, and the final
/// dispositions, the reserves they activate and the AAPOR rates equal the hand computation of
/// Tests/Fixtures/calls/aapor_by_hand.py (expected.csv) from that history.
@Suite("Telephone calls: AAPOR rates from the attempt history")
struct CallRatesTests {
    static let enterprises = Command.root.appendingPathComponent("surveys/questionnaires/enterprises.yaml").path

    static func expected() throws -> [String: String] {
        let table = try CSVReader.read(path: Command.fixture("calls/expected.csv"))
        let names = try table.column("name"), values = try table.column("value")
        var out: [String: String] = [:]
        for r in 0..<table.rowCount { out[names.string(r) ?? ""] = values.string(r) ?? "" }
        return out
    }

    @Test func aSimulatedWeekOfCallsGivesTheHandComputedRates() throws {
        let dir = try Command.temporaryDirectory()
        let load = try Command.run(["cases", "load", "--list", Command.fixture("calls/list.csv"), "--survey", CallRatesTests.enterprises], in: dir)
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("电话访问  311 个案例进入拨号队列"))
        let simulate = try Command.run(["simulate", "calls", "--questionnaire", "enterprises", "--list", Command.fixture("calls/list.csv"),
                                        "--seed", "7", "--interviewers", "4", "--evenings", "3", "--start", "2017-11-06"], in: dir)
        #expect(simulate.status == 0, "\(simulate.stderr)")
        // The same list, seed and rules give the same history (reproducible, and the fixture's).
        #expect(try Command.run(["calls", "export", "--out", "attempts.csv"], in: dir).status == 0)
        let attempts = try Data(contentsOf: dir.appendingPathComponent("attempts.csv"))
        #expect(attempts == (try Data(contentsOf: URL(fileURLWithPath: Command.fixture("calls/attempts.csv")))),
                "the attempt history changed: run python3 Tests/Fixtures/calls/aapor_by_hand.py --regenerate .build/debug/pingyi")
        #expect(try Command.run(["responses", "export", "--format", "cases", "--out", "cases.csv"], in: dir).status == 0)
        #expect(try Command.run(["rates", "--cases", "cases.csv", "--out", "rates.csv"], in: dir).status == 0)

        let expected = try CallRatesTests.expected()
        let rates = try CSVReader.read(path: dir.appendingPathComponent("rates.csv").path)
        let group = try rates.column("group")
        let row = try #require((0..<rates.rowCount).first { group.string($0) == "all" })
        #expect(try rates.column("cases").string(row) == expected["cases"])
        for name in ["I", "P", "R", "NC", "O", "U", "NE"] {
            #expect(try rates.column(name).string(row) == expected[name], "\(name)")
        }
        for name in ["e", "RR1", "RR2", "RR3", "RR4", "RR5", "RR6", "COOP1", "COOP2", "COOP3", "COOP4", "REF1", "REF2", "REF3", "CON1", "CON2", "CON3"] {
            let ours = try #require(Double(try rates.column(name).string(row) ?? "")), theirs = try #require(Double(expected[name] ?? ""))
            #expect(abs(ours - theirs) < 1e-12, "\(name): \(ours) vs \(theirs)")
        }

        // Every final disposition and AAPOR code, and every reserve activated, as by hand.
        let classes = ["I": "complete", "P": "partial", "R": "refusal", "NC": "non-contact", "O": "other", "UH": "unknown", "NE": "not-eligible"]
        var finals: [String: String] = [:]
        var activated: [String: String] = [:]
        for (name, value) in expected {
            if name.hasPrefix("final ") {
                let parts = value.split(separator: " ")
                finals[String(name.dropFirst(6))] = "\(classes[String(parts[0])] ?? "?") \(parts[1])"
            } else if name.hasPrefix("activated ") {
                activated[String(name.dropFirst(10))] = value
            }
        }
        let queue = try DatabaseQueue(path: dir.appendingPathComponent("pingyi.sqlite").path)
        let stored = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, final_disposition, final_aapor FROM call_cases WHERE final_disposition IS NOT NULL")
                .reduce(into: [String: String]()) { $0[$1[0]] = "\($1[1] as String) \($1[2] as String)" }
        }
        #expect(stored == finals)
        let replaced = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, replaces FROM cases WHERE activated = 1")
                .reduce(into: [String: String]()) { $0[$1[0]] = $1[1] }
        }
        #expect(!activated.isEmpty && replaced == activated)
        // Every final disposition is the case's disposition too.
        let cases = try CSVReader.read(path: dir.appendingPathComponent("cases.csv").path)
        let ids = try cases.column("case_id"), dispositions = try cases.column("disposition")
        for r in 0..<cases.rowCount {
            guard let id = ids.string(r), let f = finals[id] else { continue }
            #expect(f.hasPrefix((dispositions.string(r) ?? "") + " "), "\(id)")
        }
    }
}
