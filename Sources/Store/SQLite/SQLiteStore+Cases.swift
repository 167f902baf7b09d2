import GRDB
public import Questionnaire

extension SQLiteStore {
    public func loadCases(_ list: RespondentList, for questionnaire: Questionnaire, replace: Bool, operator: String) async throws -> LoadSummary {
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
                let source: String = earlier["source"], loadedAt: String = earlier["loaded_at"], loadedBy: String = earlier["loaded_by"]
                let n: Int = earlier["n"]
                guard replace else {
                    throw StoreError(.data, file: list.source,
                                     message: "questionnaire \(questionnaire.id) already has a list in \(path) (\(source), \(n) cases, loaded \(loadedAt) by \(loadedBy))",
                                     hint: "to load this list instead, add --replace (allowed while none of its cases has a form or a disposition)")
                }
                removed = try self.removeCases(db, questionnaire: questionnaire.id, list: list.source, operator: `operator`, at: at)
            }
            // Case ids must be new to the store.
            var problems: [EntryProblem] = []
            let stored = try self.caseOwners(db)
            for c in list.cases {
                if let owner = stored[c.caseID] {
                    problems.append(EntryProblem(file: list.source, line: c.line, column: list.columns.firstIndex(of: "case_id").map { $0 + 1 },
                                                 caseID: c.caseID, message: "case \(c.caseID) is already in the store (questionnaire \(owner))",
                                                 hint: "case ids must be unique across the store's lists; draw the lists with distinct case-id prefixes"))
                }
            }
            if !problems.isEmpty { throw StoreError.rejected(problems, file: list.source, what: "loaded") }
            let columnsJSON = "[" + list.columns.map(jsonString).joined(separator: ",") + "]"
            try db.execute(sql: """
                INSERT INTO lists (questionnaire, version, source, columns, stages, loaded_at, loaded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [questionnaire.id, questionnaire.version, list.source, columnsJSON, list.stageCount, at, `operator`])
            let listID = db.lastInsertedRowID
            let insertCase = try db.makeStatement(sql: """
                INSERT INTO cases (case_id, list_id, line, questionnaire, version, group_name, role, reserve_rank, reserve_group,
                                   town_id, prob, weight, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertStage = try db.makeStatement(sql: """
                INSERT INTO case_stages (case_id, stage, stratum, unit, prob, population, selected) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            var sampled = 0
            for c in list.cases {
                try insertCase.execute(arguments: [c.caseID, listID, c.line, questionnaire.id, questionnaire.version, questionnaire.group.rawValue,
                                                   c.role.rawValue, c.reserveRank, c.reserveGroup, c.townID, c.prob, c.weight, c.attributes])
                for (k, s) in c.stages.enumerated() {
                    try insertStage.execute(arguments: [c.caseID, k + 1, s.stratum, s.unit, s.prob, s.population, s.selected])
                }
                let what = c.role == .sample ? "sample" : "reserve \(c.reserveRank ?? 0) of \(c.reserveGroup ?? "")"
                try self.audit(db, at: at, operator: `operator`, action: "load", caseID: c.caseID, new: what, source: list.source)
                if c.role == .sample { sampled += 1 }
            }
            return LoadSummary(questionnaire: questionnaire.id, version: questionnaire.version, sampled: sampled,
                               reserves: list.cases.count - sampled, stages: list.stageCount, removed: removed)
        }
    }

    /// The questionnaire of every stored case.
    func caseOwners(_ db: Database) throws -> [String: String] {
        var owners: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT case_id, questionnaire FROM cases")
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
            throw StoreError(.data, file: list,
                             message: "cannot replace the list of questionnaire \(questionnaire): \(forms) forms and \(disposed) dispositions are recorded for its cases",
                             hint: "keep the loaded list, or start a new store (--db) for the new list")
        }
        let ids = try String.fetchAll(db, sql: "SELECT case_id FROM cases WHERE questionnaire = ? ORDER BY line", arguments: [questionnaire])
        try db.execute(sql: "DELETE FROM case_stages WHERE case_id IN (SELECT case_id FROM cases WHERE questionnaire = ?)", arguments: [questionnaire])
        try db.execute(sql: "DELETE FROM cases WHERE questionnaire = ?", arguments: [questionnaire])
        for id in ids {
            try audit(db, at: at, operator: `operator`, action: "remove", caseID: id, reason: "list replaced", source: list)
        }
        return ids.count
    }
}
