import Stats
public import Tables

/// Draws a respondent list from a frame by a design.
///
/// Random numbers are consumed in a fixed order — replicate, stage, parent unit, stratum in
/// sorted order — so the same frame, design and seed always give the same list.
public struct Sampler {
    public let design: Design
    public let table: Table
    /// Design file name, for messages.
    public let designFile: String
    let index: FrameIndex
    /// Coordinated draws: the permanent random numbers and this draw's rotation (nil: random
    /// numbers from the seed).
    public var coordination: Coordination?

    /// The registry of a coordinated draw, its file (for messages) and the rotation: 0 for the
    /// first quarter, 1 for the next, …
    public struct Coordination: Sendable {
        public var registry: PRNRegistry
        public var file: String
        public var rotation: Int

        public init(registry: PRNRegistry, file: String, rotation: Int) {
            self.registry = registry
            self.file = file
            self.rotation = rotation
        }
    }

    public init(design: Design, table: Table, designFile: String = "design") {
        self.design = design
        self.table = table
        self.designFile = designFile
        self.index = FrameIndex(table: table)
    }

    /// Draws `replicates` independent samples from one random stream; `progress` is called with
    /// the replicates done.
    public func draw(seed: UInt32, replicates: Int = 1, progress: ((Int) -> Void)? = nil) throws(SamplingError) -> SampleDraw {
        // Grouping columns of the first stage (and the filter) are factorized together.
        var grouping = design.filter.map(\.column)
        if let first = design.stages.first {
            grouping += first.strata
            if first.unit != design.id { grouping.append(first.unit) }
        }
        index.prepare(grouping)
        let rows = try participatingRows()
        try checkNumericColumns(rows)
        var identifiersChecked = false
        let rng: RandomSource
        do { rng = try RandomSource(seed: seed) } catch { throw .draw(file: designFile, line: nil, message: error.message, hint: "") }
        var output: [SampleRow] = []
        var counts: [StratumCount] = []
        for replicate in 1...max(replicates, 1) {
            progress?(replicate - 1)
            var parents = [Parent(rows: rows, stages: [], stratumNumber: 0)]
            var final: [(parent: Parent, unit: DrawnUnit)] = []
            for (k, stage) in design.stages.enumerated() {
                if k == 1 || (k == 0 && design.stages.count == 1), !identifiersChecked {
                    // Ids are checked beside the first stage's grouping, before anything uses them.
                    try checkIdentifiers(rows)
                    identifiersChecked = true
                }
                let isLast = k == design.stages.count - 1
                var next: [Parent] = []
                for parent in parents {
                    let (drawn, stageCounts) = try drawStage(stage, number: k + 1, in: parent, rng: rng)
                    if replicate == 1 && k == 0 { counts = stageCounts }
                    for unit in drawn {
                        if isLast {
                            final.append((parent, unit))
                        } else if unit.role == .sample {
                            next.append(Parent(rows: unit.rows, stages: parent.stages + [unit.selection],
                                               stratumNumber: unit.stratumNumber))
                        }
                    }
                }
                parents = next
            }
            output.append(contentsOf: makeRows(final, replicate: replicate, replicates: replicates))
        }
        // Respondents and reserves per stage-1 stratum (first replicate).
        for row in output where row.replicate == 1 && counts.indices.contains(row.stratumNumber - 1) {
            if row.role == .sample { counts[row.stratumNumber - 1].sample += 1 } else { counts[row.stratumNumber - 1].reserves += 1 }
        }
        return SampleDraw(rows: output, strata: counts, stageCount: design.stages.count)
    }

    /// The first stage's allocation without drawing: per stratum, the units and how many are
    /// taken (certainty units included), with the checks a draw makes before its first random
    /// number, so a preview that passes is a draw that passes them. `sample` and `reserves` are
    /// what a one-stage draw lists (the reserves as many as the stratum has left); 0 for a
    /// multi-stage design, whose later stages depend on the units drawn.
    public func allocation() throws(SamplingError) -> [StratumCount] {
        guard let first = design.stages.first else { return [] }
        var grouping = design.filter.map(\.column) + first.strata
        if first.unit != design.id { grouping.append(first.unit) }
        index.prepare(grouping)
        let rows = try participatingRows()
        try checkNumericColumns(rows)
        // The checks in the draw's order: ids before a one-stage design's only stage, after the first of several.
        let single = design.stages.count == 1
        if single { try checkIdentifiers(rows) }
        let (strata, _, sizes) = try prepare(first, number: 1, in: Parent(rows: rows, stages: [], stratumNumber: 0), keepRows: false)
        if !single { try checkIdentifiers(rows) }
        return zip(strata, sizes).map { stratum, n in
            let drawn = n + stratum.certain.count
            let reserves = single && n > 0 ? max(0, min(first.reserve, stratum.candidates.count - n)) : 0
            return StratumCount(stratum: stratum.label, units: stratum.candidates.count + stratum.certain.count, drawn: drawn,
                                sample: single ? drawn : 0, reserves: reserves)
        }
    }

