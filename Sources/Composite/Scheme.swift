import Formats

/// A composite scoring scheme (综合得分方案): how the components of each class of evaluated units
/// are weighted into a score on the 100-point basis (百分制), which bonuses, penalties, deductions
/// and vetoes apply, and how scores become ranks and grades (等次).
///
/// Schemes are YAML files (see `surveys/schemes/README.md` for the format); load one with
/// ``load(path:name:)``. A loaded scheme has been validated: weights add up at every level,
/// every reference (class, grade, group) exists, every id is unique.
public struct Scheme: Sendable {
    /// ASCII id of the scheme (`zhengding`).
    public let id: String
    /// Chinese title (`正定县政府绩效管理`).
    public let label: String
    /// Where the rules come from (the seed document and section), printed by `scheme check`.
    public let reference: String?
    /// Decimal places of published scores; ranks, ties and thresholds use the rounded score.
    public let decimals: Int
    /// The file the scheme was read from, for messages.
    public let file: String

    let classes: [UnitClass]
    let bonus: PointsTable?
    let penalty: PointsTable?
    let deductions: [Deduction]
    let vetoes: [Veto]
    let rateRule: RateRule?

    /// The ids of the unit classes, in file order.
    public var classIDs: [String] { classes.map(\.id) }

    func unitClass(_ id: String) -> UnitClass? {
        classes.first { $0.id == id }
    }

    func table(_ kind: EventKind) -> PointsTable? {
        kind == .bonus ? bonus : penalty
    }

    /// Column names of RESULT.csv that no component or deduction id may take.
    static let reservedIDs = CompositeResultFormat.reservedIDs
}

/// A class of evaluated units (乡镇, 部门, 古城风貌恢复单位) with its own components and grading.
struct UnitClass: Sendable {
    let id: String
    let label: String
    /// Top-level components; their shares add up to the whole score.
    let components: [Component]
    let grading: Grading?
    let flags: [Flag]

    /// Every component below the top level included, depth first.
    var allComponents: [Component] {
        components.flatMap { $0.flattened }
    }

    var leaves: [Component] {
        allComponents.filter(\.isLeaf)
    }

    func component(_ id: String) -> Component? {
        allComponents.first { $0.id == id }
    }

    /// The leaf fed by the public-evaluation scores, if any (at most one per class).
    var publicLeaf: Component? {
        leaves.first { $0.source == .public }
    }
}

/// Where a leaf component's values come from.
enum Source: String, Sendable {
    /// `C.csv` rows (`unit,class,component,period,value`).
    case components
    /// Scored from `I.csv` indicators (target and actual), or given already scored in `C.csv`.
    case indicators
    /// The public-evaluation scores (`--public`, `pingyi score` output).
    case `public`
}

/// A component (构成) of the score, on the 100-point basis.
struct Component: Sendable {
    let id: String
    let label: String
    /// The component's share of its parent's value (its weight, or its points over the parent's).
    let fraction: Double
    /// The component's share of the whole score, in points out of 100 (`指标评估 60分`).
    let points: Double
    /// How it was written, for `scheme check`: "60分" or "80%".
    let written: String
    /// Periods whose values are combined into the component's value; empty: one value.
    let periods: [PeriodWeight]
    let source: Source
    let children: [Component]
    /// When not empty, the only values a unit may have (e.g. a project grade fed back as points).
    let allowed: [AllowedRange]

    var isLeaf: Bool { children.isEmpty }

    var flattened: [Component] {
        [self] + children.flatMap { $0.flattened }
    }

    /// The period ids the data must cover.
    var periodIDs: [String] {
        periods.flatMap(\.periods)
    }
}

/// One term of a period combination: a period, or the average of several, with its weight.
struct PeriodWeight: Sendable {
    /// The periods averaged in this term (one for a plain period).
    let periods: [String]
    /// The term's share of the component (the weights of a component's terms add up to 1).
    let weight: Double
    let label: String?
}

/// A range of values a component may take, with the grade it stands for.
struct AllowedRange: Sendable {
    let label: String
    let min: Double
    let max: Double

    func contains(_ value: Double) -> Bool {
        value >= min - 1e-9 && value <= max + 1e-9
    }
}

enum EventKind: String, Sendable, CaseIterable {
    case bonus
    case penalty
    case veto
}

/// A table of bonus (加分) or penalty (减分) codes.
struct PointsTable: Sendable {
    let label: String
    /// The most a unit can get from the table, in points; nil: no limit.
    let cap: Double?
    /// The classes the table applies to; empty: all.
    let classes: [String]
    let groups: [CodeGroup]
    let codes: [PointsCode]

