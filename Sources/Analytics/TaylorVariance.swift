/// Taylor-linearisation variance of a domain statistic for a stratified multi-stage design, as
/// R's `svyrecvar` computes it (docs/algorithms/estimation.md §2): at every stage and in every
/// stratum, `f · n/(n−1) · Σ (t − t̄)²` over the cluster totals t of the linearised values, with
/// the clusters a domain misses counted as zero totals, each later stage scaled by the sampling
/// fractions above it. Two statistics (score and rate) are carried together.
///
/// Scratch arrays are reused between domains; a domain costs time in the number of its cases.
struct TaylorVariance {
    typealias Pair = SIMD2<Double>

    let design: SurveyDesign
    /// Cluster totals per level, and which clusters a domain touched.
    private var totals: [[Pair]]
    private var touched: [[Int]]
    private var isTouched: [[Bool]]
    /// Product of the sampling fractions from stage 1 down to each cluster (its own included).
    private let pathFraction: [[Double]]
    /// Per-parent accumulators, by level.
    private var parentSum: [[Pair]]
    private var parentPresent: [[Int]]
    private var parentDeviation: [[Pair]]
    private var parentFirstFactor: [[Double]]
    private var parentMaxFactor: [[Double]]

    init(design: SurveyDesign) {
        self.design = design
        let levels = design.levels
        totals = levels.map { [Pair](repeating: .zero, count: $0.count) }
        touched = levels.map { _ in [] }
        isTouched = levels.map { [Bool](repeating: false, count: $0.count) }
        var paths: [[Double]] = []
        for (k, level) in levels.enumerated() {
            paths.append((0..<level.count).map { c in
                level.fraction[c] * (k == 0 ? 1 : paths[k - 1][Int(level.parent[c])])
            })
        }
        pathFraction = paths
        let parentCounts = levels.enumerated().map { k, _ in k == 0 ? design.strataCount : levels[k - 1].count }
        parentSum = parentCounts.map { [Pair](repeating: .zero, count: $0) }
        parentPresent = parentCounts.map { [Int](repeating: 0, count: $0) }
        parentDeviation = parentCounts.map { [Pair](repeating: .zero, count: $0) }
        parentFirstFactor = parentCounts.map { [Double](repeating: -1, count: $0) }
        parentMaxFactor = parentCounts.map { [Double](repeating: 0, count: $0) }
    }

    /// The variance of the two statistics whose linearised values per case are `z`.
    /// - Parameters:
    ///   - everything: treat every cluster as present (calibrated designs: rows outside the
    ///     domain carry residuals, and R keeps them).
    ///   - domain: the domain's name, for the lonely-PSU error.
    mutating func variance(_ z: [(case: Int, value: Pair)], everything: Bool, domain: String) throws(AnalyticsError) -> Pair {
        let last = design.levels.count - 1
        defer { reset() }
        if everything {
            for k in 0...last {
                for c in 0..<design.levels[k].count { mark(k, c) }
            }
        }
        for (c, value) in z {
            let cluster = Int(design.caseCluster[c])
            totals[last][cluster] += value
            mark(last, cluster)
        }
        if last > 0 {
            for k in stride(from: last, to: 0, by: -1) {
                let parents = design.levels[k].parent
                for c in touched[k] {
                    let p = Int(parents[c])
                    totals[k - 1][p] += totals[k][c]
                    mark(k - 1, p)
                }
            }
        }
        let stages = design.hasFPC ? design.levels.count : 1
        var result = Pair.zero
        for k in 0..<stages {
            result += try stageContribution(k, domain: domain)
        }
        return result
    }

    private mutating func mark(_ k: Int, _ c: Int) {
        if !isTouched[k][c] {
            isTouched[k][c] = true
            touched[k].append(c)
        }
    }

    private mutating func reset() {
        for k in 0..<totals.count {
            for c in touched[k] {
                totals[k][c] = .zero
                isTouched[k][c] = false
            }
            touched[k].removeAll(keepingCapacity: true)
        }
    }

    /// The contribution of stage k + 1 (level k): one "stratum" per stratum at stage 1, per
    /// stage-k cluster later, each scaled by the sampling fractions above it.
    private mutating func stageContribution(_ k: Int, domain: String) throws(AnalyticsError) -> Pair {
        let level = design.levels[k]
        let rule = design.spec.lonely
        var parents: [Int] = []
        for c in touched[k] {
            let p = Int(level.parent[c])
            if parentPresent[k][p] == 0 {
                parents.append(p)
                parentFirstFactor[k][p] = level.fpcFactor[c]
            }
            parentPresent[k][p] += 1
            parentSum[k][p] += totals[k][c]
            parentMaxFactor[k][p] = max(parentMaxFactor[k][p], level.fpcFactor[c])
        }
        for c in touched[k] {
            let p = Int(level.parent[c])
            let n = Double(level.sampled[p])
            let deviation = totals[k][c] - parentSum[k][p] / n
            parentDeviation[k][p] += level.fpcFactor[c] * deviation * deviation
        }
        defer {
            for p in parents {
                parentSum[k][p] = .zero
                parentPresent[k][p] = 0
                parentDeviation[k][p] = .zero
                parentFirstFactor[k][p] = -1
                parentMaxFactor[k][p] = 0
            }
        }
        var sum = Pair.zero
        var averaged = 0
        var missing = 0
        for p in parents {
            let nSample = level.sampled[p]
            let n = Double(nSample)
            let f = parentFirstFactor[k][p]
            // Certainty strata contribute nothing, before any lonely-PSU rule.
            if parentMaxFactor[k][p] < 1e-7 {
                averaged += 1
                continue
            }
            let scale = k == 0 ? 1.0 : pathFraction[k - 1][p]
            if nSample == 1 {
                switch rule {
                case .fail:
                    throw .estimation(message: "\(domain): stratum \(parentLabel(k, p)) has only one PSU at stage \(k + 1)",
                                      hint: "choose --lonely-psu remove, certainty, adjust or average, or merge the stratum with a neighbour")
                case .remove, .certainty:
                    averaged += 1
                case .adjust:
                    let t = parentSum[k][p]
                    sum += scale * f * t * t
                    averaged += 1
                case .average:
                    if k > 0 { return Pair(repeating: .nan) }
                    missing += 1
                }
                continue
            }
            let mean = parentSum[k][p] / n
            let padded = Double(nSample - parentPresent[k][p])
            let deviations = parentDeviation[k][p] + padded * f * mean * mean
            sum += scale * deviations * (n / (n - 1))
            averaged += 1
        }
        if missing > 0 {
            let present = averaged + missing
            return averaged == 0 ? Pair(repeating: .nan) : sum * (Double(present) / Double(averaged))
        }
        return sum
    }

    private func parentLabel(_ k: Int, _ p: Int) -> String {
        k == 0 ? design.strataLabels[p] : design.clusterLabel(stage: k - 1, p)
    }
}
