import Foundation
import Testing
@testable import Analytics
import Stats
import Tables

/// The fixture folder of a case (made by Fixtures/make_fixtures.R with R survey 4.1.1).
func fixturePath(_ folder: String, _ file: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(folder)/\(file)").path
}

func readTable(_ path: String) throws -> Table {
    try CSVReader.read(path: path)
}

/// Compares to 1e-9 relative, or 1e-12 absolutely where R's value is zero or rounding noise.
func agrees(_ ours: Double, _ theirs: Double) -> Bool {
    if ours.isNaN && theirs.isNaN { return true }
    if abs(theirs) < 1e-12 || abs(ours) < 1e-12 { return abs(ours - theirs) < 1e-12 }
    return abs(ours - theirs) <= 1e-9 * max(abs(ours), abs(theirs))
}

struct ReferenceCase: Sendable, CustomStringConvertible {
    let folder: String
    var ids = ["stage1_unit", "stage2_unit"]
    var fpc = ["stage1_N", "stage2_N"]
    var lonely = LonelyRule.fail
    var variance = VarianceMethod.taylor
    var by: String? = nil
    var calibration: Calibration.Method? = nil

    var description: String { folder }
}

let referenceCases: [ReferenceCase] = [
    ReferenceCase(folder: "one-stage-stratified", ids: ["stage1_unit"], fpc: ["stage1_N"]),
    ReferenceCase(folder: "two-stage-fpc"),
    ReferenceCase(folder: "two-stage-no-fpc", fpc: []),
    ReferenceCase(folder: "unequal-weights"),
    ReferenceCase(folder: "domain-missing-psus"),
    ReferenceCase(folder: "lonely-remove", lonely: .remove),
    ReferenceCase(folder: "lonely-certainty", lonely: .certainty),
    ReferenceCase(folder: "lonely-adjust", lonely: .adjust),
    ReferenceCase(folder: "lonely-average", lonely: .average),
    ReferenceCase(folder: "certainty-psu"),
    ReferenceCase(folder: "jkn", variance: .jackknife),
    ReferenceCase(folder: "by-group", by: "group"),
    ReferenceCase(folder: "poststratify", calibration: .poststratify),
    ReferenceCase(folder: "rake", calibration: .rake),
]

@Suite("Against R survey")
struct ReferenceTests {
    /// The scores of a case. R's expected.csv intervals use the whole design's df (`confint(res,
    /// df = degf(design))`); extra.csv has each domain's (`df_domain`).
    func scores(_ c: ReferenceCase, rateInterval: RateInterval = .wald, df: DegreesOfFreedom = .design) throws -> [UnitScore] {
        let table = try readTable(fixturePath(c.folder, "long.csv"))
        let spec = DesignSpec(strata: "stage1_stratum", ids: c.ids, fpc: c.fpc, by: c.by, lonely: c.lonely)
        let design = try SurveyDesign(table: table, spec: spec)
        var calibration: Calibration? = nil
        if let method = c.calibration {
            calibration = Calibration(method: method, population: try Calibration.Population.read(
                path: fixturePath(c.folder, "population.csv"), columns: ["town", "urban"]))
        }
        return try Scorer(design: design, options: ScoreOptions(scoring: .fourTier, variance: c.variance, calibration: calibration,
                                                                rateInterval: rateInterval, degreesOfFreedom: df)).score()
    }

    /// Each unit's own degrees of freedom (pingyi's default) are R's `degf` of the unit's valid
    /// rows, and its interval is the estimate ∓ qt(0.975, that df) × SE.
    @Test(arguments: referenceCases.filter { $0.variance == .taylor && $0.calibration == nil })
    func domainDegreesOfFreedomMatchR(_ c: ReferenceCase) throws {
        let extra = try readTable(fixturePath(c.folder, "extra.csv"))
        let ours = try scores(c, df: .domain)
        #expect(ours.count == extra.rowCount)
        for (i, unit) in ours.enumerated() where i < extra.rowCount {
            let df = try #require(try extra.column("df_domain").integer(i))
            #expect(unit.df == df, "\(c) \(unit.unit)")
            let t = df > 0 ? try Distribution.studentTQuantile(0.975, degreesOfFreedom: Double(df)) : .nan
            #expect(agrees(unit.scoreLow, unit.score - t * unit.scoreSE) && agrees(unit.scoreHigh, unit.score + t * unit.scoreSE), "\(c) \(unit.unit)")
            #expect(unit.psus >= df + 1 || df <= 0)
        }
    }

