/// The type of a column, inferred from all its non-missing cells.
public enum ColumnType: String, Sendable, Codable {
    /// Every cell is a whole number without leading zeros, of at most 18 digits.
    case integer
    /// Every cell is a number, at least one with a fraction or exponent.
    case decimal
    /// Anything else. Codes with leading zeros ("0012") stay text so that no digit is lost.
    case text
}

/// UTF-8 strings stored back to back, with `count + 1` offsets.
public struct TextValues: Sendable {
    public var bytes: [UInt8]
    public var offsets: [Int]

    public init() {
        bytes = []
        offsets = [0]
    }

    public init(_ strings: [String]) {
        self.init()
        for s in strings { append(s) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        offsets.append(bytes.count)
    }

    public subscript(_ i: Int) -> String {
        let start = offsets[i]
        let end = offsets[i + 1]
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }
    }

    /// Calls `body` with the raw UTF-8 bytes of value `i`, without making a `String`.
    @inlinable
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = offsets[i]
        let end = offsets[i + 1]
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
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
    /// For text columns of few distinct values, the codes found while reading (see ``factorize()``).
    let dictionary: Factor?

    public init(name: String, values: ColumnValues, missing: [Bool]?) {
        self.init(name: name, values: values, missing: missing, dictionary: nil)
    }

    init(name: String, values: ColumnValues, missing: [Bool]?, dictionary: Factor?) {
        self.name = name
        self.values = values
        self.dictionary = dictionary
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
