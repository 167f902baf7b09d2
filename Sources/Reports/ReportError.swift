public import Composite
public import Sampling

/// A problem with a report's inputs or outputs, in one line:
/// `FILE[:LINE[:COLUMN]]: what is wrong; what to do`, of kind data (exit status 65) or usage (an
/// unreadable file, options that do not fit, an output folder that cannot be written; 64).
/// The same located error as the composite calculation's, whose inputs a report reads too.
public typealias ReportError = CompositeError

extension CompositeError {
    /// A manifest or design that cannot be read.
    public init(_ error: SamplingError) {
        switch error {
        case .design(let e): self.init(e)
        case .frame(let e): self.init(e)
        case let .draw(file, line, message, hint): self.init(file: file, line: line, message: message, hint: hint)
        case let .verification(file, message, hint): self.init(file: file, message: message, hint: hint)
        case let .missingInput(file, what): self.init(.usage, file: file, message: "cannot read the \(what)", hint: "check the path")
        case .usage(let message): self.init(.usage, file: "", message: message, hint: "")
        }
    }
}
