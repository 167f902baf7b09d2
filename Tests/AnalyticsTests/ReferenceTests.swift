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
    /// Calibrate to the margin files (margin_town.csv, margin_urban.csv) instead of population.csv.
    var margins = false
    var bounds: (lower: Double, upper: Double)? = nil
    var trim: Calibration.Trim? = nil
    var label: String? = nil

    var description: String { label ?? folder }

    /// The calibration the case's R call made, from its fixture files; nil for none.
    func makeCalibration() throws -> Calibration? {
        guard let method = calibration else { return nil }
        var result: Calibration
        if margins {
            result = Calibration(method: method, margins: [
                try Calibration.Population.read(path: fixturePath(folder, "margin_town.csv"), columns: ["town"]),
                try Calibration.Population.read(path: fixturePath(folder, "margin_urban.csv"), columns: ["urban"]),
            ])
        } else {
            result = Calibration(method: method, population: try Calibration.Population.read(
                path: fixturePath(folder, "population.csv"), columns: ["town", "urban"]))
        }
        if let bounds { result.bounds = bounds }
        result.trim = trim
        return result
    }
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
    ReferenceCase(folder: "rake", calibration: .rake, margins: true, label: "rake (margin files)"),
    ReferenceCase(folder: "calibrate-linear", calibration: .greg(.linear), margins: true, bounds: (0.5, 1.85)),
    ReferenceCase(folder: "calibrate-logit", calibration: .greg(.logit), margins: true, bounds: (0.5, 1.85)),
    ReferenceCase(folder: "calibrate-raking", calibration: .greg(.raking), margins: true),
    ReferenceCase(folder: "trim", calibration: .rake, margins: true, trim: Calibration.Trim(lower: 60, upper: 300)),
]

