import GRDB
public import Questionnaire

extension SQLiteStore {
    public func loadCases(_ list: RespondentList, for questionnaire: Questionnaire, replace: Bool, operator: String) async throws(StoreError) -> LoadSummary {
        let path = self.path
        return try await writing { db in
            let at = timestamp()
            try self.register(db, questionnaire, operator: `operator`, at: at)
            // One list per questionnaire id.
            var removed = 0
            if let earlier = try Row.fetchOne(db, sql: """
                SELECT l.source, l.loaded_at, l.loaded_by, COUNT(c.case_id) AS n
                FROM cases c JOIN lists l ON l.list_id = c.list_id
                WHERE c.questionnaire = ? GROUP BY l.list_id ORDER BY l.list_id DESC LIMIT 1
                """, arguments: [questionnaire.id]) {
                guard replace else {
                    let e = CaseRules.EarlierList(source: earlier[0], loadedAt: earlier[1], loadedBy: earlier[2], cases: earlier[3])
                    throw CaseRules.secondList(e, list: list, questionnaire: questionnaire.id, store: path)
                }
                removed = try self.removeCases(db, questionnaire: questionnaire.id, list: list.source, operator: `operator`, at: at)
            }
            // Case ids must be new to the store.
            let problems = CaseRules.duplicateProblems(list, owners: try self.caseOwners(db, only: nil))
            if !problems.isEmpty { throw StoreError.rejected(problems, file: list.source, what: "loaded") }
            try db.execute(sql: """
                INSERT INTO lists (questionnaire, version, source, columns, stages, loaded_at, loaded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [questionnaire.id, questionnaire.version, list.source, CaseRules.columnsJSON(list), list.stageCount, at, `operator`])
            let listID = db.lastInsertedRowID
            let insertCase = try db.makeStatement(sql: """
                INSERT INTO cases (case_id, list_id, line, questionnaire, version, group_name, role, reserve_rank, reserve_group,
                                   town_id, prob, weight, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertStage = try db.makeStatement(sql: """
                INSERT INTO case_stages (case_id, stage, stratum, unit, prob, population, selected) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for c in list.cases {
                try insertCase.execute(arguments: [c.caseID, listID, c.line, questionnaire.id, questionnaire.version, questionnaire.group.rawValue,
                                                   c.role.rawValue, c.reserveRank, c.reserveGroup, c.townID, c.prob, c.weight, c.attributes])
                for (k, s) in c.stages.enumerated() {
                    try insertStage.execute(arguments: [c.caseID, k + 1, s.stratum, s.unit, s.prob, s.population, s.selected])
                }
                try self.audit(db, CaseRules.loadAudit(c, list: list, operator: `operator`, at: at))
            }
            let insertPhone = try db.makeStatement(sql: "INSERT INTO case_phones (case_id, rank, number) VALUES (?, ?, ?)")
            let insertCall = try db.makeStatement(sql: "INSERT INTO call_cases (case_id, questionnaire, town_id, random_order) VALUES (?, ?, ?, ?)")
            for (c, order) in CaseRules.callCases(list, questionnaire) {
                for (k, number) in c.phones.enumerated() { try insertPhone.execute(arguments: [c.caseID, k + 1, number]) }
                try insertCall.execute(arguments: [c.caseID, questionnaire.id, c.townID, order])
            }
            return CaseRules.summary(list, questionnaire, removed: removed)
        }
    }

    /// The questionnaire of every stored case (`only` these, when given).
    func caseOwners(_ db: Database, only ids: [String]?) throws -> [String: String] {
        var owners: [String: String] = [:]
        if ids?.isEmpty == true { return owners }
        let rows = try Row.fetchCursor(db, sql: "SELECT case_id, questionnaire FROM cases WHERE 1 = 1\(inList("case_id", ids))",
                                       arguments: StatementArguments(ids ?? []))
        while let row = try rows.next() { owners[row[0]] = row[1] }
        return owners
    }

    /// Removes the cases of a questionnaire's list before another is loaded in its place.
    /// Refused when any of them has a form, a disposition, or is an activated reserve.
    func removeCases(_ db: Database, questionnaire: String, list: String, operator: String, at: String) throws -> Int {
        let forms = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM forms f JOIN cases c ON c.case_id = f.case_id WHERE c.questionnaire = ?
            """, arguments: [questionnaire]) ?? 0
        let disposed = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM cases WHERE questionnaire = ? AND (disposition <> 'pending' OR activated = 1)
            """, arguments: [questionnaire]) ?? 0
        if forms > 0 || disposed > 0 {
            throw CaseRules.listInUse(questionnaire: questionnaire, forms: forms, dispositions: disposed, list: list)
        }
        let calls = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_attempts WHERE questionnaire = ?", arguments: [questionnaire]) ?? 0
        if calls > 0 { throw CaseRules.listCalled(questionnaire: questionnaire, attempts: calls, list: list) }
        let ids = try String.fetchAll(db, sql: "SELECT case_id FROM cases WHERE questionnaire = ? ORDER BY line", arguments: [questionnaire])
        for table in ["case_phones", "call_cases", "callbacks"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE case_id IN (SELECT case_id FROM cases WHERE questionnaire = ?)", arguments: [questionnaire])
        }
        try db.execute(sql: "DELETE FROM case_stages WHERE case_id IN (SELECT case_id FROM cases WHERE questionnaire = ?)", arguments: [questionnaire])
        try db.execute(sql: "DELETE FROM cases WHERE questionnaire = ?", arguments: [questionnaire])
        for id in ids {
            try audit(db, at: at, operator: `operator`, action: "remove", caseID: id, reason: "list replaced", source: list)
        }
        return ids.count
    }
}
