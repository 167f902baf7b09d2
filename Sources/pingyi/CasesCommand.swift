import Formats
import Foundation
import ArgumentParser
import Questionnaire
import Sampling
import Store
import Tables

struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Register respondent lists and record case dispositions.",
        subcommands: [Load.self, Dispose.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the sample and reserve cases of a respondent list from pingyi sample.",
            discussion: """
                Every row is stored with all its columns (design columns typed) and the questionnaire's id and
                version. A questionnaire has one list per store: loading another is an error unless --replace,
                which is refused once a form or a disposition is recorded for the earlier list.
                When the draw's manifest lies beside the list (LIST.manifest.json), the list must still have the
                SHA-256 it records: a list edited after the draw, or taken from another draw, is refused.
                """
        )

        @Option(help: "The respondent list (CSV written by pingyi sample).")
        var list: String

        @Option(help: "The questionnaire the cases will answer (surveys/questionnaires/*.yaml).")
        var survey: String

        @Flag(help: "Replace the questionnaire's earlier list (only while nothing is recorded for it).")
        var replace = false

        @OptionGroup var store: StoreOptions
        @OptionGroup var who: OperatorOption
        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(list, option: "--list")
                try requireFile(survey, option: "--survey")
                let questionnaire = try Questionnaire.load(path: survey)
                try SamplingJob.checkList(list, manifest: manifestName(for: list))
                let table = try TableFile.read(path: list, options: input.csvOptions)
                let respondents = try RespondentList(table: table, for: questionnaire)
                let s = try await store.open(create: true)
                let summary = try await s.loadCases(respondents, for: questionnaire, replace: replace, operator: who.resolved)
                if summary.removed > 0 { print("已移除  原名单 \(summary.removed) 个案例") }
                print("已载入  \(summary.questionnaire) v\(summary.version)（\(questionnaire.group.label)）: 样本 \(summary.sampled)，备选 \(summary.reserves)，\(summary.stages) 阶段 → \(store.name)")
                if questionnaire.calls != nil {
                    print("电话访问  \(summary.callable) 个案例进入拨号队列" + (summary.withoutPhones > 0 ? "；\(summary.withoutPhones) 个没有电话号码（不拨打：请登记其状态或录入纸质问卷）" : ""))
                }
            }
        }
    }

    struct Dispose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record case dispositions (AAPOR) and activate reserves for non-respondents.",
            discussion: """
                FILE has columns case_id, disposition and optionally note. Dispositions: complete, partial,
                refusal, non-contact, other, unknown, not-eligible, pending (or their Chinese names: 完成, 部分完成,
                拒访, 未接触, 其他未答, 资格不明, 不符合条件, 待定). A sampled case (or an activated reserve) given
                refusal, non-contact, other or unknown activates the next unused reserve of its reserve group,
                unless --no-reserves. Rows are applied in file order, so an activated reserve's own disposition
                may follow in the same file. All rows are recorded in one transaction, or none.
                """
        )

        @Argument(help: "The dispositions (CSV: case_id, disposition[, note]).")
        var file: String

        @Flag(help: "Do not activate reserves.")
        var noReserves = false

        @Flag(help: "When a replaced case responds after all (its refusal undone), take its reserve out of use again, unless a form of the reserve was keyed.")
        var releaseReserves = false

        @OptionGroup var store: StoreOptions
        @OptionGroup var who: OperatorOption
        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(file, option: "FILE")
                let table = try TableFile.read(path: file, options: input.csvOptions)
                let ids = try table.column(DispositionsFile.caseID, purpose: "the case")
                let codes = try table.column(DispositionsFile.disposition, purpose: "the disposition")
                let notes = table.index(of: DispositionsFile.note).map { table.columns[$0] }
                var updates: [DispositionUpdate] = []
                var problems: [EntryProblem] = []
                let dispositionColumn = (table.index(of: DispositionsFile.disposition) ?? 0) + 1
                for row in 0..<table.rowCount {
                    let line = table.line(of: row)
                    guard let id = ids.string(row) else {
                        problems.append(EntryProblem(file: file, line: line, column: (table.index(of: "case_id") ?? 0) + 1, caseID: nil,
                                                     message: "case_id is empty", hint: "give every row its case"))
                        continue
                    }
                    let text = codes.string(row) ?? ""
                    guard let disposition = Disposition(rawValue: text) ?? Disposition.allCases.first(where: { $0.label == text }) else {
                        problems.append(EntryProblem(file: file, line: line, column: dispositionColumn, caseID: id,
                                                     message: "case \(id): unknown disposition '\(text)'",
                                                     hint: "use one of \(Disposition.allCases.map(\.rawValue).joined(separator: ", "))"))
                        continue
                    }
                    updates.append(DispositionUpdate(caseID: id, disposition: disposition, note: notes?.string(row), line: line))
                }
                if !problems.isEmpty { throw StoreError.rejected(problems, file: file, what: "recorded") }
                let s = try await store.open()
                let summary = try await s.recordDispositions(DispositionBatch(updates: updates, operator: who.resolved, source: file,
                                                                              useReserves: !noReserves, releaseReserves: releaseReserves))
                print("已记录  \(summary.changed) 个案例的结果（\(summary.unchanged) 个未变）")
                if !summary.activations.isEmpty {
                    print("启用备选  \(summary.activations.count) 个")
                    var rows = [["备选", "顺位", "替换", "备选组"]]
                    for a in summary.activations { rows.append([a.reserve, String(a.rank), a.replaces, a.reserveGroup]) }
                    print(TextTable(rows: rows, rightAligned: [1]).render(indent: "  "))
                }
                for e in summary.exhausted {
                    print("备选用尽  \(e.caseID)：备选组 \(e.reserveGroup ?? "") 已无未用备选")
                }
                for r in summary.released {
                    print("释放备选  \(r.reserve)：\(r.replaced) 已应答，备选放回未用")
                }
                for r in summary.stillInUse {
                    print(r.keyed ? "保留备选  \(r.reserve)：\(r.replaced) 已应答，但备选已录入问卷，两者都计入"
                          : r.contacted ? "保留备选  \(r.reserve)：\(r.replaced) 已应答，但备选已有处置（已联系过）"
                          : "备选仍在用  \(r.reserve) 替代 \(r.replaced)，而 \(r.replaced) 已应答：加 --release-reserves 释放备选")
                }
            }
        }
    }
}
