#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase two of CSV reading: turn one column's fields into typed values.
///
/// The column is read as integers until a cell is not one, then as decimals until a cell is not a
/// number, then as text, restarting from the first row each time the type widens; so the result
/// does not depend on the order of the rows.
struct ColumnParser: Sendable {
    let buffer: ByteBuffer
    let chunks: [ScannedChunk]
    let columns: Int
    let index: Int
    let rowCount: Int
    /// A part of a file read a part at a time (``CSVReader``'s segments): text is read coded up
    /// to the most distinct values any column may have, without the early look at the first
    /// rows; the whole column's rules are applied when the parts are joined.
    var isPart = false

    /// The column, and the offset of the first byte that is not valid UTF-8 in its text, if any.
    /// - Parameter type: the type to read the cells as, known from the rest of the file (every
    ///   cell must then be of it); inferred from the cells when nil.
    func parse(name: String, as type: ColumnType? = nil) -> (column: Column, invalidUTF8: Int?) {
        if type == nil || type == .integer, let ints = parseNumbers(IntegerCells.self) {
            var column = Column(name: name, values: .integer(ints.values), missing: ints.missing)
            column.strictlyIncreasing = ints.missing == nil && isStrictlyIncreasing(ints.values)
            return (column, nil)
        }
        if type == nil || type == .decimal, let doubles = parseNumbers(DecimalCells.self) {
            return (Column(name: name, values: .decimal(doubles.values), missing: doubles.missing), nil)
        }
        let text = parseCodedText() ?? parseText()
        var column = Column(name: name, values: .text(text.values), missing: text.missing)
        // Register codes (130123-105-0001234) usually come sorted: then they are distinct, and the
        // draw need not hash two million of them to know it.
        column.strictlyIncreasing = text.missing == nil && !text.values.isCoded && text.values.isStrictlyIncreasing
        return (column, text.invalidUTF8)
    }

    /// Every cell parsed by `parse` (empty cells are missing), or nil at the first cell it rejects.
    private func parseNumbers<Cells: CellParser>(_: Cells.Type) -> (values: [Cells.Value], missing: [Bool]?)? {
        let p = buffer.base
        let c = index
        let columns = columns
        var missingRows: [Int] = []
        var failed = false
        var previousStart = 0
        var previousLength = -1
        var previousValue = Cells.zero
        let values = [Cells.Value](unsafeUninitializedCapacity: rowCount) { out, initialized in
            adviseHugePages(UnsafeMutableRawPointer(out.baseAddress!), byteCount: rowCount * MemoryLayout<Cells.Value>.stride)
            var row = 0
            for chunk in chunks {
                let base = chunk.base
                let complete = chunk.forEachBlock(column: c, columns: columns) { first, n, starts, adjust, ends in
                    let target = out.baseAddress! + first + row
                    for r in 0..<n {
                        var s = base + Int(starts[r]) + adjust
                        var e = base + Int(ends[r])
                        if p[s] == 0x22 {
                            s += 1
                            e -= 1
                        }
                        if s >= e {
                            (target + r).initialize(to: Cells.zero)
                            missingRows.append(row + first + r)
                        } else if Cells.cachesRepeats, e - s == previousLength, e - s <= 32,
                                  sameBytes(p + s, p + previousStart, e - s) {
                            // Long files repeat a respondent's weight on every row: parse once.
                            (target + r).initialize(to: previousValue)
                        } else if let v = Cells.parse(p, s, e) {
                            (target + r).initialize(to: v)
                            previousStart = s
                            previousLength = e - s
                            previousValue = v
                        } else {
                            return false
                        }
                    }
                    return true
                }
                if !complete {
                    failed = true
                    break
                }
                row += chunk.rowCount
            }
            initialized = failed ? 0 : rowCount
        }
        return failed ? nil : (values, missingFlags(missingRows))
    }

