/// RESULT.csv (`pingyi composite --out`, read by `pingyi report --composite` and as last year's
/// result by `pingyi composite --previous`): `unit, class, score, rank, grade`, one column per
/// top-level component of the scheme (its id) and per deduction, `bonus, penalty`, with
/// uncertainty `score_se, p_grade`, with replicates of the public scores also `rank_low,
/// rank_high, tie_group` (the rank's 95 % interval; units the data cannot separate share a tie
/// group number), then `notes` (joined with ``notesSeparator``) and `format`
/// (`composite/1`).
public enum CompositeResultFormat {
    public static let format = FileFormat(name: "composite", version: 1, what: "a composite result (pingyi composite)",
                                          remedy: "run pingyi composite again with this pingyi")
    public static let unit = "unit"
    public static let unitClass = "class"
    public static let score = "score"
    public static let rank = "rank"
    public static let grade = "grade"
    public static let bonus = "bonus"
    public static let penalty = "penalty"
    public static let scoreSE = "score_se"
    public static let pGrade = "p_grade"
    public static let rankLow = "rank_low"
    public static let rankHigh = "rank_high"
    public static let tieGroup = "tie_group"
    public static let notes = "notes"
    public static let notesSeparator = "；"

    /// The header for a scheme's component and deduction ids.
    public static func header(components: [String], deductions: [String], uncertainty: Bool, replicates: Bool = false) -> [String] {
        ([unit, unitClass, score, rank, grade] + components + deductions + [bonus, penalty] + (uncertainty ? [scoreSE, pGrade] : [])
            + (replicates ? [rankLow, rankHigh, tieGroup] : []) + [notes])
            .withFormat()
    }

    /// The columns every result has.
    public static let fixed = [unit, unitClass, score, rank, grade, bonus, penalty, notes]
    /// The columns a result may have besides its components and deductions.
    public static let optional = [scoreSE, pGrade, rankLow, rankHigh, tieGroup, FileFormat.column]
    /// What last year's result must have (`--previous`).
    public static let previousRequired = [unit, rank]
    /// Ids a scheme's components may not take: the result's own columns, and the `period` and
    /// `value` columns of the components file.
    public static let reservedIDs = Set(fixed + optional + ["period", "value"])
}

/// The evaluated units (`datasets/units.csv`, a user's table): `unit_id, unit` (the Chinese
/// name), `class` (e.g. department, town).
public enum UnitsFormat {
    public static let unitID = "unit_id"
    public static let unit = "unit"
    public static let unitClass = "class"
}

/// The dispositions file of `pingyi cases dispose` (written by `pingyi simulate field`, or by
/// hand): `case_id, disposition[, note]`, the disposition one of ``Disposition``'s values.
public enum DispositionsFile {
    public static let caseID = "case_id"
    public static let disposition = "disposition"
    public static let note = "note"
}

/// The disagreements `pingyi responses verify --out` writes and `pingyi responses resolve` reads
/// back once the value column is filled in: `case_id, item, pass1, pass2, value, reason`.
public enum DisagreementsFile {
    public static let caseID = "case_id"
    public static let item = "item"
    public static let pass1 = "pass1"
    public static let pass2 = "pass2"
    public static let value = "value"
    public static let reason = "reason"
    public static let header = [caseID, item, pass1, pass2, value, reason]
}

/// A keyed forms file of `pingyi responses import`: `case_id`, then one column per item of the
/// questionnaire (named as the items).
public enum FormsFile {
    public static let caseID = "case_id"
}