    /// The rate's logit interval against R's svyciprop(method = "xlogit") (extra.csv), with
    /// everything else unchanged. At a rate of 1 (SE 0; R's arithmetic leaves rounding noise of
    /// 1e-16) R gives NaN or noise, pingyi the point itself.
    @Test(arguments: referenceCases.filter { $0.variance == .taylor })
    func logitRateIntervalMatchesR(_ c: ReferenceCase) throws {
        let extra = try readTable(fixturePath(c.folder, "extra.csv"))
        let wald = try scores(c), ours = try scores(c, rateInterval: .logit)
        #expect(ours.count == extra.rowCount && ours.count == wald.count)
        var inside = 0
        for (i, unit) in ours.enumerated() where i < extra.rowCount {
            // A column holding R's NaN reads as text.
            let low = Double(try extra.column("rate_low_logit").string(i) ?? "") ?? .nan
            let high = Double(try extra.column("rate_high_logit").string(i) ?? "") ?? .nan
            if unit.rateSE < 1e-12 {
                #expect(unit.rate == 1 && unit.rateLow == 1 && unit.rateHigh == 1, "\(c) \(unit.unit)")
                #expect(low.isNaN || abs(low - 1) < 1e-12, "\(c) \(unit.unit): R \(low)")
                continue
            }
            #expect(agrees(unit.rateLow, low), "\(c) \(unit.unit) rate_low_logit: \(unit.rateLow) vs R \(low)")
            #expect(agrees(unit.rateHigh, high), "\(c) \(unit.unit) rate_high_logit: \(unit.rateHigh) vs R \(high)")
            #expect(unit.rate == wald[i].rate && unit.rateSE == wald[i].rateSE && unit.scoreLow == wald[i].scoreLow)
            if unit.rate > 0 && unit.rate < 1 {
                #expect(unit.rateLow > 0 && unit.rateHigh < 1 && unit.rateLow < unit.rate && unit.rate < unit.rateHigh)
                inside += 1
            }
        }
        #expect(inside > 0)
    }

    @Test(arguments: referenceCases)
    func matchesR(_ c: ReferenceCase) throws {
        let ours = try scores(c)
        let expected = try readTable(fixturePath(c.folder, "expected.csv"))
        #expect(ours.count == expected.rowCount)
        let columns: [(String, KeyPath<UnitScore, Double>)] = [
            ("dont_know", \.dontKnow), ("score", \.score), ("score_se", \.scoreSE), ("score_low", \.scoreLow),
            ("score_high", \.scoreHigh), ("rate", \.rate), ("rate_se", \.rateSE), ("rate_low", \.rateLow),
            ("rate_high", \.rateHigh), ("deff", \.deff),
        ]
        for (i, unit) in ours.enumerated() where i < expected.rowCount {
            #expect(unit.unit == (try expected.column("unit").string(i)), "\(c) row \(i)")
            if c.by != nil { #expect(unit.by == (try expected.column("group").string(i))) }
            #expect(unit.n == (try expected.column("n").integer(i)), "\(c) \(unit.unit) n")
            #expect(unit.df == (try expected.column("df").integer(i)), "\(c) \(unit.unit) df")
            for (name, path) in columns {
                let theirs = try expected.column(name).number(i) ?? .nan
                #expect(agrees(unit[keyPath: path], theirs), "\(c) \(unit.unit) \(name): \(unit[keyPath: path]) vs R \(theirs)")
            }
        }
        if let extra = try? readTable(fixturePath(c.folder, "extra.csv")), extra.index(of: "rate_deff") != nil {
            for (i, unit) in ours.enumerated() where i < extra.rowCount {
                let theirs = Double(try extra.column("rate_deff").string(i) ?? "") ?? .nan
                // A rate of exactly 1 has SE 0 and an undefined deff (R prints rounding noise).
                if unit.rateSE > 1e-12 { #expect(agrees(unit.rateDeff, theirs), "\(c) \(unit.unit) rate_deff") }
            }
        }
    }

    @Test func jackknifeWithMSE() throws {
        let table = try readTable(fixturePath("jkn", "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        let ours = try Scorer(design: design, options: ScoreOptions(scoring: .fourTier, variance: .jackknife, mse: true)).score()
        let extra = try readTable(fixturePath("jkn", "extra.csv"))
        for (i, unit) in ours.enumerated() {
            #expect(agrees(unit.scoreSE, try extra.column("score_se_mse").number(i) ?? .nan))
            #expect(agrees(unit.rateSE, try extra.column("rate_se_mse").number(i) ?? .nan))
        }
        // The Taylor SEs of the same design, for comparison.
        let taylor = try Scorer(design: design, options: ScoreOptions(scoring: .fourTier)).score()
        for (i, unit) in taylor.enumerated() {
            #expect(agrees(unit.scoreSE, try extra.column("score_se_taylor").number(i) ?? .nan))
        }
    }

    @Test func calibratedWeightsMatchR() throws {
        for (folder, method) in [("poststratify", Calibration.Method.poststratify), ("rake", .rake)] {
            let table = try readTable(fixturePath(folder, "long.csv"))
            let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                          fpc: ["stage1_N", "stage2_N"]))
            let calibration = Calibration(method: method, population: try Calibration.Population.read(
                path: fixturePath(folder, "population.csv"), columns: ["town", "urban"]))
            let result = try calibration.apply(to: design)
            let expected = try readTable(fixturePath(folder, "weights.csv"))
            let caseColumn = try table.column("case_id")
            var byCase: [String: Double] = [:]
            for c in 0..<design.caseCount { byCase[caseColumn.string(design.caseFirstRow[c]) ?? ""] = result.weights[c] }
            for r in 0..<expected.rowCount {
                let id = try expected.column("case_id").string(r) ?? ""
                #expect(agrees(byCase[id] ?? .nan, try expected.column(expected.names.last ?? "").number(r) ?? .nan), "\(folder) \(id)")
            }
        }
    }

    @Test func lonelyPSUFailNamesTheStratum() throws {
        let table = try readTable(fixturePath("lonely-fail", "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        do {
            _ = try Scorer(design: design, options: ScoreOptions(scoring: .fourTier)).score()
            Issue.record("expected a lonely-PSU error")
        } catch {
            // R: "Stratum (T3) has only one PSU at stage 1".
            #expect(error.description.contains("stratum T3 has only one PSU at stage 1"))
            #expect(error.description.contains("--lonely-psu"))
        }
    }
}
