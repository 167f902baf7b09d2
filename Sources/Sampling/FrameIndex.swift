import Tables

/// Column lookups the draw needs, computed once per frame: factor codes of grouping columns and
/// typed comparisons for sorting.
final class FrameIndex {
    let table: Table
    private var factors: [Int: Factor] = [:]

    init(table: Table) {
        self.table = table
    }

    func columnIndex(_ name: String) -> Int {
        // Columns were checked against the design before drawing.
        table.index(of: name) ?? 0
    }

    /// Computes the factors of several columns in parallel, ahead of use.
    func prepare(_ names: [String]) {
        let wanted = Array(Set(names.map(columnIndex))).sorted().filter { factors[$0] == nil }
        let table = table
        let computed = parallelMap(wanted.count) { i in table.columns[wanted[i]].factorize() }
        for (c, f) in zip(wanted, computed) { factors[c] = f }
    }

    /// Factor codes of a column, computed on first use.
    func factor(_ name: String) -> Factor {
        let c = columnIndex(name)
        if let f = factors[c] { return f }
        let f = table.columns[c].factorize()
        factors[c] = f
        return f
    }

    /// Compares two rows on the given columns: numbers numerically, text by Unicode code points,
    /// missing cells last. Returns a negative number, zero or a positive number.
    func compare(_ a: Int, _ b: Int, on columns: [Int]) -> Int {
        SortKey(table: table, columns: columns).compare(a, b)
    }

    /// A sort order on columns, with each column's values taken out once (for hot sorts).
    func sortKey(_ columns: [Int]) -> SortKey {
        SortKey(table: table, columns: columns)
    }
}

/// Compares rows on a list of columns: numbers numerically, text by Unicode code points (coded
/// text by the rank of its distinct values), missing cells last.
struct SortKey {
    private enum Values {
        case integer([Int])
        case decimal([Double])
        case text(TextValues)
        /// Rank of each code among the distinct values, for coded text.
        case ranked(codes: [Int32], rank: [Int32])
    }

    private let keys: [(values: Values, missing: [Bool]?)]

    init(table: Table, columns: [Int]) {
        keys = columns.map { c in
            let column = table.columns[c]
            switch column.values {
            case .integer(let v): return (.integer(v), column.missing)
            case .decimal(let v): return (.decimal(v), column.missing)
            case .text(let t):
                if t.isCoded, let codes = t.codes {
                    let levels = t.levelCount
                    let order = (0..<levels).sorted { x, y in t.withLevelBytes(x) { a in t.withLevelBytes(y) { b in compareBytes(a, b) < 0 } } }
                    var rank = [Int32](repeating: 0, count: levels)
                    for (r, level) in order.enumerated() { rank[level] = Int32(r) }
                    return (.ranked(codes: codes, rank: rank), column.missing)
                }
                return (.text(t), column.missing)
            }
        }
    }

    var isEmpty: Bool { keys.isEmpty }

    func compare(_ a: Int, _ b: Int) -> Int {
        for key in keys {
            if let missing = key.missing {
                let ma = missing[a], mb = missing[b]
                if ma || mb {
                    if ma && mb { continue }
                    return ma ? 1 : -1
                }
            }
            switch key.values {
            case .integer(let v):
                if v[a] != v[b] { return v[a] < v[b] ? -1 : 1 }
            case .decimal(let v):
                if v[a] != v[b] { return v[a] < v[b] ? -1 : 1 }
            case .ranked(let codes, let rank):
                let x = rank[Int(codes[a])], y = rank[Int(codes[b])]
                if x != y { return x < y ? -1 : 1 }
            case .text(let t):
                let r = t.withBytes(a) { x in t.withBytes(b) { y in compareBytes(x, y) } }
                if r != 0 { return r }
            }
        }
        return 0
    }

    /// Sorts rows (stable: ties keep their order), skipping the sort when they are in order already.
    func sort(_ items: inout [Sampler.Candidate]) {
        guard !keys.isEmpty, items.count > 1 else { return }
        var ordered = true
        for i in 1..<items.count where compare(items[i - 1].firstRow, items[i].firstRow) > 0 {
            ordered = false
            break
        }
        if ordered { return }
        items.sort { x, y in
            let c = compare(x.firstRow, y.firstRow)
            return c != 0 ? c < 0 : x.firstRow < y.firstRow
        }
    }
}

/// Lexicographic comparison of UTF-8 bytes, which orders strings by code point.
func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(x.count, y.count)
    for i in 0..<n where x[i] != y[i] {
        return x[i] < y[i] ? -1 : 1
    }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
}
