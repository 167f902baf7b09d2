/// A respondent list from `pingyi sample`, read and checked against the questionnaire it is
/// loaded for, ready to be stored.
///
/// The list's columns are ``Formats/RespondentListFormat``'s: the frame's own columns (e.g.
/// `household_id, town_id, …`), then the design columns of every stage, `prob, weight, role,
/// reserve_rank, reserve_group, reserve_prob, case_id`, and optionally `replicate`.
public struct RespondentList: Sendable {
    /// The file, as the user named it.
    public let source: String
    /// Every column of the file, in order.
    public let columns: [String]
    /// The number of design stages K.
    public let stageCount: Int
    /// The columns kept as attributes (every column that is not a design column), in order.
    public let attributeColumns: [String]
    public let cases: [ListCase]

    public init(source: String, columns: [String], stageCount: Int, attributeColumns: [String], cases: [ListCase]) {
        self.source = source
        self.columns = columns
        self.stageCount = stageCount
        self.attributeColumns = attributeColumns
        self.cases = cases
    }
}

/// One row of a respondent list.
public struct ListCase: Sendable, Equatable {
    public let caseID: String
    /// The file line of the row.
    public let line: Int
    public let role: CaseRole
    /// 1, 2, 3… for reserves in their order of use; nil for the sample.
    public let reserveRank: Int?
    /// The cluster inside which reserves replace non-respondents.
    public let reserveGroup: String?
    public let townID: String?
    /// One entry per stage, stage 1 first.
    public let stages: [DesignStage]
    /// The overall inclusion probability.
    public let prob: Double
    /// The design weight (1/prob, or as the design computed it).
    public let weight: Double
    /// The attribute values as JSON text: an object of the list's other columns, numbers as
    /// numbers and text as strings, missing cells as null. Phone numbers are not among them.
    public let attributes: String
    /// The case's phone numbers, in the order of the questionnaire's `calls.phones` columns
    /// (personal data: stored apart from the attributes and the answers).
    public let phones: [String]

    public init(caseID: String, line: Int, role: CaseRole, reserveRank: Int?, reserveGroup: String?, townID: String?,
                stages: [DesignStage], prob: Double, weight: Double, attributes: String, phones: [String] = []) {
        self.phones = phones
        self.caseID = caseID
        self.line = line
        self.role = role
        self.reserveRank = reserveRank
        self.reserveGroup = reserveGroup
        self.townID = townID
        self.stages = stages
        self.prob = prob
        self.weight = weight
        self.attributes = attributes
    }
}

/// One stage of a case's selection.
public struct DesignStage: Sendable, Equatable, Hashable {
    /// The stratum the unit was drawn from (`stage{k}_stratum`).
    public let stratum: String?
    /// The unit drawn at this stage (`stage{k}_unit`).
    public let unit: String?
    /// The conditional inclusion probability at this stage (`stage{k}_prob`).
    public let prob: Double
    /// The number of units in the stratum (`stage{k}_N`).
    public let population: Int
    /// The number of units drawn from it (`stage{k}_n`).
    public let selected: Int

    public init(stratum: String?, unit: String?, prob: Double, population: Int, selected: Int) {
        self.stratum = stratum
        self.unit = unit
        self.prob = prob
        self.population = population
        self.selected = selected
    }
}
