extension Scorer {
    /// Every domain's score under each of `count` Rao–Wu bootstrap replicates of the whole design
    /// (seeded by the options): every replicate re-estimates all units from the same resampled
    /// PSUs, so units that share respondents move together. NaN where a replicate leaves a
    /// domain without weight.
    func bootstrapScores(domains: [Domain], weights: [Double], replicates count: Int) throws(AnalyticsError) -> [[Double]] {
        var lonelySafe = design.spec
        if lonelySafe.lonely != .remove && lonelySafe.lonely != .certainty { lonelySafe.lonely = .remove }
        let boot = try Replicates(bootstrapFor: SurveyDesign(sharing: design, spec: lonelySafe), replicates: count, seed: options.seed)
        let psuCount = design.levels[0].count
        // thetas[domain][replicate]: the score in each replicate.
        var thetas: [[Double]] = []
        let roles = RoleTable(options.scoring)
        var psuY = [SIMD2<Double>](repeating: .zero, count: psuCount)
        var psuW = [Double](repeating: 0, count: psuCount)
        for domain in domains {
            var touched = Set<Int>()
            for r in domain.rows {
                guard case .scored(let s, let sat) = roles[design.rowTier[r]] else { continue }
                let c = Int(design.rowCase[r])
                let a = Int(design.casePSU[c])
                psuY[a] += weights[c] * SIMD2(s, sat ? 1 : 0)
                psuW[a] += weights[c]
                touched.insert(a)
            }
            let psus = touched.sorted()
            thetas.append(boot.estimates(psuY: psuY, psuW: psuW, psus: psus).map { $0[0] })
            for a in psus {
                psuY[a] = .zero
                psuW[a] = 0
            }
        }
        return thetas
    }

    /// Ranks (1 = highest score) within each `by` group, with a 95 % interval from the replicate
    /// scores (``bootstrapScores(domains:weights:replicates:)``). `p_top_quarter` is the share of
    /// replicates in which the unit ranks in the top quarter (the first ⌈units/4⌉).
    func addRanks(_ results: inout [UnitScore], thetas: [[Double]]) {
        let count = thetas.first?.count ?? 0
        // Rank within each by group.
        var groups: [String: [Int]] = [:]
        for (i, r) in results.enumerated() where r.n > 0 { groups[r.by ?? "", default: []].append(i) }
        for members in groups.values {
            let top = (members.count + 3) / 4
            for i in members {
                results[i].rank = 1 + members.filter { results[$0].score > results[i].score }.count
            }
            var ranks = [[Int]](repeating: [], count: results.count)
            for r in 0..<count {
                for i in members where !thetas[i][r].isNaN {
                    let mine = thetas[i][r]
                    ranks[i].append(1 + members.filter { !thetas[$0][r].isNaN && thetas[$0][r] > mine }.count)
                }
            }
            for i in members {
                let sorted = ranks[i].sorted()
                guard !sorted.isEmpty else { continue }
                let low = max(0, Int((0.025 * Double(sorted.count)).rounded(.up)) - 1)
                let high = min(sorted.count - 1, Int((0.975 * Double(sorted.count)).rounded(.up)) - 1)
                results[i].rankLow = sorted[low]
                results[i].rankHigh = sorted[high]
                results[i].pTopQuarter = Double(sorted.filter { $0 <= top }.count) / Double(sorted.count)
            }
        }
    }
}
