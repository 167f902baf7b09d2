import Stats
import Tables

extension Sampler {
    /// One stratum of a stage within a parent, before selection.
    struct StratumFrame {
        var label: String
        var representative: Int
        var candidates: [Candidate]
        var certain: [Candidate] = []
    }

    /// Draws one stage inside one parent unit (or the whole frame at stage 1).
    func drawStage(_ stage: Stage, number k: Int, in parent: Parent, rng: RandomSource) throws(SamplingError)
        -> (units: [DrawnUnit], counts: [StratumCount])
    {
        // The rows of each unit are needed only for the units drawn (for the next stage), and for
        // checking a size column: otherwise they are gathered after the draw, for those units only.
        let isLast = k == design.stages.count
        var sizeColumn = false
        if case .column = stage.size, stage.method == .ppsSystematic { sizeColumn = true }
        let lazyRows = !isLast && stage.unit != design.id && !sizeColumn
        let (strata, members, sizes) = try prepare(stage, number: k, in: parent, keepRows: !lazyRows)
        var units: [DrawnUnit] = []
        var counts: [StratumCount] = []
        for (i, stratum) in strata.enumerated() {
            let number = k == 1 ? i + 1 : parent.stratumNumber
            if !stratum.certain.isEmpty {
                let label = stratum.label + " / 必选"
                for c in stratum.certain {
                    units.append(DrawnUnit(rows: c.rows(members), firstRow: c.firstRow, selection: StageSelection(stratum: label, unit: unitLabel(stage, c), probability: 1,
                                                                                  population: stratum.certain.count, drawn: stratum.certain.count),
                                           role: .sample, stratumNumber: number))
                }
            }
            let drawn = try select(stage, in: stratum, members: members, n: sizes[i], reserves: isLast ? stage.reserve : 0, rng: rng, number: k)
            units.append(contentsOf: drawn.map { var u = $0; u.stratumNumber = number; return u })
            let population = stratum.candidates.count + stratum.certain.count
            counts.append(StratumCount(stratum: stratum.label, units: population,
                                       drawn: sizes[i] + stratum.certain.count, sample: 0, reserves: 0))
        }
        if lazyRows { gatherRows(&units, from: parent.rows, unit: stage.unit) }
        return (units, counts)
    }

    /// A stage's strata inside one parent (sorted, certainty units set apart), the rows of its
    /// units, and the units to draw in each stratum: everything of a draw before the random numbers.
    func prepare(_ stage: Stage, number k: Int, in parent: Parent, keepRows: Bool) throws(SamplingError)
        -> (strata: [StratumFrame], members: [Int], sizes: [Int])
    {
        let (candidates, members) = try group(parent.rows, by: stage.unit, strata: stage.strata, stage: k, keepRows: keepRows)
        var strata = try stratify(candidates, stage: stage, number: k, parent: parent)
        let order = index.sortKey(stage.order.map(index.columnIndex))
        for (i, _) in strata.enumerated() {
            order.sort(&strata[i].candidates)
            if stage.serpentine && i % 2 == 1 { strata[i].candidates.reverse() }
            if let rule = stage.certainty {
                let column = table.columns[index.columnIndex(rule.column)]
                let isCertain: (Candidate) -> Bool = { (column.number($0.firstRow) ?? -.infinity) >= rule.minimum }
                strata[i].certain = strata[i].candidates.filter(isCertain)
                strata[i].candidates.removeAll(where: isCertain)
            }
        }
        let sizes = try allocate(stage, strata: strata, number: k, parent: parent)
        return (strata, members, sizes)
    }

    /// Fills in the rows of the drawn sample units, in one pass over the parent's rows.
    private func gatherRows(_ units: inout [DrawnUnit], from rows: [Int], unit: String) {
        let factor = index.factor(unit)
        var slot = [Int32](repeating: -1, count: factor.levels.count)
        for (i, u) in units.enumerated() where u.role == .sample {
            let code = factor.codes[u.firstRow]
            if code >= 0 { slot[Int(code)] = Int32(i) }
        }
        for r in rows {
            let code = factor.codes[r]
            if code >= 0, slot[Int(code)] >= 0 { units[Int(slot[Int(code)])].rows.append(r) }
        }
    }

