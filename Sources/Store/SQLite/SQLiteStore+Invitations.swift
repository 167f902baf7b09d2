import Foundation
import GRDB
public import Questionnaire

/// Online self-completion on SQLite: each call one transaction; a submission enters its form
/// through the same `enter` as a file import, the API and telephone interviews.
extension SQLiteStore: InvitationStore {
    public func invitationCandidates(questionnaire: String, replacing: String?) async throws(StoreError) -> [String] {
        try await reading { db in
            try String.fetchAll(db, sql: InvitationRules.candidates(questionnaire: "?1", replacing: replacing == nil ? nil : "?2"),
                                arguments: replacing.map { [questionnaire, $0] } ?? [questionnaire])
        }
    }

    public func issueInvitations(questionnaire: String, codes: [IssuedCode], replacing: Bool, now: Int64) async throws(StoreError) -> Int {
        try await writing { db in
            for code in codes {
                if replacing { try db.execute(sql: InvitationRules.revoke(caseID: "?1", now: "?2"), arguments: [code.caseID, now]) }
                do {
                    try db.execute(sql: InvitationRules.insert(hash: "?1", caseID: "?2", questionnaire: "?3", now: "?4"),
                                   arguments: [code.hash, code.caseID, questionnaire, now])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw InvitationRules.issuedMeanwhile(code.caseID)
                }
                try self.audit(db, InvitationRules.audit(caseID: code.caseID, now: now, action: replacing ? "invitation replaced" : "invitation"))
            }
            return codes.count
        }
    }

    public func invitation(hash: String, now: Int64) async throws(StoreError) -> InvitationState {
        try await writing { db in
            let state = try self.invitationState(db, hash)
            if case .open(let c) = state, c.openedAt == nil {
                try db.execute(sql: InvitationRules.opened(caseID: "?1", questionnaire: "?2", now: "?3"), arguments: [c.caseID, c.questionnaire.id, now])
                return .open(OnlineCase(caseID: c.caseID, questionnaire: c.questionnaire, townID: c.townID, attributes: c.attributes,
                                        answers: c.answers, openedAt: now, savedAt: c.savedAt))
            }
            return state
        }
    }

    public func saveOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> OnlineCase {
        try await writing { db in
            let state = try self.invitationState(db, hash)
            guard case .open(let c) = state else { throw InvitationRules.refusal(state) }
            let merged = try InvitationRules.checked(c.caseID, answers: InvitationRules.merged(c.answers, answers, c.questionnaire, caseID: c.caseID),
                                                     c.questionnaire)
            try db.execute(sql: InvitationRules.saved(caseID: "?1", questionnaire: "?2", answers: "?3", now: "?4", submitted: false),
                           arguments: [c.caseID, c.questionnaire.id, InvitationRules.encode(merged), now])
            return OnlineCase(caseID: c.caseID, questionnaire: c.questionnaire, townID: c.townID, attributes: c.attributes, answers: merged,
                              openedAt: c.openedAt ?? now, savedAt: now)
        }
    }

    public func submitOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> EntrySummary {
        try await writing { db in
            let state = try self.invitationState(db, hash)
            guard case .open(let c) = state else { throw InvitationRules.refusal(state) }
            let merged = try InvitationRules.merged(c.answers, answers, c.questionnaire, caseID: c.caseID)
            let batch = InvitationRules.batch(c.caseID, answers: merged, c.questionnaire, complete: true)
            let summary = try self.enter(db, batch, try EntryRules.prepare([batch])[0].get(), at: isoTime(now))
            try db.execute(sql: InvitationRules.saved(caseID: "?1", questionnaire: "?2", answers: "?3", now: "?4", submitted: true),
                           arguments: [c.caseID, c.questionnaire.id, InvitationRules.encode(merged), now])
            return summary
        }
    }

    public func invitationCounts(questionnaire: String) async throws(StoreError) -> [InvitationCount] {
        try await reading { db in
            try Row.fetchAll(db, sql: InvitationRules.counts(questionnaire: "?1"), arguments: [questionnaire]).map {
                InvitationCount(townID: $0[0], invited: $0[1], opened: $0[2], partial: $0[3], complete: $0[4])
            }
        }
    }

    public func invitationProgress(questionnaire: String) async throws(StoreError) -> [InvitationProgress] {
        try await reading { db in
            try Row.fetchAll(db, sql: InvitationRules.progress(questionnaire: "?1"), arguments: [questionnaire]).map {
                InvitationProgress(caseID: $0[0], codeHash: $0[1], townID: $0[2], disposition: $0[3], openedAt: $0[4], savedAt: $0[5], submittedAt: $0[6])
            }
        }
    }

    func invitationState(_ db: Database, _ hash: String) throws -> InvitationState {
        let row = try Row.fetchOne(db.cachedStatement(sql: InvitationRules.lookup(hash: "?")), arguments: [hash]).map { (r: Row) in
            InvitationRules.Row(caseID: r[0], questionnaire: r[1], revokedAt: r[2], disposition: r[3], townID: r[4], attributes: r[5],
                                answers: r[6], openedAt: r[7], savedAt: r[8], submittedAt: r[9], keyed: r[10] != 0)
        }
        guard let row else { return .unknown }
        return InvitationRules.state(row, questionnaire: try currentQuestionnaire(db, row.questionnaire), closure: try closure(db, row.questionnaire))
    }
}
