import GRDB

extension SQLiteStore {
    /// Every case's field state.
    func fieldStates(_ db: Database) throws -> [String: FieldState] {
        var states: [String: FieldState] = [:]
        let replaced = Set(try String.fetchAll(db, sql: "SELECT replaces FROM cases WHERE replaces IS NOT NULL"))
        let rows = try Row.fetchCursor(db, sql: "SELECT case_id, questionnaire, role, activated, reserve_group, disposition FROM cases")
        while let row = try rows.next() {
            let id: String = row[0]
            states[id] = FieldState(questionnaire: row[1], role: CaseRole(rawValue: row[2]) ?? .sample, activated: row[3],
                                    reserveGroup: row[4], disposition: Disposition(rawValue: row[5]) ?? .pending,
                                    replaced: replaced.contains(id))
        }
        return states
    }

    /// Every unused reserve, by reserve group, in rank order.
    func unusedReserves(_ db: Database) throws -> [String: [UnusedReserve]] {
        var reserves: [String: [UnusedReserve]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT questionnaire, reserve_group, case_id, reserve_rank FROM cases
            WHERE role = 'reserve' AND activated = 0 AND reserve_group IS NOT NULL ORDER BY questionnaire, reserve_group, reserve_rank
            """)
        while let row = try rows.next() {
            reserves[DispositionRules.groupKey(questionnaire: row[0], group: row[1]), default: []]
                .append(UnusedReserve(caseID: row[2], rank: row[3] ?? 0))
        }
        return reserves
    }

    public func recordDispositions(_ batch: DispositionBatch) async throws(StoreError) -> DispositionSummary {
        try await writing { db in
            let at = timestamp()
            let keyed = Set(try String.fetchAll(db, sql: "SELECT DISTINCT case_id FROM forms"))
            let plan = try DispositionRules.plan(batch, at: at, states: try self.fieldStates(db), keyed: keyed,
                                                 reserves: try self.unusedReserves(db))
            let update = try db.makeStatement(sql: "UPDATE cases SET disposition = ?, disposition_note = ? WHERE case_id = ?")
            for u in plan.updates { try update.execute(arguments: [u.disposition.rawValue, u.note, u.caseID]) }
            let activate = try db.makeStatement(sql: "UPDATE cases SET activated = 1, replaces = ? WHERE case_id = ?")
            for a in plan.activations { try activate.execute(arguments: [a.replaces, a.reserve]) }
            for entry in plan.audit { try self.audit(db, entry) }
            return plan.summary
        }
    }
}
