import PostgresNIO

extension PostgresStore {
    public func setEntry(questionnaire id: String, open: Bool, reason: String, operator who: String) async throws(StoreError) -> EntryClosure? {
        try await writing { db in
            let known = try await !self.strings(db, "SELECT id FROM questionnaires WHERE id = \(id) LIMIT 1").isEmpty
            let change = try EntryControl.change(questionnaire: id, known: known, current: try await self.closure(db, id), open: open,
                                                 reason: reason, operator: who, at: timestamp(), store: self.location)
            if let c = change.closure {
                try await self.countSavedOnline(db, id, at: c.closedAt)
                try await db.query("""
                    INSERT INTO entry_closures (questionnaire, closed_at, closed_by, reason) VALUES (\(c.questionnaire), \(c.closedAt), \(c.closedBy), \(c.reason))
                    """, logger: self.logger)
            } else {
                try await db.query("DELETE FROM entry_closures WHERE questionnaire = \(id)", logger: self.logger)
            }
            try await self.audit(db, [change.audit])
            return change.closure
        }
    }

    /// At the deadline, the saved online answers that the questionnaire's rule counts become
    /// forms (``InvitationRules/atDeadline(_:_:)``), in the closing's transaction.
    func countSavedOnline(_ db: PostgresConnection, _ id: String, at: String) async throws {
        guard let q = try await currentQuestionnaire(db, id), q.online?.partialAbove != nil else { return }
        var rows: [(caseID: String, answers: String)] = []
        for try await (caseID, answers) in try await query(db, InvitationRules.unsubmitted(questionnaire: "$1"), [.text(id)]).decode((String, String).self) {
            rows.append((caseID, answers))
        }
        for (batch, checked) in InvitationRules.atDeadline(rows, q) { _ = try await enter(db, batch, checked, at: at) }
    }

    public func entryClosures() async throws(StoreError) -> [EntryClosure] {
        try await reading { db in
            var out: [EntryClosure] = []
            let rows = try await db.query("SELECT questionnaire, closed_at, closed_by, reason FROM entry_closures ORDER BY questionnaire",
                                          logger: self.logger)
            for try await (q, at, by, reason) in rows.decode((String, String, String, String).self) {
                out.append(EntryClosure(questionnaire: q, closedAt: at, closedBy: by, reason: reason))
            }
            return out
        }
    }

    /// The closure of a questionnaire, or nil while it is open.
    func closure(_ db: PostgresConnection, _ id: String) async throws -> EntryClosure? {
        let rows = try await db.query("SELECT closed_at, closed_by, reason FROM entry_closures WHERE questionnaire = \(id)", logger: logger)
        for try await (at, by, reason) in rows.decode((String, String, String).self) {
            return EntryClosure(questionnaire: id, closedAt: at, closedBy: by, reason: reason)
        }
        return nil
    }
}
