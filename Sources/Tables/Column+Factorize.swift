/// A column recoded as small integers: `codes[i]` indexes `levels`, or is -1 for a missing cell.
public struct Factor: Sendable {
    public var codes: [Int32]
    /// Distinct values in order of first appearance, as text.
    public var levels: [String]

    public var levelCount: Int { levels.count }
}

extension Column {
    /// Recodes the column's distinct values as 0, 1, 2, … in order of first appearance.
    ///
    /// Text is hashed on its bytes in an open-addressing table, so no `String` is made per row.
    /// - Complexity: O(n) expected.
    public func factorize() -> Factor {
        var codes = [Int32](repeating: -1, count: count)
        switch values {
        case .integer(let v):
            var map: [Int: Int32] = [:]
            var levels: [String] = []
            for i in 0..<count where !isMissing(i) {
                let value = v[i]
                if let code = map[value] {
                    codes[i] = code
                } else {
                    let code = Int32(levels.count)
                    map[value] = code
                    levels.append(String(value))
                    codes[i] = code
                }
            }
            return Factor(codes: codes, levels: levels)
        case .decimal(let v):
            var map: [Double: Int32] = [:]
            var levels: [String] = []
            for i in 0..<count where !isMissing(i) {
                let value = v[i]
                if let code = map[value] {
                    codes[i] = code
                } else {
                    let code = Int32(levels.count)
                    map[value] = code
                    levels.append(formatDecimal(value))
                    codes[i] = code
                }
            }
            return Factor(codes: codes, levels: levels)
        case .text(let text):
            if let coded = text.codes, text.firstAppearanceOrder {
                return Factor(codes: coded, levels: (0..<(text.offsets.count - 1)).map { text.level($0) })
            }
            if let coded = text.codes {
                // Renumber in order of first appearance (a selection of rows may skip or reorder values).
                var remap = [Int32](repeating: -1, count: text.offsets.count - 1)
                var levels: [String] = []
                for (i, c) in coded.enumerated() where c >= 0 {
                    if remap[Int(c)] < 0 {
                        remap[Int(c)] = Int32(levels.count)
                        levels.append(text[i])
                    }
                    codes[i] = remap[Int(c)]
                }
                return Factor(codes: codes, levels: levels)
            }
            var table = ByteSpanTable()
            var levels: [String] = []
            text.bytes.withUnsafeBufferPointer { bytes in
                text.offsets.withUnsafeBufferPointer { offsets in
                    let base = bytes.baseAddress!
                    var previous = -1
                    for i in 0..<count where !isMissing(i) {
                        // Frames are sorted by place: most values repeat the previous row's.
                        if previous >= 0 {
                            let n = offsets[i + 1] - offsets[i]
                            if n == offsets[previous + 1] - offsets[previous],
                               memoryEqual(base + offsets[i], base + offsets[previous], n) {
                                codes[i] = codes[previous]
                                previous = i
                                continue
                            }
                        }
                        codes[i] = table.code(base, start: offsets[i], end: offsets[i + 1]) {
                            levels.append(text[i])
                        }
                        previous = i
                    }
                }
            }
            return Factor(codes: codes, levels: levels)
        }
    }
}

/// An open-addressing hash table from byte ranges to dense codes. Ranges are offsets from a base
/// pointer that the caller passes to every call and keeps valid (the bytes at recorded ranges must
/// not change).
struct ByteSpanTable {
    private var slots: [Int32]
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private var hashes: [UInt64] = []
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { starts.count }

    /// The code of `base[start..<end]`, calling `onNew` first when it is new.
    @inline(__always)
    mutating func code(_ base: UnsafePointer<UInt8>, start: Int, end: Int, onNew: () -> Void) -> Int32 {
        let h = hash(base, start, end)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let c = Int(code)
            if hashes[c] == h, ends[c] - starts[c] == end - start, memoryEqual(base + starts[c], base + start, end - start) {
                return code
            }
            slot = (slot + 1) & mask
        }
        let code = Int32(starts.count)
        starts.append(start)
        ends.append(end)
        hashes.append(h)
        slots[slot] = code
        onNew()
        if starts.count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for c in 0..<starts.count {
            var slot = Int(truncatingIfNeeded: hashes[c]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(c)
        }
    }

    /// A multiply-xorshift hash taken over whole 8-byte words, then the tail bytes.
    @inline(__always)
    private func hash(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(end - start)
        let raw = UnsafeRawPointer(base)
        var i = start
        while i + 8 <= end {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xbf58_476d_1ce4_e5b9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < end {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94d0_49bb_1331_11eb
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }
}

/// Whether `n` bytes at `a` and `b` are equal.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var k = 0
    while k + 8 <= n {
        if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self) {
            return false
        }
        k += 8
    }
    while k < n {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}
