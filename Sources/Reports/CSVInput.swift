import Formats
import Composite
import Tables

/// One CSV input of a report, read with its required columns checked, and cells read with errors
/// that name the file, line and field.
struct CSVInput {
    let table: Table
    /// What the file is, in messages ("the scores file (pingyi score output)").
    let role: String

    var file: String { table.source }
    var rows: Range<Int> { 0..<table.rowCount }

    /// Reads `path`. A file that cannot be read is a usage error; a column in `required` that the
    /// file lacks is a data error at line 1 that lists the file's columns.
    /// - Parameter format: the pingyi format the file is; its `format` column (if any) must say so.
    init(path: String, options: CSVOptions, role: String, required: [String], format: FileFormat? = nil) throws(ReportError) {
        do {
            table = try TableFile.read(path: path, options: options)
            try format?.check(table)
        } catch {
            throw ReportError(error)
        }
        self.role = role
        let missing = required.filter { table.index(of: $0) == nil }
        if !missing.isEmpty {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw ReportError(file: table.source, line: 1,
                              message: "no column \(names) (\(role) needs \(required.joined(separator: ",")))",
                              hint: "the columns are \(table.names.joined(separator: ", "))")
        }
    }

    func has(_ name: String) -> Bool { table.index(of: name) != nil }

    /// The cell's text with spaces trimmed; nil when the column is absent or the cell is empty.
    func text(_ row: Int, _ name: String) -> String? {
        guard let i = table.index(of: name), let raw = table.columns[i].string(row) else { return nil }
        let trimmed = raw.trimmedSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    func requiredText(_ row: Int, _ name: String) throws(ReportError) -> String {
        guard let value = text(row, name) else { throw error(row, name, "is empty", hint: "fill it in on every row of \(role)") }
        return value
    }

    /// The cell as a number; nil when empty. Text that is not a number is an error.
    func number(_ row: Int, _ name: String) throws(ReportError) -> Double? {
        guard let i = table.index(of: name) else { return nil }
        if let value = table.columns[i].number(row) { return value }
        guard let text = text(row, name) else { return nil }
        guard let value = parseDecimal(text) else {
            throw error(row, name, "'\(text)' is not a number", hint: "write a plain number such as 0.85")
        }
        return value
    }

    func requiredNumber(_ row: Int, _ name: String) throws(ReportError) -> Double {
        guard let value = try number(row, name) else { throw error(row, name, "is empty", hint: "fill it in on every row of \(role)") }
        return value
    }

    /// A number that must lie in `range` when given.
    func number(_ row: Int, _ name: String, in range: ClosedRange<Double>, hint: String) throws(ReportError) -> Double? {
        guard let value = try number(row, name) else { return nil }
        guard range.contains(value) else {
            throw error(row, name, "\(formatDecimal(value)) is outside \(formatDecimal(range.lowerBound))–\(formatDecimal(range.upperBound))", hint: hint)
        }
        return value
    }

    /// A whole number ≥ 0 when given.
    func count(_ row: Int, _ name: String) throws(ReportError) -> Int? {
        guard let value = try number(row, name) else { return nil }
        guard value >= 0, value == value.rounded() else {
            throw error(row, name, "\(formatDecimal(value)) is not a count", hint: "write a whole number ≥ 0")
        }
        return Int(value)
    }

    /// `FILE:LINE: field NAME: MESSAGE; HINT`.
    func error(_ row: Int, _ field: String, _ message: String, hint: String) -> ReportError {
        ReportError(file: file, line: table.line(of: row), message: "field \(field): \(message)", hint: hint)
    }

    /// An error about a whole row.
    func rowError(_ row: Int, _ message: String, hint: String) -> ReportError {
        ReportError(file: file, line: table.line(of: row), message: message, hint: hint)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
