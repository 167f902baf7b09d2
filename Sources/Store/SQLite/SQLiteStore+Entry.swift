import GRDB
import Questionnaire
import Tables

extension SQLiteStore {
    /// A case's state as far as keying is concerned.
    struct EntryState {
        let role: CaseRole
        let activated: Bool
        let disposition: Disposition
        let townID: String?
    }

    /// A stored form of one kind.
    struct StoredForm {
        let formID: Int64
        let operatorName: String
        let enteredAt: String
    }

    public func enterForms(_ batch: FormBatch) async throws -> EntrySummary {
        let q = batch.questionnaire
        if q.entry == .single && batch.pass == .second {
            throw StoreError(.usage, file: batch.source, message: "questionnaire \(q.id) is keyed once (entry: single), so it has no pass 2",
                             hint: "import the file with --pass 1, or set entry: double in the questionnaire (as a new version)")
        }
        if batch.replace && (batch.reason ?? "").isEmpty {
            throw StoreError(.usage, file: batch.source, message: "a replacement needs a reason", hint: "add --reason 'why the forms are corrected'")
        }
        // Answers first: codes, ranges, required items, skips (no database needed).
        let checker = FormChecker(q)
        let input = batch.forms
        // Check in chunks on every core; each chunk's forms and problems come back in order.
        let chunk = 512
        let results = parallelMap((input.count + chunk - 1) / chunk) { c -> ([FormInput], [EntryProblem]) in
            var forms = Array(input[(c * chunk)..<min(input.count, (c + 1) * chunk)])
            var problems: [EntryProblem] = []
            for i in forms.indices {
                for p in checker.check(&forms[i].answers) {
                    problems.append(EntryProblem(file: batch.source, line: forms[i].line, column: batch.itemColumns?[p.item],
                                                 caseID: forms[i].caseID, message: "case \(forms[i].caseID): \(p.message)", hint: p.hint))
                }
            }
            return (forms, problems)
        }
        let forms = results.flatMap(\.0)
        let problems = results.flatMap(\.1)
        let checked = forms
        let valueProblems = problems
        return try await writing { db in
            let at = timestamp()
            var problems = valueProblems
            try self.register(db, q, operator: batch.operator, at: at)
            // A few forms (a web submission) read only their cases; a file reads the questionnaire's.
            let few = checked.count <= 100 ? Array(Set(checked.map(\.caseID))) : nil
            let states = try self.entryStates(db, questionnaire: q.id, only: few)
            let stored = try self.storedForms(db, questionnaire: q.id, kind: batch.pass.kind, only: few)
            let towns = q.ownTown.map { Set($0.towns.map(\.id)) }
            var seen: [String: Int] = [:]
            for form in checked {
                func problem(_ message: String, _ hint: String) {
                    problems.append(EntryProblem(file: batch.source, line: form.line, column: batch.caseColumn, caseID: form.caseID,
                                                 message: message, hint: hint))
                }
                if form.caseID.isEmpty {
                    problem("case_id is empty", "key the case number printed on the form")
                    continue
                }
                if let other = seen[form.caseID] {
                    problem("case \(form.caseID) appears twice in the file (also on line \(other))", "keep one row per form")
                    continue
                }
                seen[form.caseID] = form.line ?? 0
                guard let state = states[form.caseID] else {
                    if let owner = try String.fetchOne(db, sql: "SELECT questionnaire FROM cases WHERE case_id = ?", arguments: [form.caseID]) {
                        problem("case \(form.caseID) belongs to questionnaire \(owner), not \(q.id)", "import it with the \(owner) questionnaire")
                    } else {
                        problem("case \(form.caseID) is not in the sample of \(q.id)",
                                "check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed")
                    }
                    continue
                }
                if state.role == .reserve && !state.activated {
                    problem("case \(form.caseID) is a reserve that is not in use",
                            "record the non-response of the case it would replace (pingyi cases dispose) so that it is activated, then import")
                    continue
                }
                if !state.disposition.allowsForm {
                    problem("case \(form.caseID) has disposition \(state.disposition.rawValue) (\(state.disposition.label))",
                            "if the respondent did answer, record disposition complete first (pingyi cases dispose)")
                    continue
                }
                if let towns {
                    if let town = state.townID, !towns.contains(town) {
                        problem("case \(form.caseID) has town_id \(town), which is not a town of the own-town item", "correct the list or the questionnaire's own_town units")
                    } else if state.townID == nil {
                        problem("case \(form.caseID) has no town_id, which the own-town item needs", "load a list with town_id")
                    }
                }
                let existing = stored[form.caseID]
                if batch.replace && existing == nil {
                    problem("case \(form.caseID) has no pass \(batch.pass.rawValue) form to replace", "import it without --replace")
                } else if !batch.replace, let existing {
                    problem("case \(form.caseID) already has a pass \(batch.pass.rawValue) form (keyed by \(existing.operatorName) at \(existing.enteredAt))",
                            "to correct it, import with --replace --reason '…'; to key it anew, check the case number")
                }
            }
            if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "imported") }
            if batch.replace {
                return try self.replaceForms(db, checked, stored: stored, batch: batch, at: at)
            }
            try self.insertForms(db, checked, batch: batch, at: at)
            return EntrySummary(stored: checked.count, replaced: 0, changedAnswers: 0, unverified: [],
                                counted: q.entry == .single ? checked.count : 0)
        }
    }

    /// The states of the questionnaire's cases (`only` these ids, when given).
    func entryStates(_ db: Database, questionnaire: String, only ids: [String]?) throws -> [String: EntryState] {
        var states: [String: EntryState] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT case_id, role, activated, disposition, town_id FROM cases WHERE questionnaire = ?\(inList("case_id", ids))
            """, arguments: StatementArguments([questionnaire] + (ids ?? [])))
        while let row = try rows.next() {
            states[row[0]] = EntryState(role: CaseRole(rawValue: row[1]) ?? .sample, activated: row[2],
                                        disposition: Disposition(rawValue: row[3]) ?? .pending, townID: row[4])
        }
        return states
    }

    /// The stored forms of one kind (`only` for these cases, when given).
    func storedForms(_ db: Database, questionnaire: String, kind: String, only ids: [String]?) throws -> [String: StoredForm] {
        var forms: [String: StoredForm] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT case_id, form_id, operator, entered_at FROM forms WHERE questionnaire = ? AND kind = ?\(inList("case_id", ids))
            """, arguments: StatementArguments([questionnaire, kind] + (ids ?? [])))
        while let row = try rows.next() {
            forms[row[0]] = StoredForm(formID: row[1], operatorName: row[2], enteredAt: row[3])
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
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)
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
            try insertForm.run(db, [.text(form.caseID), .text(batch.pass.kind), .text(q.id), .integer(Int64(q.version)),
                                    .text(batch.operator), .text(at), .text(batch.source)])
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
            var new: [String: String] = [:]
            for (i, item) in q.items.enumerated() { if let v = form.answers[i] { new[item.name] = v } }
            var changes = 0
            for name in Set(old.keys).union(new.keys).sorted() where old[name] != new[name] {
                try audit(db, at: at, operator: batch.operator, action: "replace", caseID: form.caseID, pass: batch.pass.rawValue,
                          item: name, old: old[name], new: new[name], reason: batch.reason, source: batch.source)
                changes += 1
            }
            if changes == 0 {
                try audit(db, at: at, operator: batch.operator, action: "replace", caseID: form.caseID, pass: batch.pass.rawValue,
                          new: "no change", reason: batch.reason, source: batch.source)
            }
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
        }
        return EntrySummary(stored: 0, replaced: forms.count, changedAnswers: changedAnswers, unverified: unverified,
                            counted: q.entry == .single ? forms.count : 0)
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
