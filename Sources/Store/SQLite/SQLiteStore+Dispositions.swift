import GRDB

extension SQLiteStore {
    /// The field state of every case, or (`around` a case) of that case and the cases of its
    /// reserve group.
    func fieldStates(_ db: Database, around caseID: String? = nil) throws -> [String: FieldState] {
        var states: [String: FieldState] = [:]
        let scope = caseID == nil ? "" : """
             WHERE c.case_id = ?1 OR (c.questionnaire, c.reserve_group) = (SELECT questionnaire, reserve_group FROM cases WHERE case_id = ?1)
            """
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.case_id, c.questionnaire, c.role, c.activated, c.reserve_group, c.disposition,
                   (SELECT r.case_id FROM cases r WHERE r.replaces = c.case_id AND r.activated = 1 LIMIT 1)
            FROM cases c\(scope)
            """, arguments: caseID.map { [$0] } ?? [])
        while let row = try rows.next() {
            let id: String = row[0]
            states[id] = FieldState(questionnaire: row[1], role: CaseRole(rawValue: row[2]) ?? .sample, activated: row[3],
                                    reserveGroup: row[4], disposition: Disposition(rawValue: row[5]) ?? .pending, replacedBy: row[6])
        }
        return states
    }

    /// Every unused reserve (or those of one case's reserve group), by reserve group, in rank order.
    func unusedReserves(_ db: Database, around caseID: String? = nil) throws -> [String: [UnusedReserve]] {
        var reserves: [String: [UnusedReserve]] = [:]
        let scope = caseID == nil ? "" : """
             AND (questionnaire, reserve_group) = (SELECT questionnaire, reserve_group FROM cases WHERE case_id = ?1)
            """
        let rows = try Row.fetchCursor(db, sql: """
            SELECT questionnaire, reserve_group, case_id, reserve_rank FROM cases
            WHERE role = 'reserve' AND activated = 0 AND reserve_group IS NOT NULL\(scope) ORDER BY questionnaire, reserve_group, reserve_rank
            """, arguments: caseID.map { [$0] } ?? [])
        while let row = try rows.next() {
            reserves[DispositionRules.groupKey(questionnaire: row[0], group: row[1]), default: []]
                .append(UnusedReserve(caseID: row[2], rank: row[3] ?? 0))
        }
        return reserves
    }

    public func recordDispositions(_ batch: DispositionBatch) async throws(StoreError) -> DispositionSummary {
        try await writing { db in try self.applyDispositions(db, batch, at: timestamp()) }
    }

    /// Checks and records a batch of dispositions in the caller's transaction, activating
    /// reserves (``DispositionRules``). A batch of one case (a call's final disposition) reads
    /// only that case and its reserve group.
    func applyDispositions(_ db: Database, _ batch: DispositionBatch, at: String) throws -> DispositionSummary {
        let one = batch.updates.count == 1 ? batch.updates[0].caseID : nil
        let keyed = Set(try String.fetchAll(db, sql: one == nil ? "SELECT DISTINCT case_id FROM forms" : """
            SELECT case_id FROM forms WHERE case_id = ?1 OR case_id IN (SELECT case_id FROM cases WHERE replaces = ?1)
            """, arguments: one.map { [$0] } ?? []))
        let plan = try DispositionRules.plan(batch, at: at, states: try fieldStates(db, around: one), keyed: keyed,
                                             reserves: try unusedReserves(db, around: one))
        let update = try db.makeStatement(sql: "UPDATE cases SET disposition = ?, disposition_note = ? WHERE case_id = ?")
        for u in plan.updates { try update.execute(arguments: [u.disposition.rawValue, u.note, u.caseID]) }
        let activate = try db.makeStatement(sql: "UPDATE cases SET activated = 1, replaces = ? WHERE case_id = ?")
        for a in plan.activations { try activate.execute(arguments: [a.replaces, a.reserve]) }
        for r in plan.releases { try db.execute(sql: "UPDATE cases SET activated = 0, replaces = NULL WHERE case_id = ?", arguments: [r.reserve]) }
        for entry in plan.audit { try audit(db, entry) }
        return plan.summary
    }
}
