import Stats

/// Replicate weights at the level of primary sampling units: JKn jackknife (R's
/// `as.svrepdesign(type = "JKn")`) and the Rao–Wu rescaling bootstrap (R's `subbootstrap`).
/// estimation.md §4.
struct Replicates {
    enum Kind {
        /// One replicate per PSU of each stratum with two or more PSUs (fpc strata taken whole
        /// get none): the PSU's weight × 0, the stratum's other PSUs × n/(n−1).
        case jackknife
        /// R replicates of n − 1 PSUs drawn with replacement in each stratum, × n/(n−1).
        case bootstrap
    }

    let kind: Kind
    /// PSU multipliers of each replicate (replicates × PSUs), for the bootstrap.
    private(set) var multipliers: [[Double]] = []
    /// For the jackknife: each replicate's stratum, deleted PSU (or -1 for the whole design
    /// with `adjust`), and factor n/(n−1).
    private(set) var deleted: [(stratum: Int, psu: Int, factor: Double)] = []
    /// Each replicate's rscale, and the overall scale.
    private(set) var rscales: [Double] = []
    private(set) var scale: Double = 1
    /// Degrees of freedom of the replicate design.
    private(set) var degreesOfFreedom: Int = 0
    /// PSUs of each stratum, and each PSU's stratum.
    let strataPSUs: [[Int]]
    let psuStratum: [Int]

    var count: Int { rscales.count }

    init(jackknifeFor design: SurveyDesign) throws(AnalyticsError) {
        kind = .jackknife
        let level = design.levels[0]
        var members = [[Int]](repeating: [], count: design.strataCount)
        for a in 0..<level.count { members[Int(level.parent[a])].append(a) }
        strataPSUs = members
        psuStratum = (0..<level.count).map { Int(level.parent[$0]) }
        for (h, psus) in members.enumerated() where !psus.isEmpty {
            let n = psus.count
            let f = level.fpcFactor[psus[0]]
            if n == 1 {
                switch design.spec.lonely {
                case .fail:
                    throw .estimation(message: "stratum \(design.strataLabels[h]) has only one PSU",
                                      hint: "choose --lonely-psu remove, certainty, adjust or average, or merge the stratum with a neighbour")
                case .remove, .certainty, .average:
                    continue
                case .adjust:
                    let strata = Double(members.filter { !$0.isEmpty }.count)
                    deleted.append((h, psus[0], strata / (strata - 1)))
                    rscales.append((strata - 1) / strata)
                    continue
                }
            }
            if f < 1e-7 { continue }  // taken whole: no replicates (survey.drop.replicates)
            for a in psus {
                deleted.append((h, a, Double(n) / Double(n - 1)))
                rscales.append(f * Double(n - 1) / Double(n))
            }
            degreesOfFreedom += n - 1
        }
        if design.spec.lonely == .average {
            let lonely = members.filter { $0.count == 1 }.count
            if lonely > 0 && !rscales.isEmpty { scale = Double(level.count) / Double(rscales.count) }
        }
    }

    init(bootstrapFor design: SurveyDesign, replicates: Int, seed: UInt32) throws(AnalyticsError) {
        kind = .bootstrap
        let level = design.levels[0]
        var members = [[Int]](repeating: [], count: design.strataCount)
        for a in 0..<level.count { members[Int(level.parent[a])].append(a) }
        strataPSUs = members
        psuStratum = (0..<level.count).map { Int(level.parent[$0]) }
        if let h = members.firstIndex(where: { $0.count == 1 }), design.spec.lonely == .fail || design.spec.lonely == .adjust || design.spec.lonely == .average {
            throw .estimation(message: "stratum \(design.strataLabels[h]) has only one PSU, which the bootstrap cannot resample",
                              hint: "use --lonely-psu remove or certainty with the bootstrap, or merge the stratum with a neighbour")
        }
        let rng: RandomSource
        do { rng = try RandomSource(seed: seed) } catch { throw .estimation(message: error.message, hint: "") }
        for _ in 0..<replicates {
            var m = [Double](repeating: 1, count: level.count)
            for psus in members where psus.count > 1 {
                let n = psus.count
                var counts = [Int](repeating: 0, count: n)
                for _ in 0..<(n - 1) { counts[rng.integer(below: n)] += 1 }
                for (k, a) in psus.enumerated() { m[a] = Double(counts[k]) * Double(n) / Double(n - 1) }
            }
            multipliers.append(m)
            rscales.append(1)
        }
        scale = 1 / Double(max(replicates - 1, 1))
        degreesOfFreedom = design.degreesOfFreedom
    }

    /// Replicate estimates of a ratio Σ w·y / Σ w from per-PSU sums of w·y (two statistics) and w.
    /// NaN where a replicate leaves the domain empty.
    func estimates(psuY: [SIMD2<Double>], psuW: [Double], psus: [Int]) -> [SIMD2<Double>] {
        var totalY = SIMD2<Double>.zero
        var totalW = 0.0
        for a in psus {
            totalY += psuY[a]
            totalW += psuW[a]
        }
        switch kind {
        case .jackknife:
            var strataY = [SIMD2<Double>](repeating: .zero, count: strataPSUs.count)
            var strataW = [Double](repeating: 0, count: strataPSUs.count)
            for a in psus {
                strataY[psuStratum[a]] += psuY[a]
                strataW[psuStratum[a]] += psuW[a]
            }
            return deleted.map { d in
                if strataPSUs[d.stratum].count == 1 {
                    // adjust: the lonely PSU removed, every other row × H/(H−1).
                    let y = (totalY - psuY[d.psu]) * d.factor
                    let w = (totalW - psuW[d.psu]) * d.factor
                    return y / w
                }
                let y = totalY + (d.factor - 1) * strataY[d.stratum] - d.factor * psuY[d.psu]
                let w = totalW + (d.factor - 1) * strataW[d.stratum] - d.factor * psuW[d.psu]
                return y / w
            }
        case .bootstrap:
            return multipliers.map { m in
                var y = SIMD2<Double>.zero
                var w = 0.0
                for a in psus {
                    y += m[a] * psuY[a]
                    w += m[a] * psuW[a]
                }
                return y / w
            }
        }
    }

    /// scale · Σ rscale (θ_r − θ̄)², θ̄ the mean of the replicates (or `full` when `mse`),
    /// dropping replicates that are NaN (R's svrVar).
    func variance(_ thetas: [SIMD2<Double>], full: SIMD2<Double>, mse: Bool) -> SIMD2<Double> {
        var result = SIMD2<Double>.zero
        for j in 0..<2 {
            let kept = thetas.indices.filter { !thetas[$0][j].isNaN }
            guard !kept.isEmpty else {
                result[j] = .nan
                continue
            }
            let centre = mse ? full[j] : kept.reduce(0.0) { $0 + thetas[$1][j] } / Double(kept.count)
            var sum = 0.0
            for r in kept {
                let d = thetas[r][j] - centre
                sum += rscales[r] * d * d
            }
            result[j] = scale * sum
        }
        return result
    }
}
