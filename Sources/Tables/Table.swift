/// A table read from a file: named, typed columns of equal length.
public struct Table: Sendable {
    /// The file the table came from, as the user named it (used in error messages).
    public let source: String
    /// The encoding the file was in.
    public let encoding: TextEncoding
    public let columns: [Column]
    public let rowCount: Int
    /// Where each row's record starts in the file.
    let lineIndex: LineIndex
    /// The file's columns whose values were not read (``CSVOptions/columns``), or nil.
    let unread: UnreadColumns?

    public init(source: String, encoding: TextEncoding = .utf8, columns: [Column], lines: [Int]? = nil) {
        self.source = source
        self.encoding = encoding
        self.columns = columns
        self.rowCount = columns.first?.count ?? 0
        self.lineIndex = lines.map { .explicit($0) } ?? .jumps([LineJump(row: 0, line: 2)])
        self.unread = nil
    }

    init(source: String, encoding: TextEncoding, columns: [Column], rowCount: Int? = nil, lineIndex: LineIndex,
         unread: UnreadColumns? = nil) {
        self.source = source
        self.encoding = encoding
        self.columns = columns
        self.rowCount = rowCount ?? columns.first?.count ?? 0
        self.lineIndex = lineIndex
        self.unread = unread
    }

    /// The 1-based line of the file where row `row` (0-based) starts.
    public func line(of row: Int) -> Int {
        lineIndex.line(of: row)
    }

    /// The names of the columns read.
    public var names: [String] { columns.map(\.name) }

    /// The names of all the file's columns, in its order: ``names`` and those whose values were
    /// not read (``CSVOptions/columns``).
    public var fileNames: [String] { unread?.names ?? names }

    /// The 1-based position in the file of column `index` of ``columns``: the same number when
    /// every column was read, its place among all the file's columns when some were not
    /// (``CSVOptions/columns``), so that a message names the file's column.
    public func fileColumn(_ index: Int) -> Int {
        guard let unread, let position = unread.positions.firstIndex(of: index) else { return index + 1 }
        return position + 1
    }

    /// The index of the column called `name`, or nil.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The column called `name`.
    /// - Throws: ``TablesError`` naming the file and listing the columns it has.
    public func column(_ name: String, purpose: String? = nil) throws(TablesError) -> Column {
        guard let i = index(of: name) else {
            let why = purpose.map { " (\($0))" } ?? ""
            throw TablesError(.schema, file: source, line: 1,
                              message: "no column named '\(name)'\(why)", hint: columnsHint)
        }
        return columns[i]
    }

    /// "the columns are …", or, when the file looks delimited otherwise than it was read (one
    /// column whose name holds tabs or semicolons), what to do about that.
    public var columnsHint: String {
        let names = fileNames
        if names.count == 1, let only = names.first {
            if only.contains("\t") { return "the file seems to be tab-delimited (its one column is '\(only)'): read it with --delimiter tab" }
            if only.contains(";") { return "the file seems to be delimited by semicolons (its one column is '\(only)'): save it with commas" }
        }
        return "the columns are \(names.joined(separator: ", "))"
    }

    /// Values of `name` that occur in more than one row, each with the lines where they occur,
    /// in order of first occurrence. Missing cells are not keys and are not reported.
    public func duplicates(in name: String) throws(TablesError) -> [Duplicate] {
        let column = try column(name, purpose: "the identifier")
        let factor = column.factorize()
        var rowsByCode = [[Int]](repeating: [], count: factor.levels.count)
        for row in 0..<rowCount {
            let code = factor.codes[row]
            if code >= 0 { rowsByCode[Int(code)].append(row) }
        }
        return rowsByCode.enumerated().compactMap { code, rows in
            rows.count > 1 ? Duplicate(value: factor.levels[code], lines: rows.map { line(of: $0) }) : nil
        }
    }

    /// Throws on the first duplicate value of `name`, naming both lines.
    public func requireUnique(_ name: String) throws(TablesError) {
        if let first = try duplicates(in: name).first {
            throw TablesError(.value, file: source, line: first.lines[1],
                              message: "duplicate \(name) '\(first.value)' (also on line \(first.lines[0]))",
                              hint: "every row needs its own \(name); remove or renumber the repeated row")
        }
    }

