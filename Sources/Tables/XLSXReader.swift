import Foundation

/// Reads one sheet of an Excel workbook (.xlsx, Office Open XML) into the same typed columns as
/// the same table saved as CSV.
///
/// The package is opened with `ZipReader`; the workbook, its relationships, shared strings and
/// styles are read whole, the worksheet is decompressed and scanned row by row as it streams.
/// The first row with a value is the header. Cells become the text Excel would save to CSV
/// (shared and inline strings, numbers as stored, dates as `YYYY-MM-DD`, booleans as TRUE and
/// FALSE), which the CSV reader's column typing then turns into integer, decimal or text columns;
/// so a frame gives the same table from either file. Blank rows are skipped; rows are numbered as
/// in the sheet, so every later error names the sheet and row (`roster.xlsx: sheet 名单, row 17`).
///
/// Refused, each with the cell: merged cells (a merged header, or a merged block that leaves all
/// but its first row empty), a formula whose result the file does not hold, an error value
/// (`#N/A`), a header cell without a name, a value right of the last named column.
public enum XLSXReader {
    /// Reads sheet `sheet` (the first visible sheet when nil) of the workbook at `path`.
    /// - Parameter name: how to name the file in errors (defaults to `path`).
    public static func read(path: String, name: String? = nil, sheet: String? = nil) throws(TablesError) -> Table {
        let file = name ?? path
        let book = try Workbook(path: path, file: file)
        let chosen = try book.sheet(named: sheet)
        let source = spreadsheetSource(file: file, sheet: chosen.name)
        var reader = SheetReader(source: source, sharedStrings: book.sharedStrings, dateStyles: book.dateStyles, date1904: book.date1904)
        try book.stream(chosen.part) { (bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws(TablesError) -> Int in
            try reader.consume(bytes, final: final)
        }
        return try reader.table()
    }

    /// The names of the workbook's sheets, in order.
    public static func sheetNames(path: String, name: String? = nil) throws(TablesError) -> [String] {
        try Workbook(path: path, file: name ?? path).sheets.map(\.name)
    }

    /// Whether the bytes at `path` start like a zip archive (an .xlsx workbook, whatever its name).
    static func looksLikeZip(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04
    }
}

/// `file` and `sheet` as a table's source: errors then read `file: sheet NAME, row 17` (or
/// `cell D17`) instead of `file:17`.
public func spreadsheetSource(file: String, sheet: String) -> String {
    file + String(spreadsheetMark) + sheet
}

/// The file and sheet of a table's source, when it names a sheet.
public func spreadsheetLocation(_ source: String) -> (file: String, sheet: String)? {
    guard let mark = source.firstIndex(of: spreadsheetMark) else { return nil }
    return (String(source[..<mark]), String(source[source.index(after: mark)...]))
}

/// Separates the file from the sheet in a table's source (the ASCII unit separator, which no file
/// name or sheet name holds).
let spreadsheetMark: Character = "\u{1F}"

/// Spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA.
func columnLetters(_ column: Int) -> String {
    var n = column
    var letters: [Character] = []
    while n > 0 {
        let r = (n - 1) % 26
        letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
        n = (n - 1) / 26
    }
    return String(letters.reversed())
}

/// The workbook's parts that say where its sheets are and how to read their cells.
struct Workbook {
    struct Sheet {
        let name: String
        let part: String
        let hidden: Bool
    }

    let file: String
    let archive: ZipReader
    let sheets: [Sheet]
    let sharedStrings: SharedStrings
    /// Cell style indexes (`s` attribute) whose number format is a date or time.
    let dateStyles: Set<Int>
    let date1904: Bool

    init(path: String, file: String) throws(TablesError) {
        self.file = file
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TablesError(.io, file: file, message: "cannot open the file (it does not exist or cannot be read)", hint: "check the path")
        }
        InputFiles.register(path)
        do {
            archive = try ZipReader(path: path)
        } catch {
            throw Self.damaged(file, detail: error.detail)
        }
        let rootRelations = try Self.relations(archive, "_rels/.rels", base: "", file: file)
        let workbookPart = rootRelations.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbookBytes = try Self.bytes(archive, workbookPart, file: file) else {
            throw Self.damaged(file, detail: "it has no workbook part (\(workbookPart))")
        }
        let base = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relationsPart = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let relations = try Self.relations(archive, relationsPart, base: base, file: file)
        var targets: [String: String] = [:]
        for r in relations { targets[r.id] = r.target }

