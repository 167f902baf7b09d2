public import Tables

/// A problem with the answers, the design columns, or the estimation, in one line:
/// `FILE[:LINE]: what is wrong; what to do`.
public enum AnalyticsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The input file cannot be read or lacks a column.
    case input(TablesError)
    /// The data are readable but not a valid design (missing weights, fpc below the sample…).
    case data(file: String, line: Int?, message: String, hint: String)
    /// The estimate cannot be computed as asked (a lonely PSU under `--lonely-psu fail`…).
    case estimation(message: String, hint: String)
    /// Options that do not fit together.
    case usage(message: String)

    public var description: String {
        switch self {
        case .input(let e): return e.description
        case let .data(file, line, message, hint):
            return locatedDescription(file: file, line: line, message: message, hint: hint)
        case let .estimation(message, hint):
            return hint.isEmpty ? message : "\(message); \(hint)"
        case .usage(let message):
            return message
        }
    }

    public var isUsage: Bool {
        switch self {
        case .usage: true
        case .input(let e): e.kind == .io
        default: false
        }
    }
}
