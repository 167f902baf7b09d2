import GRDB

extension SQLiteStore {
    public func setEntry(questionnaire id: String, open: Bool, reason: String, operator who: String) async throws(StoreError) -> EntryClosure? {
        try await writing { db in
            let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM questionnaires WHERE id = ?)", arguments: [id]) ?? false
            let change = try EntryControl.change(questionnaire: id, known: known, current: try self.closure(db, id), open: open, reason: reason,
                                                 operator: who, at: timestamp(), store: self.path)
            if let c = change.closure {
                try self.countSavedOnline(db, id, at: c.closedAt)
                try db.execute(sql: "INSERT INTO entry_closures (questionnaire, closed_at, closed_by, reason) VALUES (?, ?, ?, ?)",
                               arguments: [c.questionnaire, c.closedAt, c.closedBy, c.reason])
            } else {
                try db.execute(sql: "DELETE FROM entry_closures WHERE questionnaire = ?", arguments: [id])
            }
            try self.audit(db, change.audit)
            return change.closure
        }
    }

    public func entryClosures() async throws(StoreError) -> [EntryClosure] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT questionnaire, closed_at, closed_by, reason FROM entry_closures ORDER BY questionnaire")
                .map { EntryClosure(questionnaire: $0[0], closedAt: $0[1], closedBy: $0[2], reason: $0[3]) }
        }
    }

    /// At the deadline, the saved online answers that the questionnaire's rule counts become
    /// forms (``InvitationRules/atDeadline(_:_:)``), in the closing's transaction.
    func countSavedOnline(_ db: Database, _ id: String, at: String) throws {
        guard let q = try currentQuestionnaire(db, id), q.online?.partialAbove != nil else { return }
        let rows = try Row.fetchAll(db, sql: InvitationRules.unsubmitted(questionnaire: "?1"), arguments: [id]).map { (caseID: $0[0] as String, answers: $0[1] as String) }
        for (batch, checked) in InvitationRules.atDeadline(rows, q) { _ = try enter(db, batch, checked, at: at) }
    }

    /// The closure of a questionnaire, or nil while it is open.
    func closure(_ db: Database, _ id: String) throws -> EntryClosure? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT closed_at, closed_by, reason FROM entry_closures WHERE questionnaire = ?"), arguments: [id])
            .map { EntryClosure(questionnaire: id, closedAt: $0[0], closedBy: $0[1], reason: $0[2]) }
    }
}
