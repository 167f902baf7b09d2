import Testing
@testable import Sampling
import Tables

/// Reference values from R's sampling 2.9 (Tests/SamplingTests/Fixtures, made by make_fixtures.R).
@Suite("Against R sampling")
struct ReferenceTests {
    @Test func inclusionProbabilities() throws {
        let f = try Fixture("inclusionprobabilities.csv")
        var cases = 0
        for (name, rows) in try f.groups(by: "case") {
            let n = Int(try f.number("n", rows[0]))
            let sizes = try rows.map { try f.number("size", $0) }
            let pik = Probabilities.inclusion(sizes: sizes, n: n)
            for (k, r) in rows.enumerated() {
                let expected = try f.number("pik", r)
                #expect(close(pik[k], expected), "\(name) unit \(k + 1): \(pik[k]) vs R \(expected)")
            }
            cases += 1
        }
        #expect(cases == 12)
    }

    /// R's `UPsystematic` for the start u it drew. Units with π ≥ 1 − 1e-6 are always selected by
    /// pingyi; R returns their π unchanged, which drops a unit at 0.99999999999999989 (R's
    /// near_one_quirk case, docs/algorithms/sampling.md §2.5) — pingyi selects it on purpose.
    @Test func systematicSelectionForAGivenStart() throws {
        let f = try Fixture("upsystematic.csv")
        var checked = 0
        for (name, rows) in try f.groups(by: "case") {
            let u = try f.number("u", rows[0])
            let pik = try rows.map { try f.number("pik", $0) }
            let selected = Probabilities.systematic(pik, start: u)
            for (k, r) in rows.enumerated() {
                let p = pik[k]
                let rValue = try f.number("selected", r)
                if p > 1e-6 && p < 1 - 1e-6 {
                    #expect(selected[k] == (rValue == 1), "\(name) unit \(k + 1)")
                    checked += 1
                } else {
                    #expect(selected[k] == (p >= 1 - 1e-6), "\(name) unit \(k + 1) (outside eps)")
                }
            }
        }
        #expect(checked > 250)
    }

    /// `strata(..., method = "systematic")`: equal probabilities n_h/N_h and R's selection for its u.
    @Test func stratifiedSystematic() throws {
        let f = try Fixture("strata_systematic.csv")
        var strata = 0
        for (name, rows) in try f.groups(by: "case") {
            var byStratum: [String: [Int]] = [:]
            for r in rows { byStratum[try f.string("stratum", r), default: []].append(r) }
            for (stratum, members) in byStratum {
                let sorted = try members.sorted { try f.number("row", $0) < f.number("row", $1) }
                let n = Int(try f.number("n_h", sorted[0]))
                let big = sorted.count
                let pik = [Double](repeating: Double(n) / Double(big), count: big)
                let selected = Probabilities.systematic(pik, start: try f.number("u", sorted[0]))
                #expect(selected.filter { $0 }.count == n, "\(name)/\(stratum)")
                for (k, r) in sorted.enumerated() {
                    #expect(selected[k] == (try f.number("selected", r) == 1), "\(name)/\(stratum) row \(k + 1)")
                    #expect(close(try f.number("prob", r), Probabilities.inclusion(sizes: [Double](repeating: 1, count: big), n: n)[k]))
                }
                strata += 1
            }
        }
        #expect(strata == 12)
    }

    /// Stratified PPS-systematic: R's π (with certainty rounds) and selection for its u.
    @Test func stratifiedPPS() throws {
        let f = try Fixture("strata_pps.csv")
        var strata = 0
        for (name, rows) in try f.groups(by: "case") {
            var byStratum: [String: [Int]] = [:]
            var order: [String] = []
            for r in rows {
                let s = try f.string("stratum", r)
                if byStratum[s] == nil { order.append(s) }
                byStratum[s, default: []].append(r)
            }
            for stratum in order {
                let members = byStratum[stratum] ?? []
                let sizes = try members.map { try f.number("size", $0) }
                let n = Int(try f.number("n_h", members[0]))
                let pik = Probabilities.inclusion(sizes: sizes, n: n)
                let selected = Probabilities.systematic(pik, start: try f.number("u", members[0]))
                for (k, r) in members.enumerated() {
                    #expect(close(pik[k], try f.number("pik", r)), "\(name)/\(stratum) π of unit \(k + 1)")
                    #expect(selected[k] == (try f.number("selected", r) == 1), "\(name)/\(stratum) unit \(k + 1)")
                }
                strata += 1
            }
        }
        #expect(strata == 8)
    }

    @Test func allocation() throws {
        let f = try Fixture("allocation.csv")
        var cases = 0
        for (name, rows) in try f.groups(by: "case") {
            let total = Int(try f.number("total", rows[0]))
            let minimum = Int(try f.number("min", rows[0]))
            let takeAll = try f.string("take_all", rows[0]) == "true"
            let populations = try rows.map { Int(try f.number("N", $0)) }
            let weights = try rows.map { try f.number("weight", $0) }
            let errorText = try f.string("error", rows[0])
            if errorText.isEmpty {
                let shares = try Allocator.allocate(total: total, populations: populations, weights: weights,
                                                    minimum: minimum, takeAll: takeAll)
                #expect(shares == (try rows.map { Int(try f.number("allocated", $0)) }), "\(name)")
                #expect(shares.reduce(0, +) == total)
            } else {
                #expect(throws: Allocator.Failure.self, "\(name): \(errorText)") {
                    try Allocator.allocate(total: total, populations: populations, weights: weights,
                                           minimum: minimum, takeAll: takeAll)
                }
            }
            cases += 1
        }
        #expect(cases == 12)
    }

    @Test func allocationErrorsNameTheStratum() {
        #expect(throws: Allocator.Failure.stratumBelowMinimum(index: 2, available: 2, minimum: 3)) {
            try Allocator.allocate(total: 30, populations: [900, 600, 2], weights: [900, 600, 2], minimum: 3, takeAll: false)
        }
        #expect(throws: Allocator.Failure.stratumTooSmall(index: 2, available: 8, needed: 12)) {
            try Allocator.allocate(total: 60, populations: [100, 40, 8, 5, 30], weights: [1, 1, 1, 1, 1], minimum: 1, takeAll: false)
        }
    }

    @Test func sampleSizes() throws {
        let f = try Fixture("sample_size.csv")
        for r in 0..<f.table.rowCount {
            let target: SampleSize.Target = try f.string("measure", r) == "mean"
                ? .mean(standardDeviation: try f.number("sd", r)) : .proportion(try f.number("p", r))
            let population = try f.table.column("N").integer(r)
            let result = try SampleSize(target: target, margin: try f.number("margin", r), confidence: try f.number("confidence", r),
                                        designEffect: try f.number("deff", r), responseRate: try f.number("response_rate", r),
                                        population: population).compute()
            let name = try f.string("case", r)
            #expect(close(result.z, try f.number("z", r)), "\(name)")
            #expect(close(result.simple, try f.number("n0", r), relative: 1e-12), "\(name)")
            #expect(close(result.corrected, try f.number("n_fpc", r), relative: 1e-12), "\(name)")
            #expect(result.completes == Int(try f.number("respondents", r)), "\(name)")
            #expect(result.draws == Int(try f.number("to_draw", r)), "\(name)")
        }
    }
}
