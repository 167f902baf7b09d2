import ArgumentParser
import Formats
import Foundation
import Reports
import Sampling
import Tables

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Respondent lists for the field.",
        subcommands: [Print.self]
    )

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print a respondent list: a workbook and one printable HTML page per town or enumerator.",
            discussion: """
                Reads a list written by pingyi sample; a list of an older format (told by its header, or by \
                the format its manifest records: --manifest, or LIST.manifest.json beside the list) is refused. \
                Writes into --out: index.html (the pages with their counts), page-01.html, page-02.html, … \
                (one per value of --by; A4 landscape), and list.xlsx \
                (all cases, then one sheet per page). On each page the sampled cases of each replacement \
                group (reserve_group) come first, then its reserves in their order of use (备用1, 备用2, …). \
                Nothing is written when the list is wrong.
                """
        )

        @Option(help: "The respondent list (pingyi sample output).")
        var list: String

        @Option(help: "Split into pages by this column (default: town when the list has it), e.g. an enumerator column.")
        var by: String?

        @Option(help: "The draw's manifest, for the title and the design facts (default: none).")
        var manifest: String?

        @Option(help: "The title (default: the design's name from --manifest + 样本名单).")
        var title: String?

        @Option(help: "The folder to write into (created if missing).")
        var out: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(list, option: "--list")
                if let manifest { try requireFile(manifest, option: "--manifest") }
                try checkListFormat(list, manifest: manifest)
                let survey = try manifest.map { (path) throws(ReportError) in try SurveyFacts.read(manifest: path) }
                let printable = try PrintableList.read(path: list, by: by, options: input.csvOptions)
                let heading = title ?? (survey.map { "\($0.design.name)样本名单" } ?? "样本名单")
                let subtitle = survey.map { s in
                    "抽样框 \(s.manifest.frame.file.split(separator: "/").last.map(String.init) ?? s.manifest.frame.file)，种子 \(s.manifest.seed)"
                }
                let progress = Progress("打印名单", total: printable.pages.count + 2)
                let files = try printable.files(title: heading, subtitle: subtitle) { done, _ in progress.update(done) }
                progress.finish()
                try OutputFolder.write(files, to: out)
                let sample = printable.pages.reduce(0) { $0 + $1.sample }
                let reserves = printable.pages.reduce(0) { $0 + $1.reserves }
                print("\(heading)：样本 \(sample)，备用 \(reserves)，\(printable.pages.count) 页")
                print("名单  \(out)/index.html")
                print("表格  \(out)/list.xlsx")
            }
        }
    }
}

/// Refuses a respondent list whose draw manifest — `manifest`, or LIST.manifest.json beside the
/// list when none is given and it exists — records another list format than this pingyi reads
/// (``RespondentListFormat/check(manifestFormat:manifest:list:)``). Unlike `pingyi cases load`,
/// the list's SHA-256 is not compared: a list to print or simulate may carry columns added by
/// hand (an enumerator column to split the pages by).
func checkListFormat(_ list: String, manifest: String?) throws {
    let path = manifest ?? manifestName(for: list)
    guard FileManager.default.fileExists(atPath: path) else { return }
    try RespondentListFormat.check(manifestFormat: try Manifest.decode(path: path).list.format, manifest: path, list: list)
}
