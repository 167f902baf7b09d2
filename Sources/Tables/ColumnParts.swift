/// Reading a large file a part at a time (``CSVReader``'s segments): the parts of a column are
/// joined into the column a whole read would give, and the columns a reader does not keep are
/// typed part by part so that their cells can be read later with the type the whole file gives.

extension TextValues {
    /// The most distinct values a column is read coded with (``codedLimit(rows:)`` for fewer rows).
    static let codedLimit = 1 << 16

    /// The most distinct values a column of `rows` rows is read coded with.
    static func codedLimit(rows: Int) -> Int { min(codedLimit, max(1 << 10, rows / 4)) }

    /// A column with more distinct values than half its first this many rows is read flat.
    static let codedProbeRows = 8192

    /// Coded parts as one coded column, numbering the distinct values in order of first
    /// appearance; nil when the whole column is to be read flat (too many distinct values).
    static func joiningCoded(_ parts: [TextValues], rows: Int) -> TextValues? {
        var joined = TextValues()
        var known: [[UInt8]: Int32] = [:]
        var maps: [[Int32]] = []
        let limit = codedLimit(rows: rows)
        for part in parts {
            guard part.codes != nil else { return nil }
            var map = [Int32](repeating: -1, count: part.levelCount)
            for c in 0..<part.levelCount {
                let level = Array(part.bytes[part.offsets[c]..<part.offsets[c + 1]])
                if let code = known[level] {
                    map[c] = code
                } else {
                    let code = Int32(known.count)
                    known[level] = code
                    map[c] = code
                    joined.bytes.append(contentsOf: level)
                    joined.offsets.append(joined.bytes.count)
                }
            }
            if known.count > limit { return nil }
            maps.append(map)
        }
        let codes = [Int32](hugeCapacity: rows) { out in
            var i = 0
            for (part, map) in zip(parts, maps) {
                for code in part.codes! {
                    out[i] = code < 0 ? -1 : map[Int(code)]
                    i += 1
                }
            }
        }
        // The look at the first rows that a whole read takes (ColumnParser.parseCodedText).
        if rows >= codedProbeRows {
            var distinct: Int32 = 0
            for code in codes.prefix(codedProbeRows) where code >= distinct { distinct = code + 1 }
            if Int(distinct) * 2 > codedProbeRows { return nil }
        }
        joined.codes = codes
        joined.firstAppearanceOrder = true
        return joined
    }

    /// Parts, coded or flat, as one flat column.
    static func joiningFlat(_ parts: [TextValues], rows: Int) -> TextValues {
        var total = 0
        for part in parts {
            if let codes = part.codes {
                for code in codes where code >= 0 { total += part.offsets[Int(code) + 1] - part.offsets[Int(code)] }
            } else {
                total += part.bytes.count
            }
        }
        var offsets: [Int] = []
        let bytes = [UInt8](hugeCapacity: total) { out in
            offsets = [Int](hugeCapacity: rows + 1) { o in
                var used = 0
                var row = 0
                o[0] = 0
                for part in parts {
                    part.bytes.withUnsafeBufferPointer { source in
                        if let codes = part.codes {
                            for code in codes {
                                if code >= 0 {
                                    let range = part.offsets[Int(code)]..<part.offsets[Int(code) + 1]
                                    if !range.isEmpty { (out + used).update(from: source.baseAddress! + range.lowerBound, count: range.count) }
                                    used += range.count
                                }
                                row += 1
                                o[row] = used
                            }
                        } else {
                            if !source.isEmpty { (out + used).update(from: source.baseAddress!, count: source.count) }
                            part.offsets.withUnsafeBufferPointer { offs in
                                for i in 1..<offs.count { o[row + i] = offs[i] + used }
                            }
                            row += part.offsets.count - 1
                            used += source.count
                        }
                    }
                }
            }
        }
        return TextValues(bytes: bytes, offsets: offsets, codes: nil)
    }
}

extension Array {
    /// An array of `count` elements written by `body` into fresh memory backed by huge pages
    /// where the system allows (``adviseHugePages(_:byteCount:)``); `body` must write every one.
    init(hugeCapacity count: Int, _ body: (UnsafeMutablePointer<Element>) -> Void) {
        self.init(unsafeUninitializedCapacity: Swift.max(count, 1)) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), byteCount: count * MemoryLayout<Element>.stride)
            body(buffer.baseAddress!)
            initialized = count
        }
    }

    /// The arrays one after another, in fresh memory as ``init(hugeCapacity:_:)``.
    init(joining arrays: [[Element]]) {
        let count = arrays.reduce(0) { $0 + $1.count }
        self.init(hugeCapacity: count) { out in
            var i = 0
            for array in arrays {
                array.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress { (out + i).initialize(from: base, count: source.count) }
                }
                i += array.count
            }
        }
    }
}

