import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Options for reading a CSV file.
public struct CSVOptions: Sendable {
    /// The file's encoding, or nil to detect it (UTF-8, UTF-8 with BOM, GB18030).
    public var encoding: TextEncoding?
    /// The field delimiter: a comma, or a tab for tab-separated files.
    public var delimiter: UInt8
    /// Threads to parse with; defaults to the machine's cores.
    public var threads: Int
    /// The sheet to read from a workbook (.xlsx); the first when nil. Not used for CSV files.
    public var sheet: String?
    /// The columns whose values are read (a draw's design columns); nil for all. The other
    /// columns are checked and typed as usual, but their cells stay in the file until
    /// ``Table/rows(_:)`` reads them for the rows chosen. A CSV file is then read a segment of
    /// ``segmentBytes`` at a time, giving each segment's memory back before the next, so that a
    /// frame of tens of millions of rows is drawn from in less memory than the file's size.
    /// Workbooks are read whole.
    public var columns: Set<String>?
    /// The size of a segment when only some columns are read (tests make it small).
    public var segmentBytes = 256 << 20

    public init(encoding: TextEncoding? = nil, delimiter: UInt8 = UInt8(ascii: ","), threads: Int? = nil, sheet: String? = nil) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self.threads = max(1, threads ?? ProcessInfoLite.activeProcessorCount)
    }
}

/// Reads CSV files (RFC 4180) into typed columns.
///
/// Reading is done in two phases over the file held in memory: the record and field boundaries
/// are found in parallel over chunks of the file (each chunk guesses that it starts at a record and
/// is re-scanned if the previous chunk proves otherwise), then each column is converted to its
/// type in parallel across columns.
///
/// - Complexity: O(bytes) time; memory about the file's size plus 4 bytes per field.
public enum CSVReader {
    /// Reads the file at `path`.
    /// - Parameter name: how to name the file in errors (defaults to `path`).
    public static func read(path: String, name: String? = nil, options: CSVOptions = CSVOptions()) throws(TablesError) -> Table {
        let raw = try ByteBuffer.read(path: path, populate: options.columns == nil)
        return try parse(raw, name: name ?? path, options: options)
    }

    /// Reads CSV text held in memory (tests and small inputs).
    public static func read(bytes: some Collection<UInt8>, name: String, options: CSVOptions = CSVOptions()) throws(TablesError) -> Table {
        try parse(ByteBuffer(bytes), name: name, options: options)
    }

    static func parse(_ raw: ByteBuffer, name: String, options: CSVOptions) throws(TablesError) -> Table {
        // A NUL byte is never text: it would pass into lists, stores and exports unseen. A file
        // read in segments is looked through a segment at a time (``checkNUL(_:in:file:)``).
        let inSegments = options.columns != nil && raw.isMapped && raw.count > options.segmentBytes
        if !inSegments { try checkNUL(raw, in: 0..<raw.count, file: name) }
        var decoded = try TextDecoder.decode(raw, requested: options.encoding, file: name)
        while true {
            let outcome: Outcome
            if let wanted = options.columns {
                // A file decoded from GB18030 is in memory already: one segment.
                let segments = inSegments && decoded.text === raw
                if inSegments && !segments { try checkNUL(raw, in: 0..<raw.count, file: name) }
                outcome = try parse(decoded, raw: raw, name: name, options: options, wanted: wanted, segments: segments)
            } else {
                outcome = try parse(decoded, name: name, options: options)
            }
            switch outcome {
            case .table(let table):
                return table
            case .invalidUTF8(let offset):
                if decoded.tentative {
                    // Detected as UTF-8 from the file's start, but it is not: try GB18030.
                    decoded = try TextDecoder.decodeAsGB18030(raw, invalidUTF8At: offset, file: name)
                } else {
                    throw TextDecoder.invalidUTF8(decoded.text, at: offset, file: name, detecting: options.encoding == nil)
                }
            }
        }
    }

