import Formats
public import Tables

/// Every unit's score under each replicate of the design (``Formats/ReplicatesFormat``): what
/// `pingyi score --replicates-out` writes and `pingyi composite --replicates` reads to re-rank
/// and re-grade every class once per replicate. Replicates of one design share their replicate
/// weights, so the scores of units rated by the same respondents move together in them.
public struct ReplicateScores: Sendable, Equatable {
    public struct Unit: Sendable, Equatable {
        public var unit: String
        public var by: String?
        /// The full-sample score (replicate 0); NaN for a unit with no scored answer.
        public var estimate: Double
        /// The score in replicates 1…R; NaN where a replicate leaves the unit without weight.
        public var values: [Double]

        public init(unit: String, by: String?, estimate: Double, values: [Double]) {
            self.unit = unit
            self.by = by
            self.estimate = estimate
            self.values = values
        }
    }

    public var units: [Unit]
    /// R, the number of replicates.
    public var count: Int

    public init(units: [Unit], count: Int) {
        self.units = units
        self.count = count
    }

    /// The file: `unit`, the by column, `replicate` (0 = the estimate), `score`, `format`.
    public func csv(by: String?) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(ReplicatesFormat.header(by: by))
        for unit in units {
            for r in 0...count {
                var row: [String?] = [unit.unit]
                if by != nil { row.append(unit.by) }
                let value = r == 0 ? unit.estimate : unit.values[r - 1]
                row += [String(r), ScoreTable.number(value), ReplicatesFormat.format.tag]
                writer.writeRow(row)
            }
        }
        return writer.bytes
    }

    /// Reads a file written by ``csv(by:)``, checking that every unit has replicates 0…R once
    /// each, in order, with the same R for all, and scores within 0–100.
    public static func read(path: String, name: String? = nil) throws(AnalyticsError) -> (replicates: ReplicateScores, by: String?) {
        let table: Table
        do {
            table = try TableFile.read(path: path, name: name)
            try ReplicatesFormat.format.check(table)
        } catch { throw .input(error) }
        return try read(table)
    }

    public static func read(_ table: Table) throws(AnalyticsError) -> (replicates: ReplicateScores, by: String?) {
        typealias F = ReplicatesFormat
        let by = F.byColumn(in: table.names)
        func column(_ name: String) throws(AnalyticsError) -> Column {
            do { return try table.column(name, purpose: "a replicate score column") } catch { throw .input(error) }
        }
        func bad(_ r: Int, _ field: String, _ message: String, _ hint: String = "give the file pingyi score --replicates-out wrote") -> AnalyticsError {
            .input(TablesError(.value, file: table.source, line: table.line(of: r), column: (table.index(of: field) ?? 0) + 1,
                               message: "field \(field): \(message)", hint: hint))
        }
        let unit = try column(F.unit), replicate = try column(F.replicate), score = try column(F.score)
        let byColumn = try by.map { (b) throws(AnalyticsError) in try column(b) }
        var units: [Unit] = []
        var seen: [String: Int] = [:]
        var count: Int? = nil
        var r = 0
        while r < table.rowCount {
            guard let name = unit.string(r) else { throw bad(r, F.unit, "is empty") }
            let b = byColumn?.string(r)
            let key = name + "\u{1F}" + (b ?? "")
            if let first = seen[key] {
                throw .data(file: table.source, line: table.line(of: r),
                            message: "unit \(name)\(b.map { " (\($0))" } ?? "") appears twice (also from line \(first))",
                            hint: "give each unit's replicates 0…R once, one after the other")
            }
            seen[key] = table.line(of: r)
            var values: [Double] = []
            var k = 0
            while r < table.rowCount, unit.string(r) == name, byColumn?.string(r) == b {
                guard replicate.integerValue(r) == k else {
                    throw bad(r, F.replicate, "'\(replicate.string(r) ?? "")' where replicate \(k) of unit \(name) belongs",
                              "give each unit's replicates 0…R in order, as pingyi score --replicates-out writes them")
                }
                var value = Double.nan
                if !score.isMissing(r) {
                    guard let x = score.numericValue(r), x >= 0, x <= 100 else {
                        throw bad(r, F.score, "'\(score.string(r) ?? "")' is not a score 0–100")
                    }
                    value = x
                }
                values.append(value)
                k += 1
                r += 1
            }
            let replicates = values.count - 1
            if let count, count != replicates {
                throw .data(file: table.source, line: table.line(of: r - 1),
                            message: "unit \(name) has \(replicates) replicates but the units before it \(count)",
                            hint: "give the file of one scoring (every unit has the same replicates)")
            }
            guard replicates >= 1 else {
                throw .data(file: table.source, line: table.line(of: r - 1), message: "unit \(name) has no replicate beyond the estimate (replicate 0)",
                            hint: "give the file pingyi score --replicates-out wrote")
            }
            count = replicates
            units.append(Unit(unit: name, by: b, estimate: values[0], values: Array(values.dropFirst())))
        }
        return (ReplicateScores(units: units, count: count ?? 0), by)
    }

    /// Checks that these are the replicates of these scores: the same units, each replicate 0 the
    /// unit's score.
    public func check(against scores: [UnitScore], scoresName: String, name: String) throws(AnalyticsError) {
        let key: (String, String?) -> String = { $0 + "\u{1F}" + ($1 ?? "") }
        let mine = Dictionary(units.map { (key($0.unit, $0.by), $0) }, uniquingKeysWith: { a, _ in a })
        for s in scores where s.n > 0 {
            guard let u = mine[key(s.unit, s.by)] else {
                throw .data(file: name, line: nil, message: "unit \(s.unit)\(s.by.map { " (\($0))" } ?? "") of \(scoresName) has no replicates here",
                            hint: "give the replicate file written with the scores (pingyi score --replicates-out)")
            }
            guard abs(u.estimate - s.score) <= 1e-9 * max(1, abs(s.score)) else {
                throw .data(file: name, line: nil,
                            message: "unit \(s.unit)\(s.by.map { " (\($0))" } ?? "")'s replicate 0 is \(formatDecimal(u.estimate)) but its score in \(scoresName) is \(formatDecimal(s.score))",
                            hint: "give the replicate file written with the scores (pingyi score --replicates-out)")
            }
        }
    }

    /// Combines the replicates of independent surveys (quarters, respondent groups) as
    /// ``ScoreCombiner`` combines their scores: in each replicate r, Σ a_q · score_{q,r} with the
    /// same shares a_q (a unit missing from some inputs combined over those that have it when
    /// `partial`). The surveys' replicates are paired by number; being independent, any pairing
    /// is a replicate of the combination. Every input must have the same R.
    public static func combine(_ inputs: [(name: String, replicates: ReplicateScores)], weights: [Double],
                               partial: Bool) throws(AnalyticsError) -> ReplicateScores {
        guard inputs.count == weights.count, let first = inputs.first else {
            throw .usage(message: "give one replicate file per score file (\(inputs.count) replicate files, \(weights.count) weights)")
        }
        for input in inputs where input.replicates.count != first.replicates.count {
            throw .data(file: input.name, line: nil,
                        message: "the file has \(input.replicates.count) replicates but \(first.name) has \(first.replicates.count)",
                        hint: "score every input with the same --replicates")
        }
        let key: (Unit) -> String = { $0.unit + "\u{1F}" + ($0.by ?? "") }
        let matched = try ScoreCombiner.match(inputs.map { ($0.name, $0.replicates.units) }, weights: weights, partial: partial, key: key,
                                              counted: { !$0.estimate.isNaN }) { (unit, q) -> AnalyticsError in
            .data(file: inputs[q].name, line: nil, message: "unit \(unit.unit)\(unit.by.map { " (\($0))" } ?? "") has no replicate scores here",
                  hint: "every file must score the same units, or combine with --partial")
        }
        let count = first.replicates.count
        var result: [Unit] = []
        for (unit, parts, shares) in matched {
            var estimate = 0.0
            var values = [Double](repeating: 0, count: count)
            for (q, part) in parts.enumerated() {
                estimate += shares[q] * part.estimate
                for r in 0..<count { values[r] += shares[q] * part.values[r] }
            }
            result.append(Unit(unit: unit.unit, by: unit.by, estimate: estimate, values: values))
        }
        return ReplicateScores(units: result, count: count)
    }
}
