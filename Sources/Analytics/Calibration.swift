import Foundation
import Stats
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
        /// Raking (iterative proportional fitting) to the margins of each column, as R's `rake()`.
        case rake
        /// Calibration to the margins by Newton's method with a distance function, as R's
        /// `calibrate(design, list(~a, ~b), list(pa, pb), calfun = …, bounds = …)` (GREG);
        /// standard errors from the residuals of the regression on the margins.
        case greg(Distance)
        /// No calibration: the design weights, trimmed when ``Calibration/trim`` asks.
        case none
    }

    /// The distance function of ``Method/greg(_:)``: R's `calfun`.
    public enum Distance: String, Sendable, CaseIterable {
        /// g = 1 + x′λ (truncated at the bounds): the generalised regression estimator.
        case linear
        /// g = exp(x′λ): the same weights as raking, with regression standard errors.
        case raking
        /// g between the bounds by a logistic curve (finite bounds required).
        case logit
    }

    /// Trimming of extreme weights after calibration, as R's `trimWeights(design, upper, lower,
    /// strict)`: weights outside [lower, upper] are set to the bound and the amount cut (or added)
    /// is shared equally among the respondents inside; `strict` repeats until none is outside.
    public struct Trim: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var strict: Bool

        public init(lower: Double, upper: Double, strict: Bool = false) {
            self.lower = lower
            self.upper = upper
            self.strict = strict
        }
    }

    /// Known population counts of the cells: the columns' values and a count.
    public struct Population: Sendable {
        public var columns: [String]
        public var cells: [(values: [String], count: Double)]
        /// The file it was read from, for messages.
        public var source: String

        public init(columns: [String], cells: [(values: [String], count: Double)], source: String = "") {
            self.columns = columns
            self.cells = cells
            self.source = source
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
            return Population(columns: columns, cells: cells, source: path)
        }
    }

    public let method: Method
    /// Joint cell counts (``Method/poststratify``, and ``Method/rake`` or ``Method/greg(_:)``
    /// when no margin files are given: their margins are summed from it).
    public let population: Population
    /// One population table per margin column (`--margin town=pop_town.csv`), for raking and
    /// GREG calibration when only the margins are known.
    public let margins: [Population]
    /// Bounds on g = calibrated / design weight (R's `bounds`), GREG only.
    public var bounds: (lower: Double, upper: Double) = (-.infinity, .infinity)
    /// Trimming of the calibrated weights, or nil.
    public var trim: Trim?
    /// Raking stops when no joint cell total moves by more than this fraction of the total.
    public var tolerance = 1e-13
    public var maximumPasses = 1000
    /// GREG stops when every margin total is met to this fraction of (1 + its population count)
    /// (R's `epsilon`, whose default is 1e-7).
    public var gregTolerance = 1e-12
    /// Newton steps GREG may take (R's `maxit`).
    public var gregMaximumSteps = 100

    public init(method: Method, population: Population) {
        self.method = method
        self.population = population
        self.margins = []
    }

    /// Raking or GREG calibration to margins given one table each.
    public init(method: Method, margins: [Population]) {
        self.method = method
        self.population = Population(columns: margins.flatMap(\.columns), cells: [])
        self.margins = margins
    }

    /// The columns calibrated to (poststratify: the joint cells' columns; otherwise one per margin).
    public var columns: [String] { margins.isEmpty ? population.columns : margins.flatMap(\.columns) }

    /// Calibrated weights of every case, and what the variance residuals need: for each
    /// post-stratification step the (cell of each case, weight after the step, weight before the
    /// step); for GREG the regression on the margins.
    struct Result {
        var method: Method
        var weights: [Double]
        /// One entry per post-stratification (poststratify: one; rake: one per margin of the last pass).
        var steps: [(cells: [Int32], after: [Double], before: [Double])]
        var passes: Int
        var greg: Regression?

        /// Whether standard errors change with the calibration (trimming alone does not).
        var adjustsVariance: Bool { !steps.isEmpty || greg != nil }
    }

    /// The regression GREG's residuals come from (R's `greg_calibration`: `qr(mm * sqrt(w))` and
    /// `g * sqrt(w)`): every case's model-matrix columns, its design weight d and its g.
    struct Regression {
        /// `columnsPerCase` entries per case: the model-matrix columns that are 1 (−1: none).
        var columns: [Int32]
        var columnsPerCase: Int
        /// (X′DX)⁻¹, p × p, row-major.
        var inverse: [Double]
        var p: Int
        var d: [Double]
        var g: [Double]
    }

    /// Each calibration margin: the cell of every case and the population count of each cell.
    private struct Margin {
        var name: String
        var cells: [Int32]
        var targets: [Double]
    }

    func apply(to design: SurveyDesign) throws(AnalyticsError) -> Result {
        var result: Result
        switch method {
        case .none:
            result = Result(method: method, weights: design.caseWeight, steps: [], passes: 0)
        case .poststratify:
            let caseValues = try self.caseValues(population.columns, design: design)
            let (cells, targets) = try jointCells(caseValues, design: design)
            let before = design.caseWeight
            let weights = try postStratify(before, cells: cells, targets: targets, label: "cell", design: design)
            result = Result(method: method, weights: weights, steps: [(cells, weights, before)], passes: 1)
        case .rake:
            result = try rake(design)
        case .greg(let distance):
            result = try greg(design, distance: distance)
        }
        if let trim { result.weights = try trimmed(result.weights, trim, design: design) }
        return result
    }

    /// Every case's value of each column (its first row's).
    private func caseValues(_ columns: [String], design: SurveyDesign) throws(AnalyticsError) -> [[String]] {
        var values: [[String]] = []
        for name in columns {
            let column: Column
            do { column = try design.table.column(name, purpose: "a calibration cell") } catch { throw .input(error) }
            values.append(design.caseFirstRow.map { column.string($0) ?? "" })
        }
        return values
    }

    /// The margins, from the margin files or summed from the joint cells, each case's cell in them,
    /// and a check that they describe one population (the same total).
    private func marginCells(_ caseValues: [[String]], design: SurveyDesign) throws(AnalyticsError) -> [Margin] {
        let table = design.table
        var result: [Margin] = []
        for (j, name) in columns.enumerated() {
            var totals: [String: Double] = [:]
            var order: [String] = []
            let source = margins.isEmpty ? population : margins[j]
            let k = margins.isEmpty ? j : 0
            for cell in source.cells {
                if totals[cell.values[k]] == nil {
                    order.append(cell.values[k])
                } else if !margins.isEmpty {
                    throw .data(file: source.source, line: nil, message: "\(name) '\(cell.values[k])' is given twice in the margin",
                                hint: "give one count per value")
                }
                totals[cell.values[k], default: 0] += cell.count
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
            result.append(Margin(name: name, cells: cells, targets: order.map { totals[$0] ?? 0 }))
        }
        if let first = result.first {
            let total = first.targets.reduce(0, +)
            for margin in result.dropFirst() {
                let other = margin.targets.reduce(0, +)
                if abs(other - total) > 1e-9 * max(total, other) {
                    throw .data(file: margins.isEmpty ? population.source : margins[result.firstIndex { $0.name == margin.name } ?? 0].source,
                                line: nil,
                                message: "the margin of \(margin.name) adds up to \(formatDecimal(other)) but that of \(first.name) to \(formatDecimal(total))",
                                hint: "give margins of the same population (the same total)")
                }
            }
        }
        return result
    }

    private func rake(_ design: SurveyDesign) throws(AnalyticsError) -> Result {
        let caseValues = try self.caseValues(columns, design: design)
        let margins = try marginCells(caseValues, design: design)
        var weights = design.caseWeight
        let (joint, _) = try jointCells(caseValues, design: design, requirePopulation: false)
        var steps: [(cells: [Int32], after: [Double], before: [Double])] = []
        var previous = jointTotals(weights, joint)
        let total = weights.reduce(0, +)
        for pass in 1...maximumPasses {
            steps.removeAll(keepingCapacity: true)
            for margin in margins {
                let before = weights
                weights = try postStratify(weights, cells: margin.cells, targets: margin.targets, label: margin.name, design: design)
                steps.append((margin.cells, weights, before))
            }
            let current = jointTotals(weights, joint)
            let moved = zip(current, previous).map { abs($0 - $1) }.max() ?? 0
            if moved < tolerance * total { return Result(method: method, weights: weights, steps: steps, passes: pass) }
            previous = current
        }
        throw .estimation(message: "raking did not converge after \(maximumPasses) passes",
                          hint: "check that the margins are consistent and every margin cell has respondents")
    }

    /// GREG calibration to the margins as R's `grake` (survey 4.1): Newton steps on λ with the
    /// pseudo-inverse of Σ d F′(x′λ) x x′, halving a step that makes g infinite, until every
    /// margin total is met; weights pre-scaled when every population count is over 20 times its
    /// sample total (bounds then apply to the rescaled weights, as R warns).
    private func greg(_ design: SurveyDesign, distance: Distance) throws(AnalyticsError) -> Result {
        let (lower, upper) = bounds
        guard lower < 1, upper > 1 else {
            throw .usage(message: "calibration bounds must have the lower below 1 and the upper above 1 (they bound g, the factor each weight is multiplied by)")
        }
        if distance == .logit && !(lower.isFinite && upper.isFinite) {
            throw .usage(message: "logit calibration needs finite bounds (--bounds L,U)")
        }
        let caseValues = try self.caseValues(columns, design: design)
        let margins = try marginCells(caseValues, design: design)
        // The model matrix of ~a + b + …: every level of the first margin (intercept and its
        // contrasts span the same space), every level but the first of the others.
        var offset: [Int] = []
        var p = 0
        for (j, margin) in margins.enumerated() {
            offset.append(j == 0 ? 0 : p - 1)
            p += margin.targets.count - (j == 0 ? 0 : 1)
        }
        let k = margins.count
        let n = design.caseCount
        var columns = [Int32](repeating: -1, count: n * k)
        var targets = [Double](repeating: 0, count: p)
        for (j, margin) in margins.enumerated() {
            for (level, count) in margin.targets.enumerated() where j == 0 || level > 0 { targets[offset[j] + level] = count }
            for c in 0..<n {
                let level = Int(margin.cells[c])
                if j == 0 || level > 0 { columns[c * k + j] = Int32(offset[j] + level) }
            }
        }
        let d = design.caseWeight
        var sampleTotal = [Double](repeating: 0, count: p)
        for c in 0..<n {
            for j in 0..<k where columns[c * k + j] >= 0 { sampleTotal[Int(columns[c * k + j])] += d[c] }
        }
        for (i, total) in sampleTotal.enumerated() where total <= 0 {
            let (j, level) = Self.locate(column: i, offset: offset, margins: margins)
            throw .data(file: design.table.source, line: nil,
                        message: "calibration cell \(level + 1) of \(margins[j].name) has a population count of \(formatDecimal(targets[i])) but no respondent with weight",
                        hint: "merge it with a neighbouring cell in the population file")
        }
        var ww = d
        var scale: Double? = nil
        let scales = zip(targets, sampleTotal).map { $0 / $1 }
        if let smallest = scales.min(), smallest > 20 {
            let s = scales.reduce(0, +) / Double(scales.count)
            scale = s
            ww = ww.map { $0 * s }
            sampleTotal = sampleTotal.map { $0 * s }
        }
        func u(_ eta: [Double], _ c: Int) -> Double {
            var sum = 0.0
            for j in 0..<k where columns[c * k + j] >= 0 { sum += eta[Int(columns[c * k + j])] }
            return sum
        }
        func misfit(_ f: [Double]) -> [Double] {
            var m = zip(targets, sampleTotal).map { $0 - $1 }
            for c in 0..<n {
                for j in 0..<k where columns[c * k + j] >= 0 { m[Int(columns[c * k + j])] -= ww[c] * f[c] }
            }
            return m
        }
        var eta = [Double](repeating: 0, count: p)
        var f = [Double](repeating: 0, count: n)
        var derivative = [Double](repeating: 0, count: n)
        func evaluate() {
            for c in 0..<n {
                let x = u(eta, c)
                f[c] = distance.f(x, lower, upper)
                derivative[c] = distance.derivative(x, lower, upper)
            }
        }
        evaluate()
        var step = 1
        var converged = false
        var achieved = Double.infinity
        while true {
            var t = Matrix(rows: p, columns: p)
            for c in 0..<n where derivative[c] != 0 {
                let v = ww[c] * derivative[c]
                for a in 0..<k where columns[c * k + a] >= 0 {
                    for b in 0..<k where columns[c * k + b] >= 0 {
                        t[Int(columns[c * k + a]), Int(columns[c * k + b])] += v
                    }
                }
            }
            var delta: [Double]
            do { delta = try LinearAlgebra.pseudoInverseSolve(t, misfit(f)) } catch {
                throw .estimation(message: "calibration failed: \(error.message)", hint: "merge small cells or widen --bounds")
            }
            for i in 0..<p { eta[i] += delta[i] }
            evaluate()
            while step < gregMaximumSteps && (f.contains { !$0.isFinite } || derivative.contains { !$0.isFinite }) {
                step += 1
                delta = delta.map { $0 / 2 }
                for i in 0..<p { eta[i] -= delta[i] }
                evaluate()
            }
            let m = misfit(f)
            achieved = zip(m, targets).map { abs($0) / (1 + abs($1)) }.max() ?? 0
            if achieved < gregTolerance { converged = true; break }
            step += 1
            if step > gregMaximumSteps { break }
        }
        guard converged else {
            throw .estimation(message: "calibration did not meet the margins after \(gregMaximumSteps) steps (largest misfit \(achieved) of a count)",
                              hint: distance == .linear && lower.isInfinite && upper.isInfinite
                                ? "check that the margins are consistent and every margin cell has respondents"
                                : "widen --bounds, or merge small cells")
        }
        var g = f.map { 1 + $0 }
        if let scale { g = g.map { $0 * scale } }
        let weights = zip(d, g).map { $0 * $1 }
        // (X′DX)⁻¹ with the design weights, for the residuals.
        var xdx = Matrix(rows: p, columns: p)
        for c in 0..<n {
            for a in 0..<k where columns[c * k + a] >= 0 {
                for b in 0..<k where columns[c * k + b] >= 0 { xdx[Int(columns[c * k + a]), Int(columns[c * k + b])] += d[c] }
            }
        }
        var inverse = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            var unit = [Double](repeating: 0, count: p)
            unit[i] = 1
            let column: [Double]
            do { column = try LinearAlgebra.pseudoInverseSolve(xdx, unit) } catch {
                throw .estimation(message: "calibration failed: \(error.message)", hint: "merge small cells")
            }
            for r in 0..<p { inverse[r * p + i] = column[r] }
        }
        return Result(method: method, weights: weights, steps: [], passes: step,
                      greg: Regression(columns: columns, columnsPerCase: k, inverse: inverse, p: p, d: d, g: g))
    }

    private static func locate(column: Int, offset: [Int], margins: [Margin]) -> (margin: Int, level: Int) {
        for j in stride(from: margins.count - 1, through: 0, by: -1) {
            let first = j == 0 ? 0 : offset[j] + 1
            if column >= first { return (j, column - offset[j]) }
        }
        return (0, column)
    }

    /// R's `trimWeights`: weights outside the bounds set to them, what was cut shared equally by
    /// the respondents inside that were never trimmed; once, or until none is outside (strict).
    private func trimmed(_ weights: [Double], _ trim: Trim, design: SurveyDesign) throws(AnalyticsError) -> [Double] {
        var w = weights
        var hasTrimmed = [Bool](repeating: false, count: w.count)
        var outside = w.map { $0 < trim.lower || $0 > trim.upper }
        var rounds = 0
        while outside.contains(true) {
            rounds += 1
            let clamped = w.map { min(max($0, trim.lower), trim.upper) }
            let cut = zip(w, clamped).reduce(0.0) { $0 + ($1.0 - $1.1) }
            let inside = w.indices.filter { !outside[$0] && !hasTrimmed[$0] }
            guard !inside.isEmpty, rounds <= 1000 else {
                throw .estimation(message: "trimming failed: every respondent's weight is at a trimming bound",
                                  hint: "widen --trim (the weights run from \(formatDecimal(weights.min() ?? 0)) to \(formatDecimal(weights.max() ?? 0)))")
            }
            var next = clamped
            let share = cut / Double(inside.count)
            for c in inside { next[c] += share }
            for c in w.indices where outside[c] { hasTrimmed[c] = true }
            w = next
            if !trim.strict { break }
            outside = w.map { $0 < trim.lower || $0 > trim.upper }
        }
        return w
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

    static func adjust(_ z: inout [SIMD2<Double>], step: (cells: [Int32], after: [Double], before: [Double]), weighted: Bool) {
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

extension Calibration.Result {
    /// Replaces per-case linearised values by their residuals from the calibration.
    func residuals(_ z: inout [SIMD2<Double>]) {
        switch method {
        case .none:
            break
        case .poststratify:
            // g_c = Σ z·old/new / Σ old over the cell; z −= new·g_c (R's svyrecvar, postStrata).
            for step in steps { Calibration.adjust(&z, step: step, weighted: true) }
        case .rake:
            // Ten fixed sweeps of z −= new·(unweighted mean of z/new over the cell).
            for _ in 0..<10 {
                for step in steps { Calibration.adjust(&z, step: step, weighted: false) }
            }
        case .greg:
            // R's qr.resid(qr(X·√d), z / (g√d)) · g√d: z −= g·d·x′β, β = (X′DX)⁻¹ Σ x z / g.
            guard let r = greg else { return }
            let k = r.columnsPerCase
            var b = [SIMD2<Double>](repeating: .zero, count: r.p)
            for c in z.indices where z[c] != .zero && r.g[c] != 0 {
                for j in 0..<k where r.columns[c * k + j] >= 0 { b[Int(r.columns[c * k + j])] += z[c] / r.g[c] }
            }
            var beta = [SIMD2<Double>](repeating: .zero, count: r.p)
            for i in 0..<r.p {
                var sum = SIMD2<Double>.zero
                for j in 0..<r.p { sum += r.inverse[i * r.p + j] * b[j] }
                beta[i] = sum
            }
            for c in z.indices {
                var fitted = SIMD2<Double>.zero
                for j in 0..<k where r.columns[c * k + j] >= 0 { fitted += beta[Int(r.columns[c * k + j])] }
                z[c] -= r.g[c] * r.d[c] * fitted
            }
        }
    }
}

extension Calibration.Distance {
    /// R's `calfun$Fm1(u, bounds)`: g − 1 at x′λ = u.
    func f(_ u: Double, _ lower: Double, _ upper: Double) -> Double {
        switch self {
        case .linear: return min(max(u + 1, lower), upper) - 1
        case .raking: return min(max(exp(u), lower), upper) - 1
        case .logit:
            let a = (upper - lower) / ((upper - 1) * (1 - lower))
            let e = exp(a * u)
            let numerator: Double = lower * (upper - 1) + upper * (1 - lower) * e
            return numerator / (upper - 1 + (1 - lower) * e) - 1
        }
    }

    /// R's `calfun$dF(u, bounds)` (the raking one tests u, not exp(u), against the bounds, as R does).
    func derivative(_ u: Double, _ lower: Double, _ upper: Double) -> Double {
        switch self {
        case .linear: return u < upper - 1 && u > lower - 1 ? 1 : 0
        case .raking: return u < upper - 1 && u > lower - 1 ? exp(u) : 0
        case .logit:
            let a = (upper - lower) / ((upper - 1) * (1 - lower))
            let e = exp(a * u)
            let denominator: Double = upper - 1 + (1 - lower) * e
            let numerator: Double = lower * (upper - 1) + upper * (1 - lower) * e
            let first: Double = upper * (1 - lower) * e * a / denominator
            let second: Double = numerator * ((1 - lower) * e * a) / (denominator * denominator)
            return first - second
        }
    }
}
