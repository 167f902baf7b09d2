import PostgresNIO
import Questionnaire

extension PostgresStore {
    public func forms(caseID: String) async throws(StoreError) -> [CaseForm] {
        try await reading { db in try await self.correctionCase(db, caseID, lock: false).forms.map(\.caseForm) }
    }

    public func correct(_ correction: FormCorrection) async throws(StoreError) -> CorrectionSummary {
        try await writing { db in
            let at = timestamp()
            let (plan, summary) = try CorrectionRules.plan(correction, try await self.correctionCase(db, correction.caseID, lock: true), at: at)
            let q = correction.questionnaire
            if !plan.updates.isEmpty { try await self.register(db, q, operator: correction.operator, at: at) }
            for (formID, answers) in plan.updates {
                try await db.query("DELETE FROM answers WHERE form_id = \(formID)", logger: self.logger)
                try await self.insertAnswers(db, answers.sorted { $0.key < $1.key }.map { (formID, $0.key, $0.value) })
                try await db.query("UPDATE forms SET version = \(q.version) WHERE form_id = \(formID)", logger: self.logger)
            }
            for (item, value) in plan.resolutions {
                try await db.query("""
                    UPDATE disagreements SET resolved = 1, value = \(value), resolved_by = \(correction.operator), resolved_at = \(at),
                           reason = \(correction.reason) WHERE case_id = \(correction.caseID) AND item = \(item)
                    """, logger: self.logger)
            }
            if let final = plan.final {
                try await self.insertFinal(db, caseID: correction.caseID, questionnaire: q.id, version: q.version, answers: final,
                                           operator: correction.operator, at: at, source: correction.source)
            }
            try await self.audit(db, plan.audit)
            if plan.counts, let answers = plan.updates.first?.answers ?? plan.final {
                try await self.markCounted(db, [(correction.caseID, answers, q)], operator: correction.operator, at: at, source: correction.source,
                                           brokenOff: plan.brokenOff)
            }
            return summary
        }
    }

    public func voidForm(_ void: FormVoid) async throws(StoreError) -> VoidSummary {
        try await writing { db in
            let at = timestamp()
            let plan = try CorrectionRules.plan(void, try await self.correctionCase(db, void.caseID, lock: true), at: at)
            for formID in plan.removals {
                try await db.query("DELETE FROM answers WHERE form_id = \(formID)", logger: self.logger)
                try await db.query("DELETE FROM forms WHERE form_id = \(formID)", logger: self.logger)
            }
            try await self.audit(db, [plan.audit[0]])
            let undone = plan.unverify ? try await self.unverify(db, caseID: void.caseID, operator: void.operator, at: at, reason: void.reason) : false
            if plan.restore != nil {
                try await db.query("UPDATE cases SET disposition = 'pending' WHERE case_id = \(void.caseID)", logger: self.logger)
            }
            if plan.reopenCalls {
                _ = try await self.query(db, CallSQL.reopen(caseID: "$1"), [.text(void.caseID)])
                try await db.query("DELETE FROM callbacks WHERE case_id = \(void.caseID)", logger: self.logger)
            }
            if plan.reopenOnline {
                try await db.query("DELETE FROM online_answers WHERE case_id = \(void.caseID)", logger: self.logger)
            }
            try await self.audit(db, Array(plan.audit.dropFirst()))
            return VoidSummary(unverified: undone, restored: plan.restore)
        }
    }

    /// The case's questionnaire, disposition, closure, stored forms with answers, and newest
    /// `dispose` audit entry; the case's row locked until the transaction ends when `lock`.
    func correctionCase(_ db: PostgresConnection, _ caseID: String, lock: Bool) async throws -> CorrectionCase {
        var found: (String, String, String?)?
        let rows = try await db.query("""
            SELECT c.questionnaire, c.disposition, q.entry FROM cases c
            LEFT JOIN questionnaires q ON q.id = c.questionnaire AND q.version = c.version WHERE c.case_id = \(caseID)
            \(unescaped: lock ? "FOR UPDATE OF c" : "")
            """, logger: logger)
        for try await row in rows.decode((String, String, String?).self) { found = row }
        guard let (questionnaire, disposition, entry) = found else {
            return CorrectionCase(questionnaire: nil, disposition: .pending, entry: .double, closure: nil, forms: [], disagreements: [:], lastDispose: nil)
        }
        var forms: [StoredCaseForm] = []
        let formRows = try await db.query("""
            SELECT form_id, kind, mode, questionnaire, version, operator, entered_at, source FROM forms WHERE case_id = \(caseID)
            ORDER BY CASE kind WHEN 'pass1' THEN 1 WHEN 'pass2' THEN 2 ELSE 3 END
            """, logger: logger)
        for try await (id, kind, mode, q, version, name, at, source) in formRows.decode((Int64, String, String?, String, Int, String, String, String?).self) {
            forms.append(StoredCaseForm(formID: id, kind: FormKind(rawValue: kind) ?? .final, mode: FormMode(rawValue: mode ?? "paper") ?? .paper,
                                        questionnaire: q, version: version, operatorName: name, enteredAt: at, source: source, answers: [:]))
        }
        let answers = try await self.answers(db, formIDs: forms.map(\.formID))
        for i in forms.indices { forms[i].answers = answers[forms[i].formID] ?? [:] }
        var disagreements: [String: (pass1: String?, pass2: String?)] = [:]
        let open = try await db.query("SELECT item, pass1, pass2 FROM disagreements WHERE case_id = \(caseID) AND resolved = 0", logger: logger)
        for try await (item, pass1, pass2) in open.decode((String, String?, String?).self) { disagreements[item] = (pass1, pass2) }
        var last: (String?, String?)?
        let audits = try await db.query("""
            SELECT new_value, reason FROM audit WHERE case_id = \(caseID) AND action = 'dispose' ORDER BY audit_id DESC LIMIT 1
            """, logger: logger)
        for try await row in audits.decode((String?, String?).self) { last = row }
        return CorrectionCase(questionnaire: questionnaire, disposition: Disposition(rawValue: disposition) ?? .pending,
                              entry: EntryMode(rawValue: entry ?? "") ?? .double, closure: try await closure(db, questionnaire), forms: forms,
                              disagreements: disagreements, lastDispose: last.map { (new: $0.0, reason: $0.1) })
    }
}
