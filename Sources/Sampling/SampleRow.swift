public import Formats

/// What one stage contributed to a selected row.
public struct StageSelection: Sendable, Equatable {
    /// The stratum the unit was drawn in (stage 1: the strata values joined by " / "; later
    /// stages: the parent unit, then any strata values). Certainty units form their own stratum,
    /// suffixed " / 必选".
    public var stratum: String
    /// The unit's value in the stage's unit column.
    public var unit: String
    /// Conditional inclusion probability at this stage.
    public var probability: Double
    /// Units in the stratum (the finite-population count) and units drawn there.
    public var population: Int
    public var drawn: Int
}

/// A row's role in the list: the `role` column's values (``Formats/CaseRole``).
public typealias Role = CaseRole

/// One row of a respondent list: a frame row and how it was drawn.
public struct SampleRow: Sendable, Equatable {
    /// The frame row (0-based).
    public var frameRow: Int
    public var stages: [StageSelection]
    public var role: Role
    /// 1, 2, … for reserves in their order of use; nil for the sample.
    public var reserveRank: Int?
    /// The cluster inside which reserves replace non-respondents: the last stage's stratum.
    public var reserveGroup: String
    /// For reserves: the probability of being drawn as a reserve (r/N at the last stage times
    /// the earlier stages' probabilities).
    public var reserveProbability: Double?
    /// 1-based replicate number (`--reps`).
    public var replicate: Int
    /// 1-based position of the row's stage-1 stratum, for the case number.
    public var stratumNumber: Int
    public var caseID: String

    /// Overall inclusion probability: the product of the stages' probabilities.
    public var probability: Double {
        stages.reduce(1.0) { $0 * $1.probability }
    }
}

/// Counts for one stage-1 stratum, shown after a draw and kept in the manifest.
public struct StratumCount: Sendable, Equatable, Codable {
    public var stratum: String
    /// Stage-1 units in the stratum, and drawn.
    public var units: Int
    public var drawn: Int
    /// Final respondents in the sample, and reserves.
    public var sample: Int
    public var reserves: Int
}

/// The result of drawing: the rows of the list, in output order, and counts per stratum.
public struct SampleDraw: Sendable {
    public var rows: [SampleRow]
    /// Counts per stage-1 stratum (of the first replicate).
    public var strata: [StratumCount]
    public var stageCount: Int
}