    private func missingFlags(_ rows: [Int]) -> [Bool]? {
        guard !rows.isEmpty else { return nil }
        var flags = [Bool](repeating: false, count: rowCount)
        for r in rows { flags[r] = true }
        return flags
    }

    /// Copies the column's text, unescaping quoted fields and checking that every byte is UTF-8.
    private func parseText() -> (values: TextValues, missing: [Bool]?, invalidUTF8: Int?) {
        let p = buffer.base
        let c = index
        let columns = columns
        var total = 0
        for chunk in chunks {
            _ = chunk.forEachBlock(column: c, columns: columns) { _, n, starts, adjust, ends in
                for r in 0..<n { total += Int(ends[r]) - Int(starts[r]) - adjust }
                return true
            }
        }
        var missingRows: [Int] = []
        var invalid = -1
        var used = 0
        let rules = TextDecoder.leadRules
        var checkedStart = 0
        var checkedLength = -1
        var offsets: [Int] = []
        let bytes = [UInt8](unsafeUninitializedCapacity: total + 32) { out, initialized in
            adviseHugePages(UnsafeMutableRawPointer(out.baseAddress!), byteCount: total)
            offsets = [Int](unsafeUninitializedCapacity: rowCount + 1) { offs, offsetCount in
                adviseHugePages(UnsafeMutableRawPointer(offs.baseAddress!), byteCount: rowCount * 8)
                let dst = out.baseAddress!
                let o = offs.baseAddress!
                o[0] = 0
                var row = 0
                for chunk in chunks {
                    let base = chunk.base
                    _ = chunk.forEachBlock(column: c, columns: columns) { _, n, starts, adjust, ends in
                        for r in 0..<n {
                            let start = base + Int(starts[r]) + adjust
                            let end = base + Int(ends[r])
                            let n = end - start
                            if n == 0 {
                                missingRows.append(row)
                            } else if p[start] == 0x22 {
                                // Unescape: drop the outer quotes, turn "" into ".
                                var i = start + 1
                                let e = end - 1
                                if e <= i { missingRows.append(row) }
                                while i < e {
                                    dst[used] = p[i]
                                    used += 1
                                    i += p[i] == 0x22 ? 2 : 1
                                }
                                if invalid < 0, let bad = TextDecoder.firstInvalidUTF8(p, from: start, to: end, rules: rules) {
                                    invalid = bad
                                }
                            } else if n <= 32 {
                                // Short fields: whole words, possibly past the field's end; the
                                // destination has room and the extra bytes are overwritten next.
                                var k = 0
                                var high: UInt64 = 0
                                while k < n {
                                    let word = UnsafeRawPointer(p + start + k).loadUnaligned(as: UInt64.self)
                                    let valid = n - k >= 8 ? UInt64.max : (1 << (UInt64(n - k) << 3)) &- 1
                                    high |= word & valid
                                    UnsafeMutableRawPointer(dst + used + k).storeBytes(of: word, as: UInt64.self)
                                    k += 8
                                }
                                used += n
                                if high & 0x8080_8080_8080_8080 != 0 {
                                    // Frames are sorted by place, so a text often repeats the
                                    // previous row's, which was checked already.
                                    if n != checkedLength || !sameBytes(p + start, p + checkedStart, n) {
                                        if invalid < 0, let bad = TextDecoder.firstInvalidUTF8(p, from: start, to: end, rules: rules) {
                                            invalid = bad
                                        }
                                        checkedStart = start
                                        checkedLength = n
                                    }
                                }
                            } else {
                                (dst + used).update(from: p + start, count: n)
                                used += n
                                if invalid < 0, let bad = TextDecoder.firstInvalidUTF8(p, from: start, to: end, rules: rules) {
                                    invalid = bad
                                }
                            }
                            row += 1
                            o[row] = used
                        }
                        return true
                    }
                }
                offsetCount = rowCount + 1
            }
            initialized = used
        }
        return (TextValues(bytes: bytes, offsets: offsets, codes: nil), missingFlags(missingRows), invalid < 0 ? nil : invalid)
    }

