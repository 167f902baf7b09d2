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
        /// An output path that must not be written: an input of the command, a store, a device
        /// or FIFO, a dangling link. Refused before anything is written (bad usage).
        case output
        /// Writing an output failed (disk full, no permission, missing folder); the previous
        /// file, if any, is kept.
        case write
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

    /// The exit status the command line gives this error (sysexits.h): 64 (EX_USAGE) for an input
    /// that cannot be opened or an output that must not be written, 74 (EX_IOERR) for an output
    /// that could not be written, 65 (EX_DATAERR) for bad data.
    public var exitStatus: Int32 {
        switch kind {
        case .io, .output: 64
        case .write: 74
        case .encoding, .syntax, .schema, .value: 65
        }
    }

    public var description: String {
        locatedDescription(file: file, line: line, column: column, message: message, hint: hint)
    }
}

/// The one form of every located message pingyi prints: `FILE[:LINE[:COLUMN]]: what is wrong;
/// what to do` (the form compilers use, so editors and terminals can jump to the place).
///
/// A table read from a spreadsheet names its sheet, and its rows and cells as the sheet does:
/// `roster.xlsx: sheet 名单, row 17: …` or `roster.xlsx: sheet 名单, cell D17: …`.
public func locatedDescription(file: String, line: Int?, column: Int? = nil, message: String, hint: String) -> String {
    var location = file
    if let (book, sheet) = spreadsheetLocation(file) {
        location = "\(book): sheet \(sheet)"
        if let line { location += column.map { ", cell \(columnLetters($0))\(line)" } ?? ", row \(line)" }
    } else if let line {
        location += ":\(line)"
        if let column { location += ":\(column)" }
    }
    return hint.isEmpty ? "\(location): \(message)" : "\(location): \(message); \(hint)"
}
