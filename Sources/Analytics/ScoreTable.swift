import Tables

/// The `pingyi score` output: one row per unit (and `by` value), columns in this order:
/// `unit`, the by column, `n`, `dont_know`, `score`, `score_se`, `score_low`, `score_high`,
/// `rate`, `rate_se`, `rate_low`, `rate_high`, `deff`, then with ranks `rank`, `rank_low`,
/// `rank_high`, `p_top_quarter`, then `df` (the Student-t degrees of freedom of the intervals)
/// and `low_rate` (yes when the satisfaction rate is below 60 %, which bars a unit's leaders from
/// awards). Numbers are written in full precision; rates are proportions 0–1.
public enum ScoreTable {
    public static func header(by: String?, ranks: Bool) -> [String] {
        var names = ["unit"]
        if let by { names.append(by) }
        names += ["n", "dont_know", "score", "score_se", "score_low", "score_high", "rate", "rate_se", "rate_low", "rate_high", "deff"]
        if ranks { names += ["rank", "rank_low", "rank_high", "p_top_quarter"] }
        names += ["df", "low_rate"]
        return names
    }

    public static func csv(_ scores: [UnitScore], by: String?) -> [UInt8] {
        let ranks = scores.contains { $0.rank != nil }
        var writer = CSVWriter()
        writer.writeRow(header(by: by, ranks: ranks))
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
            row.append(s.rate < 0.6 ? "yes" : "")
            writer.writeRow(row)
        }
        return writer.bytes
    }

    /// NaN and infinities as empty cells (R's NA); others in shortest round-trip form.
    static func number(_ x: Double) -> String? {
        x.isFinite ? formatDecimal(x) : nil
    }

    /// Reads a file written by ``csv(_:by:)`` (or by R with the same columns).
    public static func read(path: String, name: String? = nil) throws(AnalyticsError) -> (scores: [UnitScore], by: String?) {
        let table: Table
        do { table = try CSVReader.read(path: path, name: name) } catch { throw .input(error) }
        let known = Set(header(by: nil, ranks: true))
        let names = table.names
        let by = names.count > 1 && !known.contains(names[1]) ? names[1] : nil
        func column(_ name: String) throws(AnalyticsError) -> Column {
            do { return try table.column(name, purpose: "a score column") } catch { throw .input(error) }
        }
        let unit = try column("unit")
        let byColumn = try by.map { (b) throws(AnalyticsError) in try column(b) }
        let n = try column("n"), dk = try column("dont_know"), score = try column("score"), scoreSE = try column("score_se")
        let rate = try column("rate"), rateSE = try column("rate_se"), deff = try column("deff")
        let df = table.index(of: "df").map { table.columns[$0] }
        var scores: [UnitScore] = []
        for r in 0..<table.rowCount {
            guard let u = unit.string(r), let s = score.number(r), let se = scoreSE.number(r) else {
                throw .data(file: table.source, line: table.line(of: r), message: "unit, score or score_se is empty",
                            hint: "give pingyi score output")
            }
            let rt = rate.number(r) ?? .nan
            let rse = rateSE.number(r) ?? .nan
            scores.append(UnitScore(unit: u, by: byColumn?.string(r), n: n.integer(r) ?? 0, dontKnow: dk.number(r) ?? .nan,
                                    score: s, scoreSE: se, scoreLow: .nan, scoreHigh: .nan, rate: rt, rateSE: rse,
                                    rateLow: .nan, rateHigh: .nan, deff: deff.number(r) ?? .nan, rateDeff: .nan,
                                    df: df?.integer(r) ?? 0))
        }
        return (scores, by)
    }
}
