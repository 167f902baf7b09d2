import Formats
import ArgumentParser
import Questionnaire
import Store
import Tables

struct ResponsesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responses",
        abstract: "Key questionnaire results: import, double-entry verification, status, exports.",
        subcommands: [Import.self, Verify.self, Resolve.self, CorrectForm.self, VoidForm.self, Status.self, Export.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import keyed forms (a wide CSV: case_id and one column per item) as pass 1 or pass 2.",
            discussion: """
                Unit items are named by unit id (D01 … D44), the household's own-town item own_town. The whole
                file is checked first: a case not in the sample, a duplicate, an out-of-range code, an empty
                required item or a failed skip rule rejects the file; every problem is printed as
                FILE:LINE:COLUMN, then a summary, and nothing is stored (exit 65).
                """
        )

        @Argument(help: "The keyed forms (CSV).")
        var file: String

        @Option(help: "The questionnaire the forms were keyed with.")
        var survey: String

        @Option(help: "The keying pass.")
        var pass: Pass

        @Option(name: .customLong("operator"), help: "Who keyed the forms.")
        var operatorName: String

        @Flag(help: "Correct forms already stored in this pass (each must exist); needs --reason.")
        var replace = false

        @Option(help: "Why the forms are corrected (with --replace).")
        var reason: String?

        @OptionGroup var store: StoreOptions
        @OptionGroup var input: InputOptions

        func validate() throws {
            if replace && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--replace needs --reason (why the forms are corrected).")
            }
            if !replace && reason != nil { throw ValidationError("--reason goes with --replace.") }
            if operatorName.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--operator must name who keyed the forms.") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(file, option: "FILE")
                try requireFile(survey, option: "--survey")
                let q = try Questionnaire.load(path: survey)
                let s = try await store.open()
                let table = try TableFile.read(path: file, options: input.csvOptions)
                let batch = try FormFile.batch(table, questionnaire: q, pass: pass, operator: operatorName,
                                               replace: replace, reason: reason)
                let summary = try await s.enterForms(batch)
                if replace {
                    print("已更正  第 \(pass.rawValue) 遍 \(summary.replaced) 份（\(q.reference)），改动 \(summary.changedAnswers) 个答案 → \(store.name)")
                    if !summary.unverified.isEmpty {
                        print("需重新核对  \(summary.unverified.count) 份: \(summary.unverified.prefix(10).joined(separator: ", "))（pingyi responses verify）")
                    }
                } else {
                    print("已导入  第 \(pass.rawValue) 遍 \(summary.stored) 份（\(q.reference)）→ \(store.name)")
                }
                if q.entry == .double { print("核对  两遍都录入后运行 pingyi responses verify") }
            }
        }
    }
}
