import Formats
import Tables

/// An input CSV with the checks every composite input needs: required and optional columns,
/// trimmed text cells, numbers parsed with a located error, duplicate keys named with both lines.
struct InputTable {
    let table: Table
    /// What the file is, for hints ("the components file").
    let role: String

    var file: String { table.source }
    var rowCount: Int { table.rowCount }

    /// - Parameter format: the pingyi format the file is, when it is one; its `format` column (if
    ///   any) must say so.
    init(_ table: Table, role: String, required: [String], format: FileFormat? = nil) throws(CompositeError) {
        self.table = table
        self.role = role
        do { try format?.check(table) } catch { throw CompositeError(error) }
        for name in required where table.index(of: name) == nil {
            throw CompositeError(file: table.source, line: 1, message: "no column named '\(name)' (the \(role) needs \(required.joined(separator: ",")))",
                                 hint: "the columns are \(table.names.joined(separator: ", "))")
        }
    }

    func line(_ row: Int) -> Int { table.line(of: row) }

    func has(_ name: String) -> Bool { table.index(of: name) != nil }

    /// The trimmed text of a cell; nil when the column is absent or the cell empty.
    func text(_ name: String, _ row: Int) -> String? {
        guard let i = table.index(of: name), let raw = table.columns[i].string(row) else { return nil }
        let trimmed = raw.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The text of a cell that must not be empty.
    func required(_ name: String, _ row: Int) throws(CompositeError) -> String {
        guard let value = text(name, row) else {
            throw error(row, field: name, "is empty", hint: "fill in \(name) in every row of the \(role)")
        }
        return value
    }

    /// A numeric cell; nil when empty.
    func number(_ name: String, _ row: Int) throws(CompositeError) -> Double? {
        guard let i = table.index(of: name) else { return nil }
        let column = table.columns[i]
        if let value = column.number(row) { return value }
        guard let text = text(name, row) else { return nil }
        guard let value = parseDecimal(text) else {
            throw error(row, field: name, "'\(text)' is not a number", hint: "write a plain number such as 85.5")
        }
        return value
    }

    func requiredNumber(_ name: String, _ row: Int) throws(CompositeError) -> Double {
        guard let value = try number(name, row) else {
            throw error(row, field: name, "is empty", hint: "fill in \(name) in every row of the \(role)")
        }
        return value
    }

    /// An error at a row and field: `FILE:LINE: field NAME: MESSAGE; HINT`.
    func error(_ row: Int, field: String, _ message: String, hint: String = "") -> CompositeError {
        CompositeError(file: file, line: line(row), message: "field \(field): \(message)", hint: hint)
    }

    /// An error about a whole row.
    func rowError(_ row: Int, _ message: String, hint: String = "") -> CompositeError {
        CompositeError(file: file, line: line(row), message: message, hint: hint)
    }
}

/// Finds repeated keys, naming the line of the first occurrence.
struct DuplicateCheck {
    private var seen: [String: Int] = [:]

    /// Throws when `key` was seen before.
    mutating func check(_ key: [String], in input: InputTable, row: Int, what: String) throws(CompositeError) {
        let joined = key.joined(separator: "\u{1F}")
        if let first = seen[joined] {
            throw input.rowError(row, "duplicate row: \(what) (also on line \(first))", hint: "keep one of the two rows")
        }
        seen[joined] = input.line(row)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
