import Foundation
import GRDB
import Questionnaire

extension SQLiteStore {
    /// The columns of a ``CaseRecord``; `?1` is the case id or NULL, `?2` the questionnaire or NULL.
    static let caseQuery = """
        SELECT c.case_id, c.questionnaire, c.version, c.group_name, c.role, c.reserve_rank, c.reserve_group, c.activated,
               c.replaces, c.town_id, c.prob, c.weight, c.disposition, c.disposition_note, c.attributes,
               EXISTS (SELECT 1 FROM forms f WHERE f.case_id = c.case_id AND f.kind = 'pass1') AS pass1,
               EXISTS (SELECT 1 FROM forms f WHERE f.case_id = c.case_id AND f.kind = 'pass2') AS pass2,
               EXISTS (SELECT 1 FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
                       WHERE f.case_id = c.case_id AND (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single'))) AS counted,
               (SELECT COUNT(*) FROM disagreements d WHERE d.case_id = c.case_id AND d.resolved = 0) AS open
        FROM cases c
        WHERE (?1 IS NULL OR c.case_id = ?1) AND (?2 IS NULL OR c.questionnaire = ?2)
        ORDER BY c.questionnaire, c.line
        """

    func caseRecords(_ db: Database, caseID: String?, questionnaire: String?) throws -> [CaseRecord] {
        var stages: [String: [DesignStage]] = [:]
        let stageRows = try Row.fetchCursor(db, sql: """
            SELECT s.case_id, s.stratum, s.unit, s.prob, s.population, s.selected FROM case_stages s JOIN cases c ON c.case_id = s.case_id
            WHERE (?1 IS NULL OR s.case_id = ?1) AND (?2 IS NULL OR c.questionnaire = ?2) ORDER BY s.case_id, s.stage
            """, arguments: [caseID, questionnaire])
        while let r = try stageRows.next() {
            stages[r[0], default: []].append(DesignStage(stratum: r[1], unit: r[2], prob: r[3], population: r[4], selected: r[5]))
        }
        var records: [CaseRecord] = []
        let rows = try Row.fetchCursor(db, sql: SQLiteStore.caseQuery, arguments: [caseID, questionnaire])
        while let r = try rows.next() {
            let id: String = r[0]
            records.append(CaseRecord(
                caseID: id, questionnaire: r[1], version: r[2], group: RespondentGroup(rawValue: r[3]) ?? .deputies,
                role: CaseRole(rawValue: r[4]) ?? .sample, reserveRank: r[5], reserveGroup: r[6], activated: r[7], replaces: r[8],
                townID: r[9], stages: stages[id] ?? [], prob: r[10], weight: r[11], disposition: Disposition(rawValue: r[12]) ?? .pending,
                note: r[13], attributes: r[14], hasPass1: r[15], hasPass2: r[16], counted: r[17], openDisagreements: r[18]))
        }
        return records
    }

    public func caseRecord(_ caseID: String) async throws -> CaseRecord? {
        try await reading { db in try self.caseRecords(db, caseID: caseID, questionnaire: nil).first }
    }

    public func auditTrail(caseID: String) async throws -> [AuditEntry] {
        try await reading { db in
            try Row.fetchAll(db, sql: """
                SELECT at, operator, action, case_id, pass, item, old_value, new_value, reason, source FROM audit
                WHERE case_id = ? ORDER BY audit_id
                """, arguments: [caseID]).map {
                AuditEntry(at: $0[0], operator: $0[1], action: $0[2], caseID: $0[3], pass: $0[4], item: $0[5],
                           oldValue: $0[6], newValue: $0[7], reason: $0[8], source: $0[9])
            }
        }
    }

    public func snapshot(questionnaire: String?) async throws -> StoreSnapshot {
        try await reading { db in
            let questionnaires = try self.storedQuestionnaires(db, id: questionnaire)
            let cases = try self.caseRecords(db, caseID: nil, questionnaire: questionnaire)
            var forms: [CountedForm] = []
            var current: (id: Int64, caseID: String, questionnaire: String, version: Int, answers: [String: String])?
            let rows = try Row.fetchCursor(db, sql: """
                SELECT f.form_id, f.case_id, f.questionnaire, f.version, a.item, a.value
                FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
                LEFT JOIN answers a ON a.form_id = f.form_id
                WHERE (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single')) AND (?1 IS NULL OR f.questionnaire = ?1)
                ORDER BY f.form_id
                """, arguments: [questionnaire])
            while let r = try rows.next() {
                let formID: Int64 = r[0]
                if current?.id != formID {
                    if let c = current { forms.append(CountedForm(caseID: c.caseID, questionnaire: c.questionnaire, version: c.version, answers: c.answers)) }
                    current = (formID, r[1], r[2], r[3], [:])
                }
                if let item: String = r[4], let value: String = r[5] { current?.answers[item] = value }
            }
            if let c = current { forms.append(CountedForm(caseID: c.caseID, questionnaire: c.questionnaire, version: c.version, answers: c.answers)) }
            let order = Dictionary(cases.enumerated().map { ($1.caseID, $0) }, uniquingKeysWith: { a, _ in a })
            forms.sort { (order[$0.caseID] ?? 0) < (order[$1.caseID] ?? 0) }
            let stageCount = cases.map(\.stages.count).max() ?? 0
            return StoreSnapshot(questionnaires: questionnaires, cases: cases, forms: forms, stageCount: stageCount)
        }
    }

    public func status(questionnaire: String?) async throws -> StatusReport {
        let cases = try await reading { db in try self.caseRecords(db, caseID: nil, questionnaire: questionnaire) }
        var groups: [RespondentGroup: StatusRow] = [:]
        var towns: [String: StatusRow] = [:]
        for c in cases {
            let key = c.group.rawValue + "\u{1F}" + (c.townID ?? "")
            var town = towns[key] ?? StatusRow(group: c.group, townID: c.townID, townName: townName(c.attributes))
            count(c, into: &town)
            towns[key] = town
            var group = groups[c.group] ?? StatusRow(group: c.group, townID: nil, townName: nil)
            count(c, into: &group)
            groups[c.group] = group
        }
        let groupRows = groups.values.sorted { $0.group < $1.group }
        let townRows = towns.values.sorted { ($0.group, $0.townID ?? "") < ($1.group, $1.townID ?? "") }
        return StatusReport(groups: groupRows, towns: townRows)
    }
}

/// Adds one case to a status row.
private func count(_ c: CaseRecord, into row: inout StatusRow) {
    switch c.role {
    case .sample: row.sampled += 1
    case .reserve:
        if c.activated { row.reservesUsed += 1 } else { row.reservesLeft += 1 }
    }
    if c.hasPass1 { row.pass1 += 1 }
    if c.hasPass2 { row.pass2 += 1 }
    if c.counted { row.verified += 1 }
    if c.openDisagreements > 0 { row.disagreeing += 1 }
    if c.inUse { row.dispositions[c.disposition, default: 0] += 1 }
}

/// The `town` attribute of a case (the frame's town name), if any.
private func townName(_ attributes: String) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(attributes.utf8)) as? [String: Any] else { return nil }
    return object["town"] as? String
}
