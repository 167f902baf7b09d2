import Formats
import ArgumentParser
import Questionnaire
import Store
import Tables

struct ResponsesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responses",
        abstract: "Key questionnaire results: import, double-entry verification, status, exports.",
        subcommands: [Import.self, Verify.self, Resolve.self, Status.self, Export.self]
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

/// Reading a wide forms file into a ``FormBatch``.
enum FormFile {
    /// Matches the file's columns to the questionnaire's items (every item needs a column; no
    /// column may be unknown) and reads every row.
    static func batch(_ table: Table, questionnaire q: Questionnaire, pass: Pass, operator: String, replace: Bool,
                      reason: String?) throws(StoreError) -> FormBatch {
        let file = table.source
        var problems: [EntryProblem] = []
        let names = table.names
        guard let caseIndex = table.index(of: FormsFile.caseID) else {
            throw StoreError(.data, file: file, line: 1, message: "the file has no column case_id",
                             hint: "the first column of a forms file is case_id, then one column per item")
        }
        let itemNames = Set(q.items.map(\.name))
        for (i, name) in names.enumerated() where name != FormsFile.caseID && !itemNames.contains(name) {
            let close = q.items.map(\.name).min { distance($0, name) < distance($1, name) }
            let hint = close.flatMap { distance($0, name) <= 2 ? "did you mean \($0)?" : nil }
                ?? "remove the column, or import with the questionnaire version that has it"
            problems.append(EntryProblem(file: file, line: 1, column: i + 1, caseID: nil,
                                         message: "column \(name) is not an item of \(q.reference)", hint: hint))
        }
        var itemColumns: [Int] = []
        for item in q.items {
            if let i = table.index(of: item.name) {
                itemColumns.append(i)
            } else {
                problems.append(EntryProblem(file: file, line: 1, column: nil, caseID: nil,
                                             message: "no column for item \(item.name) (\(item.label)) of \(q.reference)",
                                             hint: "the file needs case_id and one column per item, named as in the questionnaire"))
                itemColumns.append(-1)
            }
        }
        if !problems.isEmpty { throw StoreError.rejected(problems, file: file, what: "imported") }
        let caseColumn = table.columns[caseIndex]
        let columns = itemColumns.map { table.columns[$0] }
        var forms: [FormInput] = []
        forms.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let line = table.line(of: row)
            let caseID = caseColumn.string(row) ?? ""
            forms.append(FormInput(caseID: caseID, answers: columns.map { $0.string(row) }, line: line))
        }
        return FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: file, forms: forms, replace: replace, reason: reason,
                         caseColumn: caseIndex + 1, itemColumns: itemColumns.map { $0 + 1 })
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