extension Column {
    /// Parts of one column, all of one type and in file order, as the column a whole read gives.
    static func joining(_ parts: [Column], name: String) -> Column {
        let rows = parts.reduce(0) { $0 + $1.count }
        var missing: [Bool]? = nil
        if parts.contains(where: { $0.missing != nil }) {
            missing = [Bool](joining: parts.map { $0.missing ?? [Bool](repeating: false, count: $0.count) })
        }
        switch parts.first?.values ?? .integer([]) {
        case .integer:
            let values = [Int](joining: parts.map { part in
                if case .integer(let v) = part.values { return v }
                return []
            })
            var column = Column(name: name, values: .integer(values), missing: missing)
            column.strictlyIncreasing = missing == nil && isStrictlyIncreasing(values)
            return column
        case .decimal:
            let values = [Double](joining: parts.map { part in
                if case .decimal(let v) = part.values { return v }
                return []
            })
            return Column(name: name, values: .decimal(values), missing: missing)
        case .text:
            let texts = parts.map { part -> TextValues in
                if case .text(let t) = part.values { return t }
                return TextValues()
            }
            if let coded = TextValues.joiningCoded(texts, rows: rows) {
                return Column(name: name, values: .text(coded), missing: missing)
            }
            let flat = TextValues.joiningFlat(texts, rows: rows)
            var column = Column(name: name, values: .text(flat), missing: missing)
            column.strictlyIncreasing = missing == nil && flat.isStrictlyIncreasing
            return column
        }
    }
}

/// Whether every value is larger than the one before (then the values are all distinct).
func isStrictlyIncreasing(_ values: [Int]) -> Bool {
    values.withUnsafeBufferPointer { v in
        var i = 1
        while i < v.count {
            if v[i] <= v[i - 1] { return false }
            i += 1
        }
        return true
    }
}

extension ColumnType {
    /// The type a column of cells of both types is read as.
    func widened(to other: ColumnType) -> ColumnType {
        switch (self, other) {
        case (.text, _), (_, .text): .text
        case (.decimal, _), (_, .decimal): .decimal
        default: .integer
        }
    }
}

extension ColumnParser {
    /// The type of the column's cells in these chunks and before them (`type`, what the file's
    /// earlier parts gave), by ``parse(name:as:)``'s rules, without keeping the values; and the
    /// offset of the first byte of its text that is not UTF-8, if any.
    func widen(from type: ColumnType) -> (type: ColumnType, invalidUTF8: Int?) {
        let p = buffer.base
        let rules = TextDecoder.leadRules
        var type = type
        var invalid: Int? = nil
        var checkedStart = 0
        var checkedLength = -1
        for chunk in chunks {
            let base = chunk.base
            let complete = chunk.forEachBlock(column: index, columns: columns) { _, n, starts, adjust, ends in
                for r in 0..<n {
                    let start = base + Int(starts[r]) + adjust
                    let end = base + Int(ends[r])
                    if type != .text {
                        var s = start
                        var e = end
                        if p[s] == 0x22 {
                            s += 1
                            e -= 1
                        }
                        if s >= e { continue }
                        if type == .integer, parseInteger(p, s, e) != nil { continue }
                        if parseDecimal(p, s, e) != nil {
                            type = .decimal
                            continue
                        }
                        type = .text
                    }
                    // Text: only its UTF-8 is checked; a cell like the one before was checked already.
                    let length = end - start
                    if length == 0 || !hasHighBit(p + start, length) { continue }
                    if length == checkedLength, length <= 32, sameBytes(p + start, p + checkedStart, length) { continue }
                    checkedStart = start
                    checkedLength = length
                    if let bad = TextDecoder.firstInvalidUTF8(p, from: start, to: end, rules: rules) {
                        invalid = bad
                        return false
                    }
                }
                return true
            }
            if !complete { break }
        }
        return (type, invalid)
    }
}

/// Whether any of `n` bytes at `p` is not ASCII; the bytes are followed by readable bytes.
@inline(__always)
private func hasHighBit(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Bool {
    var k = 0
    while k < n {
        let word = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
        let valid = n - k >= 8 ? UInt64.max : (1 << (UInt64(n - k) << 3)) &- 1
        if word & valid & 0x8080_8080_8080_8080 != 0 { return true }
        k += 8
    }
    return false
}
