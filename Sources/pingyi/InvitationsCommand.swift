import ArgumentParser
import Foundation
import Server
import Store
import Tables

struct InvitationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invitations",
        abstract: "Online self-completion (网上自填): access codes for the sampled cases, letters with QR codes, progress.",
        discussion: """
            Respondents answer at /s/CODE of pingyi serve. The store keeps only each code's hash: the file that \
            invitations make writes is the only place the codes exist; keep it as the letters.
            """,
        subcommands: [Make.self, Print.self, Status.self]
    )

    struct Make: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every case in use (sampled, or an activated reserve) without a code a new one; write the codes (invitations/1)."
        )

        @Option(help: "The questionnaire id.")
        var questionnaire: String

        @Option(name: .customLong("base-url"), help: "The address respondents open, e.g. https://pingyi.example.gov.cn (the links are BASE/s/CODE).")
        var baseURL: String

        @Option(help: "Revoke this case's code and make a new one.")
        var replace: String?

        @Option(help: "Where to write the new codes (CSV; personal data: whoever holds a code answers for its case).")
        var out: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else {
                    throw ValidationError("--base-url: '\(baseURL)' is not a web address; write it as https://HOST")
                }
                let s = try await store.open()
                guard try await !s.questionnaires(id: questionnaire).isEmpty else {
                    throw StoreError(.usage, file: store.name, message: "the store has no questionnaire \(questionnaire)",
                                     hint: "load its list first (pingyi cases load), or check the id")
                }
                let ids = try await s.invitationCandidates(questionnaire: questionnaire, replacing: replace)
                if let replace, ids.isEmpty {
                    throw StoreError(.usage, file: store.name, message: "case \(replace) is not a case in use of \(questionnaire)",
                                     hint: "name a sampled case or an activated reserve")
                }
                let records = Dictionary(uniqueKeysWithValues: try await s.snapshot(questionnaire: questionnaire).cases.map { ($0.caseID, $0) })
                let invitations = InvitationLetters.make(ids.map { id in
                    let c = records[id]
                    return (id, c?.townID ?? "", c.flatMap { listAttribute($0.attributes, "town") } ?? "")
                }, questionnaire: questionnaire, baseURL: baseURL)
                // The codes are written first: a store that then refuses leaves no file behind.
                try writeAtomically(InvitationLetters.csv(invitations), to: out)
                do {
                    _ = try await s.issueInvitations(questionnaire: questionnaire,
                                                     codes: invitations.map { IssuedCode(caseID: $0.caseID, hash: InvitationLetters.hash($0)) },
                                                     replacing: replace != nil, now: Int64(Date().timeIntervalSince1970))
                } catch {
                    try? FileManager.default.removeItem(atPath: out)
                    throw error
                }
                print("访问码  \(invitations.count) 个（\(questionnaire)）\(replace.map { "，已作废 \($0) 的旧码" } ?? "") → \(out)")
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the letters (one A4 page per case, with the link's QR code) and the SMS texts of a codes file."
        )

        @Option(help: "The codes file of pingyi invitations make.")
        var invitations: String

        @Option(help: "Who asks, as signed on the letter, e.g. 某某县统计局.")
        var from: String

        @Option(help: "The survey's title on the letter.")
        var title: String = "公众评议满意度调查"

        @Option(help: "The last day to answer, as the letter says it, e.g. 2026年12月20日.")
        var deadline: String

        @Option(help: "About how many minutes the questionnaire takes.")
        var minutes: Int = 10

        @Option(help: "The folder for letters.html and sms.csv.")
        var out: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                guard (1...240).contains(minutes) else {
                    throw ValidationError("--minutes: \(minutes) is not a length of a questionnaire; give the minutes it takes, 1 to 240")
                }
                try requireFile(invitations, option: "--invitations")
                let list = try InvitationLetters.read(try CSVReader.read(path: invitations, options: input.csvOptions), file: invitations)
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let wording = InvitationLetters.Wording(from: from, title: title, deadline: deadline, minutes: minutes)
                try writeAtomically(InvitationLetters.letters(list, wording), to: (out as NSString).appendingPathComponent("letters.html"))
                try writeAtomically(InvitationLetters.sms(list, wording), to: (out as NSString).appendingPathComponent("sms.csv"))
                print("邀请函  \(list.count) 封 → \((out as NSString).appendingPathComponent("letters.html"))；短信 → \((out as NSString).appendingPathComponent("sms.csv"))")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invited, opened, partial and complete by town.")

        @Option(help: "The questionnaire id.")
        var questionnaire: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                var rows = [["镇（街道）", "邀请", "已打开", "未提交", "已提交"]]
                for c in try await s.invitationCounts(questionnaire: questionnaire) {
                    rows.append([c.townID.isEmpty ? "—" : c.townID, String(c.invited), String(c.opened), String(c.partial), String(c.complete)])
                }
                print("网上自填  \(questionnaire)")
                print(TextTable(rows: rows, rightAligned: Set(1..<5)).render(indent: "  "))
            }
        }
    }
}
