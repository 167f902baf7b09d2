/// Inclusion probabilities and the systematic selection rule of R's `sampling` package (2.9),
/// reproduced operation for operation so that the same random start selects the same units.
///
/// R sums doubles in extended precision (`cumsum` and `sum` accumulate in `long double`); on
/// x86-64 the same is done here with `Float80`, elsewhere with `Double`.
enum Probabilities {
    #if arch(x86_64) || arch(i386)
    typealias Accumulator = Float80
    #else
    typealias Accumulator = Double
    #endif

    /// R's `sum`: accumulated in extended precision, rounded once.
    static func sum(_ values: [Double]) -> Double {
        var s: Accumulator = 0
        for v in values { s += Accumulator(v) }
        return Double(s)
    }

    /// Inclusion probabilities proportional to `sizes` for a sample of `n` (R's
    /// `inclusionprobabilities(a, n)`).
    ///
    /// π_i = n a_i / Σa. Units whose π reaches 1 are taken with certainty (π = 1) and the others are
    /// rescaled to share the remaining n − l draws, repeatedly until no new unit reaches 1.
    /// Zero sizes give π = 0; negative sizes are the caller's error (checked before).
    /// - Complexity: O(N × certainty rounds).
    static func inclusion(sizes a: [Double], n: Int) -> [Double] {
        if a.allSatisfy({ $0 == 0 }) { return a }
        let total = sum(a)
        var pik1 = a.map { Double(n) * $0 / total }
        let positive = pik1.indices.filter { pik1[$0] > 0 }
        var pik = positive.map { pik1[$0] }
        var list = pik.map { $0 >= 1 }
        var l = list.filter { $0 }.count
        if l > 0 {
            var l1 = 0
            while l != l1 {
                let free = pik.indices.filter { !list[$0] }
                let x = free.map { pik[$0] }
                let s = sum(x)
                for (k, i) in free.enumerated() {
                    pik[i] = Double(n - l) * (x[k] / s)
                }
                for i in pik.indices where list[i] { pik[i] = 1 }
                l1 = l
                list = pik.map { $0 >= 1 }
                l = list.filter { $0 }.count
            }
            for (k, i) in positive.enumerated() { pik1[i] = pik[k] }
        }
        return pik1
    }

    /// R's `UPsystematic(pik, eps)` with the random start `u` given instead of drawn.
    ///
    /// Units with eps < π < 1 − eps are lined up; with C_0 = 0 and C_i the running sum of their π,
    /// a_i = (C_i − u) mod 1 and unit i is selected iff a_{i−1} > a_i, i.e. iff an integer lies in
    /// (C_{i−1} − u, C_i − u]. Units with π ≥ 1 − eps are always selected, those with π ≤ eps never.
    /// With all π = n/N this is systematic sampling with interval k = N/n and start u·k.
    /// - Complexity: O(N).
    static func systematic(_ pik: [Double], start u: Double, eps: Double = 1e-6) -> [Bool] {
        var selected = [Bool](repeating: false, count: pik.count)
        var running: Accumulator = 0
        var previous = fractional(0 - u)
        for (i, p) in pik.enumerated() {
            if p <= eps { continue }
            if p >= 1 - eps {
                selected[i] = true
                continue
            }
            running += Accumulator(p)
            let current = fractional(Double(running) - u)
            selected[i] = previous > current
            previous = current
        }
        return selected
    }

    /// R's `x %% 1` for doubles.
    @inline(__always)
    static func fractional(_ x: Double) -> Double {
        x - x.rounded(.down)
    }
}
