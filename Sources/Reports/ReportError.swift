public import Composite
public import Definitions
public import Sampling
public import Tables

/// A problem with a report's inputs or outputs, in one line:
/// `FILE[:LINE[:COLUMN]]: what is wrong; what to do`. Messages about a CSV cell name the field
/// and the unit.
public struct ReportError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// An input says something wrong or does not fit the others (exit status 65).
        case data
        /// The command was used wrongly: a file that cannot be read, options that do not fit
        /// together, an output folder that cannot be written (exit status 64).
        case usage
    }

    public let kind: Kind
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String
    public let hint: String

    public init(_ kind: Kind = .data, file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String = "") {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// A CSV file that cannot be read (usage) or is malformed (data).
    public init(_ error: TablesError) {
        self.init(error.kind == .io ? .usage : .data, file: error.file, line: error.line, column: error.column,
                  message: error.message, hint: error.hint)
    }

    public init(_ error: CompositeError) {
        self.init(error.kind == .usage ? .usage : .data, file: error.file, line: error.line, column: error.column,
                  message: error.message, hint: error.hint)
    }

    public init(_ error: DefinitionError) {
        self.init(.data, file: error.file, line: error.line, column: error.column, message: error.message, hint: error.hint)
    }

    /// A manifest or design that cannot be read.
    public init(_ error: SamplingError) {
        switch error {
        case .design(let e): self.init(e)
        case .frame(let e): self.init(e)
        case let .draw(file, line, message, hint): self.init(file: file, line: line, message: message, hint: hint)
        case let .verification(file, message, hint): self.init(file: file, message: message, hint: hint)
        case let .missingInput(file, what): self.init(.usage, file: file, message: "cannot read the \(what)", hint: "check the path")
        }
    }

    /// The one-line form every pingyi error has (``TablesError``'s).
    public var description: String {
        TablesError(.value, file: file, line: line, column: column, message: message, hint: hint).description
    }
}
