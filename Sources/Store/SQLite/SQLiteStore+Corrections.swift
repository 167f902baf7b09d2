import GRDB
import Questionnaire

extension SQLiteStore {
    public func forms(caseID: String) async throws(StoreError) -> [CaseForm] {
        try await reading { db in try self.correctionCase(db, caseID).forms.map(\.caseForm) }
    }

    public func correct(_ correction: FormCorrection) async throws(StoreError) -> CorrectionSummary {
        try await writing { db in
            let at = timestamp()
            let (plan, summary) = try CorrectionRules.plan(correction, try self.correctionCase(db, correction.caseID), at: at)
            let q = correction.questionnaire
            if !plan.updates.isEmpty { try self.register(db, q, operator: correction.operator, at: at) }
            let inserter = try AnswerInserter(db)
            for (formID, answers) in plan.updates {
                try db.execute(sql: "DELETE FROM answers WHERE form_id = ?", arguments: [formID])
                for (item, value) in answers.sorted(by: { $0.key < $1.key }) { try inserter.insert(db, formID: formID, item: item, value: value) }
                try db.execute(sql: "UPDATE forms SET version = ? WHERE form_id = ?", arguments: [q.version, formID])
            }
            for (item, value) in plan.resolutions {
                try db.execute(sql: "UPDATE disagreements SET resolved = 1, value = ?, resolved_by = ?, resolved_at = ?, reason = ? WHERE case_id = ? AND item = ?",
                               arguments: [value, correction.operator, at, correction.reason, correction.caseID, item])
            }
            if let final = plan.final {
                try self.insertFinal(db, caseID: correction.caseID, questionnaire: q.id, version: q.version, answers: final,
                                     operator: correction.operator, at: at, source: correction.source)
            }
            for entry in plan.audit { try self.audit(db, entry) }
            if plan.counts, let answers = plan.updates.first?.answers ?? plan.final {
                try self.markCounted(db, caseID: correction.caseID, answers: answers, q, operator: correction.operator, at: at, source: correction.source,
                                     brokenOff: plan.brokenOff)
            }
            return summary
        }
    }

    public func voidForm(_ void: FormVoid) async throws(StoreError) -> VoidSummary {
        try await writing { db in
            let at = timestamp()
            let plan = try CorrectionRules.plan(void, try self.correctionCase(db, void.caseID), at: at)
            for formID in plan.removals {
                try db.execute(sql: "DELETE FROM answers WHERE form_id = ?", arguments: [formID])
                try db.execute(sql: "DELETE FROM forms WHERE form_id = ?", arguments: [formID])
            }
            try self.audit(db, plan.audit[0])
            let undone = plan.unverify ? try self.unverify(db, caseID: void.caseID, operator: void.operator, at: at, reason: void.reason) : false
            if plan.restore != nil {
                try db.execute(sql: "UPDATE cases SET disposition = 'pending' WHERE case_id = ?", arguments: [void.caseID])
            }
            if plan.reopenCalls {
                try db.execute(sql: CallSQL.reopen(caseID: "?"), arguments: [void.caseID])
                try db.execute(sql: "DELETE FROM callbacks WHERE case_id = ?", arguments: [void.caseID])
            }
            if plan.reopenOnline {
                try db.execute(sql: "DELETE FROM online_answers WHERE case_id = ?", arguments: [void.caseID])
            }
            for entry in plan.audit.dropFirst() { try self.audit(db, entry) }
            return VoidSummary(unverified: undone, restored: plan.restore)
        }
    }

    /// The case's questionnaire, disposition, closure, stored forms with answers, and newest
    /// `dispose` audit entry.
    func correctionCase(_ db: Database, _ caseID: String) throws -> CorrectionCase {
        let row = try Row.fetchOne(db, sql: """
            SELECT c.questionnaire, c.disposition, q.entry FROM cases c
            LEFT JOIN questionnaires q ON q.id = c.questionnaire AND q.version = c.version WHERE c.case_id = ?
            """, arguments: [caseID])
        guard let row else {
            return CorrectionCase(questionnaire: nil, disposition: .pending, entry: .double, closure: nil, forms: [], disagreements: [:], lastDispose: nil)
        }
        let questionnaire: String = row[0]
        var forms: [StoredCaseForm] = []
        for f in try Row.fetchAll(db, sql: """
            SELECT form_id, kind, mode, questionnaire, version, operator, entered_at, source FROM forms WHERE case_id = ?
            ORDER BY CASE kind WHEN 'pass1' THEN 1 WHEN 'pass2' THEN 2 ELSE 3 END
            """, arguments: [caseID]) {
            let id: Int64 = f[0]
            forms.append(StoredCaseForm(formID: id, kind: FormKind(rawValue: f[1]) ?? .final, mode: FormMode(rawValue: f[2] ?? "paper") ?? .paper,
                                        questionnaire: f[3], version: f[4], operatorName: f[5], enteredAt: f[6], source: f[7],
                                        answers: try answers(db, formID: id)))
        }
        var disagreements: [String: (pass1: String?, pass2: String?)] = [:]
        for d in try Row.fetchAll(db, sql: "SELECT item, pass1, pass2 FROM disagreements WHERE case_id = ? AND resolved = 0", arguments: [caseID]) {
            disagreements[d[0]] = (d[1], d[2])
        }
        let last = try Row.fetchOne(db, sql: "SELECT new_value, reason FROM audit WHERE case_id = ? AND action = 'dispose' ORDER BY audit_id DESC LIMIT 1",
                                    arguments: [caseID])
        return CorrectionCase(questionnaire: questionnaire, disposition: Disposition(rawValue: row[1]) ?? .pending,
                              entry: EntryMode(rawValue: row[2] ?? "") ?? .double, closure: try closure(db, questionnaire), forms: forms,
                              disagreements: disagreements, lastDispose: last.map { ($0[0], $0[1]) })
    }
}