    /// Throws at the first NUL byte in `range` of the file.
    static func checkNUL(_ raw: ByteBuffer, in range: Range<Int>, file name: String) throws(TablesError) {
        guard range.count > 0, let nul = memchr(raw.base + range.lowerBound, 0, range.count) else { return }
        let offset = nul.assumingMemoryBound(to: UInt8.self) - raw.base
        let (line, column) = raw.location(of: offset)
        let utf16 = raw.count >= 2 && (raw[0] == 0xFF && raw[1] == 0xFE || raw[0] == 0xFE && raw[1] == 0xFF)
        throw TablesError(.encoding, file: name, line: utf16 ? 1 : line, column: utf16 ? 1 : column,
                          message: utf16 ? "the file is UTF-16 (Excel's \"Unicode text\"), which is not supported" : "a NUL byte (0x00) in the text",
                          hint: utf16 ? "save it from Excel as \"CSV UTF-8\" or \"CSV (逗号分隔)\""
                                      : "the file is damaged or not a text table: remove the NUL bytes, or export the table again")
    }

    private enum Outcome {
        case table(Table)
        case invalidUTF8(at: Int)
    }

    private static func parse(_ decoded: TextDecoder.Decoded, name: String, options: CSVOptions) throws(TablesError) -> Outcome {
        let text = decoded.text
        let header = try Header.parse(text, from: decoded.offset, delimiter: options.delimiter, file: name)
        if decoded.encoding != .gb18030, let bad = TextDecoder.firstInvalidUTF8(text.base, from: decoded.offset, to: header.end) {
            return .invalidUTF8(at: bad)
        }
        let scanner = CSVScanner(buffer: text, fileEnd: text.count, delimiter: options.delimiter, columns: header.names.count)
        let chunks = try scanChunks(scanner, from: header.end, threads: options.threads, header: header, file: name)
        let rowCount = chunks.reduce(0) { $0 + $1.rowCount }
        let columnCount = header.names.count
        let names = header.names
        let parsed = parallelMap(columnCount) { c in
            ColumnParser(buffer: text, chunks: chunks, columns: columnCount, index: c, rowCount: rowCount).parse(name: names[c])
        }
        if decoded.encoding != .gb18030, let bad = parsed.compactMap(\.invalidUTF8).min() {
            return .invalidUTF8(at: bad)
        }
        // Line numbers: shift each chunk's relative lines by the lines before it.
        var jumps: [LineJump] = []
        var line = header.lineCount + 1
        var row = 0
        for chunk in chunks {
            for jump in chunk.lineJumps {
                jumps.append(LineJump(row: row + jump.row, line: line + jump.line))
            }
            line += chunk.lineCount
            row += chunk.rowCount
        }
        if jumps.isEmpty { jumps.append(LineJump(row: 0, line: header.lineCount + 1)) }
        return .table(Table(source: name, encoding: decoded.encoding, columns: parsed.map(\.column), lineIndex: .jumps(jumps)))
    }