        var sheets: [Sheet] = []
        var date1904 = false
        workbookBytes.withUnsafeBufferPointer { buffer in
            var x = XMLScanner(buffer.baseAddress!, count: buffer.count)
            while let event = x.next() {
                guard case .start(let tag) = event else { continue }
                if x.is(tag.local, "sheet"), let name = x.attribute("name", of: tag), let id = x.attribute("r:id", of: tag),
                   let target = targets[x.string(id)] {
                    let state = x.attribute("state", of: tag).map { x.string($0) } ?? "visible"
                    sheets.append(Sheet(name: x.string(name), part: target, hidden: state != "visible"))
                } else if x.is(tag.local, "workbookPr"), let flag = x.attribute("date1904", of: tag) {
                    let v = x.string(flag)
                    date1904 = v == "1" || v == "true"
                }
            }
        }
        guard !sheets.isEmpty else { throw Self.damaged(file, detail: "its workbook lists no sheets") }
        self.sheets = sheets
        self.date1904 = date1904
        let archive = self.archive
        if let part = relations.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target, let bytes = try Self.bytes(archive, part, file: file) {
            sharedStrings = SharedStrings(bytes)
        } else {
            sharedStrings = SharedStrings()
        }
        if let part = relations.first(where: { $0.type.hasSuffix("/styles") })?.target, let bytes = try Self.bytes(archive, part, file: file) {
            dateStyles = Self.dateStyles(bytes)
        } else {
            dateStyles = []
        }
    }

    func sheet(named name: String?) throws(TablesError) -> Sheet {
        guard let name else {
            return sheets.first { !$0.hidden } ?? sheets[0]
        }
        guard let sheet = sheets.first(where: { $0.name == name }) ?? sheets.first(where: { $0.name.trimmed == name.trimmed }) else {
            throw TablesError(.schema, file: file, message: "the workbook has no sheet named '\(name)'",
                              hint: "its sheets are \(sheets.map(\.name).joined(separator: ", ")); name one with --sheet")
        }
        return sheet
    }

    /// Decompresses `part` in chunks, handing `body` the unread bytes each time (and, at the end,
    /// `final`); `body` returns how many bytes it used, the rest is handed again with the next chunk.
    func stream(_ part: String, _ body: (UnsafeBufferPointer<UInt8>, Bool) throws(TablesError) -> Int) throws(TablesError) {
        guard let entry = archive[part] else { throw Self.damaged(file, detail: "the sheet's part \(part) is missing") }
        try Self.checkDeclaredSize(entry, part: part, file: file)
        var pending: [UInt8] = []
        try Self.extract(archive, entry, file: file) { (data) throws(TablesError) in
            pending.append(contentsOf: data)
            let used = try pending.withUnsafeBufferPointer { (b) throws(TablesError) in try body(b, false) }
            // A damaged sheet whose markup never ends would otherwise be read again and
            // again as it grows: no element of a worksheet is this long.
            if used == 0 && pending.count > Workbook.longestElement {
                throw Self.damaged(file, detail: "the sheet's part \(part) holds markup longer than \(Workbook.longestElement >> 20) MB that never ends")
            }
            pending.removeFirst(used)
        }
        _ = try pending.withUnsafeBufferPointer { (b) throws(TablesError) in try body(b, true) }
    }

    /// The most bytes the reader holds of one unfinished row of a sheet (no real row comes near).
    static let longestElement = 16 << 20

    /// Refuses a part whose declared size is beyond any workbook's (over 4 GB, or over 1,000
    /// times its compressed size: a "zip bomb"), before anything is decompressed.
    static func checkDeclaredSize(_ entry: ZipReader.Entry, part: String, file: String) throws(TablesError) {
        let declared = entry.uncompressedSize, compressed = entry.compressedSize
        if declared > 4 << 30 || (declared > 1 << 20 && declared / max(compressed, 1) > 1000) {
            throw damaged(file, detail: "its part \(part) declares \(declared) bytes from \(compressed) compressed (more than a workbook holds; the file is damaged or is not a workbook)")
        }
    }

