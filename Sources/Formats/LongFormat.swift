/// The long answer file (`pingyi responses export --format long`, the input of `pingyi weights`
/// and `pingyi score`): one row per counted form and evaluated unit answered. Columns `case_id,
/// group, questionnaire, version, unit, tier`, the design columns (``DesignColumns``), `town_id,
/// role, mode` (how the form was collected: paper, telephone, online, api), then `format`
/// (`long/2`; version 1 had no `mode`). `pingyi weights` writes the same file with `weight` adjusted
/// and the design weight kept in `design_weight`.
///
/// `pingyi score` needs only `case_id, unit, tier, weight` (and the design columns it is told
/// of), so long files made elsewhere can be scored.
public enum LongFormat {
    public static let format = FileFormat(name: "long", version: 2, what: "a long answer file (pingyi responses export --format long)",
                                          remedy: "export the long file again with this pingyi (pingyi responses export --format long)")
    public static let caseID = "case_id"
    public static let group = "group"
    public static let questionnaire = "questionnaire"
    public static let questionnaireVersion = "version"
    public static let unit = "unit"
    public static let tier = "tier"
    public static let townID = "town_id"
    public static let role = "role"
    /// How the form was collected (``Store`` `FormMode`: paper, telephone, online, api), for `pingyi score --by mode`.
    public static let mode = "mode"
    public static let weight = DesignColumns.weight
    /// The design weight, kept by `pingyi weights` when it adjusts `weight`.
    public static let designWeight = "design_weight"

    /// The header of a long file of `stages` stages (the format column last).
    public static func header(stages: Int) -> [String] {
        ([caseID, group, questionnaire, questionnaireVersion, unit, tier] + DesignColumns.all(stages: stages) + [townID, role, mode]).withFormat()
    }
}

/// The case file (`pingyi responses export --format cases`, the input of `pingyi weights` and
/// `pingyi rates`): one row per case in use. Columns `case_id, group, role, reserve_rank,
/// reserve_group, replaces, disposition, entered, town_id`, the design columns, then `format`
/// (`cases/1`). `disposition` takes ``Disposition``'s values (empty: pending), `role`
/// ``CaseRole``'s, `entered` yes or no (a counted form exists).
public enum CasesFormat {
    public static let format = FileFormat(name: "cases", version: 1, what: "a case file (pingyi responses export --format cases)",
                                          remedy: "export the case file again with this pingyi (pingyi responses export --format cases)")
    public static let caseID = "case_id"
    public static let group = "group"
    public static let role = "role"
    public static let reserveRank = "reserve_rank"
    public static let reserveGroup = "reserve_group"
    public static let replaces = "replaces"
    public static let disposition = "disposition"
    public static let entered = "entered"
    public static let townID = "town_id"
    public static let weight = DesignColumns.weight
    public static let enteredYes = "yes"
    public static let enteredNo = "no"
    /// The default weighting-class column of non-response adjustment.
    public static let defaultClasses = DesignColumns.stratum(1)

    public static func header(stages: Int) -> [String] {
        ([caseID, group, role, reserveRank, reserveGroup, replaces, disposition, entered, townID] + DesignColumns.all(stages: stages)).withFormat()
    }
}
