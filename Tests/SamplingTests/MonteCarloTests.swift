import Testing
@testable import Sampling
import Tables

/// A small two-town frame of households in villages of unequal size, for Monte Carlo checks.
func villageFrame() -> Table {
    let villages: [(town: String, village: String, households: Int)] = [
        ("A", "A1", 30), ("A", "A2", 12), ("A", "A3", 55), ("A", "A4", 8), ("A", "A5", 20),
        ("B", "B1", 16), ("B", "B2", 40), ("B", "B3", 9), ("B", "B4", 25),
        ("C", "C1", 14), ("C", "C2", 70), ("C", "C3", 6), ("C", "C4", 18), ("C", "C5", 22), ("C", "C6", 11),
    ]
    var ids: [Int?] = []
    var towns: [String?] = []
    var codes: [String?] = []
    var sizes: [Int?] = []
    var next = 1
    for v in villages {
        for _ in 0..<v.households {
            ids.append(next)
            towns.append(v.town)
            codes.append(v.village)
            sizes.append(1 + next % 6)
            next += 1
        }
    }
    return Table(source: "villages.csv", columns: [
        Column(name: "household_id", integers: ids), Column(name: "town", strings: towns),
        Column(name: "village", strings: codes), Column(name: "members", integers: sizes),
    ])
}

/// Counts how often each frame row is drawn as sample and as reserve over many seeds, and checks
/// the frequencies against the list's own `prob` and `reserve_prob`.
func checkFrequencies(_ yaml: String, frame: Table, draws: Int = 3000) throws {
    let design = try Design.parse(yaml, file: "design.yaml")
    try SamplingJob.check(design, against: frame)
    let sampler = Sampler(design: design.design, table: frame)
    var sampled = [Int](repeating: 0, count: frame.rowCount)
    var reserved = [Int](repeating: 0, count: frame.rowCount)
    var probability = [Double?](repeating: nil, count: frame.rowCount)
    var reserveProbability = [Double?](repeating: nil, count: frame.rowCount)
    for seed in 1...draws {
        let draw = try sampler.draw(seed: UInt32(seed))
        var seen = Set<Int>()
        for row in draw.rows {
            #expect(seen.insert(row.frameRow).inserted, "a row drawn twice")
            if row.role == .sample {
                sampled[row.frameRow] += 1
                if let p = probability[row.frameRow] { #expect(close(p, row.probability)) }
                probability[row.frameRow] = row.probability
            } else {
                reserved[row.frameRow] += 1
                reserveProbability[row.frameRow] = row.reserveProbability
            }
        }
    }
    let n = Double(draws)
    var compared = 0
    for r in 0..<frame.rowCount {
        if let p = probability[r] {
            let tolerance = 4.5 * (p * (1 - p) / n).squareRoot() + 1 / n
            #expect(abs(Double(sampled[r]) / n - p) <= tolerance, "row \(r): drawn \(sampled[r])/\(draws), prob \(p)")
            compared += 1
        }
        if let p = reserveProbability[r] {
            let tolerance = 4.5 * (p * (1 - p) / n).squareRoot() + 1 / n
            #expect(abs(Double(reserved[r]) / n - p) <= tolerance, "row \(r): reserve \(reserved[r])/\(draws), reserve_prob \(p)")
        }
    }
    // Rows never drawn in thousands of draws must have had a tiny probability: every row with
    // probability above 1/draws × 10 was seen.
    #expect(compared > frame.rowCount / 2)
}

@Suite("Monte Carlo: inclusion frequencies match prob")
struct MonteCarloTests {
    @Test func stratifiedSystematic() throws {
        try checkFrequencies("""
            name: t
            id: household_id
            stages:
              - unit: household_id
                strata: [town]
                order: [village, members]
                method: systematic
                allocation: {total: 40, rule: proportional, min: 5}
                reserve: 3
            """, frame: villageFrame())
    }

    @Test func stratifiedSRS() throws {
        try checkFrequencies("""
            name: t
            id: household_id
            stages:
              - unit: household_id
                strata: [town]
                method: srs
                allocation: {total: 30, rule: equal}
                reserve: 2
            """, frame: villageFrame())
    }

    @Test func ppsSystematicWithCertainty() throws {
        // Village C2 (70 of 141 households in town C) is large enough to be taken with certainty.
        try checkFrequencies("""
            name: t
            id: household_id
            stages:
              - unit: village
                strata: [town]
                order: [village]
                method: pps-systematic
                allocation: {per-stratum: 3}
              - unit: household_id
                order: [household_id]
                method: systematic
                allocation: {per-unit: 4}
                reserve: 2
                take-all: true
            """, frame: villageFrame())
    }

    @Test func twoStageSRSThenSystematicWithSerpentine() throws {
        try checkFrequencies("""
            name: t
            id: household_id
            stages:
              - unit: village
                strata: [town]
                order: [village]
                serpentine: true
                method: srs
                allocation: {per-stratum: 2}
              - unit: household_id
                order: [members, household_id]
                method: systematic
                allocation: {per-unit: 5}
                take-all: true
            """, frame: villageFrame())
    }

    @Test func certaintyRuleTakesLargeUnits() throws {
        let frame = villageFrame()
        let design = try Design.parse("""
            name: t
            id: household_id
            stages:
              - unit: household_id
                strata: [town]
                method: systematic
                certainty: {column: household_id, at-least: 340}
                allocation: {per-stratum: 4}
            """, file: "d.yaml")
        let draw = try Sampler(design: design.design, table: frame).draw(seed: 9)
        let certain = draw.rows.filter { $0.stages[0].stratum.hasSuffix("必选") }
        // Households 340…356 (the last 17, all in town C) are certain, with probability 1.
        #expect(certain.count == 17)
        #expect(certain.allSatisfy { $0.probability == 1 && $0.stages[0].population == 17 })
        #expect(draw.rows.count == 17 + 3 * 4)
    }
}
