import Foundation
import Testing
@testable import Sampling
import Tables

/// Coordinated quarterly draws from permanent random numbers: over many seeded registries, every
/// unit is drawn in every rotation as often as the probability its list states, and consecutive
/// rotations share as few units as the sampling fractions allow.
@Suite("Coordinated draws")
struct CoordinationTests {
    /// 506 deputies in three bodies, a quarter of each drawn by SRS or systematically.
    static func deputies() -> Table {
        var ids: [String?] = [], bodies: [String?] = [], towns: [String?] = []
        for k in 1...506 {
            ids.append(String(format: "P%04d", k))
            bodies.append(k <= 220 ? "人大" : (k <= 430 ? "政协" : "其他"))
            towns.append("T\(1 + k % 7)")
        }
        return Table(source: "deputies.csv", columns: [Column(name: "person_id", strings: ids), Column(name: "body", strings: bodies),
                                                       Column(name: "town", strings: towns)])
    }

    static let srs = """
        name: 代表
        id: person_id
        coordination: {registry: deputies.prn.csv, rotate: quarter}
        stages:
          - unit: person_id
            strata: [body]
            method: srs
            allocation: {total: 126}

        """
    /// The same, systematic on the towns' order.
    static let systematic = srs.replacingOccurrences(of: "    method: srs", with: "    order: [town]\n    method: systematic")
    /// Villages by PPS (π up to 0.8), then four households in each.
    static let twoStage = """
        name: 农户
        id: household_id
        coordination: {registry: villages.prn.csv, rotate: quarter}
        stages:
          - unit: village
            strata: [town]
            method: pps-systematic
            allocation: {per-stratum: 2}
          - unit: household_id
            method: srs
            allocation: {per-unit: 4}

        """

    struct Study {
        /// Per rotation: how often each frame row was drawn, and its stated probability.
        var counts: [[Int]]
        var probability: [Double]
        /// Mean share of a rotation's sample also in the next rotation's.
        var overlap: Double
        /// Σ max(0, 2π − 1) over the sample size: the least possible share.
        var minimum: Double
        var sampleSize: Double
    }

    /// Draws rotations 1–4 from `runs` registries (seeds 1…runs).
    func study(_ yaml: String, frame: Table, runs: Int) throws -> Study {
        let design = try Design.parse(yaml, file: "design.yaml").design
        var counts = [[Int]](repeating: [Int](repeating: 0, count: frame.rowCount), count: 4)
        var probability = [Double](repeating: 0, count: frame.rowCount)
        var shared = 0.0, pairs = 0.0, size = 0.0
        for seed in 1...runs {
            let registry = try PRNRegistry.make(design: design, table: frame, seed: UInt32(seed)).registry
            var previous: Set<Int>? = nil
            for rotation in 0..<4 {
                var sampler = Sampler(design: design, table: frame)
                sampler.coordination = .init(registry: registry, file: "registry.csv", rotation: rotation)
                let rows = try sampler.draw(seed: 1).rows.filter { $0.role == .sample }
                let drawn = Set(rows.map(\.frameRow))
                for row in rows {
                    counts[rotation][row.frameRow] += 1
                    probability[row.frameRow] = row.probability
                }
                if let previous {
                    shared += Double(previous.intersection(drawn).count) / Double(drawn.count)
                    pairs += 1
                }
                previous = drawn
                size = Double(drawn.count)
            }
        }
        let minimum = probability.reduce(0) { $0 + max(0, 2 * $1 - 1) } / size
        return Study(counts: counts, probability: probability, overlap: shared / pairs, minimum: minimum, sampleSize: size)
    }

    func expectFrequencies(_ s: Study, runs: Int, _ label: String) {
        var worst = 0.0
        for rotation in 0..<4 {
            for (row, p) in s.probability.enumerated() where p > 0 && p < 1 {
                let z = (Double(s.counts[rotation][row]) / Double(runs) - p) / (p * (1 - p) / Double(runs)).squareRoot()
                worst = max(worst, abs(z))
                #expect(abs(z) < 4.5, "\(label): row \(row) rotation \(rotation + 1): drawn \(s.counts[rotation][row]) of \(runs), π = \(p), z = \(z)")
            }
        }
        #expect(worst > 1, "\(label): the frequencies vary as chance does (largest |z| \(worst))")
    }

