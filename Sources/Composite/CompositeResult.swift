import Formats
import Tables

/// One unit's line of RESULT.csv.
public struct UnitResult: Sendable, Equatable {
    public let unit: String
    public let unitClass: String
    /// The published score, rounded to the scheme's decimals.
    public let score: Double
    /// Rank within the class (equal scores share a rank).
    public let rank: Int
    /// The grade; nil when the class has no grading rule (ranking only).
    public let grade: String?
    /// Points each top-level component adds, by component id.
    public let contributions: [String: Double]
    /// Points deducted, by deduction id, after caps.
    public let deductions: [String: Double]
    /// Bonus and penalty points after caps (both positive; the penalty is subtracted).
    public let bonus: Double
    public let penalty: Double
    /// Standard error of the score from the public component's: `se × points/100` of the public
    /// component; nil without public standard errors.
    public let scoreSE: Double?
    /// Share of simulated draws of the public scores in which the unit's grade differs.
    public let pGrade: Double?
    /// Why the unit got its grade, in Chinese.
    public let notes: [String]
    /// The rank's 95 % interval over the replicates of the public scores (nil without them).
    public var rankLow: Int? = nil
    public var rankHigh: Int? = nil
    /// Units of a class whose order the replicates cannot tell apart share a group number
    /// (statistically tied); nil for a unit alone or without replicates.
    public var tieGroup: Int? = nil
}

/// The result of a composite calculation: units ordered by class (scheme order), rank, unit id.
public struct CompositeResult: Sendable {
    public let units: [UnitResult]
    /// Top-level component ids over all classes, in scheme order (the contribution columns).
    public let componentColumns: [String]
    public let deductionColumns: [String]
    /// Whether score_se and p_grade are reported.
    public let hasUncertainty: Bool
    let decimals: Int
    /// R when score_se, p_grade and the rank intervals come from replicates of the public scores;
    /// nil when p_grade is simulated from independent normal draws.
    public var replicates: Int? = nil

    /// RESULT.csv, ``Formats/CompositeResultFormat``: `unit,class,score,rank,grade`, one column per
    /// top-level component's contribution, one per deduction, `bonus,penalty`, then
    /// `score_se,p_grade` when the public scores have standard errors, `notes` (Chinese, joined
    /// with "；") and `format`. Numbers have the scheme's decimals; score_se and p_grade four.
    public func csv(byteOrderMark: Bool = false) -> [UInt8] {
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        writer.writeRow(CompositeResultFormat.header(components: componentColumns, deductions: deductionColumns, uncertainty: hasUncertainty,
                                                     replicates: replicates != nil))
        let fixed = { (value: Double) in ScoreRounding.text(value, decimals: decimals) }
        for unit in units {
            var row: [String?] = [unit.unit, unit.unitClass, fixed(unit.score), String(unit.rank), unit.grade]
            row += componentColumns.map { id in unit.contributions[id].map(fixed) }
            row += deductionColumns.map { id in unit.deductions[id].map(fixed) }
            row += [fixed(unit.bonus), fixed(unit.penalty)]
            if hasUncertainty {
                row += [unit.scoreSE.map { ScoreRounding.text($0, decimals: 4) }, unit.pGrade.map { ScoreRounding.text($0, decimals: 4) }]
            }
            if replicates != nil {
                row += [unit.rankLow.map { String($0) }, unit.rankHigh.map { String($0) }, unit.tieGroup.map { String($0) }]
            }
            row.append(unit.notes.joined(separator: CompositeResultFormat.notesSeparator))
            row.append(CompositeResultFormat.format.tag)
            writer.writeRow(row)
        }
        return writer.bytes
    }
}
