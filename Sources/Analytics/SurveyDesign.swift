import Foundation
public import Tables

/// A long file prepared for estimation: every row mapped to its respondent (case), every case to
/// its weight, stratum and clusters stage by stage, with the sample counts and finite population
/// corrections of R's `svydesign` (docs/algorithms/estimation.md §1).
///
/// Clusters are always nested: a stage-1 cluster is identified within its stratum, a stage-k
/// cluster within its stage-(k−1) cluster (R with `nest = TRUE`, which equals `nest = FALSE`
/// whenever the ids are unique across strata). Stage-k strata for k ≥ 2 are the stage-(k−1)
/// clusters. A respondent without a stage-k id (k ≥ 2) — a one-stage group analysed with
/// two-stage groups — is its own stage-k cluster, fully enumerated (no variance at that stage).
public struct SurveyDesign: Sendable {
    /// One stage's clusters.
    struct Level: Sendable {
        /// Number of clusters at this stage.
        var count: Int
        /// Parent of each cluster: the stratum at stage 1, the stage-(k−1) cluster later.
        var parent: [Int32]
        /// Clusters sampled in each parent (the stratum's n): indexed by parent.
        var sampled: [Int]
        /// Finite population correction factor (N − n)/N of each cluster's stratum, 1 without fpc.
        var fpcFactor: [Double]
        /// n/N of each cluster's stratum (the cluster's inclusion probability), 1 without fpc.
        var fraction: [Double]
        /// A case of each cluster, for messages.
        var firstCase: [Int]
    }

    public let table: Table
    public private(set) var spec: DesignSpec
    /// Case of each row.
    let rowCase: [Int32]
    /// Tier code of each row (nil cells are -1).
    let rowTier: [Int]
    let caseCount: Int
    let caseWeight: [Double]
    let caseFirstRow: [Int]
    /// Last-stage cluster of each case.
    let caseCluster: [Int32]
    let levels: [Level]
    let strataCount: Int
    let strataLabels: [String]
    /// Whether population counts were given (then every stage recurses).
    let hasFPC: Bool
    /// Degrees of freedom: PSUs − strata among cases with non-zero weight (R's `degf`).
    public let degreesOfFreedom: Int

    public var stageCount: Int { levels.count }
    /// Respondents in the file.
    public var caseCountPublic: Int { caseCount }
    public var rowCount: Int { rowCase.count }

