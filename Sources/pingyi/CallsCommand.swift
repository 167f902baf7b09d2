import ArgumentParser
import Exports
import Foundation
import Store
import Tables

struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Telephone interviewing (电话调查): the attempt history and the progress of the calls.",
        discussion: """
            Interviewers call from pingyi serve (/calls); the questionnaire's calls: section gives the windows, \
            attempts, delays, quota and callback rules (pingyi survey check shows them).
            """,
        subcommands: [Export.self, Status.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every dial as CSV (attempts/1): case, interviewer, number rank, times (Beijing), outcome, appointment."
        )

        @Option(help: "Only this questionnaire id.")
        var questionnaire: String?

        @Option(help: "Where to write the attempts (CSV).")
        var out: String

        @Flag(help: "Add the number dialled (personal data: only for an admin who needs it; left out by default).")
        var numbers = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let records = try await s.callAttempts(questionnaire: questionnaire)
                var numbers: [String: [String]]?
                if self.numbers {
                    var all: [String: [String]] = [:]
                    for id in Set(records.map(\.questionnaire)) { all.merge(try await s.phoneNumbers(questionnaire: id)) { a, _ in a } }
                    numbers = all
                }
                try writeAtomically(CallTables.attempts(records, numbers: numbers), to: out)
                print("拨打记录  \(records.count) 次（\(Set(records.map(\.caseID)).count) 个案例）\(self.numbers ? "，含电话号码" : "") → \(out)")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Quotas by town and interviewers by evening for a questionnaire fielded by telephone."
        )

        @Option(help: "The questionnaire id.")
        var questionnaire: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let quotas = try await s.callQuotas(questionnaire: questionnaire, now: Int64(Date().timeIntervalSince1970))
                var rows = [["镇（街道）", "目标", "完成", "部分", "拒访", "未接触", "其他结束", "拨打", "待完成", "拨打中"]]
                for q in quotas {
                    rows.append([q.townID.isEmpty ? "—" : q.townID] + [q.target, q.completes, q.partials, q.refusals, q.nonContacts, q.otherFinal,
                                                                       q.attempts, q.outstanding, q.inProgress].map(String.init))
                }
                print("配额与进度  \(questionnaire)")
                print(TextTable(rows: rows, rightAligned: Set(1..<10)).render(indent: "  "))
                var people = [["日期", "访员", "拨打", "接通", "完成", "拒访率", "平均时长(分)", "每小时完成", "回访", "一致率"]]
                func pct(_ x: Double) -> String { x.isNaN ? "—" : fixed(x * 100, 1) + "%" }
                func one(_ x: Double) -> String { x.isNaN ? "—" : fixed(x, 1) }
                for e in try await s.interviewerEvenings(questionnaire: questionnaire) {
                    people.append([e.day, e.interviewer, String(e.dials), String(e.contacts), String(e.completes), pct(e.refusalRate),
                                   one(e.meanInterviewMinutes), one(e.completesPerHour), String(e.callbacksChecked), pct(e.callbackAgreement)])
                }
                print("访员工作量")
                print(TextTable(rows: people, rightAligned: Set(2..<10)).render(indent: "  "))
                let flagged = try await s.flaggedCallbacks(questionnaire: questionnaire)
                if !flagged.isEmpty { print("回访不一致  \(flagged.count) 个：" + flagged.map(\.caseID).joined(separator: " ")) }
            }
        }
    }
}
