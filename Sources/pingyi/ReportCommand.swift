import ArgumentParser
import Foundation
import Formats
import Reports
import Tables

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report (report.html with charts, report.xlsx) and one feedback sheet (考评情况反馈单) per unit.",
        discussion: """
            Inputs (CSV, UTF-8 or GB18030):
              --scores        pingyi score output: one overall file and any
                              split by group (each a part of the report)
              --distribution  pingyi score --distribution output
              --composite     pingyi composite RESULT.csv, with its --scheme
              --rates         pingyi rates output (AAPOR RR1…CON3)
              --manifest      each list's manifest (pingyi sample)
              --units         unit_id,unit,class (Chinese names)

            Writes into --out: report.html (one self-contained page, SVG \
            charts, no scripts), report.xlsx, and with --composite \
            feedback/UNIT.html per unit, whose review deadline is \
            --review-days working days after --issued (weekends and \
            --holiday dates skipped, --workday dates worked). Nothing is \
            written when an input is wrong.
            """
    )

    @Option(help: "Scores (pingyi score output): one overall file, and any split by group (--by); repeat.")
    var scores: [String]

    @Option(help: "Tier distributions (pingyi score --distribution output).")
    var distribution: String?

    @Option(help: "The composite result (pingyi composite output); needs --scheme and --issued.")
    var composite: String?

    @Option(help: "The scheme the composite result was computed with (surveys/schemes/*.yaml).")
    var scheme: String?

    @Option(help: "AAPOR response rates (pingyi rates output).")
    var rates: String?

    @Option(help: "A draw manifest (pingyi sample), for the survey's design facts; repeat per survey.")
    var manifest: [String] = []

    @Option(help: "The evaluated units (unit_id,unit,class), e.g. datasets/units.csv.")
    var units: String?

    @Option(help: "The satisfaction scale (surveys/scales/*.yaml), to colour satisfied, unsatisfied and special answers.")
    var scale: String?

    @Option(help: "The report's title.")
    var title: String = "公众评议结果报告"

    @Option(help: "The date the report and feedback sheets are issued (YYYY-MM-DD).")
    var issued: String?

    @Option(help: "Working days a unit has to ask for a review (seed 004: 2).")
    var reviewDays: Int = 2

    @Option(help: "A public holiday to skip when counting working days (YYYY-MM-DD); repeat.")
    var holiday: [String] = []

    @Option(help: "A weekend day that is worked (调休) (YYYY-MM-DD); repeat.")
    var workday: [String] = []

    @Option(help: "Who issues the feedback sheets and receives review requests.")
    var issuer: String = "绩效考核办公室"

    @Option(help: "Field dates, for the disclosure section (e.g. \"2017年10月9日至20日\").")
    var fieldwork: String?

    @Option(help: "How the answers were weighted, for the disclosure section.")
    var weighting: String?

    @Option(help: "The folder to write into (created if missing).")
    var out: String

    @OptionGroup var input: InputOptions

    func validate() throws {
        for (option, values) in [("--issued", issued.map { [$0] } ?? []), ("--holiday", holiday), ("--workday", workday)] {
            for value in values where CivilDate(value) == nil {
                throw ValidationError("\(option) must be a date YYYY-MM-DD (got '\(value)').")
            }
        }
        guard (1...30).contains(reviewDays) else {
            throw ValidationError("--review-days must be from 1 to 30 (got \(reviewDays)).")
        }
        if (composite == nil) != (scheme == nil) {
            throw ValidationError("--composite and --scheme go together: give the RESULT.csv and the scheme it was computed with.")
        }
        if composite != nil && issued == nil {
            throw ValidationError("--composite needs --issued YYYY-MM-DD: the feedback sheets' review deadline counts from it.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let named: [(String?, String)] = scores.map { ($0, "--scores") } + [(distribution, "--distribution"), (composite, "--composite"), (scheme, "--scheme"),
                                               (rates, "--rates"), (units, "--units"), (scale, "--scale")] + manifest.map { ($0, "--manifest") }
            for case let (path?, option) in named { try requireFile(path, option: option) }
            var request = ReportRequest(scores: scores)
            request.distribution = distribution
            request.composite = composite
            request.scheme = scheme
            request.rates = rates
            request.manifests = manifest
            request.units = units
            request.scale = scale
            request.title = title
            request.issued = issued.flatMap(CivilDate.init)
            request.reviewDays = reviewDays
            request.holidays = Set(holiday.compactMap(CivilDate.init))
            request.workdays = Set(workday.compactMap(CivilDate.init))
            request.issuer = issuer
            request.fieldwork = fieldwork
            request.weighting = weighting
            request.generator = "pingyi \(Pingyi.version)"
            request.csv = input.csvOptions

            let content = try ReportContent.load(request)
            let progress = Progress("生成报告", total: 2 + (content.composite?.rows.count ?? 0))
            let files = try content.files { done, _ in progress.update(done) }
            progress.finish()
            try OutputFolder.write(files, to: out)
            printSummary(content, files: files)
        }
    }

    private func printSummary(_ content: ReportContent, files: [OutputFile]) {
        let feedback = files.filter { $0.path.hasPrefix("feedback/") }.count
        print("报告  \(out)/report.html")
        print("表格  \(out)/report.xlsx")
        if feedback > 0 {
            print("反馈单  \(out)/feedback/（\(feedback)份）")
            if let deadline = content.request.reviewDeadline {
                print("复核截止  \(deadline.chinese)")
            }
        }
    }
}
