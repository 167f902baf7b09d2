public import Definitions
public import Tables

/// A problem with a composite scheme or with the inputs of a composite calculation, located as
/// precisely as the file allows.
///
/// The description is one line: `FILE:LINE[:COLUMN]: what is wrong; what to do`. Messages about a
/// CSV cell name the field (column) and the unit, e.g.
/// `components.csv:14: field value: 104 is outside 0–100 (unit D03, component leader); …`.
public struct CompositeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The scheme or an input file says something wrong (exit status 65).
        case data
        /// The command was used wrongly: a file that cannot be opened, an input the scheme needs
        /// but that was not given (exit status 64).
        case usage
        /// An output could not be written: disk full, no permission (exit status 74).
        case write
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

    /// A scheme error raised while reading YAML.
    public init(_ error: DefinitionError) {
        self.init(.data, file: error.file, line: error.line, column: error.column, message: error.message, hint: error.hint)
    }

    /// A table error raised while reading a CSV file or writing an output; a file that cannot be
    /// read, or an output that must not be written, is a usage error.
    public init(_ error: TablesError) {
        let kind: Kind = switch error.kind {
        case .io, .output: .usage
        case .write: .write
        case .encoding, .syntax, .schema, .value: .data
        }
        self.init(kind, file: error.file, line: error.line, column: error.column, message: error.message, hint: error.hint)
    }

    /// The exit status of the command line (sysexits.h): 64, 65 or 74.
    public var exitStatus: Int32 {
        switch kind {
        case .data: 65
        case .usage: 64
        case .write: 74
        }
    }

    public var description: String {
        locatedDescription(file: file, line: line, column: column, message: message, hint: hint)
    }
}