    static func damaged(_ file: String, detail: String) -> TablesError {
        TablesError(.syntax, file: file, message: "is not a readable .xlsx workbook: \(detail)",
                    hint: "open it in Excel, WPS or LibreOffice and save it again as an Excel workbook (.xlsx)")
    }

    /// The whole of `part`, or nil when the package has no such part.
    static func bytes(_ archive: ZipReader, _ part: String, file: String) throws(TablesError) -> [UInt8]? {
        guard let entry = archive[part] else { return nil }
        try checkDeclaredSize(entry, part: part, file: file)
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 26)))
        try extract(archive, entry, file: file) { (data) throws(TablesError) in out.append(contentsOf: data) }
        return out
    }

    /// `archive.extract`, its failures worded as a damaged workbook (or `body`'s own error).
    static func extract(_ archive: ZipReader, _ entry: ZipReader.Entry, file: String,
                        _ body: (UnsafeBufferPointer<UInt8>) throws(TablesError) -> Void) throws(TablesError) {
        do {
            try archive.extract(entry, body)
        } catch {
            switch error {
            case .damaged(let damage): throw damaged(file, detail: damage.detail)
            case .refused(let refusal): throw refusal
            }
        }
    }

    struct Relation {
        let id: String
        let type: String
        let target: String
    }

    /// The relationships in `part`, targets resolved against the folder `base`.
    static func relations(_ archive: ZipReader, _ part: String, base: String, file: String) throws(TablesError) -> [Relation] {
        guard let bytes = try bytes(archive, part, file: file) else { return [] }
        return bytes.withUnsafeBufferPointer { buffer in
            var x = XMLScanner(buffer.baseAddress!, count: buffer.count)
            var out: [Relation] = []
            while let event = x.next() {
                guard case .start(let tag) = event, x.is(tag.local, "Relationship"),
                      let id = x.attribute("Id", of: tag), let target = x.attribute("Target", of: tag) else { continue }
                let type = x.attribute("Type", of: tag).map { x.string($0) } ?? ""
                out.append(Relation(id: x.string(id), type: type, target: resolve(x.string(target), base: base)))
            }
            return out
        }
    }

    static func resolve(_ target: String, base: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = base.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    /// Indexes into `cellXfs` whose number format shows a date or a time.
    static func dateStyles(_ bytes: [UInt8]) -> Set<Int> {
        bytes.withUnsafeBufferPointer { buffer in
            var x = XMLScanner(buffer.baseAddress!, count: buffer.count)
            var customDates: Set<Int> = []
            var styles: Set<Int> = []
            var inCellXfs = false
            var index = 0
            while let event = x.next() {
                switch event {
                case .start(let tag):
                    if x.is(tag.local, "numFmt"), let id = x.attribute("numFmtId", of: tag).flatMap({ Int(x.string($0)) }),
                       let code = x.attribute("formatCode", of: tag), isDateFormat(x.string(code)) {
                        customDates.insert(id)
                    } else if x.is(tag.local, "cellXfs") {
                        inCellXfs = !tag.selfClosing
                    } else if inCellXfs, x.is(tag.local, "xf") {
                        let id = x.attribute("numFmtId", of: tag).flatMap { Int(x.string($0)) } ?? 0
                        if builtInDateFormats.contains(id) || customDates.contains(id) { styles.insert(index) }
                        index += 1
                    }
                case .end(let name):
                    if x.is(name, "cellXfs") { inCellXfs = false }
                default:
                    break
                }
            }
            return styles
        }
    }

    /// Excel's built-in number formats that show dates or times (with the East Asian ones).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a custom number format shows a date or a time: it has a date or time letter
    /// outside quoted text, escapes and bracketed colours or locales.
    static func isDateFormat(_ code: String) -> Bool {
        if code.lowercased().hasPrefix("general") { return false }
        var quoted = false
        var bracket = false
        var skip = false
        for ch in code {
            if skip { skip = false; continue }
            if quoted { if ch == "\"" { quoted = false }; continue }
            if bracket {
                if ch == "]" { bracket = false }
                else if "hHmMsS".contains(ch) { return true }  // [h]:mm elapsed time
                continue
            }
            switch ch {
            case "\"": quoted = true
            case "[": bracket = true
            case "\\", "_", "*": skip = true
            case "y", "Y", "d", "D", "h", "H", "s", "S", "m", "M": return true
            case ";": return false  // only the first section decides
            default: break
            }
        }
        return false
    }
}