    /// Throws on the first missing cell of `name`.
    public func requireComplete(_ name: String, purpose: String) throws(TablesError) {
        let column = try column(name, purpose: purpose)
        guard let missing = column.missing, let row = missing.firstIndex(of: true) else { return }
        throw TablesError(.value, file: source, line: line(of: row),
                          message: "column '\(name)' is empty in this row, but it is \(purpose)",
                          hint: "fill in \(name) for every row")
    }

    /// A new table with only the given rows, in the given order; with every column of the file,
    /// those whose values were not read too (read now for these rows).
    public func rows(_ selection: [Int]) -> Table {
        let lines = selection.map { line(of: $0) }
        guard let unread else {
            return Table(source: source, encoding: encoding, columns: columns.map { $0.select(selection) }, lines: lines)
        }
        let read = unread.columns(selection)
        let all = unread.positions.indices.map { c in unread.positions[c].map { columns[$0].select(selection) } ?? read[c]! }
        return Table(source: source, encoding: encoding, columns: all, lines: lines)
    }
}

/// A value that occurs more than once in a key column.
public struct Duplicate: Sendable, Equatable, Codable {
    public let value: String
    public let lines: [Int]
}

extension Column {
    /// A column with only the given rows, in the given order.
    public func select(_ rows: [Int]) -> Column {
        let newMissing = missing.map { m in rows.map { m[$0] } }
        switch values {
        case .integer(let v): return Column(name: name, values: .integer(rows.map { v[$0] }), missing: newMissing)
        case .decimal(let v): return Column(name: name, values: .decimal(rows.map { v[$0] }), missing: newMissing)
        case .text(let v):
            let out = v.select(rows)
            return Column(name: name, values: .text(out), missing: newMissing)
        }
    }
}

/// Line numbers of rows: explicit, or as the few places where they stop counting up by one.
enum LineIndex: Sendable {
    case explicit([Int])
    /// Sorted by row; row 0 always present.
    case jumps([LineJump])

    func line(of row: Int) -> Int {
        switch self {
        case .explicit(let lines):
            return lines[row]
        case .jumps(let jumps):
            // The last jump at or before `row`.
            var low = 0
            var high = jumps.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if jumps[mid].row <= row { low = mid } else { high = mid - 1 }
            }
            let jump = jumps[low]
            return jump.line + (row - jump.row)
        }
    }
}

/// The columns of a CSV file whose values were not read (``CSVOptions/columns``): their types, as
/// a whole read gives them, and where each record starts, to read their cells for a few rows.
struct UnreadColumns: Sendable {
    let buffer: ByteBuffer
    let delimiter: UInt8
    /// Every column of the file, in its order.
    let names: [String]
    /// For each column of the file, its index among the table's columns; nil when not read.
    let positions: [Int?]
    /// For each column of the file that was not read, its type.
    let types: [ColumnType?]
    /// The offset in `buffer` where each row's record starts.
    let recordStarts: [Int]

    /// The unread columns' values at `rows`, by column of the file (nil for the columns read).
    ///
    /// The rows' records are copied (a mapped file's read from the file, not faulted in) one
    /// after another and parsed as a file of their own, each column as its whole-file type.
    func columns(_ rows: [Int]) -> [Column?] {
        var ranges: [(Int, Int)] = []
        var total = 0
        for r in rows {
            let start = recordStarts[r]
            let end = r + 1 < recordStarts.count ? recordStarts[r + 1] : buffer.count
            ranges.append((start, end))
            total += end - start + 2
        }
        let records = ByteBuffer.allocate(count: total)
        var used = 0
        for (start, end) in ranges {
            let bytes = buffer.copy(from: start, count: end - start)
            (records.base + used).update(from: bytes, count: bytes.count)
            used += bytes.count
            // The last record of a file may lack its line feed.
            if bytes.last != 0x0A {
                records.base[used] = 0x0A
                used += 1
            }
        }
        let scanner = CSVScanner(buffer: records, fileEnd: used, delimiter: delimiter, columns: names.count)
        let chunk = scanner.scan(from: 0, limit: used)
        precondition(chunk.failure == nil && chunk.rowCount == rows.count, "records that scanned whole before must scan again")
        return types.indices.map { c in
            types[c].map { type in
                ColumnParser(buffer: records, chunks: [chunk], columns: names.count, index: c, rowCount: rows.count)
                    .parse(name: names[c], as: type).column
            }
        }
    }
}
