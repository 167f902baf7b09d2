import Foundation
import Testing

/// `pingyi simulate population`: every member's opinion is fixed, so the truth it writes is the
/// population's exact mean, and `simulate field --population` answers as those members do.
@Suite("pingyi simulate population")
struct PopulationTests {
    static let frame: String = {
        var lines = ["household_id,town_id,town,village_id,urban,members"]
        for t in 2...3 {
            for v in 1...4 {
                for h in 1...(20 + 5 * v) { lines.append("\(t)\(v)\(String(format: "%03d", h)),T0\(t),镇\(t),T0\(t)V\(v),农村,\(1 + h % 5)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let design = """
        name: 农村居民户（测试）
        group: rural
        id: household_id
        case-prefix: R
        stages:
          - unit: village_id
            strata: [town_id]
            method: pps-systematic
            size: count
            allocation: {per-stratum: 2}
          - unit: household_id
            method: systematic
            allocation: {per-unit: 5}
            reserve: 1

        """

    @Test func theTruthIsThePopulationsMeanAndTheFieldAnswersFromIt() throws {
        let dir = try Command.temporaryDirectory()
        try write(Self.frame, to: "frame.csv", in: dir)
        let design = try write(Self.design.replacingOccurrences(of: "stages:", with: "frame: frame.csv\nstages:"), to: "design.yaml", in: dir)
        let survey = Command.root.appendingPathComponent("surveys/questionnaires/rural.yaml").path
        let population = try Command.run(["simulate", "population", "--design", design, "--survey", survey, "--seed", "11", "--out", "pop"], in: dir)
        #expect(population.status == 0, "\(population.stderr)")
        #expect(population.stdout.hasPrefix("模拟总体（演示与检验用，非真实调查）：农村居民户（测试） 260 户/人，46 个单位的真值"))
        let truth = try String(contentsOf: dir.appendingPathComponent("pop/truth.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        #expect(truth[0] == ["unit", "members", "dont_know", "score", "rate"])
        let towns = truth.filter { $0[0].hasPrefix("T") }
        #expect(towns.map { $0[0] } == ["T02", "T03"])
        // Every household rated its own town: members + don't-know = the town's households.
        for row in towns {
            let members = Double(row[1]) ?? 0, dk = Double(row[2]) ?? 0
            #expect(abs(members / (1 - dk) - 130) < 1e-6)
        }
        // The same seed, the same truth; another seed, another.
        _ = try Command.run(["simulate", "population", "--design", design, "--survey", survey, "--seed", "11", "--out", "again"], in: dir)
        #expect(try Data(contentsOf: dir.appendingPathComponent("again/truth.csv")) == Data(contentsOf: dir.appendingPathComponent("pop/truth.csv")))
        // Two fields of one sample, answered from the population with different seeds.
        #expect(try Command.run(["sample", "--design", design, "--seed", "3", "--out", "list.csv"], in: dir).status == 0)
        let field = try Command.run(["simulate", "field", "--list", "list.csv", "--survey", survey, "--seed", "3",
                                     "--population", "pop/population.json", "--out", "field"], in: dir)
        #expect(field.status == 0, "\(field.stderr)")
        let again = try Command.run(["simulate", "field", "--list", "list.csv", "--survey", survey, "--seed", "4",
                                     "--population", "pop/population.json", "--out", "field2"], in: dir)
        #expect(again.status == 0)
        // Whoever answers in both fields answers the same: the opinions belong to the members.
        func forms(_ folder: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for line in try String(contentsOf: dir.appendingPathComponent("\(folder)/forms.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                out[String(cells[0])] = cells[1...45].joined(separator: ",")
            }
            return out
        }
        let first = try forms("field"), second = try forms("field2")
        let both = Set(first.keys).intersection(second.keys)
        #expect(!both.isEmpty)
        for id in both { #expect(first[id] == second[id], "\(id)") }
    }
}