/// The workbook's shared strings, back to back.
struct SharedStrings {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]

    init() {}

    /// Each `<si>`: its `<t>` runs joined, phonetic runs (`<rPh>`) left out, Excel's `_xHHHH_`
    /// escapes decoded.
    init(_ data: [UInt8]) {
        data.withUnsafeBufferPointer { buffer in
            var x = XMLScanner(buffer.baseAddress!, count: buffer.count)
            var inItem = false
            var inText = false
            var phonetic = 0
            var raw: [UInt8] = []
            while let event = x.next() {
                switch event {
                case .start(let tag):
                    if x.is(tag.local, "si") {
                        inItem = !tag.selfClosing
                        raw.removeAll(keepingCapacity: true)
                        if tag.selfClosing { offsets.append(bytes.count) }
                    } else if x.is(tag.local, "rPh") {
                        if !tag.selfClosing { phonetic += 1 }
                    } else if x.is(tag.local, "t") {
                        inText = inItem && phonetic == 0 && !tag.selfClosing
                    }
                case .end(let name):
                    if x.is(name, "t") {
                        inText = false
                    } else if x.is(name, "rPh") {
                        phonetic = max(0, phonetic - 1)
                    } else if x.is(name, "si") {
                        appendUnescaped(raw, to: &bytes)
                        offsets.append(bytes.count)
                        inItem = false
                    }
                case .text(let r):
                    if inText { x.decode(r, into: &raw) }
                case .cdata(let r):
                    if inText { raw.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[r])) }
                }
            }
        }
    }

    var count: Int { offsets.count - 1 }
}

/// Excel writes characters XML cannot hold (and a literal `_x` sequence) as `_xHHHH_`.
private func appendUnescaped(_ raw: [UInt8], to out: inout [UInt8]) {
    var j = 0
    let n = raw.count
    while j < n {
        if raw[j] == 0x5F, j + 6 < n, raw[j + 1] == 0x78, raw[j + 6] == 0x5F,
           let a = hexDigit(raw[j + 2]), let b = hexDigit(raw[j + 3]), let c = hexDigit(raw[j + 4]), let d = hexDigit(raw[j + 5]) {
            appendUTF8(a << 12 | b << 8 | c << 4 | d, to: &out)
            j += 7
        } else {
            out.append(raw[j])
            j += 1
        }
    }
}

/// Turns a worksheet's rows into CSV text (the header, then one record per non-blank row), keeping
/// each record's sheet row number.
private struct SheetReader {
    let source: String
    let sharedStrings: SharedStrings
    let dateStyles: Set<Int>
    let date1904: Bool

    /// The header's column names, once the header row is read.
    var names: [String]?
    /// The sheet row of the header.
    var headerRow: Int?
    var csv: [UInt8] = []
    var rows: [Int] = []
    var merges: [(first: (row: Int, column: Int), last: (row: Int, column: Int))] = []
    /// The first problem in the rows; once there is one, rows are no longer read.
    var deferred: TablesError?

    // The row being read.
    var rowNumber = 0
    var cellValues: [[UInt8]?] = []
    var cellColumns: [Int] = []
    var rowHasValue = false
    // The cell being read.
    var column = 0
    var cellRow = 0
    var cellType: CellType = .number
    var cellStyle = 0
    var hasFormula = false
    var hasValue = false
    var capturing = false
    var inInline = false
    var phonetic = 0
    var value: [UInt8] = []

    enum CellType { case number, shared, inline, formulaString, boolean, error, isoDate }

    init(source: String, sharedStrings: SharedStrings, dateStyles: Set<Int>, date1904: Bool) {
        self.source = source
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
    }