    /// Groups rows into the stage's units, in order of first appearance. Each candidate's rows are
    /// a run of the returned `members` (a counting sort by unit, keeping frame order inside).
    /// Also checks that every row of a unit has the unit's strata values.
    private func group(_ rows: [Int], by unit: String, strata: [String], stage k: Int, keepRows: Bool) throws(SamplingError) -> ([Candidate], [Int]) {
        if unit == design.id {
            return (rows.indices.map { Candidate(firstRow: rows[$0], start: $0, count: 1) }, rows)
        }
        let factor = index.factor(unit)
        let strataCodes = strata.map { index.factor($0).codes }
        var slot = [Int32](repeating: -1, count: factor.levels.count)
        var counts: [Int] = []
        var firsts: [Int] = []
        for r in rows {
            let code = factor.codes[r]
            guard code >= 0 else {
                throw .draw(file: table.source, line: table.line(of: r),
                            message: "the stage-\(k) unit column '\(unit)' is empty", hint: "fill in \(unit) for every row")
            }
            let s = slot[Int(code)]
            if s < 0 {
                slot[Int(code)] = Int32(counts.count)
                counts.append(1)
                firsts.append(r)
            } else {
                counts[Int(s)] += 1
                let first = firsts[Int(s)]
                for (j, codes) in strataCodes.enumerated() where codes[r] != codes[first] {
                    let f = index.factor(strata[j])
                    let here = codes[r] >= 0 ? f.levels[Int(codes[r])] : ""
                    let there = codes[first] >= 0 ? f.levels[Int(codes[first])] : ""
                    throw .draw(file: table.source, line: table.line(of: r),
                                message: "unit \(factor.levels[Int(code)]) lies in two strata: \(strata[j]) is '\(here)' here but '\(there)' on line \(table.line(of: first))",
                                hint: "a stage-\(k) unit must belong to one stratum; fix the frame or choose other strata")
                }
            }
        }
        guard keepRows else {
            return (counts.indices.map { Candidate(firstRow: firsts[$0], start: 0, count: counts[$0]) }, [])
        }
        var starts = [Int](repeating: 0, count: counts.count)
        var running = 0
        for i in counts.indices {
            starts[i] = running
            running += counts[i]
        }
        var fill = starts
        var members = [Int](repeating: 0, count: rows.count)
        for r in rows {
            let s = Int(slot[Int(factor.codes[r])])
            members[fill[s]] = r
            fill[s] += 1
        }
        let candidates = counts.indices.map { Candidate(firstRow: firsts[$0], start: starts[$0], count: counts[$0]) }
        return (candidates, members)
    }

    /// The unit's value, as written in the list.
    func unitLabel(_ stage: Stage, _ c: Candidate) -> String {
        table.columns[index.columnIndex(stage.unit)].string(c.firstRow) ?? ""
    }

    /// Splits candidates into strata, sorted by the strata values (``group(_:by:strata:stage:)``
    /// checked that each unit lies in one stratum).
    private func stratify(_ candidates: [Candidate], stage: Stage, number k: Int, parent: Parent) throws(SamplingError) -> [StratumFrame] {
        let parentLabel = parent.stages.last?.unit
        guard !stage.strata.isEmpty else {
            return [StratumFrame(label: parentLabel ?? "全部", representative: candidates.first?.firstRow ?? 0, candidates: candidates)]
        }
        let factors = stage.strata.map { index.factor($0) }
        var strata: [StratumFrame] = []
        var slots: [[Int32]: Int] = [:]
        for candidate in candidates {
            var key: [Int32] = []
            key.reserveCapacity(factors.count)
            for (j, f) in factors.enumerated() {
                let code = f.codes[candidate.firstRow]
                guard code >= 0 else {
                    throw .draw(file: table.source, line: table.line(of: candidate.firstRow),
                                message: "the stratum column '\(stage.strata[j])' is empty (stage \(k), unit \(unitLabel(stage, candidate)))",
                                hint: "every unit needs a stratum")
                }
                key.append(code)
            }
            if let s = slots[key] {
                strata[s].candidates.append(candidate)
            } else {
                slots[key] = strata.count
                let values = zip(key, factors).map { $1.levels[Int($0)] }.joined(separator: " / ")
                let label = parentLabel.map { "\($0) / \(values)" } ?? values
                strata.append(StratumFrame(label: label, representative: candidate.firstRow, candidates: [candidate]))
            }
        }
        let key = index.sortKey(stage.strata.map(index.columnIndex))
        strata.sort { a, b in
            let c = key.compare(a.representative, b.representative)
            return c != 0 ? c < 0 : a.representative < b.representative
        }
        return strata
    }

