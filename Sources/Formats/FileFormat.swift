public import Tables

/// A file format that one pingyi command writes and others read: its name and version, written
/// into every file as the last column, `format`, whose value is `NAME/VERSION` (`scores/2`) on
/// every row. The respondent list is the exception: its bytes are what its manifest's SHA-256
/// and `pingyi sample verify` hold, so its format is recorded in the manifest
/// (``RespondentListFormat``).
///
/// Readers check the column (``check(_:)``): a file of another format or another version is
/// refused with what it is and what to do. A file without the column — made by hand, by R, or
/// by a pingyi from before format versions — is read when it has the required columns.
public struct FileFormat: Sendable, Hashable, CustomStringConvertible {
    /// The format's name, e.g. `scores`.
    public let name: String
    /// The version this pingyi writes and reads.
    public let version: Int
    /// What the file is, for messages: `a score file (pingyi score)`.
    public let what: String
    /// What to do with a file of another version.
    public let remedy: String

    public init(name: String, version: Int, what: String, remedy: String) {
        self.name = name
        self.version = version
        self.what = what
        self.remedy = remedy
    }

    /// The name of the column that carries the format.
    public static let column = "format"

    /// `NAME/VERSION`, the value of the format column.
    public var tag: String { "\(name)/\(version)" }
    public var description: String { tag }

    /// Parses `NAME/VERSION`.
    public static func parse(_ tag: String) -> (name: String, version: Int)? {
        guard let slash = tag.lastIndex(of: "/"), let version = Int(tag[tag.index(after: slash)...]) else { return nil }
        return (String(tag[..<slash]), version)
    }

    /// Checks a table's `format` column, when it has one: every row must say this format and
    /// version.
    /// - Throws: ``TablesError`` (schema) naming the format and version the file says it is.
    public func check(_ table: Table) throws(TablesError) {
        guard let i = table.index(of: FileFormat.column) else { return }
        let column = table.columns[i]
        var last: String? = nil
        for r in 0..<table.rowCount {
            let value = column.string(r)
            if value == last { continue }
            last = value
            guard let value, let (name, version) = FileFormat.parse(value) else {
                throw TablesError(.schema, file: table.source, line: table.line(of: r), column: i + 1,
                                  message: "field format: '\(column.string(r) ?? "")' is not a pingyi file format (NAME/VERSION)",
                                  hint: "give \(what) as pingyi wrote it")
            }
            if name != self.name {
                throw TablesError(.schema, file: table.source, line: table.line(of: r), column: i + 1,
                                  message: "the file is a pingyi \(name) file (format \(value)), not \(what)",
                                  hint: "give \(what)")
            }
            if version != self.version {
                let newer = version > self.version
                throw TablesError(.schema, file: table.source, line: table.line(of: r), column: i + 1,
                                  message: "\(what) of format version \(version) (\(value)); this pingyi reads version \(self.version)",
                                  hint: newer ? "use the pingyi that wrote it, or a newer one" : remedy)
            }
        }
    }
}

/// Column names of one file, with the format column last: for writers.
extension Array where Element == String {
    /// These names followed by the format column.
    public func withFormat() -> [String] { self + [FileFormat.column] }
}
