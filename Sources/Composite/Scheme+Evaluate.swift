import Stats

/// How the uncertainty of grades is simulated.
public struct Simulation: Sendable {
    /// Number of joint draws of the public scores.
    public var draws: Int
    /// Seed of the MT19937 stream (``RandomSource``); the same seed gives the same p_grade.
    public var seed: UInt32

    /// Called with the number of draws done, now and then (for a progress bar).
    public var progress: (@Sendable (Int) -> Void)?

    public static let defaultSeed: UInt32 = 20_170_325
    public static let defaultDraws = 2000

    public init(draws: Int = Simulation.defaultDraws, seed: UInt32 = Simulation.defaultSeed,
                progress: (@Sendable (Int) -> Void)? = nil) {
        self.draws = draws
        self.seed = seed
        self.progress = progress
    }
}

extension Scheme {
    /// Computes every unit's score, rank within its class, grade and notes.
    ///
    /// Score = Σ top-level contributions + bonus − penalty − deductions, rounded to `decimals`
    /// (half away from zero); ranks, ties and thresholds use the rounded score.
    ///
    /// When the public scores have standard errors, `score_se` = se of the public component ×
    /// its points/100, and `p_grade` is estimated by simulation: in each of `simulation.draws`
    /// draws every unit's public component is drawn independently from Normal(score, se²) (clamped
    /// to 0–100), every score is recomputed (the public component enters linearly), and every
    /// class is ranked and graded again with all its rules (quotas, vetoes, floors); p_grade is the
    /// share of draws in which the unit's grade differs from its grade. Satisfaction rates,
    /// vetoes and last year's ranks are held at their observed values. Units' public scores are
    /// treated as independent (respondents who rate several units make them correlated).
    ///
    /// - Complexity: O(draws × n log n) for n units.
    /// - Throws: ``CompositeError`` when the random generator cannot be created.
    public func evaluate(_ inputs: CompositeInputs, simulation: Simulation = Simulation()) throws(CompositeError) -> CompositeResult {
        let scores = inputs.units.enumerated().map { score($1, at: $0) }
        var outcomes = [GradeOutcome](repeating: GradeOutcome(), count: scores.count)
        let groups = classes.map { unitClass in scores.indices.filter { scores[$0].classID == unitClass.id } }
        for (unitClass, members) in zip(classes, groups) {
            let grader = Grader(grading: unitClass.grading, flags: unitClass.flags, decimals: decimals)
            let graded = grader.run(members.map { contender(scores[$0], inputs.units[$0], raw: scores[$0].raw) }, notes: true)
            for (k, i) in members.enumerated() { outcomes[i] = graded[k] }
        }
        let uncertain = inputs.hasPublicErrors
        var pGrade = [Double?](repeating: nil, count: scores.count)
        var spread: ReplicateSpread? = nil
        if inputs.replicateCount != nil {
            let found = replicateSpread(scores, inputs: inputs, outcomes: outcomes, groups: groups)
            pGrade = found.pGrade
            spread = found
        } else if uncertain && simulation.draws > 0 {
            pGrade = try simulate(scores, inputs: inputs, outcomes: outcomes, groups: groups, simulation: simulation)
        }
        var results: [UnitResult] = []
        for members in groups {
            let ordered = members.sorted { outcomes[$0].rank != outcomes[$1].rank ? outcomes[$0].rank < outcomes[$1].rank : inputs.units[$0].id < inputs.units[$1].id }
            for i in ordered {
                let s = scores[i]
                results.append(UnitResult(
                    unit: inputs.units[i].id, unitClass: s.classID,
                    score: ScoreRounding.value(units: ScoreRounding.units(s.raw, decimals: decimals), decimals: decimals),
                    rank: outcomes[i].rank, grade: outcomes[i].grade, contributions: s.contributions, deductions: s.deductions,
                    bonus: s.bonus, penalty: s.penalty,
                    scoreSE: spread != nil ? spread?.se[i] : (uncertain ? (s.publicSE ?? 0) * s.publicWeight : nil), pGrade: pGrade[i],
                    notes: s.notes + outcomes[i].notes,
                    rankLow: spread?.rankLow[i], rankHigh: spread?.rankHigh[i], tieGroup: spread?.tieGroup[i]))
            }
        }
        var columns: [String] = []
        for unitClass in classes { for c in unitClass.components where !columns.contains(c.id) { columns.append(c.id) } }
        return CompositeResult(units: results, componentColumns: columns, deductionColumns: deductions.map(\.id),
                               hasUncertainty: uncertain, decimals: decimals, replicates: inputs.replicateCount)
    }

    func contender(_ score: UnitScore, _ data: UnitData, raw: Double) -> Contender {
        Contender(unitID: data.id, score: ScoreRounding.units(raw, decimals: decimals), withdrawn: score.withdrawn,
                  assigned: score.assigned, lastLastYear: data.lastLastYear, previousRank: data.previousRank)
    }

