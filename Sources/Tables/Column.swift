#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The type of a column, inferred from all its non-missing cells.
public enum ColumnType: String, Sendable, Codable {
    /// Every cell is a whole number without leading zeros, of at most 18 digits.
    case integer
    /// Every cell is a number, at least one with a fraction or exponent.
    case decimal
    /// Anything else. Codes with leading zeros ("0012") stay text so that no digit is lost.
    case text

    /// The type's name for people (`frame inspect`, the workbench): 整数, 小数, 文本.
    public var chineseName: String {
        switch self {
        case .integer: "整数"
        case .decimal: "小数"
        case .text: "文本"
        }
    }
}

/// A column of UTF-8 strings, stored in one of two ways:
/// - flat: every value back to back in `bytes`, with `count + 1` `offsets`;
/// - coded (dictionary-encoded), for columns of few distinct values such as towns or villages:
///   `codes[i]` indexes the distinct values, which are stored flat (-1 for a missing cell).
public struct TextValues: Sendable {
    /// Values (flat) or distinct values (coded), back to back.
    var bytes: [UInt8]
    var offsets: [Int]
    /// Per-row codes into the distinct values (-1 for a missing cell), when coded.
    public internal(set) var codes: [Int32]?
    /// Whether the codes number the distinct values in order of first appearance, all used
    /// (true as read; a selection of rows may break it).
    var firstAppearanceOrder = false

    public init() {
        bytes = []
        offsets = [0]
        codes = nil
    }

    public init(_ strings: [String]) {
        self.init()
        for s in strings { append(s) }
    }

    init(bytes: [UInt8], offsets: [Int], codes: [Int32]?) {
        self.bytes = bytes
        self.offsets = offsets
        self.codes = codes
    }

    public var count: Int { codes?.count ?? offsets.count - 1 }

    /// Whether the values are dictionary-encoded.
    public var isCoded: Bool { codes != nil }

    /// Whether every value's bytes sort after the previous value's (flat storage): the values
    /// are then distinct.
    var isStrictlyIncreasing: Bool {
        guard codes == nil, offsets.count > 2 else { return codes == nil }
        return bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                for i in 1..<(o.count - 1) {
                    let a = UnsafeBufferPointer(rebasing: b[o[i - 1]..<o[i]]), c = UnsafeBufferPointer(rebasing: b[o[i]..<o[i + 1]])
                    if compareTextBytes(a, c) >= 0 { return false }
                }
                return true
            }
        }
    }

    /// Appends a value (flat storage only).
    public mutating func append(_ string: String) {
        precondition(codes == nil, "append to a coded text column")
        bytes.append(contentsOf: string.utf8)
        offsets.append(bytes.count)
    }

    /// The range of value `i` in `bytes` (empty for a missing coded cell).
    @inline(__always)
    func range(_ i: Int) -> Range<Int> {
        if let codes {
            let c = Int(codes[i])
            return c < 0 ? 0..<0 : offsets[c]..<offsets[c + 1]
        }
        return offsets[i]..<offsets[i + 1]
    }

    public subscript(_ i: Int) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[r]), as: UTF8.self)
        }
    }

    /// Calls `body` with the raw UTF-8 bytes of value `i`, without making a `String`.
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[r]))
        }
    }

    /// Number of distinct values of a coded column.
    public var levelCount: Int { offsets.count - 1 }

    /// Calls `body` with the bytes of distinct value `c` of a coded column.
    public func withLevelBytes<R>(_ c: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[offsets[c]..<offsets[c + 1]])) }
    }

    /// Distinct value `c` of a coded column.
    func level(_ c: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offsets[c]..<offsets[c + 1]]), as: UTF8.self) }
    }

    /// The values at `rows`, in that order (coded columns stay coded).
    func select(_ rows: [Int]) -> TextValues {
        if let codes { return TextValues(bytes: bytes, offsets: offsets, codes: rows.map { codes[$0] }) }  // order not kept
        var out = TextValues()
        out.bytes.reserveCapacity(rows.count * 8)
        out.offsets.reserveCapacity(rows.count + 1)
        for r in rows {
            out.bytes.append(contentsOf: bytes[offsets[r]..<offsets[r + 1]])
            out.offsets.append(out.bytes.count)
        }
        return out
    }
}

/// The values of one column.
public enum ColumnValues: Sendable {
    case integer([Int])
    case decimal([Double])
    case text(TextValues)
}

