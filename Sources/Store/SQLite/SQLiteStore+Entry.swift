import GRDB
public import Questionnaire
import Tables

extension SQLiteStore {
    public func enterForms(_ batch: FormBatch) async throws(StoreError) -> EntrySummary {
        try await enterBatches([batch])[0].get()
    }

    public func enterBatches(_ batches: [FormBatch]) async throws(StoreError) -> [Result<EntrySummary, StoreError>] {
        // Answers first: codes, ranges, required items, skips (no database needed).
        let prepared = EntryRules.prepare(batches)
        return try await writing { db in
            let at = timestamp()
            return zip(batches, prepared).map { batch, prepared in
                prepared.flatMap { checked in
                    var outcome: Result<EntrySummary, StoreError> = .failure(StoreError(.database, file: self.path, message: "nothing was done"))
                    do {
                        try db.inSavepoint {
                            outcome = .success(try self.enter(db, batch, checked, at: at))
                            return .commit
                        }
                    } catch let error as StoreError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(StoreError(.database, file: self.path, message: "the database failed (\(SQLiteStore.reason(error)))",
                                                      hint: "nothing of this batch was written; try again"))
                    }
                    return outcome
                }
            }
        }
    }

    /// Checks one batch's cases and stores it (in the caller's transaction).
    /// - Throws: ``StoreError`` listing every problem, before anything is written.
    func enter(_ db: Database, _ batch: FormBatch, _ checked: EntryRules.Checked, at: String) throws -> EntrySummary {
        let q = batch.questionnaire
        try register(db, q, operator: batch.operator, at: at)
        if let closed = try closure(db, q.id) { throw closed.refusal(source: batch.source) }
        let few = EntryRules.casesToRead(checked.forms)
        let states = try entryStates(db, questionnaire: q.id, only: few)
        let stored = try storedForms(db, questionnaire: q.id, kind: batch.formKind, only: few)
        let owners = try caseOwners(db, only: EntryRules.unknownCases(checked.forms, states: states))
        let otherPass = try EntryRules.otherPass(batch).map { try storedForms(db, questionnaire: q.id, kind: $0.kind, only: few) } ?? [:]
        let counted = batch.formKind == "final" ? stored : try storedForms(db, questionnaire: q.id, kind: "final", only: few)
        let context = EntryContext(states: states, owners: owners, stored: stored, otherPass: otherPass, counted: counted, closure: nil)
        let problems = checked.problems + EntryRules.caseProblems(batch, checked.forms, context: context)
        if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "imported") }
        if batch.replace {
            return try replaceForms(db, checked.forms, stored: stored, batch: batch, at: at)
        }
        try insertForms(db, checked.forms, batch: batch, at: at)
        if batch.countsAtOnce {
            for form in checked.forms {
                try markCounted(db, caseID: form.caseID, answers: EntryRules.answerMap(form, q), q, operator: batch.operator, at: at,
                                source: batch.source, brokenOff: batch.allowsUnanswered)
            }
        }
        return EntrySummary(stored: checked.forms.count, replaced: 0, changedAnswers: 0, unverified: [],
                            counted: batch.countsAtOnce ? checked.forms.count : 0)
    }

    public func entryRefusal(caseID: String, questionnaire q: Questionnaire, pass: Pass, operator: String,
                             mode: FormMode) async throws(StoreError) -> EntryRefusal? {
        try await reading { db in
            let batch = FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: "check", forms: [], mode: mode)
            let states = try self.entryStates(db, questionnaire: q.id, only: [caseID])
            let context = EntryContext(
                states: states, owners: states.isEmpty ? try self.caseOwners(db, only: [caseID]) : [:],
                stored: try self.storedForms(db, questionnaire: q.id, kind: batch.formKind, only: [caseID]),
                otherPass: try EntryRules.otherPass(batch).map { try self.storedForms(db, questionnaire: q.id, kind: $0.kind, only: [caseID]) } ?? [:],
                counted: try self.storedForms(db, questionnaire: q.id, kind: "final", only: [caseID]),
                closure: try self.closure(db, q.id))
            return EntryRules.refusal(caseID, in: batch, context: context)
        }
    }

    /// The states of the questionnaire's cases (`only` these ids, when given).
    func entryStates(_ db: Database, questionnaire: String, only ids: [String]?) throws -> [String: EntryState] {
        var states: [String: EntryState] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT case_id, role, activated, disposition, town_id FROM cases WHERE questionnaire = ?\(inList("case_id", ids))
            """), arguments: StatementArguments([questionnaire] + (ids ?? [])))
        while let row = try rows.next() {
            states[row[0]] = EntryState(role: CaseRole(rawValue: row[1]) ?? .sample, activated: row[2],
                                        disposition: Disposition(rawValue: row[3]) ?? .pending, townID: row[4])
        }
        return states
    }

    /// The stored forms of one kind (`only` for these cases, when given).
    func storedForms(_ db: Database, questionnaire: String, kind: String, only ids: [String]?) throws -> [String: StoredForm] {
        var forms: [String: StoredForm] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT case_id, form_id, operator, entered_at, mode FROM forms WHERE questionnaire = ? AND kind = ?\(inList("case_id", ids))
            """), arguments: StatementArguments([questionnaire, kind] + (ids ?? [])))
        while let row = try rows.next() {
            forms[row[0]] = StoredForm(formID: row[1], operatorName: row[2], enteredAt: row[3], mode: FormMode(rawValue: row[4]) ?? .paper)
        }
        return forms
    }

    /// ` AND column IN (?, ?, …)` for `ids`, or nothing.
    func inList(_ column: String, _ ids: [String]?) -> String {
        guard let ids else { return "" }
        return ids.isEmpty ? " AND 0 = 1" : " AND \(column) IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")"
    }

    /// Inserts new forms with their answers (the bulk path: prepared statements bound directly).
    func insertForms(_ db: Database, _ forms: [FormInput], batch: FormBatch, at: String) throws {
        let q = batch.questionnaire
        let insertForm = try RawStatement(db, """
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertAudit = try RawStatement(db, """
            INSERT INTO audit (at, operator, action, case_id, pass, new_value, source) VALUES (?, ?, 'enter', ?, ?, ?, ?)
            """)
        let answers = try AnswerInserter(db)
        // Items in name order, so each form's answers go into the primary key in order.
        let order = q.items.indices.sorted { q.items[$0].name < q.items[$1].name }
        let names = q.items.map(\.name)
        let version = "v\(q.version)"
        for form in forms {
            try insertForm.run(db, [.text(form.caseID), .text(batch.formKind), .text(q.id), .integer(Int64(q.version)),
                                    .text(batch.operator), .text(at), .text(batch.source), .text(batch.mode.rawValue)])
            let formID = db.lastInsertedRowID
            for i in order {
                if let value = form.answers[i] { try answers.insert(db, formID: formID, item: names[i], value: value) }
            }
            try insertAudit.run(db, [.text(at), .text(batch.operator), .text(form.caseID), .integer(Int64(batch.pass.rawValue)),
                                     .text(version), .text(batch.source)])
        }
    }

    /// Replaces stored forms, auditing every changed answer; undoes the verification of their cases.
    func replaceForms(_ db: Database, _ forms: [FormInput], stored: [String: StoredForm], batch: FormBatch, at: String) throws -> EntrySummary {
        let q = batch.questionnaire
        let answers = try AnswerInserter(db)
        var changedAnswers = 0
        var unverified: [String] = []
        for form in forms {
            guard let existing = stored[form.caseID] else { continue }
            let old = try self.answers(db, formID: existing.formID)
            let new = EntryRules.answerMap(form, q)
            let (entries, changes) = EntryRules.replacementAudit(caseID: form.caseID, old: old, new: new, batch: batch, at: at)
            for entry in entries { try audit(db, entry) }
            changedAnswers += changes
            try db.execute(sql: "DELETE FROM answers WHERE form_id = ?", arguments: [existing.formID])
            for (name, value) in new.sorted(by: { $0.key < $1.key }) {
                try answers.insert(db, formID: existing.formID, item: name, value: value)
            }
            try db.execute(sql: "UPDATE forms SET version = ?, operator = ?, entered_at = ?, source = ? WHERE form_id = ?",
                           arguments: [q.version, batch.operator, at, batch.source, existing.formID])
            if changes > 0, try unverify(db, caseID: form.caseID, operator: batch.operator, at: at, reason: batch.reason) {
                unverified.append(form.caseID)
            }
            if batch.countsAtOnce {
                try markCounted(db, caseID: form.caseID, answers: new, q, operator: batch.operator, at: at, source: batch.source)
            }
        }
        return EntrySummary(stored: 0, replaced: forms.count, changedAnswers: changedAnswers, unverified: unverified,
                            counted: batch.countsAtOnce ? forms.count : 0)
    }

    /// Gives a case whose form was just counted the disposition its form says
    /// (``CompletionRules``), when it is still pending; audited.
    func markCounted(_ db: Database, caseID: String, answers: [String: String], _ q: Questionnaire, operator: String, at: String,
                     source: String?, brokenOff: Bool = false) throws {
        let disposition = CompletionRules.disposition(answers, q, brokenOff: brokenOff)
        try db.cachedStatement(sql: "UPDATE cases SET disposition = ? WHERE case_id = ? AND disposition = 'pending'")
            .execute(arguments: [disposition.rawValue, caseID])
        if db.changesCount > 0 {
            try audit(db, CompletionRules.audit(caseID: caseID, disposition: disposition, operator: `operator`, at: at, source: source))
        }
    }

    /// Removes a case's verified form and its disagreements; true when there was anything to undo.
    func unverify(_ db: Database, caseID: String, operator: String, at: String, reason: String?) throws -> Bool {
        let finalID = try Int64.fetchOne(db, sql: "SELECT form_id FROM forms WHERE case_id = ? AND kind = 'final'", arguments: [caseID])
        let disagreements = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM disagreements WHERE case_id = ?", arguments: [caseID]) ?? 0
        guard finalID != nil || disagreements > 0 else { return false }
        if let finalID {
            try db.execute(sql: "DELETE FROM answers WHERE form_id = ?", arguments: [finalID])
            try db.execute(sql: "DELETE FROM forms WHERE form_id = ?", arguments: [finalID])
        }
        try db.execute(sql: "DELETE FROM disagreements WHERE case_id = ?", arguments: [caseID])
        try audit(db, at: at, operator: `operator`, action: "unverify", caseID: caseID,
                  old: finalID != nil ? "verified" : "\(disagreements) disagreements", new: "needs verify", reason: reason)
        return true
    }

    /// A form's answers by item.
    func answers(_ db: Database, formID: Int64) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT item, value FROM answers WHERE form_id = ?", arguments: [formID]) {
            out[row[0]] = row[1]
        }
        return out
    }
}
