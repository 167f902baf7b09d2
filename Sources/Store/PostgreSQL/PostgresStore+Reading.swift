import PostgresNIO
import Questionnaire

extension PostgresStore {
    func caseRecords(_ db: PostgresConnection, caseID: String?, questionnaire: String?) async throws -> [CaseRecord] {
        var stages: [String: [DesignStage]] = [:]
        let stageRows = try await query(db, StoreSQL.stages(id: "$1::text", questionnaire: "$2::text"), [.text(caseID), .text(questionnaire)])
        for try await (id, stratum, unit, prob, population, selected) in stageRows.decode((String, String?, String?, Double, Int, Int).self) {
            stages[id, default: []].append(DesignStage(stratum: stratum, unit: unit, prob: prob, population: population, selected: selected))
        }
        var records: [CaseRecord] = []
        let rows = try await query(db, StoreSQL.cases(id: "$1::text", questionnaire: "$2::text"), [.text(caseID), .text(questionnaire)])
        for try await row in rows {
            let (id, q, version, group, role, rank, reserveGroup, activated, replaces, town,
                 prob, weight, disposition, note, attributes, pass1, pass2, counted, open) =
                try row.decode((String, String, Int, String, String, Int?, String?, Int, String?, String?,
                                Double, Double, String, String?, String, Bool, Bool, Bool, Int).self)
            records.append(CaseRecord(
                caseID: id, questionnaire: q, version: version, group: RespondentGroup(rawValue: group) ?? .deputies,
                role: CaseRole(rawValue: role) ?? .sample, reserveRank: rank, reserveGroup: reserveGroup, activated: activated != 0,
                replaces: replaces, townID: town, stages: stages[id] ?? [], prob: prob, weight: weight,
                disposition: Disposition(rawValue: disposition) ?? .pending, note: note, attributes: attributes, hasPass1: pass1,
                hasPass2: pass2, counted: counted, openDisagreements: open))
        }
        return records
    }

    public func caseRecord(_ caseID: String) async throws(StoreError) -> CaseRecord? {
        try await reading { db in try await self.caseRecords(db, caseID: caseID, questionnaire: nil).first }
    }

    public func cases(questionnaire: String) async throws(StoreError) -> [CaseRecord] {
        try await reading { db in try await self.caseRecords(db, caseID: nil, questionnaire: questionnaire) }
    }

    public func auditTrail(caseID: String) async throws(StoreError) -> [AuditEntry] {
        try await reading { db in
            try await self.auditEntries(db, "SELECT \(StoreSQL.auditColumns) FROM audit WHERE case_id = $1 ORDER BY audit_id", [.text(caseID)])
        }
    }

    /// Reads audit entries with `sql`, which selects ``StoreSQL/auditColumns``.
    func auditEntries(_ db: PostgresConnection, _ sql: String, _ values: [SQLValue]) async throws -> [AuditEntry] {
        var out: [AuditEntry] = []
        let rows = try await query(db, sql, values)
        for try await (at, name, action, caseID, pass, item, old, new, reason, source) in
            rows.decode((String, String, String, String?, Int?, String?, String?, String?, String?, String?).self) {
            out.append(AuditEntry(at: at, operator: name, action: action, caseID: caseID, pass: pass, item: item, oldValue: old,
                                  newValue: new, reason: reason, source: source))
        }
        return out
    }

    public func snapshot(questionnaire: String?) async throws(StoreError) -> StoreSnapshot {
        try await reading { db in
            let questionnaires = try await self.storedQuestionnaires(db, id: questionnaire)
            let cases = try await self.caseRecords(db, caseID: nil, questionnaire: questionnaire)
            var forms = FormAssembler()
            let rows = try await self.query(db, StoreSQL.countedForms(questionnaire: "$1::text"), [.text(questionnaire)])
            for try await (id, caseID, q, version, mode, item, value) in rows.decode((Int64, String, String, Int, String, String?, String?).self) {
                forms.add(formID: id, caseID: caseID, questionnaire: q, version: version, mode: mode, item: item, value: value)
            }
            return forms.snapshot(questionnaires: questionnaires, cases: cases)
        }
    }

    public func status(questionnaire: String?) async throws(StoreError) -> StatusReport {
        StatusRules.report(try await reading { db in try await self.caseRecords(db, caseID: nil, questionnaire: questionnaire) })
    }

    public func keyingWork() async throws(StoreError) -> [KeyingWork] {
        try await reading { db in
            var out: [KeyingWork] = []
            let sql = StoreSQL.keyingWork(day: { "to_char(((\($0))::timestamptz AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')" },
                                          differs: "IS DISTINCT FROM", length: "char_length")
            let rows = try await db.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
            for try await (who, day, pass, forms, answers, keys, differ, errors) in rows.decode((String, String, Int, Int, Int, Int, Int, Int).self) {
                out.append(KeyingWork(operator: who, day: day, pass: pass, forms: forms, answers: answers, keystrokes: keys, disagreements: differ, errors: errors))
            }
            return KeyingWork.ordered(out)
        }
    }

    public func answerCounts(questionnaire: String, countedOnly: Bool) async throws(StoreError) -> [AnswerCount] {
        try await reading { db in
            var out: [AnswerCount] = []
            let rows = try await self.query(db, StoreSQL.answerCounts(questionnaire: "$1::text", counted: "$2::boolean"),
                                            [.text(questionnaire), .bool(countedOnly)])
            for try await (item, town, value, count) in rows.decode((String, String?, String, Int).self) {
                out.append(AnswerCount(item: item, townID: town, value: value, count: count))
            }
            return out
        }
    }
}