/// One named, typed column. Missing cells (empty in the file) read as `nil`.
public struct Column: Sendable {
    public let name: String
    public let values: ColumnValues
    /// `missing[i]` is true when cell `i` is missing; `nil` when no cell is.
    public let missing: [Bool]?
    public let missingCount: Int
    public let count: Int
    /// Known to hold strictly increasing integers, or texts in increasing byte order, without
    /// missing cells (so all distinct): set when read from a file whose rows are in id order, as
    /// registers usually are.
    public internal(set) var strictlyIncreasing = false
    public init(name: String, values: ColumnValues, missing: [Bool]?) {
        self.name = name
        self.values = values
        let missingCount = missing.map { $0.reduce(0) { $1 ? $0 + 1 : $0 } } ?? 0
        self.missing = missingCount == 0 ? nil : missing
        self.missingCount = missingCount
        switch values {
        case .integer(let v): count = v.count
        case .decimal(let v): count = v.count
        case .text(let v): count = v.count
        }
    }

    public init(name: String, integers: [Int?]) {
        self.init(name: name, values: .integer(integers.map { $0 ?? 0 }), missing: integers.map { $0 == nil })
    }

    public init(name: String, decimals: [Double?]) {
        self.init(name: name, values: .decimal(decimals.map { $0 ?? 0 }), missing: decimals.map { $0 == nil })
    }

    public init(name: String, strings: [String?]) {
        self.init(name: name, values: .text(TextValues(strings.map { $0 ?? "" })), missing: strings.map { $0 == nil })
    }

    public var type: ColumnType {
        switch values {
        case .integer: .integer
        case .decimal: .decimal
        case .text: .text
        }
    }

    @inline(__always)
    public func isMissing(_ row: Int) -> Bool {
        missing?[row] ?? false
    }

    /// The cell as an integer: integer cells, and decimal cells that hold a whole number.
    public func integer(_ row: Int) -> Int? {
        if isMissing(row) { return nil }
        switch values {
        case .integer(let v): return v[row]
        case .decimal(let v):
            let d = v[row]
            return d == d.rounded() && abs(d) < 9.0e15 ? Int(d) : nil
        case .text: return nil
        }
    }

    /// The cell as a number: integer and decimal cells.
    public func number(_ row: Int) -> Double? {
        if isMissing(row) { return nil }
        switch values {
        case .integer(let v): return Double(v[row])
        case .decimal(let v): return v[row]
        case .text: return nil
        }
    }

    /// The cell as a number, also when the column is text because some other cell is not a
    /// number: a text cell is read with ``parseDecimal(_:)``. For finding the cells that are
    /// not numbers in a column that should hold numbers.
    public func numericValue(_ row: Int) -> Double? {
        if case .text = values { return string(row).flatMap(parseDecimal) }
        return number(row)
    }

    /// The cell as a whole number, read as ``numericValue(_:)`` reads it.
    public func integerValue(_ row: Int) -> Int? {
        if case .text = values {
            guard let x = numericValue(row), x == x.rounded(), abs(x) < 9.0e15 else { return nil }
            return Int(x)
        }
        return integer(row)
    }

    /// The cell as text, as it would be written back: integers in decimal digits, decimals in
    /// the shortest form that reads back to the same value.
    public func string(_ row: Int) -> String? {
        if isMissing(row) { return nil }
        switch values {
        case .integer(let v): return String(v[row])
        case .decimal(let v): return formatDecimal(v[row])
        case .text(let v): return v[row]
        }
    }

    /// Every cell as text (missing cells as `nil`).
    public var strings: [String?] {
        (0..<count).map { string($0) }
    }

    /// Every cell as a number (missing or text cells as `nil`).
    public var numbers: [Double?] {
        (0..<count).map { number($0) }
    }
}

/// Shortest round-trip text for a decimal, without a trailing ".0" for whole numbers.
public func formatDecimal(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int(value))
    }
    return "\(value)"
}

/// A number written as people write them in a table: an optional sign, digits with at most one
/// decimal point, and an optional exponent (`-12`, `3.5`, `.5`, `1e6`). Nothing else —
/// unlike `Double(_:)`, which also reads `0x5` (as 5), `nan`, `inf` and `infinity`.
public func parseDecimal(_ text: some StringProtocol) -> Double? {
    var sawDigit = false, sawPoint = false, sawExponent = false, exponentDigits = false
    var previous: UInt8 = 0
    for (i, b) in text.utf8.enumerated() {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if sawExponent { exponentDigits = true } else { sawDigit = true }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return nil }
        case UInt8(ascii: "."):
            guard !sawPoint && !sawExponent else { return nil }
            sawPoint = true
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            guard sawDigit && !sawExponent else { return nil }
            sawExponent = true
        default:
            return nil
        }
        previous = b
    }
    guard sawDigit, !sawExponent || exponentDigits, let value = Double(String(text)), value.isFinite else { return nil }
    return value
}

/// Lexicographic comparison of bytes (code-point order for UTF-8): negative, zero or positive.
@inline(__always)
func compareTextBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(x.count, y.count)
    if n > 0, let a = x.baseAddress, let b = y.baseAddress {
        let r = memcmp(a, b, n)
        if r != 0 { return Int(r) }
    }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
}