    /// The number of units to draw in each stratum (certainty units not included).
    private func allocate(_ stage: Stage, strata: [StratumFrame], number k: Int, parent: Parent) throws(SamplingError) -> [Int] {
        let populations = strata.map(\.candidates.count)
        func tooSmall(_ i: Int, asked: Int) -> SamplingError {
            let have = populations[i]
            return .draw(file: designFile, line: nil,
                         message: "stratum \(strata[i].label) (stage \(k)) has \(have) unit\(have == 1 ? "" : "s") but \(asked) are asked",
                         hint: "set take-all: true to take every unit of small strata, or lower the allocation")
        }
        switch stage.allocation {
        case .perStratum(let n):
            return try populations.indices.map { (i) throws(SamplingError) -> Int in
                if populations[i] >= n { return n }
                if stage.takeAll { return populations[i] }
                throw tooSmall(i, asked: n)
            }
        case .perUnit(let n):
            if strata.count == 1 {
                if populations[0] >= n { return [n] }
                if stage.takeAll { return [populations[0]] }
                throw tooSmall(0, asked: n)
            }
            return try shareTotal(n, strata: strata, populations: populations, weights: populations.map(Double.init),
                                  minimum: 0, takeAll: stage.takeAll, stage: k)
        case .explicit(let sizes):
            let labels = strata.map(\.label)
            for name in sizes.keys.sorted() where !labels.contains(name) {
                throw .draw(file: designFile, line: nil, message: "allocation names stratum '\(name)', which has no units in the frame",
                            hint: "the strata are \(labels.joined(separator: ", "))")
            }
            return try populations.indices.map { (i) throws(SamplingError) -> Int in
                guard let n = sizes[labels[i]] else {
                    throw .draw(file: designFile, line: nil, message: "stratum \(labels[i]) has no size in allocation.sizes",
                                hint: "give every stratum a size")
                }
                if populations[i] >= n { return n }
                if stage.takeAll { return populations[i] }
                throw tooSmall(i, asked: n)
            }
        case let .total(n, rule, minimum, sdColumn):
            let weights: [Double]
            switch rule {
            case .proportional: weights = populations.map(Double.init)
            case .equal: weights = populations.map { _ in 1 }
            case .neyman:
                let column = table.columns[index.columnIndex(sdColumn ?? "")]
                weights = strata.map { stratum in
                    let values = stratum.candidates.compactMap { column.number($0.firstRow) }
                    return Double(stratum.candidates.count) * standardDeviation(values)
                }
                if weights.allSatisfy({ $0 == 0 }) {
                    throw .draw(file: designFile, line: nil,
                                message: "stage \(k): the neyman-sd column \(sdColumn ?? "") does not vary within any stratum, so it gives no spread to allocate by",
                                hint: "use rule: proportional, or a column whose values differ within strata")
                }
            }
            return try shareTotal(n, strata: strata, populations: populations, weights: weights, minimum: minimum,
                                  takeAll: stage.takeAll, stage: k)
        }
    }

    private func shareTotal(_ n: Int, strata: [StratumFrame], populations: [Int], weights: [Double], minimum: Int,
                            takeAll: Bool, stage k: Int) throws(SamplingError) -> [Int] {
        do {
            return try Allocator.allocate(total: n, populations: populations, weights: weights, minimum: minimum, takeAll: takeAll)
        } catch {
            switch error {
            case .totalTooLarge(let available):
                throw .draw(file: designFile, line: nil, message: "stage \(k) asks for \(n) units but only \(available) can be drawn",
                            hint: "lower the total")
            case .minimumTooLarge(let needed):
                throw .draw(file: designFile, line: nil,
                            message: "stage \(k): the minimum per stratum needs \(needed) units, more than the total \(n)",
                            hint: "raise the total or lower min")
            case let .stratumBelowMinimum(i, available, asked):
                throw .draw(file: designFile, line: nil,
                            message: "stratum \(strata[i].label) (stage \(k)) has \(available) unit\(available == 1 ? "" : "s") but the minimum is \(asked)",
                            hint: "set take-all: true to take every unit of small strata, or lower min")
            case let .stratumTooSmall(i, available, needed):
                throw .draw(file: designFile, line: nil,
                            message: "stratum \(strata[i].label) (stage \(k)) needs \(needed) units but has \(available)",
                            hint: "set take-all: true to take every unit of small strata, or lower the total")
            }
        }
    }

