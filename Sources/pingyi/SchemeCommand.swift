import ArgumentParser
import Composite
import Foundation

struct SchemeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheme",
        abstract: "Work with composite scoring schemes (综合得分方案).",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a scheme and print it as tables in Chinese.",
            discussion: """
                Checks that weights add up at every level, that every class, grade, group and code \
                it names exists, and prints the components, weights, periods, bonus and penalty \
                tables, deductions, vetoes and grading rules. Schemes: surveys/schemes/*.yaml.
                """
        )

        @Argument(help: "The scheme, a YAML file.")
        var file: String

        func run() async throws {
            try await reportingErrors {
                try requireFile(file, option: "FILE")
                let scheme = try Scheme.load(path: file)
                for (k, section) in scheme.outline().enumerated() {
                    if k > 0 { print("") }
                    print(section.title)
                    print(TextTable(rows: section.rows, rightAligned: section.numericColumns).render(indent: "  "))
                }
            }
        }
    }
}

extension CompositeError: ReportableError {}

