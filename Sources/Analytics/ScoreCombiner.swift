import Stats
import Tables

/// A weight as the user wrote it, for messages.
private func formatWeight(_ w: Double) -> String { w.isFinite ? formatDecimal(w) : String(w) }

/// Combines independent estimates of the same units — the four quarterly surveys of a year,
/// or the respondent groups — into one weighted score.
///
/// With shares a_q = w_q / Σw: score = Σ a_q·score_q, SE = √(Σ a_q²·SE_q²) (independent samples),
/// and likewise the rate (its interval Wald or logit, ``RateInterval``); the intervals use Student
/// t with Satterthwaite's degrees of freedom (Σ a_q² SE_q²)² / Σ (a_q² SE_q²)²/df_q; the design
/// effect is the combined variance over the combined simple-random-sampling variance
/// Σ a_q²·SE_q²/deff_q.
public enum ScoreCombiner {
    /// - Parameter partial: a unit missing from some inputs is combined over those that have it,
    ///   with their weights rescaled (e.g. towns, which only households rate); otherwise an error.
    public static func combine(_ inputs: [(name: String, scores: [UnitScore])], weights: [Double], partial: Bool = false,
                               confidence: Double = 0.95, rateInterval: RateInterval = .wald) throws(AnalyticsError) -> [UnitScore] {
        guard inputs.count == weights.count, !inputs.isEmpty else {
            throw .usage(message: "give one weight per score file (\(inputs.count) files, \(weights.count) weights)")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.reduce(0, +) > 0, weights.reduce(0, +).isFinite else {
            throw .usage(message: "--weights must be finite, non-negative and not all zero, e.g. 30,30,20,20 (got \(weights.map(formatWeight).joined(separator: ",")))")
        }
        let key: (UnitScore) -> String = { $0.unit + "\u{1F}" + ($0.by ?? "") }
        // A unit with n = 0 (only don't-know answers) has no score in that input.
        let matched = try match(inputs.map { ($0.name, $0.scores) }, weights: weights, partial: partial, key: key, counted: { $0.n > 0 }) {
            (first, q) -> AnalyticsError in
            let dontKnowOnly = inputs[q].scores.contains { key($0) == key(first) }
            return .data(file: inputs[q].name, line: nil,
                         message: "unit \(first.unit)\(first.by.map { " (\($0))" } ?? "") has no score here\(dontKnowOnly ? " (only don't-know answers)" : "")",
                         hint: "every file must score the same units, or combine with --partial")
        }
        var result: [UnitScore] = []
        for (first, parts, shares) in matched {
            var score = 0.0, rate = 0.0, dk = 0.0, v = 0.0, vRate = 0.0, vSRS = 0.0, dfDenominator = 0.0
            var n = 0, psus = 0
            for (q, s) in parts.enumerated() {
                let a = shares[q]
                score += a * s.score
                rate += a * s.rate
                dk += a * s.dontKnow
                let part = a * a * s.scoreSE * s.scoreSE
                v += part
                vRate += a * a * s.rateSE * s.rateSE
                vSRS += s.deff > 0 ? part / s.deff : .nan
                dfDenominator += s.df > 0 ? part * part / Double(s.df) : .infinity
                n += s.n
                psus += s.psus
            }
            let df = dfDenominator > 0 && dfDenominator.isFinite ? Int((v * v / dfDenominator).rounded(.down)) : 0
            let t: Double
            do { t = df > 0 ? try Distribution.studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom: Double(df)) : .nan } catch {
                throw .estimation(message: error.message, hint: "")
            }
            let se = v.squareRoot(), rateSE = vRate.squareRoot()
            let rateBounds = rateInterval.bounds(rate, se: rateSE, t: t)
            result.append(UnitScore(unit: first.unit, by: first.by, n: n, dontKnow: dk, score: score, scoreSE: se,
                                    scoreLow: score - t * se, scoreHigh: score + t * se, rate: rate, rateSE: rateSE,
                                    rateLow: rateBounds.low, rateHigh: rateBounds.high, deff: v / vSRS, rateDeff: .nan, df: df, psus: psus))
        }
        return result
    }

    /// The rows of every unit (and by value) across the inputs, in order of first appearance,
    /// with each input's share of the weight among the inputs that have the unit: what every
    /// combination (scores, replicates) weights. A unit missing from an input is an error unless
    /// `partial`; a unit whose inputs all weigh 0 is left out.
    static func match<Row>(_ inputs: [(name: String, rows: [Row])], weights: [Double], partial: Bool, key: (Row) -> String,
                           counted: (Row) -> Bool, missing: (Row, Int) -> AnalyticsError) throws(AnalyticsError)
        -> [(first: Row, parts: [Row], shares: [Double])]
    {
        let lookups = inputs.map { input in
            Dictionary(input.rows.filter(counted).map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        }
        var order: [Row] = []
        var seen = Set<String>()
        for input in inputs {
            for row in input.rows where seen.insert(key(row)).inserted { order.append(row) }
        }
        var result: [(first: Row, parts: [Row], shares: [Double])] = []
        for first in order {
            var parts: [Row] = []
            var partWeights: [Double] = []
            for (q, lookup) in lookups.enumerated() {
                guard let row = lookup[key(first)] else {
                    if partial { continue }
                    throw missing(first, q)
                }
                parts.append(row)
                partWeights.append(weights[q])
            }
            let total = partWeights.reduce(0, +)
            guard total > 0 else { continue }
            result.append((first, parts, partWeights.map { $0 / total }))
        }
        return result
    }
}
