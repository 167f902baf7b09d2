import Formats
import Analytics
import ArgumentParser
import Foundation
import Tables

struct RatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "AAPOR response, cooperation, refusal and contact rates from case dispositions (应答率).",
        discussion: """
            Reads the case file (pingyi responses export --format cases). I complete, P partial, R refusal, \
            NC non-contact, O other, U unknown eligibility (pending cases included), NE not eligible. \
            e (the share of unknown cases taken as eligible) is estimated by proportional allocation, \
            (I+P+R+NC+O)/(I+P+R+NC+O+NE), unless given with --e.
            """
    )

    @Option(help: "The case file.")
    var cases: String

    @Option(help: "Where to write the rates (CSV).")
    var out: String?

    @Option(help: "Column to report by.")
    var by: String = CasesFormat.group

    @Option(help: "The share of unknown-eligibility cases that are eligible, 0–1 (default: estimated).")
    var e: Double?

    @Flag(help: "Base-weighted rates: counts replaced by sums of the weight column.")
    var weighted = false

    func validate() throws {
        if let e, !(0...1).contains(e) { throw ValidationError("--e must be between 0 and 1.") }
    }

    func run() async throws {
        try await reportingErrors {
            try requireFile(cases, option: "--cases")
            let table = try TableFile.read(path: cases)
            let rates = try ResponseRates.compute(cases: table, groupColumn: by, weighted: weighted, e: e)
            if let out { try writeAtomically(ResponseRates.csv(rates), to: out) }
            var rows = [["组别", "个案", "完成 I", "部分 P", "拒访 R", "未接触 NC", "其他 O", "未知 U", "不合格 NE", "e", "RR1", "RR3", "RR5", "COOP1", "REF1", "CON1"]]
            for r in rates {
                let cells = [r.complete, r.partial, r.refusal, r.nonContact, r.other, r.unknown, r.notEligible].map { weighted ? fixed($0, 1) : String(Int($0)) }
                rows.append([r.group == RatesFormat.total ? "合计" : r.group, String(r.cases)] + cells + [fixed(r.e, 3)]
                            + [r.rr1, r.rr3, r.rr5, r.coop1, r.ref1, r.con1].map { $0.map { fixed($0 * 100, 1) + "%" } ?? "—" })
            }
            print("AAPOR 结果率（\(weighted ? "按基础权数加权" : "未加权")；e \(e.map { "= \($0)（给定）" } ?? "按比例分配估计")）")
            print(TextTable(rows: rows, rightAligned: Set(1..<16)).render(indent: "  "))
            if let out { print("结果  \(out)") }
        }
    }
}

struct WeightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Adjust design weights for non-response and calibrate them to population counts (权数调整).",
        discussion: """
            Non-response: within weighting classes (default: the stage-1 stratum) respondents' weights are \
            multiplied by Σ eligible sampled weight / Σ responding sampled weight; a reserve carries the weight \
            of the case it replaced. Calibration: --poststratify or --rake respondent weights to the counts in \
            --population; --rake or --calibrate linear|raking|logit (GREG, with --bounds on g) to margin tables \
            given one per column (--margin town=pop_town.csv --margin age=pop_age.csv); --trim L,U cuts extreme \
            weights and shares what is cut among the others. Writes the long file with 'weight' replaced and the \
            original kept in 'design_weight'. For standard errors that account for calibration, give the same \
            options to pingyi score.
            """
    )

    @Option(help: "The long answer file.")
    var responses: String

    @Option(help: "The case file (pingyi responses export --format cases), for non-response adjustment.")
    var cases: String?

    @Option(help: "Weighting-class column of the case file.")
    var classes: String = CasesFormat.defaultClasses

    @OptionGroup(title: "Calibration") var calibrationOptions: CalibrationOptions

    @Option(help: "Where to write the reweighted long file.")
    var out: String

    func validate() throws {
        if cases == nil && !calibrationOptions.isRequested {
            throw ValidationError("give --cases (non-response) and/or a calibration (--poststratify, --rake, --calibrate) or --trim.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            try requireFile(responses, option: "--responses")
            if let cases { try requireFile(cases, option: "--cases") }
            let table = try TableFile.read(path: responses)
            let outcome = try WeightsJob.run(table, cases: try cases.map { try TableFile.read(path: $0) }, classes: classes,
                                             calibration: try calibrationOptions.calibration())
            if let factors = outcome.classes {
                var rows = [["加权类", "样本", "应答", "调整系数"]]
                for c in factors { rows.append([c.name, String(c.slots), String(c.responding), fixed(c.factor, 4)]) }
                print("无回答调整（按 \(classes)）")
                print(TextTable(rows: rows, rightAligned: [1, 2, 3]).render(indent: "  "))
            }
            if let summary = calibrationOptions.summary { print("校准：\(summary)") }
            try writeAtomically(outcome.table.csv(), to: out)
            print("结果  \(out)")
        }
    }
}
