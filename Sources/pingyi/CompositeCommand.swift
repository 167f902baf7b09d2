import ArgumentParser
import Composite
import Tables

struct CompositeCommand: ParsableCommand {
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
            one per deduction, bonus,penalty[,score_se,p_grade],notes. p_grade is the share of
            simulated draws of the public scores (Normal(score, se²), seeded) in which the grade
            differs. Nothing is written when an input is wrong.
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

    @Option(help: "Last year's RESULT.csv, for the rule 'last two years running'.")
    var previous: String?

    @Option(help: "The result file to write.")
    var out: String

    @Option(help: "Seed of the simulation of p_grade (0 to 4294967295).")
    var seed: Int = Int(Simulation.defaultSeed)

    @Option(help: "Number of simulated draws for p_grade.")
    var draws: Int = Simulation.defaultDraws

    @Flag(help: "Start RESULT.csv with a UTF-8 byte-order mark, which Excel needs to show Chinese.")
    var bom = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard (0...Int(UInt32.max)).contains(seed) else {
            throw ValidationError("--seed must be an integer from 0 to 4294967295 (got \(seed)).")
        }
        guard (1...1_000_000).contains(draws) else {
            throw ValidationError("--draws must be between 1 and 1000000 (got \(draws)).")
        }
    }

    func run() throws {
        try reportingErrors {
            let publicFiles = publicScores.map(Self.splitPeriod)
            for path in [scheme, components] + [indicators, events, previous].compactMap({ $0 }) + publicFiles.map(\.path) {
                try requireFile(path)
            }
            let scheme = try Scheme.load(path: scheme)
            let inputs = try CompositeInputs(
                scheme: scheme, components: try read(components),
                indicators: try indicators.map(read), events: try events.map(read),
                publicScores: try publicFiles.map { PublicScores(period: $0.period, table: try read($0.path)) },
                previous: try previous.map(read))
            if scheme.usesPreviousYear && previous == nil {
                printNote("注意：未提供上年结果（--previous），“连续两年排名最后”规则未适用")
            }
            let bar = Progress("模拟等次", total: draws)
            let result = try scheme.evaluate(inputs, simulation: Simulation(draws: draws, seed: UInt32(seed)) { bar.update($0) })
            bar.finish()
            try writeAtomically(result.csv(byteOrderMark: bom), to: out)
            printSummary(result, scheme: scheme)
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
            return try CSVReader.read(path: path, options: input.csvOptions)
        } catch {
            throw CompositeError(error)
        }
    }

    private func printSummary(_ result: CompositeResult, scheme: Scheme) {
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
        print("结果  \(out)")
    }
}
