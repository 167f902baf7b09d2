/// A problem writing an export: the library that writes the format refused, or the data does
/// not fit the format. The description is one line: `FILE: what is wrong; what to do`.
public struct ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let message: String
    public let hint: String

    public init(file: String, message: String, hint: String) {
        self.file = file
        self.message = message
        self.hint = hint
    }

    public var description: String {
        hint.isEmpty ? "\(file): \(message)" : "\(file): \(message); \(hint)"
    }
}
