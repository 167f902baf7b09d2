import Formats
public import Tables

/// The inputs of a composite calculation, read and checked against a scheme.
///
/// - `components` (`C.csv`, long): `unit,class,component,period,value`. It lists every unit with
///   its class. `value` is on the 100-point basis (0–100); for a deduction (察访核验) it is the
///   points deducted. `period` is empty for components without periods. A row with an empty
///   `component` (and `value`) only declares a unit, for units whose values all come from other
///   files.
/// - `indicators` (`I.csv`): `unit,indicator,points,target,actual,direction`, plus `period` when
///   the component has periods and `component` when a class has several indicator components.
/// - `events` (`E.csv`): `unit,kind,code` with kind `bonus`, `penalty` or `veto`; optional `item`
///   (the piece of work, for "count the highest level once") and `points` (for codes whose points
///   are a range).
/// - public scores: `pingyi score` output (`unit,n,dont_know,score,score_se,…,rate,…`), one file
///   with a `period` column (the `--by period` output) or one file per period.
/// - `previous`: last year's RESULT.csv (`unit,rank`, optionally `class`), for "last two years
///   running".
///
/// Every problem is thrown as a ``CompositeError`` naming the file, line and field: an unknown unit,
/// class, component, period or code, a duplicate row, a value outside 0–100, a missing value.
public struct CompositeInputs: Sendable {
    /// Units in the order they first appear in the components file.
    var units: [UnitData]
    /// Whether the public scores carry standard errors (then RESULT.csv has score_se and p_grade).
    var hasPublicErrors = false
    /// Whether last year's ranks were given.
    var hasPrevious = false
    /// R when the public scores came with replicates (then grades are re-drawn from them).
    var replicateCount: Int?

    /// Reads and checks the inputs.
    /// - Parameters:
    ///   - components: the components table (required; it defines the units and their classes).
    ///   - indicators: the indicators table, scored into components with `source: indicators`.
    ///   - events: bonus, penalty and veto events.
    ///   - publicScores: the public-evaluation scores, required when a class has a public component.
    ///   - previous: last year's result.
    ///   - publicReplicates: the public scores' replicates (`pingyi score --replicates-out`), one
    ///     file per public file: grades, rank intervals and standard errors then come from them.
    public init(scheme: Scheme, components: Table, indicators: Table? = nil, events: Table? = nil,
                publicScores: [PublicScores] = [], previous: Table? = nil, publicReplicates: [PublicScores] = []) throws(CompositeError) {
        var reader = InputReader(scheme: scheme)
        try reader.readComponents(InputTable(components, role: "components file", required: ["unit", "class", "component", "value"]))
        if let indicators {
            try reader.readIndicators(InputTable(indicators, role: "indicators file",
                                                 required: ["unit", "indicator", "points", "target", "actual", "direction"]))
        }
        if let events {
            try reader.readEvents(InputTable(events, role: "events file", required: ["unit", "kind", "code"]))
        }
        if !publicScores.isEmpty {
            hasPublicErrors = try reader.readPublic(publicScores)
        }
        if !publicReplicates.isEmpty {
            guard !publicScores.isEmpty else {
                throw CompositeError(.usage, file: publicReplicates[0].table.source, line: nil, message: "replicates were given without public scores",
                                     hint: "give --public with --replicates")
            }
            replicateCount = try reader.readReplicates(publicReplicates)
            hasPublicErrors = true
        }
        if let previous {
            try reader.readPrevious(InputTable(previous, role: "previous year's result", required: CompositeResultFormat.previousRequired,
                                               format: CompositeResultFormat.format))
            hasPrevious = true
        }
        try reader.checkComplete(publicGiven: !publicScores.isEmpty, components: components.source)
        units = reader.units
    }
}

/// Public-evaluation scores for one period (or for all, with a `period` column).
public struct PublicScores: Sendable {
    /// The period the whole file is for; nil when the file has a `period` column or the public
    /// component has no periods.
    public let period: String?
    public let table: Table

    public init(period: String? = nil, table: Table) {
        self.period = period
        self.table = table
    }
}

/// What the inputs say about one unit.
struct UnitData: Sendable {
    let id: String
    let classID: String
    /// Line of the unit's first row in the components file.
    let line: Int
    /// Values on the 100-point basis by component id and period ("" without periods).
    var values: [ValueKey: Double] = [:]
    /// Where each value came from ("C.csv:12"), to report a value given twice.
    var origins: [ValueKey: String] = [:]
    /// Points deducted by deduction id, before caps.
    var deductions: [String: Double] = [:]
    var events: [UnitEvent] = []
    /// Public scores by period ("" without periods).
    var publicScores: [String: PublicCell] = [:]
    /// Whether the unit ranked last in its class last year; nil when not known.
    var lastLastYear: Bool?
    var previousRank: (rank: Int, of: Int)?
}

struct ValueKey: Hashable, Sendable {
    let component: String
    let period: String
}

/// One bonus, penalty or veto event.
struct UnitEvent: Sendable {
    let kind: EventKind
    let code: String
    let item: String?
    /// Points given in the file (for codes whose points are a range).
    let points: Double?
}

/// One row of the public scores.
struct PublicCell: Sendable {
    let score: Double
    let se: Double?
    let rate: Double?
    /// The score in replicates 1…R (NaN where a replicate had no respondent for the unit).
    var replicates: [Double]? = nil
}
