import ArgumentParser
import Formats
import Foundation
import Questionnaire
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
        subcommands: [Make.self, Print.self, Status.self, Remind.self]
    )

    struct Make: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every case in use (sampled, or an activated reserve) without a code a new one; write the codes (invitations/1)."
        )

        @OptionGroup var which: WhichQuestionnaire

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
                let questionnaire = try await which.resolve(s, store: store.name)
                let ids = try await s.invitationCandidates(questionnaire: questionnaire, replacing: replace)
                if let replace, ids.isEmpty {
                    throw StoreError(.usage, file: store.name, message: "case \(replace) is not a case in use of \(questionnaire)",
                                     hint: "name a sampled case or an activated reserve")
                }
                let records = Dictionary(uniqueKeysWithValues: try await s.snapshot(questionnaire: questionnaire).cases.map { ($0.caseID, $0) })
                let invitations = InvitationLetters.make(ids.map { id in
                    let c = records[id]
                    return (id, c?.townID ?? "", c.flatMap { listAttribute($0.attributes, RespondentListFormat.town) } ?? "")
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

        @OptionGroup var letter: LetterOptions

        @Option(help: "The folder for letters.html and sms.csv.")
        var out: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(invitations, option: "--invitations")
                let list = try InvitationLetters.read(try TableFile.read(path: invitations, options: input.csvOptions), file: invitations)
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let wording = letter.wording
                try writeAtomically(InvitationLetters.letters(list, wording), to: (out as NSString).appendingPathComponent("letters.html"))
                try writeAtomically(InvitationLetters.sms(list, wording), to: (out as NSString).appendingPathComponent("sms.csv"))
                print("邀请函  \(list.count) 封 → \((out as NSString).appendingPathComponent("letters.html"))；短信 → \((out as NSString).appendingPathComponent("sms.csv"))")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invited, opened, partial and complete by town.")

        @OptionGroup var which: WhichQuestionnaire

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let questionnaire = try await which.resolve(s, store: store.name)
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

extension InvitationsCommand {
    struct Remind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the invited who have not submitted by a date, and write reminder letters and SMS texts for them.",
            discussion: """
                Reads the codes file of pingyi invitations make (the store keeps no code in clear) and the store's \
                progress: a case is reminded when its code is still valid, its answers were not submitted by the end of \
                --by (Beijing), and it was not closed through another channel. Writes reminders.csv (who, with their \
                state: not opened, or answers saved but not submitted), letters.html and sms.csv into --out.
                """
        )

        @Option(help: "The codes file of pingyi invitations make.")
        var invitations: String

        @Option(help: "The day by whose end answers were due, YYYY-MM-DD (default: today).")
        var by: String?

        @OptionGroup var letter: LetterOptions

        @Option(help: "The folder for reminders.csv, letters.html and sms.csv.")
        var out: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let by, CivilDate(by) == nil { throw ValidationError("--by must be a date YYYY-MM-DD (got \(by)).") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(invitations, option: "--invitations")
                let codes = try InvitationLetters.read(try TableFile.read(path: invitations), file: invitations)
                guard let questionnaire = codes.first?.questionnaire else {
                    throw UsageError(description: "\(invitations) holds no invitation; give the codes file of pingyi invitations make")
                }
                let s = try await store.open()
                let progress = Dictionary(try await s.invitationProgress(questionnaire: questionnaire).map { ($0.codeHash, $0) },
                                          uniquingKeysWith: { a, _ in a })
                let now = Int64(Date().timeIntervalSince1970)
                // The end of the day --by names, Beijing time (UTC+8).
                let moment = by.flatMap(CivilDate.init).map { Int64($0.daysSinceEpoch + 1) * 86_400 - CallRules.offsetSeconds - 1 } ?? now
                var due: [(Invitation, InvitationProgress)] = []
                for invitation in codes {
                    guard let p = progress[InvitationLetters.hash(invitation)], p.outstanding(at: moment) else { continue }
                    due.append((invitation, p))
                }
                var writer = CSVWriter()
                writer.writeRow(RemindersFormat.header)
                for (i, p) in due {
                    let state = p.savedAt != nil ? RemindersFormat.saved : p.openedAt != nil ? RemindersFormat.opened : RemindersFormat.notOpened
                    writer.writeRow([i.caseID, i.townID, i.town, state])
                }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let wording = letter.wording
                let folder = out as NSString
                try writeAtomically(writer.bytes, to: folder.appendingPathComponent("reminders.csv"))
                try writeAtomically(InvitationLetters.letters(due.map(\.0), wording), to: folder.appendingPathComponent("letters.html"))
                try writeAtomically(InvitationLetters.sms(due.map(\.0), wording), to: folder.appendingPathComponent("sms.csv"))
                let saved = due.filter { $0.1.savedAt != nil }.count
                print("提醒  \(due.count) 人（未打开或未作答 \(due.count - saved)，已作答未提交 \(saved)）→ \(folder.appendingPathComponent("letters.html"))")
            }
        }
    }
}

/// `--questionnaire ID` or `--group G` (the store's one questionnaire of that respondent group).
struct WhichQuestionnaire: ParsableArguments {
    @Option(help: "The questionnaire id.")
    var questionnaire: String?

    @Option(help: "The respondent group: its questionnaire in the store.")
    var group: RespondentGroup?

    func validate() throws {
        if questionnaire == nil && group == nil { throw ValidationError("give --questionnaire ID or --group G") }
    }

    /// The questionnaire id, checked against the store.
    func resolve(_ s: any ServerStore, store name: String) async throws -> String {
        let known = try await s.questionnaires(id: questionnaire)
        if let questionnaire {
            guard let q = known.last else {
                throw StoreError(.usage, file: name, message: "the store has no questionnaire \(questionnaire)",
                                 hint: "load its list first (pingyi cases load), or check the id")
            }
            if let group, q.group != group {
                throw StoreError(.usage, file: name, message: "questionnaire \(questionnaire) is of group \(q.group.rawValue), not \(group.rawValue)",
                                 hint: "give one of --questionnaire and --group, or both that agree")
            }
            return questionnaire
        }
        let ids = Array(Set(known.filter { $0.group == group }.map(\.id))).sorted()
        let named = group?.rawValue ?? ""
        guard ids.count == 1 else {
            throw StoreError(.usage, file: name,
                             message: ids.isEmpty ? "the store has no questionnaire of group \(named)"
                                 : "the store has \(ids.count) questionnaires of group \(named): \(ids.joined(separator: ", "))",
                             hint: ids.isEmpty ? "load the group's list first (pingyi cases load)" : "name one with --questionnaire")
        }
        return ids[0]
    }
}

/// What a letter says besides the case: who asks, the title, the deadline, the minutes it takes.
struct LetterOptions: ParsableArguments {
    @Option(help: "Who asks, as signed on the letter, e.g. 某某县统计局.")
    var from: String

    @Option(help: "The survey's title on the letter.")
    var title: String = "公众评议满意度调查"

    @Option(help: "The last day to answer, as the letter says it, e.g. 2026年12月20日.")
    var deadline: String

    @Option(help: "About how many minutes the questionnaire takes.")
    var minutes: Int = 10

    func validate() throws {
        guard (1...240).contains(minutes) else {
            throw ValidationError("--minutes: \(minutes) is not a length of a questionnaire; give the minutes it takes, 1 to 240")
        }
    }

    var wording: InvitationLetters.Wording { InvitationLetters.Wording(from: from, title: title, deadline: deadline, minutes: minutes) }
}