    /// Reads the whole rows in `bytes` (all of them when `final`); returns the bytes used.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws(TablesError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let limit = final ? bytes.count : Self.endOfLastRow(base, bytes.count)
        guard limit > 0 else { return 0 }
        var x = XMLScanner(base, count: limit)
        while let event = x.next() {
            do {
                try handle(event, x)
            } catch {
                // Kept until the end: merged cells (listed after the rows) explain it better.
                if deferred == nil { deferred = error }
            }
        }
        return x.position
    }

    /// The offset just past the last `</row>` (any prefix) in the bytes, or 0.
    static func endOfLastRow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var j = n - 1
        while j >= 5 {
            if p[j] == 0x3E, p[j - 1] == 0x77, p[j - 2] == 0x6F, p[j - 3] == 0x72 {
                var k = j - 4
                if p[k] == 0x3A { while k > 0, p[k] != 0x2F, p[k] != 0x3C { k -= 1 } }
                if k >= 1, p[k] == 0x2F, p[k - 1] == 0x3C { return j + 1 }
            }
            j -= 1
        }
        return 0
    }

    private mutating func handle(_ event: XMLScanner.Event, _ x: XMLScanner) throws(TablesError) {
        switch event {
        case .start(let tag):
            if deferred != nil && !x.is(tag.local, "mergeCell") { return }
            if x.is(tag.local, "c") {
                startCell(tag, x)
                if tag.selfClosing { try endCell() }
            } else if x.is(tag.local, "v") {
                hasValue = true
                capturing = !tag.selfClosing
                value.removeAll(keepingCapacity: true)
            } else if x.is(tag.local, "f") {
                hasFormula = true
            } else if x.is(tag.local, "is") {
                inInline = !tag.selfClosing
                hasValue = true
                value.removeAll(keepingCapacity: true)
            } else if x.is(tag.local, "rPh") {
                if !tag.selfClosing { phonetic += 1 }
            } else if x.is(tag.local, "t") {
                capturing = inInline && phonetic == 0 && !tag.selfClosing
            } else if x.is(tag.local, "row") {
                try startRow(tag, x)
                if tag.selfClosing { try endRow() }
            } else if x.is(tag.local, "mergeCell"), let ref = x.attribute("ref", of: tag) {
                let text = x.string(ref)
                let corners = text.split(separator: ":")
                if let first = cellReference((corners.first ?? "").utf8), let last = cellReference((corners.last ?? "").utf8) {
                    merges.append((first, last))
                }
            }
        case .end(let name):
            if deferred != nil { return }
            if x.is(name, "v") || x.is(name, "t") {
                capturing = false
            } else if x.is(name, "rPh") {
                phonetic = max(0, phonetic - 1)
            } else if x.is(name, "is") {
                inInline = false
            } else if x.is(name, "c") {
                try endCell()
            } else if x.is(name, "row") {
                try endRow()
            }
        case .text(let r):
            if capturing { x.decode(r, into: &value) }
        case .cdata(let r):
            if capturing { value.append(contentsOf: UnsafeBufferPointer(start: x.p + r.lowerBound, count: r.count)) }
        }
    }

    private mutating func startRow(_ tag: XMLTag, _ x: XMLScanner) throws(TablesError) {
        let number = x.attribute("r", of: tag).flatMap { Int(x.string($0)) } ?? rowNumber + 1
        rowNumber = number
        cellValues.removeAll(keepingCapacity: true)
        cellColumns.removeAll(keepingCapacity: true)
        rowHasValue = false
        column = 0
    }

    private mutating func startCell(_ tag: XMLTag, _ x: XMLScanner) {
        if let ref = x.attribute("r", of: tag), let at = cellReference(UnsafeBufferPointer(start: x.p + ref.lowerBound, count: ref.count)) {
            column = at.column
            cellRow = at.row
        } else {
            column += 1
            cellRow = rowNumber
        }
        // Read in place: a string per attribute per cell would cost more than the rest of the scan.
        cellType = .number
        if let t = x.attribute("t", of: tag) {
            if x.is(t, "s") { cellType = .shared }
            else if x.is(t, "inlineStr") { cellType = .inline }
            else if x.is(t, "str") { cellType = .formulaString }
            else if x.is(t, "b") { cellType = .boolean }
            else if x.is(t, "e") { cellType = .error }
            else if x.is(t, "d") { cellType = .isoDate }
        }
        cellStyle = 0
        if let style = x.attribute("s", of: tag) {
            for k in style where x.p[k] >= 0x30 && x.p[k] <= 0x39 { cellStyle = cellStyle * 10 + Int(x.p[k] - 0x30) }
        }
        hasFormula = false
        hasValue = false
        inInline = false
        phonetic = 0
        value.removeAll(keepingCapacity: true)
    }

    private func problem(_ message: String, hint: String) -> TablesError {
        TablesError(.value, file: source, line: cellRow, column: column, message: message, hint: hint)
    }

    private mutating func endCell() throws(TablesError) {
        var text: [UInt8]
        switch cellType {
        case .shared:
            var index: Int? = value.isEmpty ? nil : 0
            for b in value {
                guard b >= 0x30, b <= 0x39, let i = index, i < 1 << 40 else { index = nil; break }
                index = i * 10 + Int(b - 0x30)
            }
            guard let index, index < sharedStrings.count else {
                if !hasValue { return }
                throw problem("the cell refers to shared string \(String(decoding: value, as: UTF8.self)), which the workbook does not have",
                              hint: "the file is damaged: open it in Excel, WPS or LibreOffice and save it again")
            }
            text = Array(sharedStrings.bytes[sharedStrings.offsets[index]..<sharedStrings.offsets[index + 1]])
        case .inline:
            text = []
            appendUnescaped(value, to: &text)
        case .formulaString:
            text = value
        case .boolean:
            guard hasValue, !value.isEmpty else { return }
            text = Array((value == [0x31] ? "TRUE" : "FALSE").utf8)
        case .error:
            throw problem("the cell holds the error value \(String(decoding: value, as: UTF8.self))",
                          hint: "correct the formula or the value in the workbook, then save it again")
        case .isoDate:
            let s = String(decoding: value, as: UTF8.self)
            text = Array((s.hasSuffix("T00:00:00") ? String(s.dropLast(9)) : s).utf8)
        case .number:
            if hasFormula && (!hasValue || value.isEmpty) {
                throw problem("the cell holds a formula whose result is not saved in the file",
                              hint: "open the workbook in Excel, WPS or LibreOffice and save it (that stores the results), or paste the values in place of the formulas")
            }
            text = value
            if !text.isEmpty, dateStyles.contains(cellStyle) {
                guard let serial = Double(String(decoding: text, as: UTF8.self)), let date = excelDate(serial, date1904: date1904) else {
                    throw problem("the cell is formatted as a date but holds '\(String(decoding: text, as: UTF8.self))'",
                                  hint: "enter a date, or format the cell as a number or text")
                }
                text = Array(date.utf8)
            }
        }
        guard !text.isEmpty else { return }
        // A cell's end without its start (a damaged sheet whose tags were garbled) has no column.
        guard column >= 1 else {
            throw TablesError(.value, file: source, line: rowNumber, message: "a cell value outside any cell of row \(rowNumber)",
                              hint: "the file is damaged: open it in Excel, WPS or LibreOffice and save it again")
        }
        rowHasValue = true
        cellColumns.append(column)
        cellValues.append(text)
    }

    private mutating func endRow() throws(TablesError) {
        guard rowHasValue else { return }
        guard let names else {
            try readHeader()
            return
        }
        var fields = [[UInt8]?](repeating: nil, count: names.count)
        for (k, c) in cellColumns.enumerated() {
            guard c <= names.count else {
                throw TablesError(.value, file: source, line: rowNumber, column: c,
                                  message: "the cell holds '\(String(decoding: cellValues[k] ?? [], as: UTF8.self))' but its column has no name in the header row",
                                  hint: "name the column in the header row, or clear the cell")
            }
            fields[c - 1] = cellValues[k]
        }
        appendRecord(fields)
        rows.append(rowNumber)
    }

    private mutating func readHeader() throws(TablesError) {
        let count = cellColumns.max() ?? 0
        var header = [String?](repeating: nil, count: count)
        for (k, c) in cellColumns.enumerated() { header[c - 1] = String(decoding: cellValues[k] ?? [], as: UTF8.self) }
        var seen: [String: Int] = [:]
        var names: [String] = []
        for (i, name) in header.enumerated() {
            guard let name, !name.trimmed.isEmpty else {
                throw TablesError(.schema, file: source, line: rowNumber, column: i + 1,
                                  message: "this header cell is empty, but the columns right of it have names",
                                  hint: "the header is the first row with values: give every column a name there (delete any title rows above it)")
            }
            if let earlier = seen[name] {
                throw TablesError(.schema, file: source, line: rowNumber, column: i + 1,
                                  message: "the column name '\(name)' is also in cell \(columnLetters(earlier))\(rowNumber)",
                                  hint: "give every column its own name")
            }
            seen[name] = i + 1
            names.append(name)
        }
        self.names = names
        headerRow = rowNumber
        appendRecord(names.map { Array($0.utf8) })
    }

    private mutating func appendRecord(_ fields: [[UInt8]?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { csv.append(0x2C) }
            guard let field else { continue }
            if field.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                csv.append(0x22)
                for b in field {
                    if b == 0x22 { csv.append(0x22) }
                    csv.append(b)
                }
                csv.append(0x22)
            } else {
                csv.append(contentsOf: field)
            }
        }
        csv.append(0x0A)
    }

    func table() throws(TablesError) -> Table {
        if let merge = merges.first {
            let range = "\(columnLetters(merge.first.column))\(merge.first.row):\(columnLetters(merge.last.column))\(merge.last.row)"
            if let headerRow, merge.first.row <= headerRow && merge.last.row >= headerRow {
                throw TablesError(.schema, file: source, line: merge.first.row, column: merge.first.column,
                                  message: "the header cells \(range) are merged",
                                  hint: "unmerge them and give each column its own name in one header row (the first row with values; delete any title rows above it)")
            }
            throw TablesError(.value, file: source, line: merge.first.row, column: merge.first.column,
                              message: "the cells \(range) are merged, so only the first holds a value",
                              hint: "unmerge them and fill the value into every row (Excel: 取消合并, then fill down)")
        }
        if let deferred { throw deferred }
        guard names != nil else {
            throw TablesError(.syntax, file: source, line: 1, message: "the sheet is empty",
                              hint: "a frame needs a header row with the column names, then one row per unit")
        }
        let parsed = try CSVReader.read(bytes: csv, name: source, options: CSVOptions(encoding: .utf8))
        return Table(source: source, encoding: .utf8, columns: parsed.columns, lines: rows)
    }
}

