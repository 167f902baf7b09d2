import Tables

/// A problem in a definition file (a design, questionnaire, scale or scheme), located at the
/// line and column of the YAML node that holds it.
///
/// The description is one line: `FILE:LINE:COLUMN: what is wrong; what to do`.
public struct DefinitionError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String
    public let hint: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        locatedDescription(file: file, line: line, column: column, message: message, hint: hint)
    }
}
