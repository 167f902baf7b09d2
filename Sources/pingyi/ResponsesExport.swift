import ArgumentParser
import Exports
import Foundation
import Store
import Tables

extension ResponsesCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export counted forms: csv (+ codebook), long, cases, sav, dta or xlsx.",
            discussion: """
                csv, sav, dta, xlsx: the wide data of one questionnaire (one row per counted form), with every
                column any stored version had; csv also writes NAME.codebook.csv. long: one row per counted form
                and evaluated unit (case_id, group, questionnaire, version, unit, tier, design columns, town_id,
                role): the input of pingyi score. cases: one row per case in use (sample and activated reserves)
                with its disposition and whether a counted form exists. long and cases cover every questionnaire
                unless --questionnaire.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case csv, long, cases, sav, dta, xlsx
        }

        @Option(help: "csv, long, cases, sav, dta or xlsx.")
        var format: Format

        @Option(help: "The output file.")
        var out: String

        @Option(help: "The questionnaire id (needed for csv, sav, dta, xlsx when the store holds several).")
        var questionnaire: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                var files = AtomicFileSet()
                var rows = 0
                switch format {
                case .long, .cases:
                    let snapshot = try await s.snapshot(questionnaire: questionnaire)
                    let bytes = format == .long ? ResponseTables.long(snapshot) : ResponseTables.cases(snapshot)
                    rows = bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } - 1
                    try files.add(bytes, to: out)
                case .csv, .sav, .dta, .xlsx:
                    let id = try await chooseQuestionnaire(s)
                    let snapshot = try await s.snapshot(questionnaire: id)
                    let dataset = try ResponseTables.wide(snapshot, questionnaire: id, file: out)
                    rows = dataset.rows.count
                    switch format {
                    case .csv:
                        try files.add(CSVExport.data(dataset), to: out)
                        try files.add(CSVExport.codebook(dataset), to: codebookPath(out))
                    case .sav: try files.add(ReadStatExport.bytes(dataset, format: .sav, file: out), to: out)
                    case .dta: try files.add(ReadStatExport.bytes(dataset, format: .dta, file: out), to: out)
                    default: try files.add(XLSXExport.bytes(dataset, file: out), to: out)
                    }
                }
                try files.commit()
                print("已导出  \(format.rawValue) \(rows) 行 → \(out)")
                if format == .csv { print("编码簿  \(codebookPath(out))") }
            }
        }

        /// The questionnaire of a wide export: the one asked for, or the store's only one.
        private func chooseQuestionnaire(_ s: any SurveyStore) async throws -> String {
            if let questionnaire { return questionnaire }
            let ids = Array(Set(try await s.questionnaires(id: nil).map(\.id))).sorted()
            guard ids.count == 1, let only = ids.first else {
                throw UsageError(description: ids.isEmpty
                    ? "\(store.name): the store has no questionnaire yet; load cases and import forms first"
                    : "\(store.name): the store holds questionnaires \(ids.joined(separator: ", ")); choose one with --questionnaire")
            }
            return only
        }
    }
}

/// `out.csv` → `out.codebook.csv`.
func codebookPath(_ path: String) -> String {
    path.hasSuffix(".csv") ? String(path.dropLast(4)) + ".codebook.csv" : path + ".codebook.csv"
}