    public init(table: Table, spec: DesignSpec) throws(AnalyticsError) {
        self.table = table
        self.spec = spec
        let source = table.source
        func column(_ name: String, _ purpose: String) throws(AnalyticsError) -> Column {
            do { return try table.column(name, purpose: purpose) } catch { throw .input(error) }
        }
        if !spec.fpc.isEmpty && spec.fpc.count != spec.ids.count {
            throw .usage(message: "--fpc names \(spec.fpc.count) column\(spec.fpc.count == 1 ? "" : "s") for \(max(spec.ids.count, 1)) stage\(spec.ids.count == 1 ? "" : "s") of --ids; give a population count for every stage, or none")
        }
        let caseColumn = try column(spec.caseColumn, "the respondent")
        let weightColumn = try column(spec.weight, "the weight")
        let tierColumn = try column(spec.tier, "the answer code")
        _ = try column(spec.unit, "the evaluated unit")
        let strataColumn = try spec.strata.map { (name) throws(AnalyticsError) in try column(name, "the strata") }
        let idColumns = try spec.ids.map { (name) throws(AnalyticsError) in try column(name, "a cluster stage") }
        let fpcColumns = try spec.fpc.map { (name) throws(AnalyticsError) in try column(name, "a population count") }

        let rows = table.rowCount
        let caseFactor = caseColumn.factorize()
        if let missing = caseFactor.codes.firstIndex(of: -1) {
            throw .data(file: source, line: table.line(of: missing), message: "the respondent column '\(spec.caseColumn)' is empty",
                        hint: "every row needs its respondent's id")
        }
        rowCase = caseFactor.codes
        caseCount = caseFactor.levels.count
        rowTier = try Self.tierCodes(tierColumn, name: spec.tier, table: table)

        // Per case: first row, weight, constant within the case.
        var firstRow = [Int](repeating: -1, count: caseCount)
        var weight = [Double](repeating: 0, count: caseCount)
        let weightPosition = (table.index(of: spec.weight) ?? 0) + 1
        for r in 0..<rows {
            let c = Int(rowCase[r])
            guard let w = weightColumn.numericValue(r), w.isFinite, w >= 0, w <= Self.largestWeight else {
                let cell = weightColumn.string(r)
                let what: String
                if let cell, let w = weightColumn.numericValue(r), w.isFinite, w > Self.largestWeight {
                    what = "\(cell) is not a plausible weight (over \(formatDecimal(Self.largestWeight)))"
                } else {
                    what = cell.map { "'\($0)' is not a weight of 0 or more" } ?? "is empty"
                }
                throw .input(TablesError(.value, file: source, line: table.line(of: r), column: weightPosition,
                                         message: "field \(spec.weight): \(what)",
                                         hint: "every row needs its respondent's weight: a number of 0 or more, the population units the respondent stands for"))
            }
            if firstRow[c] < 0 {
                firstRow[c] = r
                weight[c] = w
            } else if weight[c] != w {
                throw .data(file: source, line: table.line(of: r), message: "respondent \(caseFactor.levels[c]) has weight \(formatDecimal(w)) here but \(formatDecimal(weight[c])) on line \(table.line(of: firstRow[c]))",
                            hint: "a respondent's rows share one weight")
            }
        }
        caseFirstRow = firstRow
        caseWeight = weight
        if caseCount > 0 && weight.allSatisfy({ $0 == 0 }) {
            throw .data(file: source, line: nil, message: "every weight in column '\(spec.weight)' is 0, so nothing can be estimated",
                        hint: "give the design weights (pingyi responses export --format long writes them), or the weights pingyi weights made")
        }

        // Strata of cases.
        var caseStratum = [Int32](repeating: 0, count: caseCount)
        var labels = ["全部"]
        if let strataColumn {
            let f = strataColumn.factorize()
            labels = f.levels
            for c in 0..<caseCount {
                let code = f.codes[firstRow[c]]
                guard code >= 0 else {
                    throw .data(file: source, line: table.line(of: firstRow[c]), message: "the stratum '\(spec.strata ?? "")' is empty",
                                hint: "every respondent needs a stratum")
                }
                caseStratum[c] = code
            }
            try Self.checkConstant(f.codes, rowCase: rowCase, firstRow: firstRow, name: spec.strata ?? "", table: table, caseLevels: caseFactor.levels)
            if let within = spec.strataWithin {
                // Independent surveys in one file: a stratum is (survey, stratum).
                let g = try column(within, "the survey the strata belong to").factorize()
                try Self.checkConstant(g.codes, rowCase: rowCase, firstRow: firstRow, name: within, table: table, caseLevels: caseFactor.levels)
                var nested: [Int64: Int32] = [:]
                var nestedLabels: [String] = []
                for c in 0..<caseCount {
                    let outer = g.codes[firstRow[c]]
                    let key = Int64(outer) << 32 | Int64(caseStratum[c])
                    if let id = nested[key] {
                        caseStratum[c] = id
                    } else {
                        let id = Int32(nestedLabels.count)
                        nested[key] = id
                        nestedLabels.append(outer >= 0 ? "\(g.levels[Int(outer)]) / \(f.levels[Int(caseStratum[c])])" : f.levels[Int(caseStratum[c])])
                        caseStratum[c] = id
                    }
                }
                labels = nestedLabels
            }
        }
        strataCount = labels.count
        strataLabels = labels

        // Clusters stage by stage, nested in the stratum or the previous stage's cluster.
        var parentOfCase = caseStratum
        var levels: [Level] = []
        let stageColumns = idColumns.isEmpty ? [caseColumn] : idColumns
        let stageNames = idColumns.isEmpty ? [spec.caseColumn] : spec.ids
        var populations: [[Double]] = []
        var caseCluster = [Int32](repeating: 0, count: caseCount)
        for (k, idColumn) in stageColumns.enumerated() {
            let f = idColumn.factorize()
            if k < idColumns.count {
                try Self.checkConstant(f.codes, rowCase: rowCase, firstRow: firstRow, name: stageNames[k], table: table, caseLevels: caseFactor.levels)
            }
            var intern: [Int64: Int32] = [:]
            var parent: [Int32] = []
            var clusterFirstCase: [Int] = []
            var enumerated: [Bool] = []
            var clusterOfCase = [Int32](repeating: 0, count: caseCount)
            for c in 0..<caseCount {
                let code = f.codes[firstRow[c]]
                var key: Int64
                if code >= 0 {
                    key = Int64(parentOfCase[c]) << 32 | Int64(code)
                } else if k == 0 {
                    throw .data(file: source, line: table.line(of: firstRow[c]), message: "the stage-1 cluster '\(stageNames[k])' is empty",
                                hint: "every respondent needs a primary sampling unit")
                } else {
                    key = Int64(parentOfCase[c]) << 32 | Int64(1 << 31 | c)
                }
                if let id = intern[key] {
                    clusterOfCase[c] = id
                } else {
                    let id = Int32(parent.count)
                    intern[key] = id
                    parent.append(parentOfCase[c])
                    clusterFirstCase.append(c)
                    enumerated.append(code < 0)
                    clusterOfCase[c] = id
                }
            }
            let parentCount = k == 0 ? strataCount : levels[k - 1].count
            var sampled = [Int](repeating: 0, count: parentCount)
            for p in parent { sampled[Int(p)] += 1 }
            // Population counts per cluster, from the cluster's first row.
            var population = [Double](repeating: .infinity, count: parent.count)
            if !fpcColumns.isEmpty {
                for i in 0..<parent.count {
                    let row = firstRow[clusterFirstCase[i]]
                    if enumerated[i] {
                        population[i] = Double(sampled[Int(parent[i])])
                        continue
                    }
                    guard let value = fpcColumns[k].number(row), value > 0 else {
                        throw .data(file: source, line: table.line(of: row), message: "the population count '\(spec.fpc[k])' is \(fpcColumns[k].string(row).map { "'\($0)'" } ?? "empty")",
                                    hint: "give the number of units in the stratum (or the sampling fraction)")
                    }
                    population[i] = value
                }
                let counts = population.enumerated().filter { !enumerated[$0.offset] }.map(\.element)
                let fractions = counts.allSatisfy { $0 <= 1 }
                if !fractions && counts.contains(where: { $0 < 1 }) {
                    throw .data(file: source, line: nil, message: "the population counts '\(spec.fpc[k])' mix counts (≥ 1) and fractions (< 1)",
                                hint: "give all as counts or all as sampling fractions")
                }
                if !fractions {
                    // A count is the stratum's (at stage 1) or the cluster's (later): one per
                    // parent. Fractions may differ by cluster (inclusion probabilities of a PPS
                    // stage, R's pps = "brewer").
                    var first: [Int: Int] = [:]
                    for i in 0..<parent.count where !enumerated[i] {
                        let p = Int(parent[i])
                        guard let j = first[p] else { first[p] = i; continue }
                        if population[j] != population[i] {
                            let row = firstRow[clusterFirstCase[i]], other = firstRow[clusterFirstCase[j]]
                            let within = k == 0 ? "stratum \(labels[p])" : "one stage-\(k) cluster"
                            throw .data(file: source, line: table.line(of: row),
                                        message: "stage \(k + 1): the population count '\(spec.fpc[k])' is \(formatDecimal(population[i])) here but \(formatDecimal(population[j])) on line \(table.line(of: other)), within \(within)",
                                        hint: "a population count is the number of units in the stratum, the same on all its rows; for inclusion probabilities that differ by unit (PPS) give them as fractions, e.g. --fpc stage1_prob,stage2_prob")
                        }
                    }
                }
                for i in 0..<parent.count where !enumerated[i] {
                    let n = Double(sampled[Int(parent[i])])
                    if fractions && population[i] <= 1 { population[i] = n / population[i] }
                    if population[i] < n - 1e-9 {
                        let row = firstRow[clusterFirstCase[i]]
                        throw .data(file: source, line: table.line(of: row),
                                    message: "stage \(k + 1): \(formatDecimal(n)) units sampled in a stratum whose population count '\(spec.fpc[k])' is \(formatDecimal(population[i]))",
                                    hint: "the population count must be at least the number sampled")
                    }
                }
            }
            populations.append(population)
            let fpcFactor = (0..<parent.count).map { i -> Double in
                let big = population[i]
                return big.isFinite ? (big - Double(sampled[Int(parent[i])])) / big : 1
            }
            let fraction = (0..<parent.count).map { i -> Double in
                let big = population[i]
                return big.isFinite ? Double(sampled[Int(parent[i])]) / big : 1
            }
            levels.append(Level(count: parent.count, parent: parent, sampled: sampled, fpcFactor: fpcFactor,
                                fraction: fraction, firstCase: clusterFirstCase))
            parentOfCase = clusterOfCase
            caseCluster = clusterOfCase
        }
        self.levels = levels
        self.caseCluster = caseCluster
        hasFPC = !fpcColumns.isEmpty

        // degf: PSUs and strata with a case of non-zero weight.
        var psuSeen = Set<Int32>()
        var strataSeen = Set<Int32>()
        var casePSU = [Int32](repeating: 0, count: caseCount)
        if levels.count == 1 {
            casePSU = caseCluster
        } else {
            // Walk up from the last stage to stage 1.
            for c in 0..<caseCount {
                var cluster = caseCluster[c]
                for k in stride(from: levels.count - 1, to: 0, by: -1) { cluster = levels[k].parent[Int(cluster)] }
                casePSU[c] = cluster
            }
        }
        for c in 0..<caseCount where weight[c] > 0 {
            psuSeen.insert(casePSU[c])
            strataSeen.insert(caseStratum[c])
        }
        degreesOfFreedom = psuSeen.count - strataSeen.count
        self.casePSU = casePSU
        self.caseStratum = caseStratum
    }