    /// Scans the records that start in `start..<end` (the file's end when nil), in parallel chunks.
    /// Reads the `wanted` columns' values and types the others (``CSVOptions/columns``), a
    /// segment of the file at a time when `segments`; the result is the table a whole read gives,
    /// less the other columns' values.
    ///
    /// Each segment is scanned, its wanted columns parsed and its other columns typed, and its
    /// pages and offsets given back before the next. A column read as different types in
    /// different segments (integers early, text later) is read again, in the segments whose type
    /// was narrower, as the whole column's type. Problems are raised in file order, so a file
    /// with two kinds of damage may name another first than a whole read; a NUL byte anywhere
    /// still comes first.
    private static func parse(_ decoded: TextDecoder.Decoded, raw: ByteBuffer, name: String, options: CSVOptions,
                              wanted: Set<String>, segments inSegments: Bool) throws(TablesError) -> Outcome {
        let text = decoded.text
        let header = try Header.parse(text, from: decoded.offset, delimiter: options.delimiter, file: name)
        if decoded.encoding != .gb18030, let bad = TextDecoder.firstInvalidUTF8(text.base, from: decoded.offset, to: header.end) {
            if inSegments { try checkNUL(raw, in: 0..<raw.count, file: name) }
            return .invalidUTF8(at: bad)
        }
        let names = header.names
        let columnCount = names.count
        var scanner = CSVScanner(buffer: text, fileEnd: text.count, delimiter: options.delimiter, columns: columnCount)
        // A segment's offsets are given back before the next segment is scanned, into its memory.
        if inSegments { scanner.pool = FieldBlocks.Pool(limit: 4 * options.threads + 4) }
        let kept = (0..<columnCount).filter { wanted.contains(names[$0]) }
        let typedOnly = (0..<columnCount).filter { !wanted.contains(names[$0]) }
        var parts = [[Column]](repeating: [], count: kept.count)
        var types = [ColumnType](repeating: .integer, count: typedOnly.count)
        var bounds: [(start: Int, limit: Int)] = []
        var recordStarts: [Int] = []
        var jumps: [LineJump] = []
        var line = header.lineCount + 1
        var row = 0
        var pos = header.end
        repeat {
            let limit = inSegments ? min(text.count, pos + max(options.segmentBytes, 1)) : text.count
            text.prefault(pos..<limit)
            let chunks: [ScannedChunk]
            do throws(TablesError) {
                chunks = try scanChunks(scanner, from: pos, to: limit, threads: options.threads, header: header, file: name)
            } catch {
                if inSegments { try checkNUL(raw, in: pos..<raw.count, file: name) }
                throw error
            }
            let end = chunks.last?.end ?? limit
            if inSegments { try checkNUL(raw, in: pos..<end, file: name) }
            let rowCount = chunks.reduce(0) { $0 + $1.rowCount }
            // The design's columns parsed and the others typed, all as one set of tasks.
            let typesBefore = types
            let work = parallelMap(kept.count + typedOnly.count) { t -> (column: Column?, type: ColumnType, invalidUTF8: Int?) in
                if t < kept.count {
                    let parsed = ColumnParser(buffer: text, chunks: chunks, columns: columnCount, index: kept[t], rowCount: rowCount,
                                              isPart: inSegments).parse(name: names[kept[t]])
                    return (parsed.column, parsed.column.type, parsed.invalidUTF8)
                }
                let k = t - kept.count
                let typed = ColumnParser(buffer: text, chunks: chunks, columns: columnCount, index: typedOnly[k], rowCount: rowCount)
                    .widen(from: typesBefore[k])
                return (nil, typed.type, typed.invalidUTF8)
            }
            let parsed = work.prefix(kept.count)
            let typed = work.dropFirst(kept.count)
            if decoded.encoding != .gb18030, let bad = (parsed.compactMap(\.invalidUTF8) + typed.compactMap(\.invalidUTF8)).min() {
                if inSegments { try checkNUL(raw, in: end..<raw.count, file: name) }
                return .invalidUTF8(at: bad)
            }
            for (k, part) in parsed.enumerated() { parts[k].append(part.column!) }
            types = typed.map(\.type)
            if !typedOnly.isEmpty && recordStarts.isEmpty && end > header.end {
                // Room for the whole file's rows, estimated from the first segment's, at once.
                recordStarts.reserveCapacity(Int(Double(rowCount) * Double(text.count - header.end) / Double(end - header.end) * 1.02) + 16)
            }
            for chunk in chunks {
                if !typedOnly.isEmpty {
                    _ = chunk.forEachBlock(column: 0, columns: columnCount) { _, n, starts, _, _ in
                        for r in 0..<n { recordStarts.append(chunk.base + Int(starts[r])) }
                        return true
                    }
                }
                for jump in chunk.lineJumps { jumps.append(LineJump(row: row + jump.row, line: line + jump.line)) }
                line += chunk.lineCount
                row += chunk.rowCount
            }
            bounds.append((pos, limit))
            if inSegments { text.release(pos..<end) }
            if end <= pos { break }
            pos = end
        } while inSegments && pos < text.count
        if jumps.isEmpty { jumps.append(LineJump(row: 0, line: header.lineCount + 1)) }
        // Join each column's parts; a part read as a narrower type than the whole column's is
        // read again as that type.
        for k in kept.indices where inSegments {
            let type = parts[k].map(\.type).reduce(ColumnType.integer) { $0.widened(to: $1) }
            for (i, part) in parts[k].enumerated() where part.type != type {
                text.prefault(bounds[i].start..<bounds[i].limit)
                let chunks = try scanChunks(scanner, from: bounds[i].start, to: bounds[i].limit, threads: options.threads, header: header, file: name)
                let rowCount = chunks.reduce(0) { $0 + $1.rowCount }
                parts[k][i] = ColumnParser(buffer: text, chunks: chunks, columns: columnCount, index: kept[k], rowCount: rowCount, isPart: true)
                    .parse(name: names[kept[k]], as: type).column
                text.release(bounds[i].start..<(chunks.last?.end ?? bounds[i].limit))
            }
        }
        let joining = parts
        parts = []
        let columns = parallelMap(kept.count) { k in inSegments ? Column.joining(joining[k], name: names[kept[k]]) : joining[k][0] }
        var positions = [Int?](repeating: nil, count: columnCount)
        for (i, c) in kept.enumerated() { positions[c] = i }
        var typeOf = [ColumnType?](repeating: nil, count: columnCount)
        for (i, c) in typedOnly.enumerated() { typeOf[c] = types[i] }
        let unread = typedOnly.isEmpty ? nil : UnreadColumns(buffer: text, delimiter: options.delimiter, names: names, positions: positions,
                                                             types: typeOf, recordStarts: recordStarts)
        return .table(Table(source: name, encoding: decoded.encoding, columns: columns, rowCount: row,
                            lineIndex: .jumps(jumps), unread: unread))
    }

