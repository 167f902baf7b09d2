import Foundation
import PostgresNIO
public import Questionnaire

/// Online self-completion on PostgreSQL: each call one transaction that first locks the code's
/// row (`FOR UPDATE`), so two saves of one respondent (two tabs, two server processes) run one
/// after the other; a submission enters its form through the same `enter` as every channel.
extension PostgresStore: InvitationStore {
    public func invitationCandidates(questionnaire: String, replacing: String?) async throws(StoreError) -> [String] {
        try await reading { db in
            var out: [String] = []
            let values: [SQLValue] = [.text(questionnaire)] + (replacing.map { [.text($0)] } ?? [])
            for try await id in try await self.query(db, InvitationRules.candidates(questionnaire: "$1", replacing: replacing == nil ? nil : "$2"), values)
                .decode(String.self) { out.append(id) }
            return out
        }
    }

    public func issueInvitations(questionnaire: String, codes: [IssuedCode], replacing: Bool, now: Int64) async throws(StoreError) -> Int {
        try await writing { db in
            for code in codes {
                if replacing {
                    _ = try await self.query(db, InvitationRules.revoke(caseID: "$1", now: "$2"), [.text(code.caseID), .int(Int(now))])
                } else if try await !self.strings(db, "SELECT case_id FROM invitations WHERE case_id = \(code.caseID) AND revoked_at IS NULL FOR UPDATE").isEmpty {
                    throw InvitationRules.issuedMeanwhile(code.caseID)
                }
                _ = try await self.query(db, InvitationRules.insert(hash: "$1", caseID: "$2", questionnaire: "$3", now: "$4"),
                                         [.text(code.hash), .text(code.caseID), .text(questionnaire), .int(Int(now))])
            }
            try await self.audit(db, codes.map { InvitationRules.audit(caseID: $0.caseID, now: now, action: replacing ? "invitation replaced" : "invitation") })
            return codes.count
        }
    }

    public func invitation(hash: String, now: Int64) async throws(StoreError) -> InvitationState {
        try await writing { db in
            let state = try await self.invitationState(db, hash)
            if case .open(let c) = state, c.openedAt == nil {
                try await self.opened(db, c, now: now)
                return .open(OnlineCase(caseID: c.caseID, questionnaire: c.questionnaire, townID: c.townID, attributes: c.attributes,
                                        answers: c.answers, openedAt: now, savedAt: c.savedAt))
            }
            return state
        }
    }

    public func saveOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> OnlineCase {
        try await writing { db in
            let state = try await self.invitationState(db, hash)
            guard case .open(let c) = state else { throw InvitationRules.refusal(state) }
            let merged = try InvitationRules.checked(c.caseID, answers: InvitationRules.merged(c.answers, answers, c.questionnaire, caseID: c.caseID),
                                                     c.questionnaire)
            try await self.saved(db, c, merged, now: now, submitted: false)
            return OnlineCase(caseID: c.caseID, questionnaire: c.questionnaire, townID: c.townID, attributes: c.attributes, answers: merged,
                              openedAt: c.openedAt ?? now, savedAt: now)
        }
    }

    public func submitOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> EntrySummary {
        try await writing { db in
            let state = try await self.invitationState(db, hash)
            guard case .open(let c) = state else { throw InvitationRules.refusal(state) }
            let merged = try InvitationRules.merged(c.answers, answers, c.questionnaire, caseID: c.caseID)
            let batch = InvitationRules.batch(c.caseID, answers: merged, c.questionnaire, complete: true)
            let summary = try await self.enter(db, batch, try EntryRules.prepare([batch])[0].get(), at: isoTime(now))
            try await self.saved(db, c, merged, now: now, submitted: true)
            return summary
        }
    }

    public func invitationCounts(questionnaire: String) async throws(StoreError) -> [InvitationCount] {
        try await reading { db in
            var out: [InvitationCount] = []
            for try await (town, invited, opened, partial, complete) in try await self.query(db, InvitationRules.counts(questionnaire: "$1"),
                                                                                            [.text(questionnaire)]).decode((String, Int, Int, Int, Int).self) {
                out.append(InvitationCount(townID: town, invited: invited, opened: opened, partial: partial, complete: complete))
            }
            return out
        }
    }

    public func invitationProgress(questionnaire: String) async throws(StoreError) -> [InvitationProgress] {
        try await reading { db in
            var out: [InvitationProgress] = []
            for try await r in try await self.query(db, InvitationRules.progress(questionnaire: "$1"), [.text(questionnaire)])
                .decode((String, String, String, String, Int64?, Int64?, Int64?).self) {
                out.append(InvitationProgress(caseID: r.0, codeHash: r.1, townID: r.2, disposition: r.3, openedAt: r.4, savedAt: r.5, submittedAt: r.6))
            }
            return out
        }
    }

    private func saved(_ db: PostgresConnection, _ c: OnlineCase, _ answers: [String: String], now: Int64, submitted: Bool) async throws {
        _ = try await query(db, InvitationRules.saved(caseID: "$1", questionnaire: "$2", answers: "$3", now: "$4", submitted: submitted),
                            [.text(c.caseID), .text(c.questionnaire.id), .text(InvitationRules.encode(answers)), .int(Int(now))])
    }

    private func opened(_ db: PostgresConnection, _ c: OnlineCase, now: Int64) async throws {
        _ = try await query(db, InvitationRules.opened(caseID: "$1", questionnaire: "$2", now: "$3"),
                            [.text(c.caseID), .text(c.questionnaire.id), .int(Int(now))])
    }

    /// The code's state, its invitation row locked for the transaction.
    func invitationState(_ db: PostgresConnection, _ hash: String) async throws -> InvitationState {
        var row: InvitationRules.Row?
        for try await r in try await query(db, InvitationRules.lookup(hash: "$1") + " FOR UPDATE OF i", [.text(hash)])
            .decode((String, String, Int64?, String, String?, String, String?, Int64?, Int64?, Int64?, Int).self) {
            row = InvitationRules.Row(caseID: r.0, questionnaire: r.1, revokedAt: r.2, disposition: r.3, townID: r.4, attributes: r.5,
                                      answers: r.6, openedAt: r.7, savedAt: r.8, submittedAt: r.9, keyed: r.10 != 0)
        }
        guard let row else { return .unknown }
        return InvitationRules.state(row, questionnaire: try await currentQuestionnaire(db, row.questionnaire),
                                     closure: try await closure(db, row.questionnaire))
    }
}
