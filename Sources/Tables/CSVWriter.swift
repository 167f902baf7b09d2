/// Builds CSV text (RFC 4180, UTF-8, LF line ends) in memory.
///
/// A field is quoted when it holds the delimiter, a quote, a line break, or leading or trailing
/// spaces; quotes inside are doubled. Missing values are written as empty fields.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public let delimiter: UInt8

    /// - Parameter byteOrderMark: start with a UTF-8 BOM, which Excel needs to show Chinese text.
    public init(delimiter: UInt8 = UInt8(ascii: ","), byteOrderMark: Bool = false) {
        self.delimiter = delimiter
        if byteOrderMark { bytes = [0xEF, 0xBB, 0xBF] }
    }

    public mutating func reserve(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func writeRow(_ fields: [String?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(delimiter) }
            if let field { writeField(field) }
        }
        bytes.append(0x0A)
    }

    public mutating func writeRow(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(delimiter) }
            writeField(field)
        }
        bytes.append(0x0A)
    }

    /// Appends one field; the caller separates fields with ``writeDelimiter()`` and ends rows
    /// with ``endRow()``. For hot loops that avoid building arrays.
    public mutating func writeField(_ field: String) {
        var needsQuotes = false
        let utf8 = field.utf8
        if let first = utf8.first, let last = utf8.last, first == 0x20 || last == 0x20 { needsQuotes = true }
        if !needsQuotes {
            for b in utf8 where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Appends a field given as UTF-8 bytes (quoted when needed).
    public mutating func writeField(bytes field: UnsafeBufferPointer<UInt8>) {
        var needsQuotes = false
        if let first = field.first, let last = field.last, first == 0x20 || last == 0x20 { needsQuotes = true }
        if !needsQuotes {
            for b in field where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(0x22)
        for b in field {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Appends an integer in decimal digits.
    public mutating func writeInteger(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(0x30 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    public mutating func writeDelimiter() {
        bytes.append(delimiter)
    }

    public mutating func endRow() {
        bytes.append(0x0A)
    }
}

extension Table {
    /// The table as CSV (the header, then every row; cells as ``Column/string(_:)`` writes them:
    /// integers in decimal digits, decimals in the shortest form that reads back to the same
    /// value, missing cells empty).
    public func csv(byteOrderMark: Bool = false) -> [UInt8] {
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        writer.writeRow(names)
        for r in 0..<rowCount {
            for (i, column) in columns.enumerated() {
                if i > 0 { writer.writeDelimiter() }
                if let cell = column.string(r) { writer.writeField(cell) }
            }
            writer.endRow()
        }
        return writer.bytes
    }
}