    private static func scanChunks(_ scanner: CSVScanner, from start: Int, to limit: Int? = nil, threads: Int, header: Header,
                                   file: String) throws(TablesError) -> [ScannedChunk] {
        let end = limit ?? scanner.fileEnd
        let size = end - start
        let wanted = size < 1 << 20 || threads == 1 ? 1 : threads * 2
        let count = max(wanted, (size + (1 << 30) - 1) >> 30)
        // Guess chunk starts: just after a line feed near each even split.
        var starts = [start]
        let p = scanner.buffer.base
        for i in 1..<max(count, 1) {
            var s = start + size / count * i
            while s < end && p[s - 1] != 0x0A { s += 1 }
            if s > starts[starts.count - 1] && s < end { starts.append(s) }
        }
        let limits = Array(starts.dropFirst()) + [end]
        let guesses = starts
        let chunks = parallelMap(guesses.count) { i in scanner.scan(from: guesses[i], limit: limits[i]) }
        // Check each guess against where the previous chunk really ended; re-scan if it was wrong.
        var result: [ScannedChunk] = []
        result.reserveCapacity(chunks.count)
        for i in 0..<chunks.count {
            var chunk = chunks[i]
            if let previous = result.last {
                if previous.end >= limits[i] {
                    continue  // the previous chunk ran through this one (a long quoted field)
                }
                if previous.end != chunk.base {
                    chunk = scanner.scan(from: previous.end, limit: limits[i])
                }
            }
            if let failure = chunk.failure {
                throw error(for: failure, in: scanner, header: header, file: file)
            }
            result.append(chunk)
        }
        return result
    }

    private static func error(for failure: ScanFailure, in scanner: CSVScanner, header: Header, file: String) -> TablesError {
        let (line, column) = scanner.buffer.location(of: failure.offset)
        switch failure.reason {
        case .unclosedQuote(let field):
            return TablesError(.syntax, file: file, line: line, column: column,
                               message: "unclosed quote in field '\(header.names[field])'",
                               hint: "close the quote, and double any quote inside a quoted field (\"\")")
        case .textAfterQuote(let field):
            return TablesError(.syntax, file: file, line: line, column: column,
                               message: "text after the closing quote of field '\(header.names[field])'",
                               hint: "a quote inside a quoted field must be doubled (\"\")")
        case .fieldCount(let found):
            return TablesError(.syntax, file: file, line: line,
                               message: "this row has \(found) field\(found == 1 ? "" : "s") but the header has \(header.names.count)",
                               hint: "check for a missing or extra delimiter, and quote values that contain one")
        }
    }
}

/// The header record: column names.
struct Header {
    var names: [String]
    /// Offset just past the header record.
    var end: Int
    /// Lines the header occupies (more than one if a quoted name holds a line break).
    var lineCount: Int

