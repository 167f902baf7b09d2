import Foundation
import Questionnaire
import Stats
import Tables

/// Satisfaction score and rate of one evaluated unit (and `by` group), with design-based
/// standard errors, Student-t intervals and the design effect.
public struct UnitScore: Sendable, Equatable {
    public var unit: String
    public var by: String?
    /// Scored answers (unweighted).
    public var n: Int
    /// Weighted share of don't-know answers among scored and don't-know answers.
    public var dontKnow: Double
    public var score: Double
    public var scoreSE: Double
    public var scoreLow: Double
    public var scoreHigh: Double
    /// Satisfaction rate, a proportion 0–1.
    public var rate: Double
    public var rateSE: Double
    public var rateLow: Double
    public var rateHigh: Double
    /// Design effect of the score against simple random sampling (R's `deff = TRUE`).
    public var deff: Double
    public var rateDeff: Double
    /// Degrees of freedom of the intervals (``DegreesOfFreedom``).
    public var df: Int
    /// Primary sampling units with a scored answer (and a positive weight) in the domain: what
    /// the variance estimate rests on.
    public var psus: Int = 0
    public var rank: Int?
    public var rankLow: Int?
    public var rankHigh: Int?
    public var pTopQuarter: Double?
}

/// How the satisfaction rate's interval is formed from the rate and its standard error.
public enum RateInterval: String, Sendable, CaseIterable {
    /// rate ± t·SE, as R's `confint` of `svymean` (may pass 0 or 1 for rates near them).
    case wald
    /// R's `svyciprop(method = "xlogit")`: the Student-t interval on log(p / (1 − p)) with the
    /// delta-method SE, SE / (p(1 − p)), mapped back; inside (0, 1). At a rate of exactly 0 or 1
    /// (every answer satisfied, or none: SE 0) the interval is the rate itself, as the Wald one,
    /// where R's xlogit gives NaN.
    case logit

    /// The interval of a rate `p` with standard error `se` and t quantile `t`.
    public func bounds(_ p: Double, se: Double, t: Double) -> (low: Double, high: Double) {
        switch self {
        case .wald:
            return (p - t * se, p + t * se)
        case .logit:
            if p <= 0 || p >= 1 { return (p, p) }
            let centre = log(p / (1 - p)), spread = t * se / (p * (1 - p))
            func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
            return (expit(centre - spread), expit(centre + spread))
        }
    }
}

/// Which degrees of freedom the Student-t intervals use.
public enum DegreesOfFreedom: String, Sendable, CaseIterable {
    /// The domain's own: PSUs minus strata among the rows that score the unit (R's `degf` of the
    /// domain's subset). A town's own-town score, rated in one stratum by households of three
    /// villages, has 2 — and a t quantile of 4.30, not the 2.06 of the whole design.
    case domain
    /// The whole design's, PSUs minus strata (R's `degf(design)`, what `confint(svyby(…), df =
    /// degf(design))` uses): pingyi's rule before per-domain degrees of freedom, kept to
    /// reproduce earlier results.
    case design
}

/// NCHS's threshold (Parker et al. 2017, Data Presentation Standards for Proportions): an
/// estimate whose variance has fewer degrees of freedom is flagged as statistically unreliable.
public let lowDegreesOfFreedom = 8

/// How standard errors are computed.
public enum VarianceMethod: Sendable, Equatable {
    case taylor
    case jackknife
    case bootstrap(replicates: Int, seed: UInt32)
}

public struct ScoreOptions: Sendable {
    public var scoring: TierScoring
    public var variance: VarianceMethod
    public var calibration: Calibration?
    /// Rank intervals from this many Rao–Wu bootstrap replicates (nil: no ranks).
    public var rankReplicates: Int?
    /// Every unit's score under this many Rao–Wu bootstrap replicates (``Scorer/run()``), for
    /// the composite's grades; the same replicates as the ranks' (nil: none).
    public var replicateScores: Int?
    public var seed: UInt32
    /// Centre replicate variances at the full-sample estimate (R's `mse = TRUE`).
    public var mse: Bool
    public var confidence: Double
    public var rateInterval: RateInterval
    public var degreesOfFreedom: DegreesOfFreedom
    /// Called with (units done, units) as the scoring goes (for a progress bar).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(scoring: TierScoring, variance: VarianceMethod = .taylor, calibration: Calibration? = nil,
                rankReplicates: Int? = nil, seed: UInt32 = 1, mse: Bool = false, confidence: Double = 0.95,
                rateInterval: RateInterval = .wald, degreesOfFreedom: DegreesOfFreedom = .domain) {
        self.rateInterval = rateInterval
        self.degreesOfFreedom = degreesOfFreedom
        self.scoring = scoring
        self.variance = variance
        self.calibration = calibration
        self.rankReplicates = rankReplicates
        self.seed = seed
        self.mse = mse
        self.confidence = confidence
    }
}

