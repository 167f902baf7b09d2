/// A rectangular data set with the metadata statistical packages keep: variable labels, value
/// labels and missing-value codes. The writers (CSV with codebook, SPSS, Stata, Excel) all take
/// one of these.
///
/// Cells are text as stored (`"3"`, `"62.5"`, `"张三"`), nil when empty; numeric variables'
/// cells must parse as numbers.
public struct LabelledDataset: Sendable {
    /// A title (the SPSS file label, the Stata data label).
    public var title: String
    public var variables: [Variable]
    /// Rows of cells, one per variable.
    public var rows: [[String?]]

    public init(title: String, variables: [Variable], rows: [[String?]]) {
        self.title = title
        self.variables = variables
        self.rows = rows
    }

    /// The index of the variable called `name`.
    public func index(of name: String) -> Int? {
        variables.firstIndex { $0.name == name }
    }
}

/// A variable of a ``LabelledDataset``.
public struct Variable: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Whole numbers (codes, counts).
        case integer
        /// Numbers with a fraction.
        case decimal
        case text
    }

    /// ASCII name, at most 32 characters.
    public var name: String
    /// Chinese label.
    public var label: String
    public var kind: Kind
    /// Code → label, in order (integer variables only).
    public var valueLabels: [ValueLabel]
    /// The name of the value-label set (variables sharing a scale share one set).
    public var labelSet: String?
    /// Codes that are answers but not values (don't know, refused, …): user-missing in SPSS,
    /// extended missing (`.d`, `.r`, …) in Stata.
    public var missing: [MissingCode]
    /// The questionnaire versions that have the variable (for the codebook).
    public var versions: [Int]

    public init(name: String, label: String, kind: Kind, valueLabels: [ValueLabel] = [], labelSet: String? = nil,
                missing: [MissingCode] = [], versions: [Int] = []) {
        self.name = name
        self.label = label
        self.kind = kind
        self.valueLabels = valueLabels
        self.labelSet = labelSet
        self.missing = missing
        self.versions = versions
    }
}

public struct ValueLabel: Sendable, Equatable {
    public var code: Int
    public var label: String

    public init(code: Int, label: String) {
        self.code = code
        self.label = label
    }
}

/// A code that stands for a kind of missing answer.
public struct MissingCode: Sendable, Equatable {
    public var code: Int
    public var label: String
    /// The Stata extended-missing letter (`d` for `.d`).
    public var stataTag: Character

    public init(code: Int, label: String, stataTag: Character) {
        self.code = code
        self.label = label
        self.stataTag = stataTag
    }
}
