import GRDB

extension SQLiteStore {
    /// A case's state as far as dispositions and reserves are concerned.
    struct FieldState {
        let questionnaire: String
        let role: CaseRole
        var activated: Bool
        let reserveGroup: String?
        var disposition: Disposition
        /// Whether a reserve already replaces this case.
        var replaced: Bool
        var inUse: Bool { role == .sample || activated }
    }

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

    public func recordDispositions(_ batch: DispositionBatch) async throws -> DispositionSummary {
        try await writing { db in
            let at = timestamp()
            var states = try self.fieldStates(db)
            let keyed = Set(try String.fetchAll(db, sql: "SELECT DISTINCT case_id FROM forms"))
            var problems: [EntryProblem] = []
            var seen: [String: Int] = [:]
            var changed = 0, unchanged = 0
            var activations: [Activation] = []
            var exhausted: [DispositionSummary.Exhausted] = []
            func problem(_ u: DispositionUpdate, _ message: String, _ hint: String) {
                problems.append(EntryProblem(file: batch.source, line: u.line, column: 1, caseID: u.caseID, message: message, hint: hint))
            }
            let update = try db.makeStatement(sql: "UPDATE cases SET disposition = ?, disposition_note = ? WHERE case_id = ?")
            let nextReserve = try db.makeStatement(sql: """
                SELECT case_id, reserve_rank FROM cases
                WHERE questionnaire = ? AND role = 'reserve' AND activated = 0 AND reserve_group = ?
                ORDER BY reserve_rank LIMIT 1
                """)
            let activate = try db.makeStatement(sql: "UPDATE cases SET activated = 1, replaces = ? WHERE case_id = ?")
            for u in batch.updates {
                if let other = seen[u.caseID] {
                    problem(u, "case \(u.caseID) appears twice (also on line \(other))", "give each case one disposition per file")
                    continue
                }
                seen[u.caseID] = u.line ?? 0
                guard var state = states[u.caseID] else {
                    problem(u, "case \(u.caseID) is not in the store", "check the case number, or load its list with pingyi cases load")
                    continue
                }
                guard state.inUse else {
                    problem(u, "case \(u.caseID) is a reserve that is not in use",
                            "a reserve takes a disposition once a non-response of the case before it activated it")
                    continue
                }
                if !u.disposition.allowsForm && keyed.contains(u.caseID) {
                    problem(u, "case \(u.caseID) has a keyed form, so it cannot be \(u.disposition.rawValue)",
                            "record complete or partial, or check the case number")
                    continue
                }
                if state.disposition == u.disposition {
                    unchanged += 1
                    continue
                }
                try update.execute(arguments: [u.disposition.rawValue, u.note, u.caseID])
                try self.audit(db, at: at, operator: batch.operator, action: "dispose", caseID: u.caseID,
                               old: state.disposition.rawValue, new: u.disposition.rawValue, reason: u.note, source: batch.source)
                changed += 1
                state.disposition = u.disposition
                if u.disposition.isNonResponse && batch.useReserves && !state.replaced, let group = state.reserveGroup {
                    if let row = try Row.fetchOne(nextReserve, arguments: [state.questionnaire, group]) {
                        let reserve: String = row[0]
                        let rank: Int = row[1]
                        try activate.execute(arguments: [u.caseID, reserve])
                        try self.audit(db, at: at, operator: batch.operator, action: "activate", caseID: reserve,
                                       old: "unused", new: "replaces \(u.caseID)", reason: "\(u.caseID): \(u.disposition.rawValue)", source: batch.source)
                        try self.audit(db, at: at, operator: batch.operator, action: "replaced", caseID: u.caseID,
                                       new: "replaced by \(reserve)", reason: u.disposition.rawValue, source: batch.source)
                        states[reserve]?.activated = true
                        state.replaced = true
                        activations.append(Activation(reserve: reserve, replaces: u.caseID, reserveGroup: group, rank: rank))
                    } else {
                        exhausted.append(.init(caseID: u.caseID, reserveGroup: group))
                    }
                }
                states[u.caseID] = state
            }
            if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "recorded") }
            return DispositionSummary(changed: changed, unchanged: unchanged, activations: activations, exhausted: exhausted)
        }
    }
}