    /// Reads the column as codes into its distinct values, without copying each value: worth it
    /// for the columns of few distinct values that frames are full of (town, village, urban).
    /// Gives up (nil) at a quoted field or when the distinct values pass a limit, and the caller
    /// reads the column flat. Only each new distinct value is checked for UTF-8.
    private func parseCodedText() -> (values: TextValues, missing: [Bool]?, invalidUTF8: Int?)? {
        let p = UnsafePointer(buffer.base)
        let c = index
        let columns = columns
        let limit = isPart ? TextValues.codedLimit : TextValues.codedLimit(rows: rowCount)
        let rules = TextDecoder.leadRules
        var table = ByteSpanTable()
        var missingRows: [Int] = []
        var invalid = -1
        var previousStart = 0
        var previousLength = -1
        var previousCode: Int32 = -1
        var gaveUp = false
        let codes = [Int32](unsafeUninitializedCapacity: rowCount) { out, initialized in
            let target = out.baseAddress!
            var row = 0
            chunks: for chunk in chunks {
                let base = chunk.base
                let complete = chunk.forEachBlock(column: c, columns: columns) { _, n, starts, adjust, ends in
                    for r in 0..<n {
                        let start = base + Int(starts[r]) + adjust
                        let end = base + Int(ends[r])
                        let length = end - start
                        if length == 0 {
                            target[row] = -1
                            missingRows.append(row)
                        } else if p[start] == 0x22 {
                            return false
                        } else if length == previousLength
                                    && (length <= 32 ? sameBytes(UnsafeMutablePointer(mutating: p + start), UnsafeMutablePointer(mutating: p + previousStart), length)
                                                     : memoryEqual(p + start, p + previousStart, length)) {
                            target[row] = previousCode
                        } else {
                            previousCode = table.code(p, start: start, end: end) {
                                if invalid < 0, let bad = TextDecoder.firstInvalidUTF8(p, from: start, to: end, rules: rules) { invalid = bad }
                            }
                            if table.count > limit { return false }
                            previousStart = start
                            previousLength = length
                            target[row] = previousCode
                        }
                        row += 1
                        // A column of mostly distinct values (ids, names, addresses) is read flat:
                        // give up early rather than hash up to the limit.
                        if !isPart && row == TextValues.codedProbeRows && table.count * 2 > row { return false }
                    }
                    return true
                }
                if !complete {
                    gaveUp = true
                    break chunks
                }
            }
            initialized = gaveUp ? 0 : rowCount
        }
        if gaveUp { return nil }
        var levels: [UInt8] = []
        var offsets = [0]
        for (start, end) in zip(table.starts, table.ends) {
            levels.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
            offsets.append(levels.count)
        }
        var values = TextValues(bytes: levels, offsets: offsets, codes: codes)
        values.firstAppearanceOrder = true
        return (values, missingFlags(missingRows), invalid < 0 ? nil : invalid)
    }
}