@Suite("Against R survey")
struct ReferenceTests {
    /// The scores of a case. R's expected.csv intervals use the whole design's df (`confint(res,
    /// df = degf(design))`); extra.csv has each domain's (`df_domain`).
    func scores(_ c: ReferenceCase, rateInterval: RateInterval = .wald, df: DegreesOfFreedom = .design) throws -> [UnitScore] {
        let table = try readTable(fixturePath(c.folder, "long.csv"))
        let spec = DesignSpec(strata: "stage1_stratum", ids: c.ids, fpc: c.fpc, by: c.by, lonely: c.lonely)
        let design = try SurveyDesign(table: table, spec: spec)
        return try Scorer(design: design, options: ScoreOptions(scoring: .fourTier, variance: c.variance, calibration: try c.makeCalibration(),
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

    /// Each respondent's calibrated (and trimmed) weight against R's (weights.csv).
    @Test(arguments: referenceCases.filter { $0.calibration != nil })
    func calibratedWeightsMatchR(_ c: ReferenceCase) throws {
        try expectWeights(c, file: "weights.csv")
    }

    func expectWeights(_ c: ReferenceCase, file: String) throws {
        let table = try readTable(fixturePath(c.folder, "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        let result = try #require(try c.makeCalibration()).apply(to: design)
        let expected = try readTable(fixturePath(c.folder, file))
        let caseColumn = try table.column("case_id")
        var byCase: [String: Double] = [:]
        for k in 0..<design.caseCount { byCase[caseColumn.string(design.caseFirstRow[k]) ?? ""] = result.weights[k] }
        #expect(expected.rowCount == design.caseCount)
        for r in 0..<expected.rowCount {
            let id = try expected.column("case_id").string(r) ?? ""
            #expect(agrees(byCase[id] ?? .nan, try expected.column(expected.names.last ?? "").number(r) ?? .nan), "\(c) \(id)")
        }
    }

    /// trimWeights(strict = TRUE): trimmed again until no weight is outside [60, 300].
    @Test func strictTrimmingMatchesR() throws {
        var c = ReferenceCase(folder: "trim", calibration: .rake, margins: true, trim: Calibration.Trim(lower: 60, upper: 300, strict: true))
        c.label = "trim (strict)"
        try expectWeights(c, file: "weights_strict.csv")
        let ours = try scores(c)
        let extra = try readTable(fixturePath("trim", "extra.csv"))
        #expect(ours.count == extra.rowCount)
        for (i, unit) in ours.enumerated() where i < extra.rowCount {
            #expect(agrees(unit.score, try extra.column("score_strict").number(i) ?? .nan), "\(unit.unit)")
            #expect(agrees(unit.scoreSE, try extra.column("score_se_strict").number(i) ?? .nan), "\(unit.unit)")
        }
        // The one pass of the default leaves weights above the bound that strict trimming removes.
        let design = try SurveyDesign(table: try readTable(fixturePath("trim", "long.csv")),
                                      spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"], fpc: ["stage1_N", "stage2_N"]))
        let strict = try #require(try c.makeCalibration()).apply(to: design).weights
        #expect(strict.allSatisfy { $0 >= 60 - 1e-9 && $0 <= 300 + 1e-9 })
    }

    /// A GREG-calibrated design with its bound reached: 13 respondents (T1 urban) at g = 1.85, and
    /// every margin met.
    @Test func boundedLinearCalibrationMeetsTheMarginsWithinTheBounds() throws {
        let c = try #require(referenceCases.first { $0.folder == "calibrate-linear" })
        let table = try readTable(fixturePath(c.folder, "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        let weights = try #require(try c.makeCalibration()).apply(to: design).weights
        let g = zip(weights, design.caseWeight).map { $0 / $1 }
        #expect(g.filter { abs($0 - 1.85) < 1e-9 }.count == 13)
        #expect(g.allSatisfy { $0 >= 0.5 - 1e-12 && $0 <= 1.85 + 1e-12 })
        let town = try table.column("town")
        var totals: [String: Double] = [:]
        for k in 0..<design.caseCount { totals[town.string(design.caseFirstRow[k]) ?? "", default: 0] += weights[k] }
        #expect(abs((totals["T1"] ?? 0) - 2750) < 1e-8 && abs((totals["T4"] ?? 0) - 5970) < 1e-8)
    }

    /// Margins that cannot be met, or do not fit together, are refused with what to do.
    @Test func calibrationRefusals() throws {
        let table = try readTable(fixturePath("rake", "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        let town = try Calibration.Population.read(path: fixturePath("rake", "margin_town.csv"), columns: ["town"])
        let urban = try Calibration.Population.read(path: fixturePath("rake", "margin_urban.csv"), columns: ["urban"])
        func refusal(_ calibration: Calibration) -> String {
            do { _ = try calibration.apply(to: design); return "accepted" } catch { return error.description }
        }
        var tooTight = Calibration(method: .greg(.linear), margins: [town, urban])
        tooTight.bounds = (0.5, 1.8)
        #expect(refusal(tooTight).contains("calibration did not meet the margins") && refusal(tooTight).contains("widen --bounds"))
        let logit = Calibration(method: .greg(.logit), margins: [town, urban])
        #expect(refusal(logit).contains("logit calibration needs finite bounds"))
        var bigger = urban
        bigger.cells[0].count += 100
        let inconsistent = Calibration(method: .greg(.linear), margins: [town, bigger])
        #expect(refusal(inconsistent).contains("the margin of urban adds up to 15290 but that of town to 15190"))
        #expect(refusal(Calibration(method: .rake, margins: [town, bigger])).contains("give margins of the same population"))
        var twice = town
        twice.cells.append(twice.cells[0])
        #expect(refusal(Calibration(method: .greg(.raking), margins: [twice, urban])).contains("town 'T1' is given twice in the margin"))
        var missing = town
        missing.cells.removeLast()
        missing.cells[0].count += 5970
        #expect(refusal(Calibration(method: .greg(.linear), margins: [missing, urban])).contains("town 'T4' is not in the population margins"))
        var trim = Calibration(method: .none, population: .init(columns: [], cells: []))
        trim.trim = Calibration.Trim(lower: 1, upper: 2)
        #expect(refusal(trim).contains("trimming failed"))
    }

    /// Linear calibration without bounds is the regression estimator in closed form
    /// (R's regcalibrate): g = 1 + x′(X′DX)⁻¹(T − t̂); pingyi's Newton steps reach it.
    @Test func unboundedLinearCalibrationIsTheClosedForm() throws {
        let table = try readTable(fixturePath("rake", "long.csv"))
        let design = try SurveyDesign(table: table, spec: DesignSpec(strata: "stage1_stratum", ids: ["stage1_unit", "stage2_unit"],
                                                                      fpc: ["stage1_N", "stage2_N"]))
        let town = try Calibration.Population.read(path: fixturePath("rake", "margin_town.csv"), columns: ["town"])
        let urban = try Calibration.Population.read(path: fixturePath("rake", "margin_urban.csv"), columns: ["urban"])
        let weights = try Calibration(method: .greg(.linear), margins: [town, urban]).apply(to: design).weights
        // X: T1..T4 indicators and urban (rural is the first level of urban's margin file).
        let townColumn = try table.column("town"), urbanColumn = try table.column("urban")
        let towns = ["T1", "T2", "T3", "T4"]
        func x(_ k: Int) -> [Double] {
            let row = design.caseFirstRow[k]
            return towns.map { townColumn.string(row) == $0 ? 1 : 0 } + [urbanColumn.string(row) == "urban" ? 1 : 0]
        }
        var xdx = Matrix(rows: 5, columns: 5)
        var sample = [Double](repeating: 0, count: 5)
        for k in 0..<design.caseCount {
            let v = x(k)
            for a in 0..<5 {
                sample[a] += design.caseWeight[k] * v[a]
                for b in 0..<5 { xdx[a, b] += design.caseWeight[k] * v[a] * v[b] }
            }
        }
        let targets: [Double] = [2750, 3970, 2500, 5970, 7050]
        let lambda = try LinearAlgebra.solve(xdx, zip(targets, sample).map { $0 - $1 })
        for k in 0..<design.caseCount {
            let g = 1 + zip(x(k), lambda).map { $0 * $1 }.reduce(0, +)
            #expect(agrees(weights[k], design.caseWeight[k] * g))
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
