import ArgumentParser
import Foundation
import Store

extension ResponsesCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Progress by group and by town: sampled, reserves used, entered, verified, open disagreements, dispositions."
        )

        @Option(help: "Only this questionnaire id.")
        var questionnaire: String?

        @Flag(help: "Print JSON (groups and towns, each with the counts).")
        var json = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let report = try await s.status(questionnaire: questionnaire)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    let body = StatusJSON(groups: report.groups.map(StatusJSON.Row.init), towns: report.towns.map(StatusJSON.Row.init))
                    print(String(decoding: try encoder.encode(body), as: UTF8.self))
                    return
                }
                print("按调查对象")
                print(table(report.groups, first: "调查对象") { "\($0.group.rawValue) \($0.group.label)" })
                print("按镇（街道）")
                print(table(report.towns, first: "调查对象/镇") { "\($0.group.rawValue) \($0.townID ?? "—") \($0.townName ?? "")" })
                for c in try await s.entryClosures() where questionnaire == nil || c.questionnaire == questionnaire {
                    print("已截止录入  \(c.questionnaire)：\(c.closedAt) 由 \(c.closedBy) 截止（\(c.reason)）")
                }
            }
        }

        private func table(_ rows: [StatusRow], first: String, name: (StatusRow) -> String) -> String {
            let shown = Disposition.allCases
            var out = [[first, "样本", "启用备选", "剩余备选", "第一遍", "第二遍", "已核对", "待裁定"] + shown.map(\.label)]
            for r in rows {
                out.append([name(r), String(r.sampled), String(r.reservesUsed), String(r.reservesLeft), String(r.pass1), String(r.pass2),
                            String(r.verified), String(r.disagreeing)] + shown.map { String(r.dispositions[$0] ?? 0) })
            }
            return TextTable(rows: out, rightAligned: Set(1..<out[0].count)).render(indent: "  ")
        }
    }
}

/// The JSON shape of `responses status --json`.
struct StatusJSON: Encodable {
    struct Row: Encodable {
        let group: String
        let town_id: String?
        let town: String?
        let sampled, reserves_used, reserves_left, pass1, pass2, verified, disagreeing: Int
        let dispositions: [String: Int]

        init(_ r: StatusRow) {
            group = r.group.rawValue
            town_id = r.townID
            town = r.townName
            sampled = r.sampled
            reserves_used = r.reservesUsed
            reserves_left = r.reservesLeft
            pass1 = r.pass1
            pass2 = r.pass2
            verified = r.verified
            disagreeing = r.disagreeing
            dispositions = Dictionary(uniqueKeysWithValues: Disposition.allCases.map { ($0.rawValue, r.dispositions[$0] ?? 0) })
        }
    }
    let groups: [Row]
    let towns: [Row]
}
