/// One variable of a questionnaire: a column of the wide entry file and of every export.
public struct Item: Sendable, Codable, Equatable, Hashable {
    /// The ASCII variable name: the column name in entry files and exports (`D01`, `own_town`,
    /// `members`). At most 32 characters, a letter first, then letters, digits or `_`.
    public let name: String
    /// The Chinese label (variable label in SPSS/Stata, the text beside the field on a form).
    public let label: String
    public let kind: ItemKind
    /// Whether an answer must be keyed when the item is asked (its ``when`` holds or is absent).
    public let required: Bool
    /// The skip condition: the item is asked only when it holds; when it does not, the answer
    /// must be empty.
    public let when: Condition?

    public init(name: String, label: String, kind: ItemKind, required: Bool = true, when: Condition? = nil) {
        self.name = name
        self.label = label
        self.kind = kind
        self.required = required
        self.when = when
    }

    /// Whether the answer is a code of the questionnaire's scale (unit ratings and tier items).
    public var usesScale: Bool {
        switch kind {
        case .unit, .ownTown, .tier: true
        case .single, .number, .text: false
        }
    }

    /// Whether the item rates an evaluated unit (a row of the long export).
    public var isUnitRating: Bool {
        switch kind {
        case .unit, .ownTown: true
        case .tier, .single, .number, .text: false
        }
    }

    /// Whether exports store the item as a number (everything but text).
    public var isNumeric: Bool {
        if case .text = kind { return false }
        return true
    }
}

/// What kind of answer an item takes.
public enum ItemKind: Sendable, Codable, Equatable, Hashable {
    /// Rates the evaluated unit with this id on the scale; the item's name is the unit id.
    case unit(id: String)
    /// Rates the respondent's own town on the scale; the unit id is the case's `town_id`.
    case ownTown
    /// A further question answered on the scale (e.g. 对本地营商环境的总体评价).
    case tier
    /// One of the listed choices, keyed by its code.
    case single(choices: [Choice])
    /// A number within `minimum…maximum` (both inclusive, either may be absent) with at most
    /// `decimals` digits after the point (0: whole numbers).
    case number(minimum: Double?, maximum: Double?, decimals: Int)
    /// Free text of at most `maxLength` characters.
    case text(maxLength: Int?)

    /// The YAML spelling of the kind (`type:` key).
    public var typeName: String {
        switch self {
        case .unit: "unit"
        case .ownTown: "own-town"
        case .tier: "tier"
        case .single: "single"
        case .number: "number"
        case .text: "text"
        }
    }
}

/// A choice of a single-choice item.
public struct Choice: Sendable, Codable, Equatable, Hashable {
    public let code: Int
    public let label: String

    public init(code: Int, label: String) {
        self.code = code
        self.label = label
    }
}

/// An evaluated unit (被评单位): a department or a town, from `datasets/units.csv` or listed
/// in the questionnaire.
public struct EvaluatedUnit: Sendable, Codable, Equatable, Hashable {
    /// The unit's identifier (`D01`, `T03`).
    public let id: String
    /// The Chinese name (`市政府办`).
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The household item that rates the respondent's own town.
public struct OwnTown: Sendable, Codable, Equatable, Hashable {
    /// The item's Chinese label.
    public let label: String
    /// The towns a case's `town_id` may name.
    public let towns: [EvaluatedUnit]

    public init(label: String, towns: [EvaluatedUnit]) {
        self.label = label
        self.towns = towns
    }

    public func town(id: String) -> EvaluatedUnit? {
        towns.first { $0.id == id }
    }
}

/// How many times forms are keyed.
public enum EntryMode: String, Sendable, Codable, Hashable {
    /// Pass 1 and pass 2 keyed independently; a form counts once the passes agree or their
    /// disagreements are resolved.
    case double
    /// One pass; the pass-1 form counts as soon as it is stored.
    case single
}

/// Who may key pass 2 of a double-entry questionnaire (`second-pass-operator:`).
public enum SecondPassOperator: String, Sendable, Codable, Hashable, CaseIterable {
    /// Someone other than the operator of the case's pass 1 (the default: the passes are
    /// independent only when two people key them).
    case different
    /// Anyone, the pass-1 operator included (e.g. a one-person office keying a week apart).
    case any
}
