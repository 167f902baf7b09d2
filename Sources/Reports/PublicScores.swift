import Formats
public import Composite
public import Tables

/// One row of the `pingyi score` output: a unit's satisfaction score (满意度, 0–100) and
/// satisfaction rate (满意率, a proportion 0–1), each with its standard error and 95 % interval,
/// and its rank with a rank interval when scored with ranks. Interval ends are NaN where the file
/// leaves them empty (no degrees of freedom).
public struct PublicScore: Sendable, Equatable {
    public let unit: String
    /// The value of the file's by column (a respondent group, a period), if it has one.
    public let by: String?
    public let n: Int
    /// Weighted share of don't-know answers; nil when not reported.
    public let dontKnow: Double?
    public let score: Double
    public let scoreSE: Double
    public let scoreLow: Double
    public let scoreHigh: Double
    public let rate: Double
    public let rateSE: Double?
    public let rateLow: Double
    public let rateHigh: Double
    public let deff: Double?
    public let rank: Int?
    public let rankLow: Int?
    public let rankHigh: Int?
    public let pTopQuarter: Double?
    public let df: Int?
    /// Primary units the estimate rests on, when the file says (score files of format 2).
    public var psus: Int? = nil

    /// Whether the estimate rests on too few degrees of freedom to grade by (df < 8, NCHS).
    public var isUnstable: Bool { (df ?? Int.max) < 8 }
}

/// A `pingyi score` output file.
public struct ScoreFile: Sendable {
    public let file: String
    /// The by column's name, if the scores are split (`unit,group,n,…`).
    public let by: String?
    /// The rows in file order (units with a score).
    public let scores: [PublicScore]
    /// Units (and by values) without a score: answered only "don't know" (n = 0).
    public let unscored: [(unit: String, by: String?)]

    /// The by values in order of first appearance; `[nil]` without a by column.
    public var groups: [String?] {
        guard by != nil else { return [nil] }
        var seen: Set<String> = []
        return scores.compactMap(\.by).filter { seen.insert($0).inserted }
    }

    public func scores(in group: String?) -> [PublicScore] {
        scores.filter { $0.by == group }
    }

    public func score(unit: String, by group: String?) -> PublicScore? {
        scores.first { $0.unit == unit && $0.by == group }
    }

    typealias F = ScoresFormat
    static let required = [F.unit, F.n, F.score, F.scoreSE, F.scoreLow, F.scoreHigh, F.rate, F.rateLow, F.rateHigh]

    /// Reads the scores (``Formats/ScoresFormat``; the by column is the second column when it
    /// is not one of the fixed ones). Every unit must be in `units` (when a units file was given)
    /// and appear once per by value; scores lie in 0–100 and rates in 0–1. A unit with n = 0
    /// (only don't-know answers) has no score: it is listed in ``unscored``.
    public static func read(path: String, units: UnitDirectory, options: CSVOptions = CSVOptions()) throws(ReportError) -> ScoreFile {
        let input = try CSVInput(path: path, options: options, role: "the scores file (pingyi score output)", required: required,
                                 format: F.format)
        let by = F.byColumn(in: input.table.names)
        var scores: [PublicScore] = []
        var unscored: [(unit: String, by: String?)] = []
        var seen: [String: Int] = [:]
        let scoreHint = "scores are on the 100-point basis; give pingyi score output"
        let rateHint = "rates are proportions 0–1 (0.85 for 85 %); give pingyi score output"
        for row in input.rows {
            let unit = try input.requiredText(row, F.unit)
            try units.check(unit, in: input, row: row, field: F.unit)
            let group = try by.map { (name) throws(ReportError) in try input.requiredText(row, name) }
            let key = unit + "\u{1F}" + (group ?? "")
            if let first = seen[key] {
                throw input.rowError(row, "unit \(unit)\(group.map { " (\(by ?? "") \($0))" } ?? "") is scored twice (also on line \(first))",
                                     hint: "give one pingyi score output file")
            }
            seen[key] = input.table.line(of: row)
            if try input.count(row, F.n) == 0 && input.text(row, F.score) == nil {
                unscored.append((unit, group))
                continue
            }
            func score(_ name: String) throws(ReportError) -> Double {
                guard let value = try input.number(row, name, in: 0...100, hint: scoreHint) else {
                    throw input.error(row, name, "is empty (unit \(unit))", hint: "a unit without answers cannot be reported; drop its row")
                }
                return value
            }
            func rate(_ name: String) throws(ReportError) -> Double {
                guard let value = try input.number(row, name, in: 0...1, hint: rateHint) else {
                    throw input.error(row, name, "is empty (unit \(unit))", hint: "a unit without answers cannot be reported; drop its row")
                }
                return value
            }
            scores.append(PublicScore(
                unit: unit, by: group, n: try input.count(row, F.n) ?? 0,
                dontKnow: try input.number(row, F.dontKnow, in: 0...1, hint: rateHint),
                score: try score(F.score), scoreSE: try input.requiredNumber(row, F.scoreSE),
                scoreLow: try input.number(row, F.scoreLow) ?? .nan, scoreHigh: try input.number(row, F.scoreHigh) ?? .nan,
                rate: try rate(F.rate), rateSE: try input.number(row, F.rateSE),
                rateLow: try input.number(row, F.rateLow) ?? .nan, rateHigh: try input.number(row, F.rateHigh) ?? .nan,
                deff: try input.number(row, F.deff),
                rank: try input.count(row, F.rank), rankLow: try input.count(row, F.rankLow), rankHigh: try input.count(row, F.rankHigh),
                pTopQuarter: try input.number(row, F.pTopQuarter, in: 0...1, hint: rateHint), df: try input.count(row, F.df),
                psus: try input.count(row, F.psus)))
        }
        if scores.isEmpty {
            throw ReportError(file: input.file, line: 2, message: "the scores file has no rows", hint: "give pingyi score output")
        }
        return ScoreFile(file: input.file, by: by, scores: scores, unscored: unscored)
    }
}

/// The scores of one part of the report: a file without a by column (all respondents, or the
/// groups combined), or one by value of a split file (one respondent group).
public struct ScoreSet: Sendable {
    /// The by value; nil for a file without a by column.
    public let group: String?
    public let scores: [PublicScore]

    /// Best first (ties by unit id).
    public var ranked: [PublicScore] {
        scores.sorted { a, b in a.score != b.score ? a.score > b.score : a.unit < b.unit }
    }

    public func score(unit: String) -> PublicScore? {
        scores.first { $0.unit == unit }
    }

    /// "城镇居民户", "第一季度"; "综合" for a file without a by column.
    var label: String {
        group.map(ColumnNames.group) ?? "综合"
    }
}
