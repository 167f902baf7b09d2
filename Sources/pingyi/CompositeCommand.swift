import Formats
import ArgumentParser
import Composite
import Tables

struct CompositeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "composite",
        abstract: "Compute composite scores (综合得分), ranks within class and grades (等次) with their reasons.",
        discussion: """
            Inputs (CSV, UTF-8 or GB18030):
              --components  unit,class,component,period,value   (values on the 100-point basis;
                            deductions such as 察访核验 as points; lists every unit with its class)
              --indicators  unit,indicator,points,target,actual,direction[,period][,component]
              --events      unit,kind,code[,item][,points]       (kind: bonus, penalty, veto)
              --public      pingyi score output (unit,n,…,score,score_se,…,rate,…); per period either
                            one file with a period column, or --public Q1=FILE --public Q2=FILE …
              --previous    last year's RESULT.csv (unit,rank[,class])
            Output: unit,class,score,rank,grade, one column per top-level component's contribution,
            one per deduction, bonus,penalty[,score_se,p_grade][,rank_low,rank_high,tie_group],notes.
            With --replicates (pingyi score --replicates-out) every replicate of the public scores
            is scored, ranked and graded again: p_grade is the share of replicates in which the grade
            differs, score_se the replicates' standard error, rank_low–rank_high the rank's 95 %
            interval, and units the replicates cannot order share a tie_group. Without them p_grade
            is the share of simulated draws of the public scores (Normal(score, se²), independent
            units, seeded) in which the grade differs. Nothing is written when an input is wrong.
            """
    )

    @Option(help: "The scheme (surveys/schemes/*.yaml).")
    var scheme: String

    @Option(help: "The components file (long: unit,class,component,period,value).")
    var components: String

    @Option(help: "Indicators with targets and actual values, scored into indicator components.")
    var indicators: String?

    @Option(help: "Bonus, penalty and veto events (unit,kind,code[,item][,points]).")
    var events: String?

    @Option(name: .customLong("public"), help: "Public-evaluation scores from pingyi score: FILE, or PERIOD=FILE (repeat per period).")
    var publicScores: [String] = []

    @Option(help: "Replicate scores of the public scores (pingyi score / score combine --replicates-out): FILE, or PERIOD=FILE as --public. Grades, rank intervals and standard errors then come from them.")
    var replicates: [String] = []

    @Option(help: "Last year's RESULT.csv, for the rule 'last two years running'.")
    var previous: String?

    @Option(help: "The result file to write.")
    var out: String

    @Option(help: "Seed of the simulation of p_grade, 1 to 4294967295.")
    var seed = Seed(Simulation.defaultSeed)

    @Option(help: "Number of simulated draws for p_grade.")
    var draws: Int = Simulation.defaultDraws

    @Flag(help: "Start RESULT.csv with a UTF-8 byte-order mark, which Excel needs to show Chinese.")
    var bom = false

    @Option(help: "Unit names for the printed summary: a CSV with unit_id and unit columns (datasets/units.csv).")
    var units: String?

    @Option(help: "Print the first and last N units of each class (0 for none).")
    var top: Int = 3

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard top >= 0 else {
            throw ValidationError("--top must be 0 or more (got \(top)).")
        }
        if !replicates.isEmpty && replicates.count != publicScores.count {
            throw ValidationError("give one --replicates file per --public file (\(publicScores.count) public, \(replicates.count) replicate files).")
        }
        guard (1...1_000_000).contains(draws) else {
            throw ValidationError("--draws must be between 1 and 1000000 (got \(draws)).")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let publicFiles = publicScores.map(Self.splitPeriod)
            let replicateFiles = replicates.map(Self.splitPeriod)
            let named: [(String?, String)] = [(scheme, "--scheme"), (components, "--components"), (indicators, "--indicators"), (events, "--events"),
                                               (previous, "--previous"), (units, "--units")] + publicFiles.map { ($0.path, "--public") }
                + replicateFiles.map { ($0.path, "--replicates") }
            for case let (path?, option) in named { try requireFile(path, option: option) }
            let scheme = try Scheme.load(path: scheme)
            let names = try units.map(unitNames) ?? [:]
            let inputs = try CompositeInputs(
                scheme: scheme, components: try read(components),
                indicators: try indicators.map(read), events: try events.map(read),
                publicScores: try publicFiles.map { PublicScores(period: $0.period, table: try read($0.path)) },
                previous: try previous.map(read),
                publicReplicates: try replicateFiles.map { PublicScores(period: $0.period, table: try read($0.path)) })
            if scheme.usesPreviousYear && previous == nil {
                printNote("注意：未提供上年结果（--previous），“连续两年排名最后”规则未适用")
            }
            let bar = Progress("模拟等次", total: draws)
            let result = try scheme.evaluate(inputs, simulation: Simulation(draws: replicates.isEmpty ? draws : 0, seed: seed.value) { bar.update($0) })
            bar.finish()
            if let count = result.replicates {
                print("不确定性：由评议得分的 \(count) 个自助法重复样本重新计分、排名、定等（同一批受访者评议的单位一同变动）")
            } else if result.hasUncertainty {
                print("不确定性：正态近似，各单位评议得分按相互独立抽取 \(draws) 次（未提供 --replicates）")
            }
            try writeAtomically(result.csv(byteOrderMark: bom), to: out)
            printSummary(result, scheme: scheme, names: names)
        }
    }

    /// `Q1=scores-q1.csv` → (Q1, scores-q1.csv); a plain path has no period.
    static func splitPeriod(_ argument: String) -> (period: String?, path: String) {
        if let equals = argument.firstIndex(of: "=") {
            let period = argument[..<equals]
            if !period.isEmpty && !period.contains("/") {
                return (String(period), String(argument[argument.index(after: equals)...]))
            }
        }
        return (nil, argument)
    }

    private func read(_ path: String) throws(CompositeError) -> Table {
        do {
            return try TableFile.read(path: path, options: input.csvOptions)
        } catch {
            throw CompositeError(error)
        }
    }

    /// unit_id → name, from a units file.
    private func unitNames(_ path: String) throws(CompositeError) -> [String: String] {
        let table = try read(path)
        guard let id = table.index(of: UnitsFormat.unitID), let name = table.index(of: UnitsFormat.unit) else {
            throw CompositeError(TablesError(.schema, file: path, line: 1, message: "the units file needs the columns unit_id and unit",
                                             hint: "give a file like datasets/units.csv"))
        }
        var names: [String: String] = [:]
        for r in 0..<table.rowCount {
            if let key = table.columns[id].string(r), let value = table.columns[name].string(r) { names[key] = value }
        }
        return names
    }

    private func printSummary(_ result: CompositeResult, scheme: Scheme, names: [String: String]) {
        var rows = [["类别", "单位数", "等次"]]
        for classID in scheme.classIDs {
            let units = result.units.filter { $0.unitClass == classID }
            guard !units.isEmpty else { continue }
            let counts = scheme.gradeNames(ofClass: classID).map { grade in (grade, units.filter { $0.grade == grade }.count) }
            let grades = counts.isEmpty ? "只排名" : counts.map { "\($0.0) \($0.1)" }.joined(separator: "，")
            rows.append(["\(scheme.classLabel(classID) ?? classID)（\(classID)）", String(units.count), grades])
        }
        print("方案  \(scheme.label)（\(scheme.id)）")
        print(TextTable(rows: rows, rightAligned: [1]).render(indent: "  "))
        if top > 0 {
            for classID in scheme.classIDs {
                // The result lists each class's units by rank.
                let units = result.units.filter { $0.unitClass == classID }
                guard !units.isEmpty else { continue }
                let label = scheme.classLabel(classID) ?? classID
                print(units.count > 2 * top ? "\(label)：前 \(top) 名与后 \(top) 名" : "\(label)：全部 \(units.count) 个单位")
                print(Self.rankingTable(units, top: top, names: names, uncertainty: result.hasUncertainty).render(indent: "  "))
            }
        }
        print("结果  \(out)")
    }

    /// The first and last `top` units with score, 95 % interval from the public component's
    /// sampling error, with replicates the rank's interval and tie group (≈N: units the data
    /// cannot order), grade and the first reason.
    static func rankingTable(_ units: [UnitResult], top: Int, names: [String: String], uncertainty: Bool) -> TextTable {
        let graded = uncertainty && units.contains { $0.pGrade != nil }
        let replicated = units.contains { $0.rankLow != nil }
        var rows = [["名次", "单位", "综合得分"] + (uncertainty ? ["95% 区间"] : []) + (replicated ? ["名次区间", "并列组"] : [])
            + (graded ? ["等次变动概率"] : []) + ["等次", "说明"]]
        let shown: [UnitResult?] = units.count > 2 * top ? units.prefix(top).map { $0 } + [nil] + units.suffix(top).map { $0 } : units.map { $0 }
        for unit in shown {
            guard let unit else {
                rows.append(["…"] + Array(repeating: "", count: rows[0].count - 1))
                continue
            }
            var row = [String(unit.rank), names[unit.unit].map { "\($0)（\(unit.unit)）" } ?? unit.unit, fixed(unit.score, 2)]
            if uncertainty {
                let se = unit.scoreSE ?? .nan
                row.append("\(fixed(unit.score - 1.96 * se, 2))–\(fixed(unit.score + 1.96 * se, 2))")
            }
            if replicated {
                row.append(unit.rankLow.map { low in unit.rankHigh.map { low == $0 ? String(low) : "\(low)–\($0)" } ?? "" } ?? "")
                row.append(unit.tieGroup.map { "≈\($0)" } ?? "")
            }
            if graded { row.append(unit.pGrade.map { fixed($0 * 100, 1) + "%" } ?? "—") }
            let note = unit.notes.first.map { $0.count > 28 ? String($0.prefix(27)) + "…" : $0 } ?? ""
            row += [unit.grade ?? "—", note]
            rows.append(row)
        }
        let gradedColumn = 3 + (uncertainty ? 1 : 0) + (replicated ? 2 : 0)
        return TextTable(rows: rows, rightAligned: Set([0, 2] + (uncertainty ? [3] : []) + (replicated ? [4] : []) + (graded ? [gradedColumn] : [])))
    }
}
