/// A sample design for one respondent group, as written in `surveys/designs/*.yaml`.
///
/// A design has one or more stages. Stage 1 draws units (rows, or groups of rows such as villages)
/// from the frame, inside explicit strata; stage k + 1 draws inside each unit selected at stage k.
/// The last stage's unit is the frame's identifier column: one row per respondent.
public struct Design: Sendable, Equatable {
    /// Chinese name of the group, e.g. 农村居民户.
    public var name: String
    /// The respondent group (`deputies`, `enterprises`, `urban`, `rural`), if given.
    public var group: String?
    /// The frame column that identifies the final unit (one row each).
    public var id: String
    /// Prefix of the case numbers printed on the forms, e.g. `R` → `R-03-0127`.
    public var casePrefix: String
    /// The default frame file, relative to the design file.
    public var frame: String?
    /// Only frame rows whose columns hold these values take part (e.g. `urban: 城镇`).
    public var filter: [FilterCondition]
    public var stages: [Stage]
    /// Coordinated draws over time from permanent random numbers (nil: independent draws).
    public var coordination: CoordinationSpec?

    public init(name: String, group: String? = nil, id: String, casePrefix: String, frame: String? = nil,
                filter: [FilterCondition] = [], stages: [Stage], coordination: CoordinationSpec? = nil) {
        self.name = name
        self.group = group
        self.id = id
        self.casePrefix = casePrefix
        self.frame = frame
        self.filter = filter
        self.stages = stages
        self.coordination = coordination
    }
}

/// `coordination: {registry: FILE, rotate: quarter}`: every draw takes its random numbers from
/// the permanent random numbers of the registry (``PRNRegistry``), shifted by the draw's rotation
/// (`pingyi sample --rotation N`), so that consecutive rotations (quarters) overlap as little as
/// the sampling fractions allow while every unit keeps the inclusion probability the list states.
public struct CoordinationSpec: Sendable, Equatable {
    /// The registry file, relative to the design file.
    public var registry: String
    /// What one rotation is (`quarter`, `month`, `year`), for people: the list and manifest say it.
    public var rotate: String

    public init(registry: String, rotate: String) {
        self.registry = registry
        self.rotate = rotate
    }
}

/// Rows take part when `column` holds one of `values` (compared as text).
public struct FilterCondition: Sendable, Equatable {
    public var column: String
    public var values: [String]

    public init(column: String, values: [String]) {
        self.column = column
        self.values = values
    }
}

/// One stage of a design.
public struct Stage: Sendable, Equatable {
    /// The column identifying this stage's sampling unit.
    public var unit: String
    /// Explicit strata: units are drawn separately inside each combination of these columns.
    /// At stage 2 and later, strata are always nested inside the unit selected one stage above.
    public var strata: [String]
    /// Sort order inside each stratum (implicit stratification); ties keep frame order.
    public var order: [String]
    /// Reverse the sort order in every other stratum, so neighbouring strata join smoothly.
    public var serpentine: Bool
    public var method: Method
    /// Measure of size for `pps-systematic`.
    public var size: SizeMeasure
    public var allocation: Allocation
    /// Units taken with certainty before the rest are drawn (e.g. the largest enterprises).
    public var certainty: CertaintyRule?
    /// Ordered reserve units per selected unit of the previous stage (per stratum at stage 1).
    public var reserve: Int
    /// Take every unit of a stratum or parent unit that has fewer than asked, instead of failing.
    public var takeAll: Bool

    public init(unit: String, strata: [String] = [], order: [String] = [], serpentine: Bool = false,
                method: Method, size: SizeMeasure = .count, allocation: Allocation,
                certainty: CertaintyRule? = nil, reserve: Int = 0, takeAll: Bool = false) {
        self.unit = unit
        self.strata = strata
        self.order = order
        self.serpentine = serpentine
        self.method = method
        self.size = size
        self.allocation = allocation
        self.certainty = certainty
        self.reserve = reserve
        self.takeAll = takeAll
    }
}

/// How units are selected inside a stratum.
public enum Method: String, Sendable, Equatable, CaseIterable {
    /// Simple random sampling without replacement: every set of n units equally likely.
    case srs
    /// Equal-probability systematic sampling: interval k = N/n (fractional), random start u·k.
    case systematic
    /// Probability-proportional-to-size systematic sampling (R `sampling::UPsystematic` on
    /// `inclusionprobabilities`), with certainty units.
    case ppsSystematic = "pps-systematic"
}

/// The measure of size for PPS stages.
public enum SizeMeasure: Sendable, Equatable {
    /// The number of frame rows in the unit (e.g. households in a village).
    case count
    /// A numeric column, constant within the unit.
    case column(String)
}

/// How many units to draw in each stratum (stage 1) or each selected parent unit (later stages).
public enum Allocation: Sendable, Equatable {
    /// The same number in every stratum.
    case perStratum(Int)
    /// The same number in every unit selected at the previous stage.
    case perUnit(Int)
    /// Given numbers for named strata (the stratum's values joined by " / ").
    case explicit([String: Int])
    /// A total shared among strata by a rule, with a minimum per stratum.
    case total(Int, rule: AllocationRule, minimum: Int, sdColumn: String?)
}

public enum AllocationRule: String, Sendable, Equatable, CaseIterable {
    /// n_h ∝ N_h.
    case proportional
    /// n_h equal.
    case equal
    /// n_h ∝ N_h S_h (Neyman), with S_h the standard deviation of `neyman-sd` in the stratum.
    case neyman
}

/// Units of a stage whose `column` is at least `minimum` are taken with certainty.
public struct CertaintyRule: Sendable, Equatable {
    public var column: String
    public var minimum: Double

    public init(column: String, minimum: Double) {
        self.column = column
        self.minimum = minimum
    }
}
