import ArgumentParser
import Reports
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
                Reads a list written by pingyi sample. Writes into --out: index.html (the pages with their \
                counts), page-01.html, page-02.html, … (one per value of --by; A4 landscape), and list.xlsx \
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
