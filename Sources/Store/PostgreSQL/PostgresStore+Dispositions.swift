import PostgresNIO

extension PostgresStore {
    public func recordDispositions(_ batch: DispositionBatch) async throws(StoreError) -> DispositionSummary {
        try await writing { db in try await self.applyDispositions(db, batch, at: timestamp()) }
    }

    /// Checks and records a batch of dispositions in the caller's transaction, activating
    /// reserves (``DispositionRules``), under the advisory lock of the long writes. A batch of
    /// one case (a call's final disposition) reads only that case and its reserve group.
    func applyDispositions(_ db: PostgresConnection, _ batch: DispositionBatch, at: String) async throws -> DispositionSummary {
        try await lockWrites(db)
        let ids = Array(Set(batch.updates.map(\.caseID)))
        try await lockCases(db, ids)
        let one = ids.count == 1 ? ids[0] : nil
        let keyed = Set(try await strings(db, """
            SELECT DISTINCT case_id FROM forms WHERE case_id = ANY(\(ids)) OR case_id IN (SELECT case_id FROM cases WHERE replaces = ANY(\(ids)))
            """))
        let plan = try DispositionRules.plan(batch, at: at, states: try await fieldStates(db, around: one), keyed: keyed,
                                             reserves: try await unusedReserves(db, around: one))
        for u in plan.updates {
            try await db.query("UPDATE cases SET disposition = \(u.disposition.rawValue), disposition_note = \(u.note) WHERE case_id = \(u.caseID)",
                               logger: logger)
        }
        for a in plan.activations {
            try await db.query("UPDATE cases SET activated = 1, replaces = \(a.replaces) WHERE case_id = \(a.reserve)", logger: logger)
        }
        for r in plan.releases {
            try await db.query("UPDATE cases SET activated = 0, replaces = NULL WHERE case_id = \(r.reserve)", logger: logger)
        }
        try await audit(db, plan.audit)
        return plan.summary
    }

    /// The field state of every case, or (`around` a case) of that case and the cases of its
    /// reserve group.
    func fieldStates(_ db: PostgresConnection, around caseID: String? = nil) async throws -> [String: FieldState] {
        var states: [String: FieldState] = [:]
        let scope = caseID == nil ? " WHERE $1::text IS NULL" : """
             WHERE c.case_id = $1 OR (c.questionnaire, c.reserve_group) = (SELECT questionnaire, reserve_group FROM cases WHERE case_id = $1)
            """
        let rows = try await query(db, """
            SELECT c.case_id, c.questionnaire, c.role, c.activated, c.reserve_group, c.disposition,
                   (SELECT r.case_id FROM cases r WHERE r.replaces = c.case_id AND r.activated = 1 LIMIT 1)
            FROM cases c\(scope)
            """, [.text(caseID)])
        for try await (id, q, role, activated, group, disposition, replacedBy) in rows.decode((String, String, String, Int, String?, String, String?).self) {
            states[id] = FieldState(questionnaire: q, role: CaseRole(rawValue: role) ?? .sample, activated: activated != 0, reserveGroup: group,
                                    disposition: Disposition(rawValue: disposition) ?? .pending, replacedBy: replacedBy)
        }
        return states
    }

    /// Every unused reserve (or those of one case's reserve group), by reserve group, in rank order.
    func unusedReserves(_ db: PostgresConnection, around caseID: String? = nil) async throws -> [String: [UnusedReserve]] {
        var reserves: [String: [UnusedReserve]] = [:]
        let scope = caseID == nil ? " AND $1::text IS NULL" : """
             AND (questionnaire, reserve_group) = (SELECT questionnaire, reserve_group FROM cases WHERE case_id = $1)
            """
        let rows = try await query(db, """
            SELECT questionnaire, reserve_group, case_id, reserve_rank FROM cases
            WHERE role = 'reserve' AND activated = 0 AND reserve_group IS NOT NULL\(scope) ORDER BY questionnaire, reserve_group, reserve_rank
            """, [.text(caseID)])
        for try await (q, group, id, rank) in rows.decode((String, String, String, Int?).self) {
            reserves[DispositionRules.groupKey(questionnaire: q, group: group), default: []].append(UnusedReserve(caseID: id, rank: rank ?? 0))
        }
        return reserves
    }
}