    /// Turns the last stage's units into list rows with case numbers: the design's prefix, the
    /// stage-1 stratum number and a serial within it, e.g. `H-03-0127` (`.2` appended for the
    /// second replicate when drawing several).
    private func makeRows(_ final: [(parent: Parent, unit: DrawnUnit)], replicate: Int, replicates: Int) -> [SampleRow] {
        var serials: [Int: Int] = [:]
        let strataWidth = max(2, String(final.map(\.unit.stratumNumber).max() ?? 0).count)
        var perStratum: [Int: Int] = [:]
        for item in final { perStratum[item.unit.stratumNumber, default: 0] += 1 }
        let serialWidth = max(4, String(perStratum.values.max() ?? 0).count)
        return final.map { parent, unit in
            let serial = (serials[unit.stratumNumber] ?? 0) + 1
            serials[unit.stratumNumber] = serial
            var caseID = "\(design.casePrefix)-\(pad(unit.stratumNumber, strataWidth))-\(pad(serial, serialWidth))"
            if replicates > 1 { caseID += ".\(replicate)" }
            let earlier = parent.stages.reduce(1.0) { $0 * $1.probability }
            return SampleRow(frameRow: unit.firstRow, stages: parent.stages + [unit.selection], role: unit.role,
                             reserveRank: unit.reserveRank, reserveGroup: unit.selection.stratum,
                             reserveProbability: unit.reserveProbability.map { $0 * earlier },
                             replicate: replicate, stratumNumber: unit.stratumNumber, caseID: caseID)
        }
    }

    // MARK: Parents and units

    /// Rows taking part at a stage: all of them at stage 1, a selected unit's rows later.
    struct Parent {
        var rows: [Int]
        var stages: [StageSelection]
        /// Stage-1 stratum number (0 at stage 1).
        var stratumNumber: Int
    }

    /// A unit selected at a stage.
    struct DrawnUnit {
        var rows: [Int]
        /// A row of the unit (the rows may be gathered after the draw).
        var firstRow: Int
        var selection: StageSelection
        var role: Role
        var reserveRank: Int?
        var reserveProbability: Double?
        var stratumNumber: Int
    }

    /// A stage's unit within a parent before selection: its rows are `members[start..<start+count]`
    /// of the grouping that made it.
    struct Candidate {
        var firstRow: Int
        var start: Int
        var count: Int

        /// The unit's rows, or none when the grouping did not keep them (they are gathered later).
        func rows(_ members: [Int]) -> [Int] {
            members.isEmpty ? [] : Array(members[start..<(start + count)])
        }
    }

    /// Every column the design uses as a number — a certainty column, a PPS size column, a
    /// Neyman standard-deviation column — must hold a finite number on every row taking part:
    /// one `NaN`, `many` or empty cell would otherwise turn the column into text and silently
    /// change the design (no certainty units, no sizes). A Neyman column must vary somewhere.
    func checkNumericColumns(_ rows: [Int]) throws(SamplingError) {
        for (k, stage) in design.stages.enumerated() {
            var uses: [(column: String, purpose: String)] = []
            if let rule = stage.certainty { uses.append((rule.column, "certainty: {column: \(rule.column)}")) }
            if case .column(let name) = stage.size { uses.append((name, "size: \(name)")) }
            if case .total(_, .neyman, _, let sd?) = stage.allocation { uses.append((sd, "neyman-sd: \(sd)")) }
            for (name, purpose) in uses {
                let c = index.columnIndex(name)
                let column = table.columns[c]
                for r in rows where column.numericValue(r) == nil {
                    let cell = column.string(r)
                    throw .frame(TablesError(.value, file: table.source, line: table.line(of: r), column: table.fileColumn(c),
                                             message: "field \(name): \(cell.map { "'\($0)' is not a number" } ?? "is empty"), but stage \(k + 1) of the design uses it as a number (\(purpose))",
                                             hint: "correct the frame: every row the design draws from needs a number in \(name)"))
                }
                if purpose.hasPrefix("neyman-sd"), let first = rows.first.flatMap({ column.number($0) }),
                   rows.allSatisfy({ column.number($0) == first }) {
                    throw .draw(file: designFile, line: nil,
                                message: "stage \(k + 1): the neyman-sd column \(name) is \(formatDecimal(first)) on every row, so it gives no spread to allocate by",
                                hint: "use rule: proportional (Neyman allocation with equal spreads is proportional allocation)")
                }
            }
        }
    }

