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
            var table = ByteSpanTable(bytes: text.bytes)
            var levels: [String] = []
            text.offsets.withUnsafeBufferPointer { offsets in
                for i in 0..<count where !isMissing(i) {
                    let code = table.code(start: offsets[i], end: offsets[i + 1]) {
                        levels.append(text[i])
                    }
                    codes[i] = code
                }
            }
            return Factor(codes: codes, levels: levels)
        }
    }
}

/// An open-addressing hash table from byte ranges of one array to dense codes.
struct ByteSpanTable {
    private let bytes: [UInt8]
    private var slots: [Int32]
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    private var mask: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    /// The code of `bytes[start..<end]`, calling `onNew` first when it is new.
    mutating func code(start: Int, end: Int, onNew: () -> Void) -> Int32 {
        let h = hash(start, end)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let c = Int(code)
            if hashes[c] == h, equal(starts[c], ends[c], start, end) { return code }
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

    /// FNV-1a over the bytes, finished with a multiply-xorshift so low bits spread.
    private func hash(_ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { b in
            for i in start..<end {
                h = (h ^ UInt64(b[i])) &* 0x100_0000_01b3
            }
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }

    private func equal(_ s1: Int, _ e1: Int, _ s2: Int, _ e2: Int) -> Bool {
        guard e1 - s1 == e2 - s2 else { return false }
        return bytes.withUnsafeBufferPointer { b in
            for k in 0..<(e1 - s1) where b[s1 + k] != b[s2 + k] { return false }
            return true
        }
    }
}
