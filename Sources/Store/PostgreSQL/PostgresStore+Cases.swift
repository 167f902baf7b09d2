import PostgresNIO
public import Questionnaire

extension PostgresStore {
    public func loadCases(_ list: RespondentList, for questionnaire: Questionnaire, replace: Bool, operator: String) async throws(StoreError) -> LoadSummary {
        let location = self.location
        return try await writing { db in
            let at = timestamp()
            try await self.lockWrites(db)
            try await self.register(db, questionnaire, operator: `operator`, at: at)
            var removed = 0
            let earlier = try await db.query("""
                SELECT l.source, l.loaded_at, l.loaded_by, COUNT(c.case_id)
                FROM cases c JOIN lists l ON l.list_id = c.list_id
                WHERE c.questionnaire = \(questionnaire.id) GROUP BY l.list_id ORDER BY l.list_id DESC LIMIT 1
                """, logger: self.logger).decode((String, String, String, Int).self)
            for try await (source, loadedAt, loadedBy, n) in earlier {
                guard replace else {
                    let e = CaseRules.EarlierList(source: source, loadedAt: loadedAt, loadedBy: loadedBy, cases: n)
                    throw CaseRules.secondList(e, list: list, questionnaire: questionnaire.id, store: location)
                }
            }
            if replace {
                removed = try await self.removeCases(db, questionnaire: questionnaire.id, list: list.source, operator: `operator`, at: at)
            }
            let problems = CaseRules.duplicateProblems(list, owners: try await self.caseOwners(db, list.cases.map(\.caseID)))
            if !problems.isEmpty { throw StoreError.rejected(problems, file: list.source, what: "loaded") }
            let listID = try await self.insertRows(db, "lists", ["questionnaire", "version", "source", "columns", "stages", "loaded_at", "loaded_by"],
                                                   [[.text(questionnaire.id), .int(questionnaire.version), .text(list.source),
                                                     .text(CaseRules.columnsJSON(list)), .int(list.stageCount), .text(at), .text(`operator`)]],
                                                   returning: "list_id").first
            let q = questionnaire
            try await self.insertRows(db, "cases", ["case_id", "list_id", "line", "questionnaire", "version", "group_name", "role",
                                                    "reserve_rank", "reserve_group", "town_id", "prob", "weight", "attributes"],
                                      list.cases.map { c in
                                          [.text(c.caseID), .int(listID.map { Int($0) }), .int(c.line), .text(q.id), .int(q.version),
                                           .text(q.group.rawValue), .text(c.role.rawValue), .int(c.reserveRank), .text(c.reserveGroup),
                                           .text(c.townID), .double(c.prob), .double(c.weight), .text(c.attributes)]
                                      })
            try await self.insertRows(db, "case_stages", ["case_id", "stage", "stratum", "unit", "prob", "population", "selected"],
                                      list.cases.flatMap { c in
                                          c.stages.enumerated().map { k, s in
                                              [.text(c.caseID), .int(k + 1), .text(s.stratum), .text(s.unit), .double(s.prob),
                                               .int(s.population), .int(s.selected)]
                                          }
                                      })
            try await self.audit(db, list.cases.map { CaseRules.loadAudit($0, list: list, operator: `operator`, at: at) })
            let calls = CaseRules.callCases(list, q)
            try await self.insertRows(db, "case_phones", ["case_id", "rank", "number"],
                                      calls.flatMap { c, _ in c.phones.enumerated().map { k, n in [.text(c.caseID), .int(k + 1), .text(n)] } })
            try await self.insertRows(db, "call_cases", ["case_id", "questionnaire", "town_id", "random_order"],
                                      calls.map { c, order in [.text(c.caseID), .text(q.id), .text(c.townID), .int(Int(order))] })
            // Fresh statistics for the planner: a list is a bulk load, and the scheduler's and
            // keying's queries pick their indexes by the tables' sizes.
            try await db.query("ANALYZE cases, case_stages, call_cases, case_phones", logger: self.logger)
            return CaseRules.summary(list, questionnaire, removed: removed)
        }
    }

    /// The questionnaire of each of these cases that is stored.
    func caseOwners(_ db: PostgresConnection, _ ids: [String]) async throws -> [String: String] {
        var owners: [String: String] = [:]
        guard !ids.isEmpty else { return owners }
        let rows = try await db.query("SELECT case_id, questionnaire FROM cases WHERE case_id = ANY(\(ids))", logger: logger)
        for try await (id, owner) in rows.decode((String, String).self) { owners[id] = owner }
        return owners
    }

    /// Removes the cases of a questionnaire's list before another is loaded in its place.
    func removeCases(_ db: PostgresConnection, questionnaire: String, list: String, operator: String, at: String) async throws -> Int {
        var forms = 0, disposed = 0
        let counts = try await db.query("""
            SELECT (SELECT COUNT(*) FROM forms f JOIN cases c ON c.case_id = f.case_id WHERE c.questionnaire = \(questionnaire)),
                   (SELECT COUNT(*) FROM cases WHERE questionnaire = \(questionnaire) AND (disposition <> 'pending' OR activated = 1))
            """, logger: logger)
        for try await (f, d) in counts.decode((Int, Int).self) { (forms, disposed) = (f, d) }
        if forms > 0 || disposed > 0 {
            throw CaseRules.listInUse(questionnaire: questionnaire, forms: forms, dispositions: disposed, list: list)
        }
        let calls = try await db.query("SELECT COUNT(*) FROM call_attempts WHERE questionnaire = \(questionnaire)", logger: logger)
        for try await n in calls.decode(Int.self) where n > 0 {
            throw CaseRules.listCalled(questionnaire: questionnaire, attempts: n, list: list)
        }
        let ids = try await strings(db, "SELECT case_id FROM cases WHERE questionnaire = \(questionnaire) ORDER BY line")
        for table in ["case_phones", "call_cases", "callbacks"] {
            try await query(db, "DELETE FROM \(table) WHERE case_id IN (SELECT case_id FROM cases WHERE questionnaire = $1)", [.text(questionnaire)])
        }
        try await db.query("DELETE FROM case_stages WHERE case_id IN (SELECT case_id FROM cases WHERE questionnaire = \(questionnaire))", logger: logger)
        try await db.query("DELETE FROM cases WHERE questionnaire = \(questionnaire)", logger: logger)
        try await audit(db, ids.map { AuditRecord(at: at, operator: `operator`, action: "remove", caseID: $0, reason: "list replaced", source: list) })
        return ids.count
    }
}
