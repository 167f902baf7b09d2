import PostgresNIO

extension PostgresStore {
    public func recordDispositions(_ batch: DispositionBatch) async throws(StoreError) -> DispositionSummary {
        try await writing { db in
            let at = timestamp()
            try await self.lockWrites(db)
            let ids = Array(Set(batch.updates.map(\.caseID)))
            try await self.lockCases(db, ids)
            let keyed = Set(try await self.strings(db, "SELECT DISTINCT case_id FROM forms WHERE case_id = ANY(\(ids))"))
            let plan = try DispositionRules.plan(batch, at: at, states: try await self.fieldStates(db), keyed: keyed,
                                                 reserves: try await self.unusedReserves(db))
            for u in plan.updates {
                try await db.query("UPDATE cases SET disposition = \(u.disposition.rawValue), disposition_note = \(u.note) WHERE case_id = \(u.caseID)",
                                   logger: self.logger)
            }
            for a in plan.activations {
                try await db.query("UPDATE cases SET activated = 1, replaces = \(a.replaces) WHERE case_id = \(a.reserve)", logger: self.logger)
            }
            try await self.audit(db, plan.audit)
            return plan.summary
        }
    }

    /// Every case's field state.
    func fieldStates(_ db: PostgresConnection) async throws -> [String: FieldState] {
        var states: [String: FieldState] = [:]
        let rows = try await db.query("""
            SELECT c.case_id, c.questionnaire, c.role, c.activated, c.reserve_group, c.disposition,
                   EXISTS (SELECT 1 FROM cases r WHERE r.replaces = c.case_id)
            FROM cases c
            """, logger: logger)
        for try await (id, q, role, activated, group, disposition, replaced) in rows.decode((String, String, String, Int, String?, String, Bool).self) {
            states[id] = FieldState(questionnaire: q, role: CaseRole(rawValue: role) ?? .sample, activated: activated != 0, reserveGroup: group,
                                    disposition: Disposition(rawValue: disposition) ?? .pending, replaced: replaced)
        }
        return states
    }

    /// Every unused reserve, by reserve group, in rank order.
    func unusedReserves(_ db: PostgresConnection) async throws -> [String: [UnusedReserve]] {
        var reserves: [String: [UnusedReserve]] = [:]
        let rows = try await db.query("""
            SELECT questionnaire, reserve_group, case_id, reserve_rank FROM cases
            WHERE role = 'reserve' AND activated = 0 AND reserve_group IS NOT NULL ORDER BY questionnaire, reserve_group, reserve_rank
            """, logger: logger)
        for try await (q, group, id, rank) in rows.decode((String, String, String, Int?).self) {
            reserves[DispositionRules.groupKey(questionnaire: q, group: group), default: []].append(UnusedReserve(caseID: id, rank: rank ?? 0))
        }
        return reserves
    }
}
