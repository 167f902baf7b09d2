import Foundation
import GRDB
import Questionnaire

extension SQLiteStore {
    func caseRecords(_ db: Database, caseID: String?, questionnaire: String?) throws -> [CaseRecord] {
        var stages: [String: [DesignStage]] = [:]
        let stageRows = try Row.fetchCursor(db, sql: StoreSQL.stages(id: "?1", questionnaire: "?2"), arguments: [caseID, questionnaire])
        while let r = try stageRows.next() {
            stages[r[0], default: []].append(DesignStage(stratum: r[1], unit: r[2], prob: r[3], population: r[4], selected: r[5]))
        }
        var records: [CaseRecord] = []
        let rows = try Row.fetchCursor(db, sql: StoreSQL.cases(id: "?1", questionnaire: "?2"), arguments: [caseID, questionnaire])
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

    public func caseRecord(_ caseID: String) async throws(StoreError) -> CaseRecord? {
        try await reading { db in try self.caseRecords(db, caseID: caseID, questionnaire: nil).first }
    }

    public func cases(questionnaire: String) async throws(StoreError) -> [CaseRecord] {
        try await reading { db in try self.caseRecords(db, caseID: nil, questionnaire: questionnaire) }
    }

    public func auditTrail(caseID: String) async throws(StoreError) -> [AuditEntry] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT \(StoreSQL.auditColumns) FROM audit WHERE case_id = ? ORDER BY audit_id", arguments: [caseID]).map(SQLiteStore.auditEntry)
        }
    }

    public func answerCounts(questionnaire: String, countedOnly: Bool) async throws(StoreError) -> [AnswerCount] {
        try await reading { db in
            try Row.fetchAll(db, sql: StoreSQL.answerCounts(questionnaire: "?1", counted: "?2"), arguments: [questionnaire, countedOnly])
                .map { AnswerCount(item: $0[0], townID: $0[1], value: $0[2], count: $0[3]) }
        }
    }

    public func keyingWork() async throws(StoreError) -> [KeyingWork] {
        KeyingWork.ordered(try await reading { db in
            try Row.fetchAll(db, sql: StoreSQL.keyingWork(day: { "substr(datetime(\($0), '+8 hours'), 1, 10)" }, differs: "IS NOT", length: "length"))
                .map { KeyingWork(operator: $0[0], day: $0[1], pass: $0[2], forms: $0[3], answers: $0[4], keystrokes: $0[5], disagreements: $0[6], errors: $0[7]) }
        })
    }

    public func snapshot(questionnaire: String?) async throws(StoreError) -> StoreSnapshot {
        try await reading { db in
            let questionnaires = try self.storedQuestionnaires(db, id: questionnaire)
            let cases = try self.caseRecords(db, caseID: nil, questionnaire: questionnaire)
            var forms = FormAssembler()
            let rows = try Row.fetchCursor(db, sql: StoreSQL.countedForms(questionnaire: "?1"), arguments: [questionnaire])
            while let r = try rows.next() {
                forms.add(formID: r[0], caseID: r[1], questionnaire: r[2], version: r[3], mode: r[4], item: r[5], value: r[6])
            }
            return forms.snapshot(questionnaires: questionnaires, cases: cases)
        }
    }

    public func status(questionnaire: String?) async throws(StoreError) -> StatusReport {
        StatusRules.report(try await reading { db in try self.caseRecords(db, caseID: nil, questionnaire: questionnaire) })
    }
}