/// Estimates every unit's score and rate as R's
/// `svyby(~score + satisfied, ~unit, subset(design, valid), svymean, deff = TRUE)` does, with
/// `confint(…, df = degf(design))` intervals (estimation.md §3 and §7).
public struct Scorer {
    public let design: SurveyDesign
    public let options: ScoreOptions

    public init(design: SurveyDesign, options: ScoreOptions) {
        self.design = design
        self.options = options
    }

    /// One domain: a unit (and by value) and its rows.
    struct Domain {
        var unit: String
        var by: String?
        var rows: [Int]
    }

    /// The weights estimation uses: the design weights, calibrated when asked.
    public func calibratedWeights() throws(AnalyticsError) -> [Double] {
        guard let calibration = options.calibration else { return design.caseWeight }
        return try calibration.apply(to: design).weights
    }

    /// Scores of every unit, in unit order within each `by` group.
    public func score() throws(AnalyticsError) -> [UnitScore] {
        try run().scores
    }

    /// Scores of every unit and, when ``ScoreOptions/replicateScores`` asks, every unit's score
    /// under each Rao–Wu bootstrap replicate of the whole design (the ranks' replicates: the same
    /// seed gives the same replicates).
    public func run() throws(AnalyticsError) -> (scores: [UnitScore], replicates: ReplicateScores?) {
        let domains = try makeDomains()
        var weights = design.caseWeight
        var calibrated: Calibration.Result? = nil
        if let calibration = options.calibration {
            if options.variance != .taylor {
                throw .usage(message: "calibration and trimming (--poststratify, --rake, --calibrate, --trim) are supported with --variance taylor only")
            }
            let result = try calibration.apply(to: design)
            weights = result.weights
            calibrated = result
        }
        var replicates: Replicates? = nil
        switch options.variance {
        case .taylor: break
        case .jackknife: replicates = try Replicates(jackknifeFor: design)
        case .bootstrap(let count, let seed): replicates = try Replicates(bootstrapFor: design, replicates: count, seed: seed)
        }
        // Replicate designs have one df (R's degf of a replicate design); Taylor intervals use
        // the domain's own unless asked for the design's.
        let designDF = replicates?.degreesOfFreedom ?? design.degreesOfFreedom
        let perDomain = replicates == nil && options.degreesOfFreedom == .domain
        var quantiles: [Int: Double] = [:]
        func quantile(_ df: Int) throws(AnalyticsError) -> Double {
            if let q = quantiles[df] { return q }
            let q: Double
            do {
                q = df > 0 ? try Distribution.studentTQuantile(1 - (1 - options.confidence) / 2, degreesOfFreedom: Double(df)) : .nan
            } catch { throw .estimation(message: error.message, hint: "") }
            quantiles[df] = q
            return q
        }
        var psuSeen = [Bool](repeating: false, count: design.levels[0].count)
        var stratumSeen = [Bool](repeating: false, count: design.strataCount)

        let roles = RoleTable(options.scoring)
        var engine = TaylorVariance(design: design)
        var caseZ = [SIMD2<Double>](repeating: .zero, count: design.caseCount)
        var caseMarked = [Bool](repeating: false, count: design.caseCount)
        var psuY = [SIMD2<Double>](repeating: .zero, count: design.levels[0].count)
        var psuW = [Double](repeating: 0, count: design.levels[0].count)
        var psuMarked = [Bool](repeating: false, count: design.levels[0].count)
        var results: [UnitScore] = []
        for (done, domain) in domains.enumerated() {
            options.progress?(done, domains.count)
            // First pass: totals.
            var W = 0.0
            var Y = SIMD2<Double>.zero
            var n = 0
            var positive = 0
            var answered = 0.0
            var dontKnow = 0.0
            var psuList: [Int] = [], strataList: [Int] = []
            for r in domain.rows {
                let c = Int(design.rowCase[r])
                let w = weights[c]
                switch roles[design.rowTier[r]] {
                case .scored(let s, let sat):
                    W += w
                    Y += w * SIMD2(s, sat ? 1 : 0)
                    n += 1
                    if w != 0 {
                        positive += 1
                        let a = Int(design.casePSU[c]), h = Int(design.caseStratum[c])
                        if !psuSeen[a] { psuSeen[a] = true; psuList.append(a) }
                        if !stratumSeen[h] { stratumSeen[h] = true; strataList.append(h) }
                    }
                    answered += w
                case .dontKnow:
                    answered += w
                    dontKnow += w
                case .other:
                    break
                }
            }
            for a in psuList { psuSeen[a] = false }
            for h in strataList { stratumSeen[h] = false }
            let df = perDomain ? psuList.count - strataList.count : designDF
            let t = try quantile(df)
            if n == 0 || W == 0 {
                // Only don't-know answers (or only zero weights): nothing to score, the share said.
                results.append(UnitScore(unit: domain.unit, by: domain.by, n: n, dontKnow: answered > 0 ? dontKnow / answered : .nan,
                                         score: .nan, scoreSE: .nan, scoreLow: .nan, scoreHigh: .nan, rate: .nan, rateSE: .nan,
                                         rateLow: .nan, rateHigh: .nan, deff: .nan, rateDeff: .nan, df: df, psus: psuList.count))
                continue
            }
            let mean = Y / W
            // Second pass: linearised values per case, spread about the mean, PSU sums.
            var touchedCases: [Int] = []
            var spread = SIMD2<Double>.zero
            var touchedPSUs: [Int] = []
            for r in domain.rows {
                guard case .scored(let s, let sat) = roles[design.rowTier[r]] else { continue }
                let c = Int(design.rowCase[r])
                let w = weights[c]
                let y = SIMD2(s, sat ? 1 : 0)
                let d = y - mean
                spread += w * d * d
                if !caseMarked[c] {
                    caseMarked[c] = true
                    touchedCases.append(c)
                }
                caseZ[c] += w * d / W
                if replicates != nil {
                    let a = Int(design.casePSU[c])
                    if !psuMarked[a] {
                        psuMarked[a] = true
                        touchedPSUs.append(a)
                    }
                    psuY[a] += w * y
                    psuW[a] += w
                }
            }
            var variance: SIMD2<Double>
            switch options.variance {
            case .taylor:
                if let calibrated, calibrated.adjustsVariance {
                    var all = caseZ
                    calibrated.residuals(&all)
                    variance = try engine.variance(all.enumerated().map { ($0.offset, $0.element) }, everything: true, domain: domain.unit)
                } else {
                    variance = try engine.variance(touchedCases.map { ($0, caseZ[$0]) }, everything: false, domain: domain.unit)
                }
            case .jackknife, .bootstrap:
                let thetas = replicates?.estimates(psuY: psuY, psuW: psuW, psus: touchedPSUs) ?? []
                variance = replicates?.variance(thetas, full: mean, mse: options.mse) ?? .zero
            }
            for c in touchedCases {
                caseZ[c] = .zero
                caseMarked[c] = false
            }
            for a in touchedPSUs {
                psuY[a] = .zero
                psuW[a] = 0
                psuMarked[a] = false
            }
            let se = SIMD2(variance[0].squareRoot(), variance[1].squareRoot())
            // Design effect against SRS without replacement of n from a population of W (§3.5).
            let nPositive = Double(positive)
            let s2 = spread / W * (nPositive / (nPositive - 1))
            let srs = s2 * ((W - nPositive) / (W * nPositive))
            let deff = variance / srs
            let rateBounds = options.rateInterval.bounds(mean[1], se: se[1], t: t)
            results.append(UnitScore(unit: domain.unit, by: domain.by, n: n, dontKnow: answered > 0 ? dontKnow / answered : .nan,
                                     score: mean[0], scoreSE: se[0], scoreLow: mean[0] - t * se[0], scoreHigh: mean[0] + t * se[0],
                                     rate: mean[1], rateSE: se[1], rateLow: rateBounds.low, rateHigh: rateBounds.high,
                                     deff: deff[0], rateDeff: deff[1], df: df, psus: psuList.count))
        }
        var thetas: [[Double]]? = nil
        if let count = options.replicateScores ?? options.rankReplicates {
            thetas = try bootstrapScores(domains: domains, weights: weights, replicates: count)
        }
        if let thetas, options.rankReplicates != nil {
            addRanks(&results, thetas: thetas)
        }
        var replicateScores: ReplicateScores? = nil
        if let thetas, options.replicateScores != nil {
            replicateScores = ReplicateScores(units: zip(results, thetas).map { ReplicateScores.Unit(unit: $0.unit, by: $0.by, estimate: $0.n > 0 ? $0.score : .nan, values: $1) },
                                         count: thetas.first?.count ?? (options.replicateScores ?? 0))
        }
        return (results, replicateScores)
    }

