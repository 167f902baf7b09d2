import ArgumentParser
import Store

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit trail of a case: every write, who, when, old and new value, reason."
    )

    @Option(name: .customLong("case"), help: "The case id.")
    var caseID: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let s = try await store.open()
            let entries = try await s.auditTrail(caseID: caseID)
            guard !entries.isEmpty else {
                throw StoreError(.data, file: store.name, message: "case \(caseID) is not in the store and has no audit trail",
                                 hint: "check the case id (pingyi responses export --format cases lists the cases)")
            }
            if let record = try await s.caseRecord(caseID) {
                var state = "\(record.questionnaire) v\(record.version)  \(record.role == .sample ? "样本" : "备选 \(record.reserveRank ?? 0)")"
                if let replaces = record.replaces { state += "（替换 \(replaces)）" }
                state += "  结果 \(record.disposition.rawValue)（\(record.disposition.label)）"
                state += "  第一遍 \(record.hasPass1 ? "有" : "无")  第二遍 \(record.hasPass2 ? "有" : "无")  计入 \(record.counted ? "是" : "否")"
                print("案例  \(caseID)  \(state)")
            } else {
                print("案例  \(caseID)（已从库中移除）")
            }
            var rows = [["时间", "操作员", "动作", "遍", "变量", "原值", "新值", "原因", "来源"]]
            for e in entries {
                rows.append([e.at, e.operator, e.action, e.pass.map(String.init) ?? "", e.item ?? "", e.oldValue ?? "", e.newValue ?? "",
                             e.reason ?? "", e.source ?? ""])
            }
            print(TextTable(rows: rows).render(indent: "  "))
        }
    }
}