    static func parse(_ text: ByteBuffer, from start: Int, delimiter: UInt8, file: String) throws(TablesError) -> Header {
        let p = text.base
        let n = text.count
        var pos = start
        var lines = 0
        // Leading blank lines are skipped.
        while pos < n, p[pos] == 0x0A || p[pos] == 0x0D {
            if p[pos] == 0x0A { lines += 1 }
            pos += 1
        }
        guard pos < n else {
            throw TablesError(.syntax, file: file, line: 1,
                              message: "the file is empty",
                              hint: "a CSV frame needs a header line with the column names, then one line per unit")
        }
        // Line breaks that are a carriage return alone (old Mac files, some exports): the whole
        // file would read as one line.
        if memchr(p + pos, 0x0A, n - pos) == nil, memchr(p + pos, 0x0D, n - pos) != nil {
            throw TablesError(.syntax, file: file, line: 1,
                              message: "the lines end in a carriage return alone (CR, old Mac style), so the file reads as one line",
                              hint: "save it with Windows (CRLF) or Unix (LF) line endings, e.g. from Excel as \"CSV UTF-8\"")
        }
        var names: [String] = []
        var field: [UInt8] = []
        while true {
            field.removeAll(keepingCapacity: true)
            let fieldStart = pos
            if p[pos] == 0x22 {
                pos += 1
                while true {
                    guard pos < n else {
                        let (line, column) = text.location(of: fieldStart)
                        throw TablesError(.syntax, file: file, line: line, column: column,
                                          message: "unclosed quote in column name \(names.count + 1) of the header",
                                          hint: "close the quote")
                    }
                    if p[pos] == 0x22 {
                        if pos + 1 < n && p[pos + 1] == 0x22 {
                            field.append(0x22)
                            pos += 2
                            continue
                        }
                        pos += 1
                        break
                    }
                    if p[pos] == 0x0A { lines += 1 }
                    field.append(p[pos])
                    pos += 1
                }
            } else {
                while pos < n, p[pos] != delimiter, p[pos] != 0x0A {
                    field.append(p[pos])
                    pos += 1
                }
                if field.last == 0x0D, pos >= n || p[pos] == 0x0A { field.removeLast() }
            }
            let name = String(decoding: field, as: UTF8.self).trimmingSpaces()
            guard !name.isEmpty else {
                throw TablesError(.schema, file: file, line: lines + 1,
                                  message: "column \(names.count + 1) of the header has no name",
                                  hint: "give every column a name in the first line")
            }
            if let earlier = names.firstIndex(of: name) {
                throw TablesError(.schema, file: file, line: lines + 1,
                                  message: "column name '\(name)' appears twice (columns \(earlier + 1) and \(names.count + 1))",
                                  hint: "rename one of them")
            }
            names.append(name)
            if pos >= n { break }
            if p[pos] == 0x0D, pos + 1 < n, p[pos + 1] == 0x0A { pos += 1 }
            if p[pos] == 0x0A {
                pos += 1
                lines += 1
                break
            }
            if p[pos] != delimiter {
                let (line, column) = text.location(of: pos)
                throw TablesError(.syntax, file: file, line: line, column: column,
                                  message: "text after the closing quote of column name \(names.count)",
                                  hint: "a quote inside a quoted name must be doubled (\"\")")
            }
            pos += 1
        }
        return Header(names: names, end: pos, lineCount: lines)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before] == " " || scalars[before] == "\t" else { break }
            end = before
        }
        return String(scalars[start..<end])
    }
}

/// The processor count without importing Foundation.
enum ProcessInfoLite {
    static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}



/// Reads an input table from a CSV file or an Excel workbook (.xlsx), told apart by their first
/// bytes (a workbook is a zip archive), not by the name, so that a renamed file still reads.
/// Every command that reads a frame or an input table reads it through here.
public enum TableFile {
    /// Reads the table at `path`; for a workbook, sheet `options.sheet` (the first when nil).
    /// - Parameter name: how to name the file in errors (defaults to `path`).
    public static func read(path: String, name: String? = nil, options: CSVOptions = CSVOptions()) throws(TablesError) -> Table {
        let file = name ?? path
        switch kind(of: path) {
        case .workbook:
            return try XLSXReader.read(path: path, name: file, sheet: options.sheet)
        case .legacyWorkbook:
            throw TablesError(.syntax, file: file, message: "is an Excel 97–2003 workbook (.xls), which is not read",
                              hint: "save it from Excel or WPS as an Excel workbook (.xlsx) or as CSV UTF-8")
        case .text:
            if let sheet = options.sheet {
                throw TablesError(.io, file: file, message: "--sheet \(sheet) was given, but the file is not a workbook (.xlsx)",
                                  hint: "leave out --sheet for a CSV file")
            }
            return try CSVReader.read(path: path, name: file, options: options)
        }
    }

    enum Kind { case workbook, legacyWorkbook, text }

    static func kind(of path: String) -> Kind {
        // Only a regular file is looked into: opening a FIFO would wait for a writer (the CSV
        // reader refuses what is not a file, with the reason).
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .text }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .text }  // the CSV reader says why it cannot be opened
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n == 8 else { return .text }
        if XLSXReader.looksLikeZip(head) { return .workbook }
        if head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] { return .legacyWorkbook }
        return .text
    }
}
