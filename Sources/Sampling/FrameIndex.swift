import Tables

/// Column lookups the draw needs, computed once per frame: factor codes of grouping columns and
/// typed comparisons for sorting.
final class FrameIndex: @unchecked Sendable {
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
        for c in columns {
            let column = table.columns[c]
            let ma = column.isMissing(a)
            let mb = column.isMissing(b)
            if ma || mb {
                if ma && mb { continue }
                return ma ? 1 : -1
            }
            switch column.values {
            case .integer(let v):
                if v[a] != v[b] { return v[a] < v[b] ? -1 : 1 }
            case .decimal(let v):
                if v[a] != v[b] { return v[a] < v[b] ? -1 : 1 }
            case .text(let t):
                let r = t.withBytes(a) { x in t.withBytes(b) { y in compareBytes(x, y) } }
                if r != 0 { return r }
            }
        }
        return 0
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
