public import Definitions
public import Tables

/// A problem with a design, a frame, or the draw itself, in one line:
/// `FILE[:LINE[:COLUMN]]: what is wrong; what to do`. Problems found while drawing name the
/// stratum or unit concerned.
public enum SamplingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The design file is malformed.
    case design(DefinitionError)
    /// The frame file cannot be read or lacks what the design needs.
    case frame(TablesError)
    /// The frame and design are readable but cannot be drawn from (too few units, bad sizes…).
    case draw(file: String, line: Int?, message: String, hint: String)
    /// A manifest cannot be read, or a re-draw does not match it.
    case verification(file: String, message: String, hint: String)
    /// A file named on the command line is missing (a usage problem).
    case missingInput(file: String, what: String)
    /// Options that do not fit the design (a usage problem).
    case usage(message: String)

    public var description: String {
        switch self {
        case .design(let e): return e.description
        case .frame(let e): return e.description
        case let .draw(file, line, message, hint):
            return locatedDescription(file: file, line: line, message: message, hint: hint)
        case let .verification(file, message, hint):
            return locatedDescription(file: file, line: nil, message: message, hint: hint)
        case let .missingInput(file, what):
            return "\(file): cannot read the \(what); check the path"
        case .usage(let message):
            return message
        }
    }

    /// Whether this is bad usage (exit 64) rather than bad data (exit 65).
    public var isUsage: Bool {
        switch self {
        case .missingInput, .usage: true
        case .frame(let e): e.kind == .io
        default: false
        }
    }
}
