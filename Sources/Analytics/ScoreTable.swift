import Formats
import Tables

/// The `pingyi score` output, ``Formats/ScoresFormat``: one row per unit (and `by` value),
/// columns `unit`, the by column, `n`, `dont_know`, `score`, `score_se`, `score_low`,
/// `score_high`, `rate`, `rate_se`, `rate_low`, `rate_high`, `deff`, then with ranks `rank`,
/// `rank_low`, `rank_high`, `p_top_quarter`, then `df` (the Student-t degrees of freedom of the
/// intervals), `low_rate` (yes when the satisfaction rate is below 60 %, which bars a unit's
/// leaders from awards) and `format`. Numbers are written in full precision; rates are
/// proportions 0–1.
public enum ScoreTable {
    public static func csv(_ scores: [UnitScore], by: String?) -> [UInt8] {
        let ranks = scores.contains { $0.rank != nil }
        var writer = CSVWriter()
        writer.writeRow(ScoresFormat.header(by: by, ranks: ranks))
        for s in scores {
            var row: [String?] = [s.unit]
            if by != nil { row.append(s.by) }
            row += [String(s.n) as String?, number(s.dontKnow), number(s.score), number(s.scoreSE), number(s.scoreLow), number(s.scoreHigh),
                    number(s.rate), number(s.rateSE), number(s.rateLow), number(s.rateHigh), number(s.deff)]
            if ranks {
                let p: String? = s.pTopQuarter.flatMap { number($0) }
                row += [s.rank.map { String($0) }, s.rankLow.map { String($0) }, s.rankHigh.map { String($0) }, p]
            }
            row.append(String(s.df))
            row.append(String(s.psus))
            row.append(s.n > 0 && s.df < lowDegreesOfFreedom ? ScoresFormat.lowRateFlag : "")
            row.append(s.rate < ScoresFormat.lowRateBelow ? ScoresFormat.lowRateFlag : "")
            row.append(ScoresFormat.format.tag)
            writer.writeRow(row)
        }
        return writer.bytes
    }

    /// NaN and infinities as empty cells (R's NA); others in shortest round-trip form.
    static func number(_ x: Double) -> String? {
        x.isFinite ? formatDecimal(x) : nil
    }