/// `D17` as (row 17, column 4).
private func cellReference(_ bytes: some Sequence<UInt8>) -> (row: Int, column: Int)? {
    var column = 0
    var row = 0
    var digits = false
    for u in bytes {
        switch u {
        case 0x41...0x5A where !digits: column = column * 26 + Int(u - 0x40)
        case 0x61...0x7A where !digits: column = column * 26 + Int(u - 0x60)
        case 0x24: continue
        case 0x30...0x39:
            digits = true
            row = row * 10 + Int(u - 0x30)
        default: return nil
        }
    }
    return column > 0 && row > 0 ? (row, column) : nil
}

/// An Excel date serial as `YYYY-MM-DD`, `HH:MM:SS` (below 1) or `YYYY-MM-DD HH:MM:SS`.
func excelDate(_ serial: Double, date1904: Bool) -> String? {
    guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
    var days = Int(serial.rounded(.down))
    var seconds = Int(((serial - Double(days)) * 86_400).rounded())
    if seconds == 86_400 {
        days += 1
        seconds = 0
    }
    // Days from 1970-01-01 of day 0 of the serial system (1900's counts a 29 February 1900
    // that never was: serials from 61 on are one day ahead).
    let epoch: Int
    if date1904 {
        epoch = -24_107  // 1904-01-01
    } else {
        epoch = days >= 61 ? -25_569 : -25_568  // 1899-12-30 / 1899-12-31
    }
    let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    if serial < 1 && !date1904 { return time }
    let (y, m, d) = civilDate(daysSince1970: epoch + days)
    let date = String(format: "%04d-%02d-%02d", y, m, d)
    return seconds == 0 ? date : "\(date) \(time)"
}

/// The proleptic Gregorian date of a day count from 1970-01-01.
func civilDate(daysSince1970 z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
