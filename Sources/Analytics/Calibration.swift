import Tables

/// Calibration of respondent weights to known population counts, and the residuals that make
/// standard errors account for it, as R's `postStratify` and `rake` (estimation.md §5).
///
/// Weights are calibrated per respondent (not per row of the long file): cells are defined by
/// respondent columns (e.g. town × urban), every respondent is in one cell.
public struct Calibration: Sendable {
    public enum Method: Sendable, Equatable {
        /// Post-stratification to the joint cells of the columns.
        case poststratify
        /// Raking (iterative proportional fitting) to the margins of each column.
        case rake
    }

    /// Known population counts of the cells: the columns' values and a count.
    public struct Population: Sendable {
        public var columns: [String]
        public var cells: [(values: [String], count: Double)]

        public init(columns: [String], cells: [(values: [String], count: Double)]) {
            self.columns = columns
            self.cells = cells
        }

        /// Reads a CSV whose columns are the cell columns and a count (the last column, or one
        /// named count, N, Freq or households).
        public static func read(path: String, columns: [String]) throws(AnalyticsError) -> Population {
            let table: Table
            do { table = try TableFile.read(path: path) } catch { throw .input(error) }
            let countName = ["count", "N", "Freq", "households", "population"].first { table.index(of: $0) != nil }
                ?? table.names.last ?? ""
            let countColumn: Column
            var cellColumns: [Column] = []
            do {
                countColumn = try table.column(countName, purpose: "the population count")
                for name in columns { cellColumns.append(try table.column(name, purpose: "a calibration cell")) }
            } catch { throw .input(error) }
            var cells: [(values: [String], count: Double)] = []
            for r in 0..<table.rowCount {
                guard let count = countColumn.number(r), count > 0 else {
                    throw .data(file: path, line: table.line(of: r), message: "the population count '\(countName)' is not a positive number",
                                hint: "give the number of units in the cell")
                }
                cells.append((cellColumns.map { $0.string(r) ?? "" }, count))
            }
            return Population(columns: columns, cells: cells)
        }
    }

    public let method: Method
    public let population: Population
    /// Raking stops when no joint cell total moves by more than this fraction of the total.
    public var tolerance = 1e-13
    public var maximumPasses = 1000

    public init(method: Method, population: Population) {
        self.method = method
        self.population = population
    }

    /// Calibrated weights of every case, and for each step the (cell of each case, weight after
    /// the step, weight before the step) the variance residuals need.
    struct Result {
        var weights: [Double]
        /// One entry per post-stratification (poststratify: one; rake: one per margin of the last pass).
        var steps: [(cells: [Int32], after: [Double], before: [Double])]
        var passes: Int
    }

