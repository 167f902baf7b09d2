/// Shares a total sample among strata (docs/algorithms/sampling.md, section 6).
///
/// Each stratum h has N_h units and a weight w_h (N_h for proportional, 1 for equal, N_h·S_h for
/// Neyman). Targets are t_h = clamp(λ·w_h, lo_h, hi_h) with the unique λ for which Σ t_h = n,
/// where lo_h = min(m, N_h) for the minimum m, and hi_h = N_h with take-all (unbounded without, when
/// a target above N_h is an error). Targets are rounded by largest remainder, ties to the earlier
/// stratum, so the total is exact. This agrees with SAS PROC SURVEYSELECT's ALLOC= with ALLOCMIN=.
enum Allocator {
    enum Failure: Error, Equatable {
        /// The total exceeds the units of all strata.
        case totalTooLarge(available: Int)
        /// The minima alone exceed the total.
        case minimumTooLarge(needed: Int)
        /// A stratum has fewer units than the minimum and taking all was not allowed.
        case stratumBelowMinimum(index: Int, available: Int, minimum: Int)
        /// A stratum's share exceeds its units and taking all was not allowed.
        case stratumTooSmall(index: Int, available: Int, needed: Int)
    }

    /// - Returns: n_h for every stratum.
    /// - Complexity: O(H log H).
    static func allocate(total n: Int, populations: [Int], weights: [Double], minimum: Int,
                         takeAll: Bool) throws(Failure) -> [Int] {
        let count = populations.count
        let available = populations.reduce(0, +)
        guard n <= available else { throw .totalTooLarge(available: available) }
        if !takeAll, let h = populations.firstIndex(where: { $0 < minimum }) {
            throw .stratumBelowMinimum(index: h, available: populations[h], minimum: minimum)
        }
        let lower = populations.map { Double(min(minimum, $0)) }
        let upper = populations.map { takeAll ? Double($0) : Double.infinity }
        let lowerSum = lower.reduce(0, +)
        guard lowerSum <= Double(n) else { throw .minimumTooLarge(needed: Int(lowerSum)) }

        // g(λ) = Σ clamp(λ w_h, lo_h, hi_h): find the last breakpoint b with g(b) ≤ n.
        func g(_ lambda: Double) -> Double {
            (0..<count).reduce(0.0) { sum, h in sum + min(max(lambda * weights[h], lower[h]), upper[h]) }
        }
        var breakpoints: [Double] = [0]
        for h in 0..<count where weights[h] > 0 {
            breakpoints.append(lower[h] / weights[h])
            if upper[h].isFinite { breakpoints.append(upper[h] / weights[h]) }
        }
        breakpoints.sort()
        var b = 0.0
        for point in breakpoints where g(point) <= Double(n) { b = point }
        // Just above b: each stratum sits at a bound or is free.
        var targets = [Double](repeating: 0, count: count)
        var free: [Int] = []
        var fixedSum = 0.0
        for h in 0..<count {
            if weights[h] <= 0 || lower[h] / weights[h] > b {
                targets[h] = lower[h]
                fixedSum += lower[h]
            } else if upper[h] / weights[h] <= b {
                targets[h] = upper[h]
                fixedSum += upper[h]
            } else {
                free.append(h)
            }
        }
        let freeWeight = free.reduce(0.0) { $0 + weights[$1] }
        let remaining = Double(n) - fixedSum
        // Exact integer arithmetic when the free weights are whole numbers (proportional, equal).
        let integral = free.allSatisfy { weights[$0] == weights[$0].rounded() && weights[$0] < 1e15 }
        var shares = targets.map { Int($0.rounded(.down)) }
        var fractions = [Double](repeating: 0, count: count)
        if !free.isEmpty, freeWeight > 0 {
            if integral && remaining == remaining.rounded() {
                let total = Int(freeWeight)
                let r = Int(remaining)
                for h in free {
                    let product = r * Int(weights[h])
                    shares[h] = product / total
                    fractions[h] = Double(product % total) / Double(total)
                    targets[h] = Double(product) / Double(total)
                }
            } else {
                for h in free {
                    targets[h] = remaining * weights[h] / freeWeight
                    shares[h] = Int(targets[h].rounded(.down))
                    fractions[h] = ((targets[h] - Double(shares[h])) * 1e9).rounded() / 1e9
                }
            }
        }
        if !takeAll, let h = (0..<count).first(where: { targets[$0] > Double(populations[$0]) + 1e-9 }) {
            throw .stratumTooSmall(index: h, available: populations[h], needed: Int(targets[h].rounded(.up)))
        }
        var left = n - shares.reduce(0, +)
        let order = (0..<count).sorted { a, b in fractions[a] != fractions[b] ? fractions[a] > fractions[b] : a < b }
        for h in order where left > 0 && fractions[h] > 0 {
            shares[h] += 1
            left -= 1
        }
        return shares
    }
}