    /// Frame rows that pass the design's filter, in frame order.
    func participatingRows() throws(SamplingError) -> [Int] {
        guard !design.filter.isEmpty else { return Array(0..<table.rowCount) }
        var keep = [Bool](repeating: true, count: table.rowCount)
        for condition in design.filter {
            let column = table.columns[index.columnIndex(condition.column)]
            let factor = index.factor(condition.column)
            let wanted = Set(factor.levels.indices.filter { condition.values.contains(factor.levels[$0]) }.map { Int32($0) })
            for r in 0..<table.rowCount where !wanted.contains(factor.codes[r]) { keep[r] = false }
            _ = column
        }
        let rows = keep.indices.filter { keep[$0] }
        guard !rows.isEmpty else {
            let what = design.filter.map { "\($0.column) = \($0.values.joined(separator: "|"))" }.joined(separator: ", ")
            throw .draw(file: table.source, line: nil, message: "no frame row matches the filter \(what)",
                        hint: "check the filter values against the frame")
        }
        return rows
    }

    /// The design's id must be present and unique among the rows taking part. `dense` is the
    /// result of ``denseDuplicate(_:rows:)`` over these rows, when already computed.
    func checkIdentifiers(_ rows: [Int], dense: DenseCheck? = nil) throws(SamplingError) {
        let column = table.columns[index.columnIndex(design.id)]
        if column.missing != nil {
            for r in rows where column.isMissing(r) {
                throw .draw(file: table.source, line: table.line(of: r), message: "the id column '\(design.id)' is empty",
                            hint: "every frame row needs an id")
            }
        }
        // Rows taken in frame order from a column of increasing ids cannot repeat an id.
        if column.strictlyIncreasing { return }
        let duplicate: (Int, Int)?
        switch dense ?? denseDuplicate(column, rows: rows) {
        case .unique: duplicate = nil
        case .duplicate(let a, let b): duplicate = (a, b)
        case .notDense: duplicate = codedDuplicate(rows)
        }
        if let (first, second) = duplicate {
            throw .draw(file: table.source, line: table.line(of: second),
                        message: "duplicate \(design.id) '\(column.string(second) ?? "")' (also on line \(table.line(of: first)))",
                        hint: "every row needs its own \(design.id); remove or renumber the repeated row")
        }
    }

    /// The first pair of rows sharing a code of the id column.
    private func codedDuplicate(_ rows: [Int]) -> (Int, Int)? {
        let factor = index.factor(design.id)
        var firstRow = [Int](repeating: -1, count: factor.levels.count)
        for r in rows {
            let c = Int(factor.codes[r])
            guard c >= 0 else { continue }
            if firstRow[c] >= 0 { return (firstRow[c], r) }
            firstRow[c] = r
        }
        return nil
    }
}

/// Outcome of checking integer ids with a bitmap.
enum DenseCheck: Sendable {
    case unique
    case duplicate(Int, Int)
    /// Not integers, or too spread out for a bitmap.
    case notDense
}

/// Checks integer ids for repeats with a bitmap over their range, when the range is at most 64
/// times the number of rows; missing cells are skipped.
func denseDuplicate(_ column: Column, rows: some Collection<Int>) -> DenseCheck {
    guard case .integer(let values) = column.values, !rows.isEmpty else { return .notDense }
    var lo = Int.max
    var hi = Int.min
    for r in rows where !column.isMissing(r) {
        lo = min(lo, values[r])
        hi = max(hi, values[r])
    }
    guard lo <= hi, hi.subtractingReportingOverflow(lo).partialValue < 64 * rows.count, hi - lo >= 0 else { return .notDense }
    var seen = [UInt64](repeating: 0, count: (hi - lo) / 64 + 1)
    for r in rows where !column.isMissing(r) {
        let v = values[r] - lo
        let bit = UInt64(1) << UInt64(v & 63)
        if seen[v >> 6] & bit != 0 {
            let first = rows.first { values[$0] == values[r] && !column.isMissing($0) } ?? r
            return .duplicate(first, r)
        }
        seen[v >> 6] |= bit
    }
    return .unique
}

/// Decimal digits of `value`, zero-padded to `width`.
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