    /// Reads a file written by ``csv(_:by:)`` (or by R with the same columns; a `format`
    /// column, when there is one, must say `scores/2`), checking every
    /// value where it is: a score 0–100, a rate and don't-know share 0–1, standard errors and
    /// design effects of 0 or more, whole n and df, one row per unit (and by value). A unit with
    /// n = 0 (only don't-know answers) has empty estimates, read as NaN.
    public static func read(path: String, name: String? = nil) throws(AnalyticsError) -> (scores: [UnitScore], by: String?) {
        let table: Table
        do {
            table = try TableFile.read(path: path, name: name)
            try ScoresFormat.format.check(table)
        } catch { throw .input(error) }
        typealias F = ScoresFormat
        let by = F.byColumn(in: table.names)
        func column(_ name: String) throws(AnalyticsError) -> Column {
            do { return try table.column(name, purpose: "a score column") } catch { throw .input(error) }
        }
        func bad(_ r: Int, _ field: String, _ message: String, _ hint: String) -> AnalyticsError {
            .input(TablesError(.value, file: table.source, line: table.line(of: r), column: (table.index(of: field) ?? 0) + 1,
                               message: "field \(field): \(message)", hint: hint))
        }
        /// The number in `field` at row r: nil when empty (and `optional`), else within `range`.
        func value(_ c: Column, _ field: String, _ r: Int, in range: ClosedRange<Double>, optional: Bool) throws(AnalyticsError) -> Double? {
            if c.isMissing(r) {
                if optional { return nil }
                throw bad(r, field, "is empty", "give pingyi score output; only a unit with n = 0 has empty estimates")
            }
            guard let x = c.numericValue(r), x.isFinite else {
                throw bad(r, field, "'\(c.string(r) ?? "")' is not a number", "give pingyi score output")
            }
            guard range.contains(x) else {
                throw bad(r, field, "\(formatDecimal(x)) is outside \(formatDecimal(range.lowerBound))–\(formatDecimal(range.upperBound))",
                          "give pingyi score output (scores 0–100, rates and shares as proportions 0–1, standard errors of 0 or more)")
            }
            return x
        }
        let unit = try column(F.unit)
        let byColumn = try by.map { (b) throws(AnalyticsError) in try column(b) }
        let n = try column(F.n), dk = try column(F.dontKnow), score = try column(F.score), scoreSE = try column(F.scoreSE)
        let rate = try column(F.rate), rateSE = try column(F.rateSE), deff = try column(F.deff)
        let low = table.index(of: F.scoreLow).map { table.columns[$0] }, high = table.index(of: F.scoreHigh).map { table.columns[$0] }
        let df = table.index(of: F.df).map { table.columns[$0] }
        let psus = table.index(of: F.psus).map { table.columns[$0] }
        var scores: [UnitScore] = []
        var lines: [String: Int] = [:]
        let big = 0...Double.greatestFiniteMagnitude
        for r in 0..<table.rowCount {
            guard let u = unit.string(r) else { throw bad(r, F.unit, "is empty", "every row names the unit it scores") }
            let b = byColumn?.string(r)
            let key = u + "\u{1F}" + (b ?? "")
            if let first = lines[key] {
                throw .data(file: table.source, line: table.line(of: r),
                            message: "unit \(u)\(b.map { " (\($0))" } ?? "") is scored twice (also on line \(first))",
                            hint: "keep one row per unit\(by.map { " and \($0)" } ?? "")")
            }
            lines[key] = table.line(of: r)
            guard let count = n.integerValue(r), count >= 0 else {
                throw bad(r, F.n, "'\(n.string(r) ?? "")' is not a count of 0 or more", "give pingyi score output")
            }
            let empty = count == 0
            let s = try value(score, F.score, r, in: 0...100, optional: empty) ?? .nan
            let se = try value(scoreSE, F.scoreSE, r, in: big, optional: empty) ?? .nan
            let rt = try value(rate, F.rate, r, in: 0...1, optional: true) ?? .nan
            let rse = try value(rateSE, F.rateSE, r, in: big, optional: true) ?? .nan
            let share = try value(dk, F.dontKnow, r, in: 0...1, optional: true) ?? .nan
            let effect = try value(deff, F.deff, r, in: big, optional: true) ?? .nan
            let lower = try low.flatMap { (c) throws(AnalyticsError) in try value(c, F.scoreLow, r, in: -1e9...1e9, optional: true) } ?? .nan
            let upper = try high.flatMap { (c) throws(AnalyticsError) in try value(c, F.scoreHigh, r, in: -1e9...1e9, optional: true) } ?? .nan
            var degrees = 0
            if let df, !df.isMissing(r) {
                guard let d = df.integerValue(r), d >= 0 else {
                    throw bad(r, F.df, "'\(df.string(r) ?? "")' is not a whole number of degrees of freedom", "give pingyi score output")
                }
                degrees = d
            }
            var units = 0
            if let psus, !psus.isMissing(r) {
                guard let k = psus.integerValue(r), k >= 0 else {
                    throw bad(r, F.psus, "'\(psus.string(r) ?? "")' is not a count of primary units", "give pingyi score output")
                }
                units = k
            }
            scores.append(UnitScore(unit: u, by: b, n: count, dontKnow: share,
                                    score: s, scoreSE: se, scoreLow: lower, scoreHigh: upper, rate: rt, rateSE: rse,
                                    rateLow: .nan, rateHigh: .nan, deff: effect, rateDeff: .nan, df: degrees, psus: units))
        }
        return (scores, by)
    }
}