    /// p_grade for every unit of a graded class (nil for classes without grading).
    func simulate(_ scores: [UnitScore], inputs: CompositeInputs, outcomes: [GradeOutcome], groups: [[Int]],
                  simulation: Simulation) throws(CompositeError) -> [Double?] {
        let random: RandomSource
        do {
            random = try RandomSource(seed: simulation.seed)
        } catch {
            throw CompositeError(file: file, message: "cannot start the random generator: \(error)")
        }
        var differ = [Int](repeating: 0, count: scores.count)
        var raw = scores.map(\.raw)
        let graders = classes.map { Grader(grading: $0.grading, flags: [], decimals: decimals) }
        for draw in 0..<simulation.draws {
            if draw % 100 == 0 { simulation.progress?(draw) }
            // One joint draw: every unit with a public component, in input order.
            for (i, s) in scores.enumerated() {
                guard let value = s.publicValue, let se = s.publicSE else { continue }
                let drawn = min(100, max(0, value + se * random.normal()))
                raw[i] = s.raw + s.publicWeight * (drawn - value)
            }
            for (c, members) in groups.enumerated() where graders[c].grading != nil {
                let graded = graders[c].run(members.map { contender(scores[$0], inputs.units[$0], raw: raw[$0]) }, notes: false)
                for (k, i) in members.enumerated() where graded[k].grade != outcomes[i].grade { differ[i] += 1 }
            }
        }
        var out = [Double?](repeating: nil, count: scores.count)
        for (c, members) in groups.enumerated() where graders[c].grading != nil {
            for i in members { out[i] = Double(differ[i]) / Double(simulation.draws) }
        }
        return out
    }

    /// What the replicates say about every unit (``replicateSpread(_:inputs:outcomes:groups:)``).
    struct ReplicateSpread {
        var pGrade: [Double?]
        var se: [Double?]
        var rankLow: [Int?]
        var rankHigh: [Int?]
        var tieGroup: [Int?]
    }

    /// Grades, ranks and scores under every replicate of the public scores: in replicate r each
    /// unit's public component takes its replicate value (all units from the same replicate, so
    /// units rated by the same respondents move together), every score is recomputed and every
    /// class ranked and graded again with all its rules. p_grade is the share of replicates in
    /// which the grade differs; the score's standard error is the replicates' (bootstrap:
    /// Σ (θᵣ − θ̄)² / (R − 1)); the rank interval runs from the 2.5th to the 97.5th percentile of
    /// the replicate ranks; units next to each other in rank whose order the replicates reverse
    /// more than 2.5 % of the time are statistically tied (one group number per run within a class).
    func replicateSpread(_ scores: [UnitScore], inputs: CompositeInputs, outcomes: [GradeOutcome], groups: [[Int]]) -> ReplicateSpread {
        let count = inputs.replicateCount ?? 0
        var differ = [Int](repeating: 0, count: scores.count)
        var ranks = [[Int]](repeating: [], count: scores.count)
        var composite = [[Double]](repeating: [], count: scores.count)
        var raw = scores.map(\.raw)
        let graders = classes.map { Grader(grading: $0.grading, flags: [], decimals: decimals) }
        for r in 0..<count {
            for (i, s) in scores.enumerated() {
                guard let value = s.publicValue, let values = s.publicReplicates, r < values.count else { continue }
                raw[i] = s.raw + s.publicWeight * (values[r] - value)
                composite[i].append(raw[i])
            }
            for (c, members) in groups.enumerated() {
                let graded = graders[c].run(members.map { contender(scores[$0], inputs.units[$0], raw: raw[$0]) }, notes: false)
                for (k, i) in members.enumerated() {
                    if graded[k].grade != outcomes[i].grade { differ[i] += 1 }
                    ranks[i].append(graded[k].rank)
                }
            }
        }
        var spread = ReplicateSpread(pGrade: Array(repeating: nil, count: scores.count), se: Array(repeating: nil, count: scores.count),
                                     rankLow: Array(repeating: nil, count: scores.count), rankHigh: Array(repeating: nil, count: scores.count),
                                     tieGroup: Array(repeating: nil, count: scores.count))
        guard count > 1 else { return spread }
        for (c, members) in groups.enumerated() {
            for i in members {
                if graders[c].grading != nil { spread.pGrade[i] = Double(differ[i]) / Double(count) }
                let values = composite[i]
                if values.count == count {
                    let mean = values.reduce(0, +) / Double(count)
                    spread.se[i] = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)).squareRoot()
                } else {
                    spread.se[i] = 0
                }
                let sorted = ranks[i].sorted()
                let low = max(0, Int((0.025 * Double(sorted.count)).rounded(.up)) - 1)
                let high = min(sorted.count - 1, Int((0.975 * Double(sorted.count)).rounded(.up)) - 1)
                spread.rankLow[i] = sorted[low]
                spread.rankHigh[i] = sorted[high]
            }
            // Ties: neighbours in the published order whose replicate order flips too often.
            let ordered = members.sorted { outcomes[$0].rank != outcomes[$1].rank ? outcomes[$0].rank < outcomes[$1].rank : inputs.units[$0].id < inputs.units[$1].id }
            var group = 0
            var k = 0
            while k < ordered.count {
                var end = k
                while end + 1 < ordered.count {
                    let a = ordered[end], b = ordered[end + 1]
                    let ahead = composite[a].count == count && composite[b].count == count
                        ? zip(composite[a], composite[b]).filter { $0 > $1 }.count : count
                    if Double(ahead) >= 0.975 * Double(count) { break }
                    end += 1
                }
                if end > k {
                    group += 1
                    for j in k...end { spread.tieGroup[ordered[j]] = group }
                }
                k = end + 1
            }
        }
        return spread
    }
}
