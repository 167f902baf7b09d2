/// The score file (`pingyi score`, `pingyi score combine`; read by `score combine`, `score show`,
/// `pingyi composite --public` and `pingyi report --scores`): one row per unit (and `by` value).
/// Columns `unit`, the by column, `n, dont_know, score, score_se, score_low, score_high, rate,
/// rate_se, rate_low, rate_high, deff`, with ranks `rank, rank_low, rank_high, p_top_quarter`,
/// then `df, psus, low_df, low_rate` and `format` (`scores/2`). Rates are proportions 0–1; a
/// unit with n = 0 (only don't-know answers) has empty estimates. `df` is the interval's degrees
/// of freedom (the domain's own by default), `psus` the primary units the estimate rests on,
/// `low_df` yes when df is below 8 (an estimate too unstable to grade by).
///
/// Versions: 1 had neither `psus` nor `low_df`, and every unit the whole design's df.
public enum ScoresFormat {
    public static let format = FileFormat(name: "scores", version: 2, what: "a score file (pingyi score)",
                                          remedy: "score the long file again with this pingyi (pingyi score)")
    public static let unit = "unit"
    public static let n = "n"
    public static let dontKnow = "dont_know"
    public static let score = "score"
    public static let scoreSE = "score_se"
    public static let scoreLow = "score_low"
    public static let scoreHigh = "score_high"
    public static let rate = "rate"
    public static let rateSE = "rate_se"
    public static let rateLow = "rate_low"
    public static let rateHigh = "rate_high"
    public static let deff = "deff"
    public static let rank = "rank"
    public static let rankLow = "rank_low"
    public static let rankHigh = "rank_high"
    public static let pTopQuarter = "p_top_quarter"
    public static let df = "df"
    public static let psus = "psus"
    public static let lowDF = "low_df"
    public static let lowRate = "low_rate"
    /// The by column the composite's public component accepts: scores per period.
    public static let period = "period"
    /// The value of `low_rate` for a rate below ``lowRateBelow``, and of `low_df`.
    public static let lowRateFlag = "yes"
    /// A satisfaction rate below 60 % bars a unit's leaders from awards (seed 001).
    public static let lowRateBelow = 0.6

    /// The header (the format column last).
    public static func header(by: String?, ranks: Bool) -> [String] {
        var names = [unit]
        if let by { names.append(by) }
        names += [n, dontKnow, score, scoreSE, scoreLow, scoreHigh, rate, rateSE, rateLow, rateHigh, deff]
        if ranks { names += [rank, rankLow, rankHigh, pTopQuarter] }
        names += [df, psus, lowDF, lowRate]
        return names.withFormat()
    }

    /// Every column but the by column.
    public static let fixedColumns = Set(header(by: nil, ranks: true))

    /// The by column of a header: the second column when it is not one of the fixed ones.
    public static func byColumn(in names: [String]) -> String? {
        names.count > 1 && !fixedColumns.contains(names[1]) ? names[1] : nil
    }
}

/// Replicate scores (`pingyi score --replicates-out`, `pingyi score combine --replicates-out`;
/// read by `score combine --replicates` and `pingyi composite --replicates`): one row per unit
/// (and by value) and replicate, columns `unit`, the by column, `replicate`, `score`, `format`
/// (`replicates/1`). Replicate 0 is the full-sample estimate (the score file's `score`);
/// replicates 1…R are the unit's score under each of R Rao–Wu bootstrap replicates of the whole
/// design — one set of replicate weights for every unit, so units rated by the same respondents
/// move together. An empty score: the replicate left the unit without a respondent.
public enum ReplicatesFormat {
    public static let format = FileFormat(name: "replicates", version: 1, what: "a replicate score file (pingyi score --replicates-out)",
                                          remedy: "score again with this pingyi (pingyi score --replicates-out)")
    public static let unit = "unit"
    public static let replicate = "replicate"
    public static let score = "score"

    public static func header(by: String?) -> [String] {
        ([unit] + (by.map { [$0] } ?? []) + [replicate, score]).withFormat()
    }

    /// The by column: the second column when it is not `replicate`.
    public static func byColumn(in names: [String]) -> String? {
        names.count > 1 && names[1] != replicate ? names[1] : nil
    }
}

/// The tier distribution (`pingyi score --distribution`, read by `pingyi report`): `unit`, the
/// by column, `tier, label, n, share`, `format` (`distribution/1`).
public enum DistributionFormat {
    public static let format = FileFormat(name: "distribution", version: 1, what: "a tier distribution (pingyi score --distribution)",
                                          remedy: "score again with this pingyi (pingyi score --distribution)")
    public static let unit = "unit"
    public static let tier = "tier"
    public static let label = "label"
    public static let n = "n"
    public static let share = "share"

    public static func header(by: String?) -> [String] {
        ([unit] + (by.map { [$0] } ?? []) + [tier, label, n, share]).withFormat()
    }

    /// The by column: the second column when it is not `tier`.
    public static func byColumn(in names: [String]) -> String? {
        names.count > 1 && names[1] != tier ? names[1] : nil
    }
}

/// The AAPOR rates (`pingyi rates --out`, read by `pingyi report`): `group, cases`, the counts
/// `I, P, R, NC, O, U, NE`, `e`, the rates `RR1…RR6, COOP1…COOP4, REF1…REF3, CON1…CON3`,
/// `format` (`rates/1`). The row of all cases has group `all`.
public enum RatesFormat {
    public static let format = FileFormat(name: "rates", version: 1, what: "a rates file (pingyi rates --out)",
                                          remedy: "compute the rates again with this pingyi (pingyi rates)")
    public static let group = "group"
    public static let cases = "cases"
    public static let counts = ["I", "P", "R", "NC", "O", "U", "NE"]
    public static let e = "e"
    public static let rates = ["RR1", "RR2", "RR3", "RR4", "RR5", "RR6", "COOP1", "COOP2", "COOP3", "COOP4",
                               "REF1", "REF2", "REF3", "CON1", "CON2", "CON3"]
    /// The group of the row over all cases.
    public static let total = "all"
    /// The rates the report's summary table shows: the main response, cooperation, refusal and
    /// contact rates.
    public static let headline = ["RR1", "RR3", "COOP1", "REF1", "CON1"]

    public static var header: [String] { ([group, cases] + counts + [e] + rates).withFormat() }
}
