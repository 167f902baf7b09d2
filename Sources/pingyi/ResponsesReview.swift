import Formats
import ArgumentParser
import Store
import Tables

extension ResponsesCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare pass 1 and pass 2: agreeing forms become verified; list every disagreement.",
            discussion: """
                Only verified forms (or single-pass forms, when the questionnaire says entry: single) count as
                entered. --out writes the open disagreements as a CSV (case_id, item, pass1, pass2, value,
                reason) to fill in the value column and give to pingyi responses resolve.
                """
        )

        @Option(help: "Only this questionnaire id.")
        var questionnaire: String?

        @Option(help: "Write the open disagreements to this CSV for adjudication.")
        var out: String?

        @OptionGroup var store: StoreOptions
        @OptionGroup var who: OperatorOption

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                // The output is refused before the store changes (e.g. --out naming the store).
                if let out { try checkOutput(out) }
                let report = try await s.verify(questionnaire: questionnaire, operator: who.resolved)
                print("核对  新核对一致 \(report.verified) 份，新发现不一致 \(report.disagreeing) 份，只录入一遍 \(report.awaitingPass) 份")
                if report.open.isEmpty {
                    print("不一致  无")
                } else {
                    let cases = Set(report.open.map(\.caseID)).count
                    print("不一致  \(report.open.count) 处，涉及 \(cases) 份（pingyi responses resolve 裁定）")
                    var rows = [["样本编号", "问卷", "变量", "第一遍", "第二遍"]]
                    for d in report.open { rows.append([d.caseID, d.questionnaire, d.item, d.pass1 ?? "（空）", d.pass2 ?? "（空）"]) }
                    print(TextTable(rows: rows).render(indent: "  "))
                }
                if let out {
                    var writer = CSVWriter()
                    writer.writeRow(DisagreementsFile.header)
                    for d in report.open { writer.writeRow([d.caseID, d.item, d.pass1, d.pass2, nil, nil]) }
                    try writeAtomically(writer.bytes, to: out)
                    print("已写出  \(out)")
                }
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record adjudicated values of double-entry disagreements.",
            discussion: """
                Either one value (--case, --item, --value) or a CSV with columns case_id, item, value and
                optionally reason (the file verify --out writes; rows whose value is empty stay open). A case
                whose disagreements are all resolved becomes verified. The values are checked like keyed answers.
                """
        )

        @Argument(help: "A CSV of resolutions (case_id, item, value[, reason]).")
        var file: String?

        @Option(name: .customLong("case"), help: "The case (with --item and --value).")
        var caseID: String?

        @Option(help: "The item on which the passes disagree.")
        var item: String?

        @Option(help: "The adjudicated value (as on the paper form).")
        var value: String?

        @Option(help: "Why (recorded in the audit trail).")
        var reason: String?

        @OptionGroup var store: StoreOptions

        @Option(name: .customLong("operator"), help: "Who adjudicates.")
        var operatorName: String

        @OptionGroup var input: InputOptions

        func validate() throws {
            if file == nil {
                guard caseID != nil, item != nil, value != nil else {
                    throw ValidationError("give a resolutions FILE, or --case, --item and --value.")
                }
            } else if caseID != nil || item != nil || value != nil {
                throw ValidationError("give either a resolutions FILE or --case/--item/--value, not both.")
            }
        }

        func run() async throws {
            try await reportingErrors {
                var resolutions: [Resolution] = []
                var left = 0
                let source: String
                if let file {
                    try requireFile(file, option: "FILE")
                    source = file
                    let table = try TableFile.read(path: file, options: input.csvOptions)
                    let cases = try table.column(DisagreementsFile.caseID, purpose: "the case")
                    let items = try table.column(DisagreementsFile.item, purpose: "the item")
                    let values = try table.column(DisagreementsFile.value, purpose: "the adjudicated value")
                    let reasons = table.index(of: DisagreementsFile.reason).map { table.columns[$0] }
                    for row in 0..<table.rowCount {
                        guard let v = values.string(row), !v.isEmpty else {
                            left += 1
                            continue
                        }
                        resolutions.append(Resolution(caseID: cases.string(row) ?? "", item: items.string(row) ?? "", value: v,
                                                      reason: reasons?.string(row) ?? reason, line: table.line(of: row)))
                    }
                } else {
                    source = "--case"
                    resolutions = [Resolution(caseID: caseID ?? "", item: item ?? "", value: value.flatMap { $0.isEmpty ? nil : $0 }, reason: reason)]
                }
                let s = try await store.open()
                let summary = try await s.resolve(ResolutionBatch(resolutions: resolutions, operator: operatorName, source: source))
                print("已裁定  \(summary.resolved) 处；核对完成 \(summary.verified.count) 份")
                if left > 0 { print("未裁定  \(left) 行没有 value，仍待裁定") }
            }
        }
    }

    struct VoidForm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Withdraw (void) one stored form of a case: a pass keyed against the wrong case, an interview that did not take place.",
            discussion: """
                The form and its answers are removed, audited as void with who keyed it, when and the reason.
                Voiding a keyed pass undoes the case's verification (key the pass anew, then verify); a
                disposition the form had set (complete or partial) returns to pending, one a supervisor
                recorded stays. The verified form is made from the two passes and cannot be voided alone;
                a telephone or online interview is voided as --form final. The same rules as the web's
                问卷更正与作废 page.
                """
        )

        @Option(name: .customLong("case"), help: "The case.")
        var caseID: String

        @Option(help: "Which form: pass1, pass2, or final (a telephone or online interview).")
        var form: FormKind

        @Option(help: "Why (recorded in the audit trail).")
        var reason: String

        @Option(name: .customLong("operator"), help: "Who voids it.")
        var operatorName: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why the form is voided.") }
            if operatorName.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--operator must name who voids the form.") }
        }

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let summary = try await s.voidForm(FormVoid(caseID: caseID, kind: form, reason: reason, operator: operatorName, source: "pingyi responses void"))
                print("已作废  \(caseID) 的 \(form.rawValue) → \(store.name)")
                if summary.unverified { print("需重新核对  \(caseID)：重新录入该遍后运行 pingyi responses verify") }
                if let restored = summary.restored { print("处置  \(caseID) 由 \(restored.rawValue) 恢复为 pending") }
            }
        }
    }

    struct CorrectForm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "correct",
            abstract: "Correct a case's answers, each change audited with the reason.",
            discussion: """
                The form that counts takes the answers (the verified form, or the telephone or online
                interview); for a double-entry case whose passes disagree, each disagreement is resolved with
                the value given (every disagreeing item must be --set) and the case verified; a case with one
                keyed form has that form corrected. Keyed passes beside a counted form keep what was keyed.
                Items not --set keep their values. The same rules as the web's 问卷更正与作废 page.
                """
        )

        @Option(name: .customLong("case"), help: "The case.")
        var caseID: String

        @Option(name: .customLong("set"), help: "ITEM=VALUE, as on the paper form (an empty VALUE clears the item); repeat for each item.")
        var assignments: [String] = []

        @Option(help: "Why (recorded in the audit trail).")
        var reason: String

        @Option(name: .customLong("operator"), help: "Who corrects it.")
        var operatorName: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if assignments.isEmpty { throw ValidationError("give at least one --set ITEM=VALUE.") }
            if let bad = assignments.first(where: { !$0.contains("=") }) { throw ValidationError("--set \(bad): write ITEM=VALUE, e.g. --set D02=4.") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why the answers are corrected.") }
            if operatorName.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--operator must name who corrects them.") }
        }

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                guard let record = try await s.caseRecord(caseID), let q = try await s.questionnaires(id: record.questionnaire).last else {
                    throw StoreError(.data, file: store.name, message: "case \(caseID) is not in the store", hint: "check the case number")
                }
                var changes: [String: String] = [:]
                for a in assignments {
                    let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let item = String(parts[0]).trimmingCharacters(in: .whitespaces)
                    guard q.index(of: item) != nil else {
                        throw UsageError(description: "--set \(a): questionnaire \(q.id) has no item \(item) (its items are \(q.items.prefix(8).map(\.name).joined(separator: ", "))…)")
                    }
                    changes[item] = String(parts[1])
                }
                let forms = try await s.forms(caseID: caseID)
                let open = try await s.disagreements(questionnaire: q.id).filter { $0.caseID == caseID }.map(\.item)
                let unset = open.filter { changes[$0] == nil }
                if !unset.isEmpty {
                    throw UsageError(description: "case \(caseID): its passes disagree on \(unset.joined(separator: ", ")); --set each of them to the value on the paper form")
                }
                let base = (forms.first { $0.kind == .final } ?? forms.first)?.answers ?? [:]
                let answers: [String?] = q.items.map { item in
                    let value = changes[item.name] ?? base[item.name]
                    return value.flatMap { $0.isEmpty ? nil : $0 }
                }
                let summary = try await s.correct(FormCorrection(caseID: caseID, questionnaire: q, answers: answers, reason: reason,
                                                                 operator: operatorName, source: "pingyi responses correct"))
                if summary.changedAnswers == 0 && !summary.verified {
                    print("未改动  \(caseID) 的答案与所存相同")
                } else {
                    print("已更正  \(caseID)：改动 \(summary.changedAnswers) 处\(summary.verified ? "；已核实" : "") → \(store.name)")
                }
            }
        }
    }
}