    @Test(arguments: ["srs", "systematic"])
    func equalProbabilityRotationsAreDisjoint(_ method: String) throws {
        let runs = 2000
        let s = try study(method == "srs" ? Self.srs : Self.systematic, frame: Self.deputies(), runs: runs)
        expectFrequencies(s, runs: runs, method)
        // f = 1/4: four rotations cover everyone once; independent draws would share f = 25 %.
        #expect(s.minimum == 0 && s.overlap <= s.minimum + 0.01, "\(method): overlap \(s.overlap)")
        #expect(s.sampleSize == 126)
    }

    @Test func ppsVillagesThenHouseholds() throws {
        let runs = 2000
        let s = try study(Self.twoStage, frame: villageFrame(), runs: runs)
        expectFrequencies(s, runs: runs, "two-stage")
        #expect(s.probability.max() ?? 0 < 0.5)
        // No household can be in two rotations (each village's households rotate by SRS):
        // the least possible share, 0, against π per household for independent draws.
        #expect(s.overlap <= s.minimum + 0.01, "overlap \(s.overlap), least possible \(s.minimum)")
    }

    /// Villages alone by PPS with large π: consecutive rotations share villages with probability
    /// max(0, 2π − 1) each, the least possible.
    @Test func ppsOverlapIsTheLeastPossible() throws {
        let yaml = """
            name: 村
            id: village
            coordination: {registry: villages.prn.csv, rotate: quarter}
            stages:
              - unit: village
                strata: [town]
                method: pps-systematic
                allocation: {per-stratum: 3}

            """
        let frame = villageFrame()
        // One row per village: the first household's.
        let villageColumn = try frame.column("village")
        var first: [String: Int] = [:]
        for r in 0..<frame.rowCount where first[villageColumn.string(r) ?? ""] == nil { first[villageColumn.string(r) ?? ""] = r }
        let table = frame.rows(first.values.sorted())
        var withSizes = table
        withSizes = Table(source: "villages.csv", columns: table.columns + [Column(name: "households", integers: [30, 12, 55, 8, 20, 16, 40, 9, 25, 14, 70, 6, 18, 22, 11])])
        let sized = yaml.replacingOccurrences(of: "method: pps-systematic", with: "method: pps-systematic\n    size: households")
        let runs = 2000
        let s = try study(sized, frame: withSizes, runs: runs)
        expectFrequencies(s, runs: runs, "villages")
        #expect(s.probability.contains { $0 > 0.5 && $0 < 1 })
        #expect(s.minimum > 0.05 && s.overlap <= s.minimum + 0.01, "overlap \(s.overlap), least possible \(s.minimum)")
    }

    /// A unit the registry has no number for is refused with what to do; --update keeps the old
    /// numbers and adds only the new unit's.
    @Test func registryUpdateAndMissingNumbers() throws {
        let frame = Self.deputies()
        let design = try Design.parse(Self.srs, file: "design.yaml").design
        let full = try PRNRegistry.make(design: design, table: frame, seed: 9).registry
        #expect(full.entries.count == 506 && Set(full.entries.map(\.prn)).count == 506)
        let partial = PRNRegistry(entries: Array(full.entries.dropLast()))
        var sampler = Sampler(design: design, table: frame)
        sampler.coordination = .init(registry: partial, file: "deputies.prn.csv", rotation: 0)
        do {
            _ = try sampler.draw(seed: 1)
            Issue.record("a unit without a number was drawn")
        } catch {
            #expect(error.description.contains("person_id 'P0506' (frame line 507) has no permanent random number in the registry"))
            #expect(error.description.contains("pingyi sample registry"))
        }
        let updated = try PRNRegistry.make(design: design, table: frame, seed: 10, previous: partial)
        #expect(updated.added == 1 && updated.kept == 505)
        #expect(Array(updated.registry.entries.prefix(505)) == partial.entries)
        let back = try PRNRegistry.read(path: try write(updated.registry.csv()))
        #expect(back == updated.registry)
    }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prn-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