    /// The same prepared design with other options (e.g. another lonely-PSU rule).
    init(sharing other: SurveyDesign, spec: DesignSpec) {
        self = other
        self.spec = spec
    }

    /// Stage-1 cluster of each case, and its stratum.
    let casePSU: [Int32]
    let caseStratum: [Int32]

    /// The largest weight taken as plausible: a respondent standing for more than a thousand
    /// billion people is a mistake (e.g. 1e308, whose sums overflow).
    static let largestWeight = 1e12

    /// The answer code of every row (-1 for an empty cell). Every other cell must be a whole
    /// number: cells are not trimmed, so ` 1` (with a space) is refused like `x`.
    static func tierCodes(_ column: Column, name: String, table: Table) throws(AnalyticsError) -> [Int] {
        let position = (table.index(of: name) ?? 0) + 1
        var codes = [Int](repeating: -1, count: column.count)
        for r in 0..<column.count where !column.isMissing(r) {
            if let code = column.integerValue(r), code >= 0, !(column.string(r) ?? "").contains(" ") {
                codes[r] = code
                continue
            }
            let cell = column.string(r) ?? ""
            let spaced = cell.trimmingCharacters(in: .whitespaces) != cell && Int(cell.trimmingCharacters(in: .whitespaces)) != nil
            throw .input(TablesError(.value, file: table.source, line: table.line(of: r), column: position,
                                     message: "field \(name): '\(cell)' is not an answer code",
                                     hint: spaced ? "remove the spaces around the code (cells are not trimmed)"
                                                  : "the answer codes are whole numbers of the scale (e.g. 1–4, 7 for don't know); leave the cell empty for no answer"))
        }
        return codes
    }

    /// A design column must not change between a respondent's rows.
    private static func checkConstant(_ codes: [Int32], rowCase: [Int32], firstRow: [Int], name: String, table: Table,
                                      caseLevels: [String]) throws(AnalyticsError) {
        for r in 0..<codes.count {
            let first = firstRow[Int(rowCase[r])]
            if codes[r] != codes[first] {
                throw .data(file: table.source, line: table.line(of: r),
                            message: "respondent \(caseLevels[Int(rowCase[r])]) has another '\(name)' here than on line \(table.line(of: first))",
                            hint: "a respondent's rows share their design columns")
            }
        }
    }

    /// A cluster's label for messages: its stratum or parent, then its id.
    func clusterLabel(stage k: Int, _ cluster: Int) -> String {
        let c = levels[k].firstCase[cluster]
        let row = caseFirstRow[c]
        let name = k < spec.ids.count ? spec.ids[k] : spec.caseColumn
        return (try? table.column(name).string(row)) .flatMap { $0 } ?? "?"
    }
}