/// Parses one kind of cell; generic code over it is specialised, so the parse is inlined.
protocol CellParser {
    associatedtype Value
    static var zero: Value { get }
    /// Whether a cell identical to the previous one reuses its value (worth it when parsing is slow).
    static var cachesRepeats: Bool { get }
    static func parse(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Value?
}

enum IntegerCells: CellParser {
    static var zero: Int { 0 }
    static var cachesRepeats: Bool { false }
    @inline(__always)
    static func parse(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Int? { parseInteger(p, start, end) }
}

enum DecimalCells: CellParser {
    static var zero: Double { 0 }
    static var cachesRepeats: Bool { true }
    @inline(__always)
    static func parse(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Double? { parseDecimal(p, start, end) }
}

/// A whole number of 1–18 digits with an optional sign and no leading zero, or nil.
@inline(__always)
func parseInteger(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var i = start
    var negative = false
    if p[i] == 0x2D {
        negative = true
        i += 1
    } else if p[i] == 0x2B {
        i += 1
    }
    let digits = end - i
    guard digits >= 1, digits <= 18 else { return nil }
    if p[i] == 0x30 && digits > 1 { return nil }
    var value = 0
    while i < end {
        let d = p[i] &- 0x30
        if d > 9 { return nil }
        value = value &* 10 &+ Int(d)
        i += 1
    }
    return negative ? -value : value
}

private let exactPowersOfTen: [Double] = (0...22).map { k in
    var v = 1.0
    for _ in 0..<k { v *= 10 }
    return v
}

/// A decimal number (`-12.5`, `.5`, `3e-4`), correctly rounded, or nil.
///
/// Numbers whose digits fit in 2⁵³ and whose decimal exponent is at most 22 in size are
/// computed exactly as one multiplication or division of two exact doubles (Clinger's fast path);
/// the rest go to the C library's `strtod`. Infinity, NaN and hexadecimal forms are not numbers here.
@inline(__always)
func parseDecimal(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
    var i = start
    var negative = false
    if p[i] == 0x2D {
        negative = true
        i += 1
    } else if p[i] == 0x2B {
        i += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0
    var digits = 0
    var exponent = 0
    // A code such as "0012" is not a number: leading zeros would be lost.
    if i + 1 < end, p[i] == 0x30, p[i + 1] &- 0x30 <= 9 { return nil }
    while i < end, p[i] &- 0x30 <= 9 {
        let d = UInt64(p[i] &- 0x30)
        if mantissa != 0 || d != 0 { significant += 1 }
        if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { exponent += 1 }
        digits += 1
        i += 1
    }
    if i < end, p[i] == 0x2E {
        i += 1
        while i < end, p[i] &- 0x30 <= 9 {
            let d = UInt64(p[i] &- 0x30)
            if mantissa != 0 || d != 0 { significant += 1 }
            if significant <= 19 {
                mantissa = mantissa &* 10 &+ d
                exponent -= 1
            }
            digits += 1
            i += 1
        }
    }
    guard digits > 0 else { return nil }
    if i < end, p[i] | 0x20 == 0x65 {
        i += 1
        var expNegative = false
        if i < end, p[i] == 0x2D || p[i] == 0x2B {
            expNegative = p[i] == 0x2D
            i += 1
        }
        var e = 0
        var expDigits = 0
        while i < end, p[i] &- 0x30 <= 9 {
            if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
            expDigits += 1
            i += 1
        }
        guard expDigits > 0 else { return nil }
        exponent += expNegative ? -e : e
    }
    guard i == end else { return nil }
    if significant <= 19, mantissa < (1 << 53), abs(exponent) <= 22 {
        var value = Double(mantissa)
        if exponent < 0 { value /= exactPowersOfTen[-exponent] } else { value *= exactPowersOfTen[exponent] }
        return negative ? -value : value
    }
    // Slow path: strtod stops at the delimiter, closing quote or padding that follows the field.
    var stop: UnsafeMutablePointer<CChar>? = nil
    let text = UnsafeMutableRawPointer(p + start).assumingMemoryBound(to: CChar.self)
    let value = strtod(text, &stop)
    let consumed = stop.map { UnsafeMutableRawPointer($0) - UnsafeMutableRawPointer(text) } ?? -1
    guard consumed == end - start else { return nil }
    return value
}

/// Whether `n` (at most 32) bytes at `a` and `b` are equal, compared a word at a time; both ranges
/// are followed by readable bytes.
@inline(__always)
func sameBytes(_ a: UnsafeMutablePointer<UInt8>, _ b: UnsafeMutablePointer<UInt8>, _ n: Int) -> Bool {
    var k = 0
    while k < n {
        let x = UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
        let y = UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
        let valid = n - k >= 8 ? UInt64.max : (1 << (UInt64(n - k) << 3)) &- 1
        if (x ^ y) & valid != 0 { return false }
        k += 8
    }
    return true
}