    /// Selects `n` units (plus reserves) in one stratum.
    private func select(_ stage: Stage, in stratum: StratumFrame, members: [Int], n: Int, reserves: Int, rng: RandomSource,
                        number k: Int) throws(SamplingError) -> [DrawnUnit] {
        let units = stratum.candidates
        let population = units.count
        guard n > 0, population > 0 else { return [] }
        let r = max(0, min(reserves, population - n))
        let m = n + r
        var pik: [Double]
        switch stage.method {
        case .ppsSystematic:
            let sizes = try measures(stage, stratum: stratum, members: members, stage: k)
            pik = Probabilities.inclusion(sizes: sizes, n: n)
            if let i = pik.firstIndex(where: { $0 > 0 && $0 <= 1e-6 }) {
                throw .draw(file: designFile, line: nil,
                            message: "unit \(unitLabel(stage, units[i])) in stratum \(stratum.label) has inclusion probability \(pik[i]), too small to draw systematically",
                            hint: "check its size measure, or put very small units in a stratum of their own")
            }
        case .systematic, .srs:
            pik = [Double](repeating: Double(m) / Double(population), count: population)
        }
        var chosen: [Int]
        if let coordination {
            chosen = try coordinatedSelection(stage, units: units, pik: pik, m: m, coordination: coordination)
        } else if stage.method == .srs {
            chosen = selectionSample(m, of: population, rng: rng)
        } else {
            let u = rng.uniformPositive()
            let selected = Probabilities.systematic(pik, start: u)
            chosen = selected.indices.filter { selected[$0] }
        }
        // Reserves: a random r of the m drawn, in random order; the other n are the sample.
        var reservePositions: [Int] = []
        if r > 0 {
            var pool = chosen
            for j in 0..<r {
                let pick = j + rng.integer(below: pool.count - j)
                pool.swapAt(j, pick)
            }
            reservePositions = Array(pool.prefix(r))
            let taken = Set(reservePositions)
            chosen = chosen.filter { !taken.contains($0) }
        }
        let certainEps = 1 - 1e-6
        let certainCount = stage.method == .ppsSystematic ? chosen.filter { pik[$0] >= certainEps }.count : 0
        var out: [DrawnUnit] = []
        for i in chosen {
            let unit = units[i]
            var selection: StageSelection
            if stage.method == .ppsSystematic {
                if pik[i] >= certainEps {
                    selection = StageSelection(stratum: stratum.label + " / 必选", unit: unitLabel(stage, unit), probability: 1,
                                               population: certainCount, drawn: certainCount)
                } else {
                    selection = StageSelection(stratum: stratum.label, unit: unitLabel(stage, unit), probability: pik[i],
                                               population: population - certainCount, drawn: n - certainCount)
                }
            } else {
                selection = StageSelection(stratum: stratum.label, unit: unitLabel(stage, unit), probability: Double(n) / Double(population),
                                           population: population, drawn: n)
            }
            out.append(DrawnUnit(rows: unit.rows(members), firstRow: unit.firstRow, selection: selection, role: .sample, stratumNumber: 0))
        }
        for (rank, i) in reservePositions.enumerated() {
            let unit = units[i]
            let selection = StageSelection(stratum: stratum.label, unit: unitLabel(stage, unit), probability: Double(n) / Double(population),
                                           population: population, drawn: n)
            out.append(DrawnUnit(rows: unit.rows(members), firstRow: unit.firstRow, selection: selection, role: .reserve, reserveRank: rank + 1,
                                 reserveProbability: Double(r) / Double(population), stratumNumber: 0))
        }
        return out
    }