    func apply(to design: SurveyDesign) throws(AnalyticsError) -> Result {
        let table = design.table
        // Cell codes of each case for each calibration column.
        var caseValues: [[String]] = []
        for name in population.columns {
            let column: Column
            do { column = try table.column(name, purpose: "a calibration cell") } catch { throw .input(error) }
            caseValues.append(design.caseFirstRow.map { column.string($0) ?? "" })
        }
        var weights = design.caseWeight
        switch method {
        case .poststratify:
            let (cells, targets) = try jointCells(caseValues, design: design)
            let before = weights
            weights = try postStratify(weights, cells: cells, targets: targets, label: "cell", design: design)
            return Result(weights: weights, steps: [(cells, weights, before)], passes: 1)
        case .rake:
            var margins: [(cells: [Int32], targets: [Double])] = []
            for (j, name) in population.columns.enumerated() {
                var totals: [String: Double] = [:]
                var order: [String] = []
                for cell in population.cells {
                    if totals[cell.values[j]] == nil { order.append(cell.values[j]) }
                    totals[cell.values[j], default: 0] += cell.count
                }
                let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, Int32($0)) })
                var cells = [Int32](repeating: -1, count: design.caseCount)
                for c in 0..<design.caseCount {
                    guard let code = index[caseValues[j][c]] else {
                        throw .data(file: table.source, line: table.line(of: design.caseFirstRow[c]),
                                    message: "\(name) '\(caseValues[j][c])' is not in the population margins",
                                    hint: "add it to the population file")
                    }
                    cells[c] = code
                }
                margins.append((cells, order.map { totals[$0] ?? 0 }))
            }
            let (joint, _) = try jointCells(caseValues, design: design, requirePopulation: false)
            var steps: [(cells: [Int32], after: [Double], before: [Double])] = []
            var previous = jointTotals(weights, joint)
            let total = weights.reduce(0, +)
            for pass in 1...maximumPasses {
                steps.removeAll(keepingCapacity: true)
                for (j, margin) in margins.enumerated() {
                    let before = weights
                    weights = try postStratify(weights, cells: margin.cells, targets: margin.targets, label: population.columns[j], design: design)
                    steps.append((margin.cells, weights, before))
                }
                let current = jointTotals(weights, joint)
                let moved = zip(current, previous).map { abs($0 - $1) }.max() ?? 0
                if moved < tolerance * total { return Result(weights: weights, steps: steps, passes: pass) }
                previous = current
            }
            throw .estimation(message: "raking did not converge after \(maximumPasses) passes",
                              hint: "check that the margins are consistent and every margin cell has respondents")
        }
    }

    private func jointCells(_ caseValues: [[String]], design: SurveyDesign, requirePopulation: Bool = true) throws(AnalyticsError)
        -> (cells: [Int32], targets: [Double])
    {
        var index: [[String]: Int32] = [:]
        var targets: [Double] = []
        for cell in population.cells {
            if index[cell.values] == nil {
                index[cell.values] = Int32(targets.count)
                targets.append(cell.count)
            } else {
                targets[Int(index[cell.values] ?? 0)] += cell.count
            }
        }
        var cells = [Int32](repeating: -1, count: design.caseCount)
        var extra: [[String]: Int32] = [:]
        for c in 0..<design.caseCount {
            let key = caseValues.map { $0[c] }
            if let code = index[key] {
                cells[c] = code
            } else if requirePopulation {
                throw .data(file: design.table.source, line: design.table.line(of: design.caseFirstRow[c]),
                            message: "the cell \(zip(population.columns, key).map { "\($0) = \($1)" }.joined(separator: ", ")) has respondents but no population count",
                            hint: "add the cell to the population file")
            } else {
                if extra[key] == nil { extra[key] = Int32(targets.count + extra.count) }
                cells[c] = extra[key] ?? 0
            }
        }
        return (cells, targets)
    }

    private func postStratify(_ weights: [Double], cells: [Int32], targets: [Double], label: String,
                              design: SurveyDesign) throws(AnalyticsError) -> [Double] {
        var sums = [Double](repeating: 0, count: targets.count)
        for (c, cell) in cells.enumerated() where cell >= 0 && Int(cell) < sums.count { sums[Int(cell)] += weights[c] }
        for (i, s) in sums.enumerated() where s <= 0 {
            throw .data(file: design.table.source, line: nil,
                        message: "calibration cell \(i + 1) of \(label) has a population count of \(formatDecimal(targets[i])) but no respondent with weight",
                        hint: "merge it with a neighbouring cell in the population file")
        }
        return weights.indices.map { c in
            let cell = Int(cells[c])
            return weights[c] * targets[cell] / sums[cell]
        }
    }

    private func jointTotals(_ weights: [Double], _ cells: [Int32]) -> [Double] {
        let count = Int(cells.max() ?? -1) + 1
        var totals = [Double](repeating: 0, count: max(count, 0))
        for (c, cell) in cells.enumerated() where cell >= 0 { totals[Int(cell)] += weights[c] }
        return totals
    }

    /// Replaces per-case linearised values by their residuals from the calibration.
    static func residuals(_ z: inout [SIMD2<Double>], result: Result, method: Method) {
        switch method {
        case .poststratify:
            // g_c = Σ z·old/new / Σ old over the cell; z −= new·g_c (R's svyrecvar, postStrata).
            for step in result.steps { adjust(&z, step: step, weighted: true) }
        case .rake:
            // Ten fixed sweeps of z −= new·(unweighted mean of z/new over the cell).
            for _ in 0..<10 {
                for step in result.steps { adjust(&z, step: step, weighted: false) }
            }
        }
    }

    private static func adjust(_ z: inout [SIMD2<Double>], step: (cells: [Int32], after: [Double], before: [Double]), weighted: Bool) {
        let count = Int(step.cells.max() ?? -1) + 1
        var numerator = [SIMD2<Double>](repeating: .zero, count: count)
        var denominator = [Double](repeating: 0, count: count)
        for c in z.indices {
            let cell = Int(step.cells[c])
            var after = step.after[c]
            if after == 0 && step.before[c] == 0 { after = 1 }
            if weighted {
                numerator[cell] += z[c] * (step.before[c] / after)
                denominator[cell] += step.before[c]
            } else {
                numerator[cell] += z[c] / after
                denominator[cell] += 1
            }
        }
        for c in z.indices {
            let cell = Int(step.cells[c])
            guard denominator[cell] != 0 else { continue }
            var after = step.after[c]
            if after == 0 && step.before[c] == 0 { after = 1 }
            z[c] -= after * (numerator[cell] / denominator[cell])
        }
    }
}