    /// Domains: each unit, crossed with the `by` column, ordered like R's `svyby` (units vary
    /// fastest within each by value; values sorted).
    func makeDomains(includingUnscored: Bool = false) throws(AnalyticsError) -> [Domain] {
        let table = design.table
        let unitColumn: Column
        var byColumn: Column? = nil
        do {
            unitColumn = try table.column(design.spec.unit, purpose: "the evaluated unit")
            if let by = design.spec.by { byColumn = try table.column(by, purpose: "the by column") }
        } catch { throw .input(error) }
        let units = unitColumn.factorize()
        let byFactor = byColumn?.factorize()
        let byCount = byFactor?.levels.count ?? 1
        var rows = [[Int]](repeating: [], count: units.levels.count * byCount)
        let codes = options.scoring.codes
        let tierPosition = (table.index(of: design.spec.tier) ?? 0) + 1
        for r in 0..<table.rowCount {
            let u = units.codes[r]
            guard u >= 0 else {
                throw .data(file: table.source, line: table.line(of: r), message: "the unit column '\(design.spec.unit)' is empty",
                            hint: "every row names the evaluated unit it rates")
            }
            let tier = design.rowTier[r]
            if let codes, tier >= 0, !codes.contains(tier) {
                throw .input(TablesError(.value, file: table.source, line: table.line(of: r), column: tierPosition,
                                         message: "field \(design.spec.tier): \(tier) is not a code of the scale (unit \(units.levels[Int(u)]))",
                                         hint: "the scale's codes are \(describeCodes(codes.sorted())); correct the answer, or score with the scale it was keyed on"))
            }
            let b = byFactor.map { $0.codes[r] } ?? 0
            guard b >= 0 else { continue }  // R drops rows with a missing by value
            rows[Int(b) * units.levels.count + Int(u)].append(r)
        }
        try checkOneRowPerRespondent(rows, units: units.levels, table: table)
        let roles = RoleTable(options.scoring)
        let unitOrder = units.levels.indices.sorted { naturalLess(units.levels[$0], units.levels[$1]) }
        let byOrder = (byFactor?.levels.indices).map { idx in idx.sorted { naturalLess(byFactor?.levels[$0] ?? "", byFactor?.levels[$1] ?? "") } } ?? [0]
        var domains: [Domain] = []
        for b in byOrder {
            for u in unitOrder {
                let members = rows[b * units.levels.count + u]
                // A unit answered only "don't know" is reported too (n = 0 and its don't-know share).
                let hasAnswer = members.contains {
                    switch roles[design.rowTier[$0]] {
                    case .scored, .dontKnow: true
                    case .other: false
                    }
                }
                guard hasAnswer || (includingUnscored && !members.isEmpty) else { continue }
                domains.append(Domain(unit: units.levels[u], by: byFactor?.levels[b], rows: members))
            }
        }
        return domains
    }
}

extension Scorer {
    /// A respondent rates a unit once: a second row of the same respondent and unit (and by
    /// value) would count the answer twice.
    func checkOneRowPerRespondent(_ domains: [[Int]], units: [String], table: Table) throws(AnalyticsError) {
        var seen = [Int](repeating: -1, count: design.caseCount)
        for members in domains {
            for r in members {
                let c = Int(design.rowCase[r])
                if seen[c] >= 0 {
                    let caseName = (try? table.column(design.spec.caseColumn).string(r)) ?? nil
                    let unit = (try? table.column(design.spec.unit).string(r)) ?? nil
                    throw .data(file: table.source, line: table.line(of: r),
                                message: "respondent \(caseName ?? "?") rates unit \(unit ?? "?") twice (also on line \(table.line(of: seen[c])))",
                                hint: "keep one row per respondent and unit (export the long file again from the store)")
                }
                seen[c] = r
            }
            for r in members { seen[Int(design.rowCase[r])] = -1 }
        }
    }
}

/// Orders texts as R sorts factor levels of codes: numbers inside compared as numbers.
func naturalLess(_ a: String, _ b: String) -> Bool {
    if let x = Double(a), let y = Double(b) { return x < y }
    return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
}