    /// A coordinated selection from the units' permanent random numbers, shifted by the rotation
    /// (docs/algorithms/sampling.md §7). SRS: the units in the order of their numbers, taken m at a
    /// time from position rotation × m (cyclically), so rotations are disjoint while 2m ≤ N. A
    /// systematic or PPS-systematic stage keeps its fixed order and takes its start from the
    /// numbers, u₀ = frac(Σ prn), moved by δ each rotation: δ = m/N (one unit's share) at an
    /// equal-probability stage, δ = min(½, the largest π below 1) at a PPS stage. Each unit's
    /// rank, or u₀, is uniform, so every unit keeps its inclusion probability in every rotation;
    /// two consecutive rotations share a unit with probability max(0, 2π − 1), the least possible.
    private func coordinatedSelection(_ stage: Stage, units: [Candidate], pik: [Double], m: Int,
                                      coordination: Coordination) throws(SamplingError) -> [Int] {
        var prns: [Double] = []
        prns.reserveCapacity(units.count)
        for c in units {
            let label = unitLabel(stage, c)
            guard let x = coordination.registry.number(column: stage.unit, unit: label) else {
                throw .draw(file: coordination.file, line: table.line(of: c.firstRow),
                            message: "\(stage.unit) '\(label)' (frame line \(table.line(of: c.firstRow))) has no permanent random number in the registry",
                            hint: "give the frame's new units numbers: pingyi sample registry --design … --update \(coordination.file)")
            }
            prns.append(x)
        }
        let population = units.count
        if stage.method == .srs {
            let order = prns.indices.sorted { prns[$0] != prns[$1] ? prns[$0] < prns[$1] : $0 < $1 }
            let start = (coordination.rotation % population) * m % population
            return (0..<m).map { order[(start + $0) % population] }.sorted()
        }
        var u0 = 0.0
        for x in prns { u0 = Probabilities.fractional(u0 + x) }
        let delta: Double
        if stage.method == .systematic {
            delta = Double(m) / Double(population)
        } else {
            delta = min(0.5, pik.filter { $0 < 1 - 1e-6 }.max() ?? 0.5)
        }
        var u = Probabilities.fractional(u0 + Double(coordination.rotation) * delta)
        if u == 0 { u = 1 }
        let selected = Probabilities.systematic(pik, start: u)
        return selected.indices.filter { selected[$0] }
    }

    /// Measures of size for a PPS stage, checked to be positive.
    private func measures(_ stage: Stage, stratum: StratumFrame, members: [Int], stage k: Int) throws(SamplingError) -> [Double] {
        switch stage.size {
        case .count:
            return stratum.candidates.map { Double($0.count) }
        case .column(let name):
            let column = table.columns[index.columnIndex(name)]
            return try stratum.candidates.map { (c) throws(SamplingError) -> Double in
                guard let v = column.number(c.firstRow), v > 0 else {
                    let shown = column.string(c.firstRow) ?? "empty"
                    throw .draw(file: table.source, line: table.line(of: c.firstRow),
                                message: "unit \(unitLabel(stage, c)) in stratum \(stratum.label) has size \(name) = \(shown); sizes must be positive numbers",
                                hint: "fix the size, or leave the unit out of the frame")
                }
                for r in members[(c.start + 1)..<(c.start + c.count)] where column.number(r) != v {
                    throw .draw(file: table.source, line: table.line(of: r),
                                message: "size \(name) differs within unit \(unitLabel(stage, c))", hint: "give the unit one size")
                }
                return v
            }
        }
    }

    /// Knuth's selection sampling (Algorithm S): m of N positions, in order, all sets equally likely.
    private func selectionSample(_ m: Int, of population: Int, rng: RandomSource) -> [Int] {
        var chosen: [Int] = []
        chosen.reserveCapacity(m)
        var i = 0
        while chosen.count < m {
            let needed = m - chosen.count
            let left = population - i
            if Double(left) * rng.uniform() < Double(needed) { chosen.append(i) }
            i += 1
        }
        return chosen
    }
}

/// Sample standard deviation (n − 1 denominator); 0 for fewer than two values.
func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (ss / Double(values.count - 1)).squareRoot()
}