    func code(_ code: String) -> PointsCode? {
        codes.first { $0.code == code }
    }

    func group(_ id: String) -> CodeGroup? {
        groups.first { $0.id == id }
    }
}

/// Codes counted together: with `highestOnly`, one piece of work (an `item`) recognised at several
/// levels counts once, at its highest level (“同一项工作受到多层级表彰的以表彰最高层级加分一次”).
struct CodeGroup: Sendable {
    let id: String
    let label: String
    let highestOnly: Bool
    let cap: Double?
}

/// A bonus or penalty code with its points: fixed, or a range the event's `points` must fall in.
struct PointsCode: Sendable {
    let code: String
    let label: String
    let points: PointsRule
    let group: String?
}

enum PointsRule: Sendable, Equatable {
    case fixed(Double)
    /// The event gives its points, within these limits.
    case range(min: Double, max: Double?)
}

/// Points deducted after inspection (察访核验) or verified complaints (投诉查处), with a cap.
struct Deduction: Sendable {
    let id: String
    let label: String
    let cap: Double?
    let classes: [String]
}

/// A veto (一票否决): an event that withdraws eligibility for grades, or fixes the grade.
struct Veto: Sendable {
    let code: String
    let label: String
    /// Grades the unit can no longer get; it gets the next grade it qualifies for.
    let withdraw: [String]
    /// The grade the unit gets regardless of its score.
    let assign: String?
    let classes: [String]
}

/// The satisfaction-rate rule (满意率达不到60%…取消评优资格): a public satisfaction rate below
/// `below` withdraws `withdraw` (and is always noted).
struct RateRule: Sendable {
    let below: Double
    let label: String
    let withdraw: [String]
    let classes: [String]
}

/// How a class's ranked units get their grades.
struct Grading: Sendable {
    /// Tiers from the best grade down; the last takes every unit left.
    let grades: [GradeTier]
    let ties: TiePolicy
    let fail: FailRule?

    var gradeNames: [String] {
        grades.map(\.grade) + (fail.map { [$0.grade] } ?? [])
    }
}

/// What happens when units tied on the score straddle the end of a quota.
enum TiePolicy: String, Sendable {
    /// None of the tied units gets the grade (the quota is never exceeded); each is flagged for a
    /// decision.
    case exclude
    /// All tied units get the grade (the quota is exceeded); each is flagged.
    case include
}

/// One grade with the conditions for it: a quota (share of the class, or a count), a minimum score.
struct GradeTier: Sendable {
    let grade: String
    let quota: Quota?
    /// The lowest score, on the published (rounded) score.
    let minScore: Double?
}

enum Quota: Sendable, Equatable {
    /// A share of the units in the class, rounded half up (7 × 25 % = 1.75 → 2).
    case share(Double)
    /// A number of units, at least `min` wanted (noted when fewer qualify), at most `max`.
    case count(min: Int, max: Int)

    func places(of units: Int) -> Int {
        switch self {
        case .share(let share): Int((share * Double(units) + 0.5 + 1e-9).rounded(.down))
        case .count(_, let max): max
        }
    }
}

/// Overrides that give the failing grade before any tier: a score below `below`, or ranking last
/// this year and in the previous year (“连续两年排名最后”).
struct FailRule: Sendable {
    let grade: String
    let below: Double?
    let lastTwoYears: Bool
}

/// A note for units that meet every condition given (score below `below`, among the first `top`
/// or the last `bottom` of the ranking); it does not change the grade.
struct Flag: Sendable {
    let note: String
    let below: Double?
    let top: Int?
    let bottom: Int?

    /// The conditions and the note: "得分低于60分且排名后3名：…".
    var text: String {
        var conditions: [String] = []
        if let below { conditions.append("得分低于\(number(below))分") }
        if let top { conditions.append("排名前\(top)名") }
        if let bottom { conditions.append(bottom == 1 ? "排名末位" : "排名后\(bottom)名") }
        return "\(conditions.joined(separator: "且"))：\(note)"
    }
}

extension Scheme {
    /// The Chinese label of a class, or nil for an unknown id.
    public func classLabel(_ id: String) -> String? {
        unitClass(id)?.label
    }

    /// The grades of a class from the best down (the fail grade last); empty without grading.
    public func gradeNames(ofClass id: String) -> [String] {
        unitClass(id)?.grading.map { uniqued($0.gradeNames) } ?? []
    }

    /// Whether a grading rule needs last year's result ("连续两年排名最后").
    public var usesPreviousYear: Bool {
        classes.contains { $0.grading?.fail?.lastTwoYears == true }
    }
}
