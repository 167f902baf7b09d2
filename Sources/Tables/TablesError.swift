/// A problem reading or writing a table, located as precisely as the input allows.
///
/// The description is one line in the form compilers use, so editors and terminals can jump to it:
/// `FILE:LINE:COLUMN: what is wrong; what to do`. Lines and columns are 1-based; columns count
/// characters, not bytes.
public struct TablesError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The file could not be opened, read or written.
        case io
        /// The bytes are not text in the expected encoding.
        case encoding
        /// The text is not well-formed CSV (quotes, ragged rows, empty file).
        case syntax
        /// The columns are not what the caller needs (unknown or duplicate names, wrong type).
        case schema
        /// A value is not acceptable (duplicate key, missing where required).
        case value
    }

    public let kind: Kind
    public let file: String
    public let line: Int?
    public let column: Int?
    /// What is wrong.
    public let message: String
    /// What to do about it.
    public let hint: String

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return hint.isEmpty ? "\(location): \(message)" : "\(location): \(message); \(hint)"
    }
}
