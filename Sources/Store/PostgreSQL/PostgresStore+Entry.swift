import PostgresNIO
public import Questionnaire

extension PostgresStore {
    public func enterForms(_ batch: FormBatch) async throws(StoreError) -> EntrySummary {
        try await enterBatches([batch])[0].get()
    }

    public func enterBatches(_ batches: [FormBatch]) async throws(StoreError) -> [Result<EntrySummary, StoreError>] {
        let prepared = EntryRules.prepare(batches)
        if batches.count == 1, case .success(let checked) = prepared[0] {
            // One batch: its own transaction (run again on a collision with another process),
            // rolled back entirely when it is refused or the database fails — as in a group.
            do {
                return [.success(try await writing { db in try await self.enter(db, batches[0], checked, at: timestamp()) })]
            } catch {
                return [.failure(error)]
            }
        }
        let together = PostgresStore.canEnterTogether(batches, prepared)
        return try await writing { db in
            let at = timestamp()
            if let checked = together {
                // A server's group of one-form batches: checked and stored in a few statements.
                // Should the database fail, each batch is stored on its own as below.
                try await db.query("SAVEPOINT together", logger: self.logger)
                do {
                    let outcomes = try await self.enterTogether(db, batches, checked, at: at)
                    try await db.query("RELEASE SAVEPOINT together", logger: self.logger)
                    return outcomes
                } catch {
                    try await db.query("ROLLBACK TO SAVEPOINT together", logger: self.logger)
                }
            }
            var outcomes: [Result<EntrySummary, StoreError>] = []
            for (batch, prepared) in zip(batches, prepared) {
                guard case .success(let checked) = prepared else {
                    outcomes.append(prepared.map { _ in EntrySummary(stored: 0, replaced: 0, changedAnswers: 0, unverified: [], counted: 0) })
                    continue
                }
                outcomes.append(try await self.enterInSavepoint(db, batch, checked, at: at))
            }
            return outcomes
        }
    }

    /// The checked batches when a group can be stored together: several batches of one
    /// questionnaire version, each accepted by the answer checks, none replacing or counted at
    /// once, no case in two of them, few forms. Their case checks are then independent, so one
    /// read of the cases' states and stored forms serves all, and the accepted forms go in with
    /// one statement per table — some ten round trips for the group instead of ten per form.
    static func canEnterTogether(_ batches: [FormBatch], _ prepared: [Result<EntryRules.Checked, StoreError>]) -> [EntryRules.Checked]? {
        guard batches.count > 1, let q = batches.first?.questionnaire else { return nil }
        var checked: [EntryRules.Checked] = []
        var cases = Set<String>()
        var forms = 0
        for (batch, result) in zip(batches, prepared) {
            guard case .success(let c) = result, !batch.replace, !batch.countsAtOnce,
                  batch.questionnaire.id == q.id, batch.questionnaire.version == q.version, batch.questionnaire == q else { return nil }
            for form in c.forms {
                guard !form.caseID.isEmpty, cases.insert(form.caseID).inserted else { return nil }
            }
            forms += c.forms.count
            checked.append(c)
        }
        return forms <= 100 ? checked : nil
    }

    /// Checks and stores the batches of ``canEnterTogether(_:_:)`` with the rules of
    /// ``enter(_:_:_:at:)``: each batch accepted or refused on its own.
    private func enterTogether(_ db: PostgresConnection, _ batches: [FormBatch], _ checked: [EntryRules.Checked],
                               at: String) async throws -> [Result<EntrySummary, StoreError>] {
        let q = batches[0].questionnaire
        try await register(db, q, operator: batches[0].operator, at: at)
        if let closed = try await closure(db, q.id) {
            return batches.map { .failure(closed.refusal(source: $0.source)) }
        }
        let ids = checked.flatMap { $0.forms.map(\.caseID) }.sorted()
        let states = try await entryStates(db, questionnaire: q.id, only: ids, lock: true)
        var stored: [String: [String: StoredForm]] = [:]
        for kind in Set(batches.map(\.formKind) + ["final"] + batches.compactMap { EntryRules.otherPass($0)?.kind }) {
            stored[kind] = try await storedForms(db, questionnaire: q.id, kind: kind, only: ids)
        }
        let owners = try await caseOwners(db, EntryRules.unknownCases(checked.flatMap(\.forms), states: states))
        var outcomes: [Result<EntrySummary, StoreError>] = []
        var accepted: [(batch: FormBatch, forms: [FormInput])] = []
        for (batch, c) in zip(batches, checked) {
            let context = EntryContext(states: states, owners: owners, stored: stored[batch.formKind] ?? [:],
                                       otherPass: EntryRules.otherPass(batch).flatMap { stored[$0.kind] } ?? [:],
                                       counted: stored["final"] ?? [:], closure: nil)
            let problems = c.problems + EntryRules.caseProblems(batch, c.forms, context: context)
            if !problems.isEmpty {
                outcomes.append(.failure(StoreError.rejected(problems, file: batch.source, what: "imported")))
                continue
            }
            accepted.append((batch, c.forms))
            outcomes.append(.success(EntrySummary(stored: c.forms.count, replaced: 0, changedAnswers: 0, unverified: [], counted: 0)))
        }
        guard !accepted.isEmpty else { return outcomes }
        let rows = accepted.flatMap { a in a.forms.map { (a.batch, $0) } }
        var ids2: [String: Int64] = [:]
        let inserted = try await db.query("""
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source, mode)
            SELECT c, k, \(q.id), \(q.version), o, \(at), s, m
            FROM unnest(\(rows.map(\.1.caseID))::text[], \(rows.map(\.0.formKind))::text[], \(rows.map(\.0.operator))::text[],
                        \(rows.map(\.0.source))::text[], \(rows.map(\.0.mode.rawValue))::text[]) AS t(c, k, o, s, m)
            RETURNING case_id, form_id
            """, logger: logger)
        for try await (caseID, formID) in inserted.decode((String, Int64).self) { ids2[caseID] = formID }
        var answers: [(Int64, String, String)] = []
        for (_, form) in rows {
            guard let id = ids2[form.caseID] else { continue }
            for (i, item) in q.items.enumerated() { if let v = form.answers[i] { answers.append((id, item.name, v)) } }
        }
        try await insertAnswers(db, answers)
        try await audit(db, rows.map { batch, form in
            AuditRecord(at: at, operator: batch.operator, action: "enter", caseID: form.caseID, pass: batch.pass.rawValue,
                        new: "v\(q.version)", source: batch.source)
        })
        return outcomes
    }

    /// Stores one batch of a group inside a savepoint. A refused batch leaves nothing behind
    /// (not even a questionnaire version it registered); a collision with another process is
    /// tried again (the other's commit is then visible); any other database failure fails this
    /// batch only, as on SQLite. Throws only when the transaction itself is lost.
    private func enterInSavepoint(_ db: PostgresConnection, _ batch: FormBatch, _ checked: EntryRules.Checked,
                                  at: String) async throws -> Result<EntrySummary, StoreError> {
        var attempt = 0
        while true {
            attempt += 1
            try await db.query("SAVEPOINT batch", logger: logger)
            do {
                let summary = try await enter(db, batch, checked, at: at)
                try await db.query("RELEASE SAVEPOINT batch", logger: logger)
                return .success(summary)
            } catch let error as StoreError {
                try await db.query("ROLLBACK TO SAVEPOINT batch", logger: logger)
                return .failure(error)
            } catch {
                try await db.query("ROLLBACK TO SAVEPOINT batch", logger: logger)
                if let conflict = error as? PSQLError, PostgresStore.isConflict(conflict), attempt < 5 {
                    try? await Task.sleep(for: .milliseconds(attempt * attempt))
                    continue
                }
                return .failure(StoreError(.database, file: location, message: "the database failed (\(PostgresStore.reason(error)))",
                                           hint: "nothing of this batch was written; try again"))
            }
        }
    }

    /// Checks one batch's cases and stores it (in the caller's transaction).
    /// - Throws: ``StoreError`` listing every problem, before anything is written.
    func enter(_ db: PostgresConnection, _ batch: FormBatch, _ checked: EntryRules.Checked, at: String) async throws -> EntrySummary {
        let q = batch.questionnaire
        try await register(db, q, operator: batch.operator, at: at)
        if let closed = try await closure(db, q.id) { throw closed.refusal(source: batch.source) }
        let few = EntryRules.casesToRead(checked.forms)
        if few == nil { try await lockCases(db, Array(Set(checked.forms.map(\.caseID)))) }
        // A few cases are locked as they are read.
        let states = try await entryStates(db, questionnaire: q.id, only: few, lock: few != nil)
        let stored = try await storedForms(db, questionnaire: q.id, kind: batch.formKind, only: few)
        let owners = try await caseOwners(db, EntryRules.unknownCases(checked.forms, states: states))
        var otherPass: [String: StoredForm] = [:]
        if let other = EntryRules.otherPass(batch) { otherPass = try await storedForms(db, questionnaire: q.id, kind: other.kind, only: few) }
        let counted = batch.formKind == "final" ? stored : try await storedForms(db, questionnaire: q.id, kind: "final", only: few)
        let context = EntryContext(states: states, owners: owners, stored: stored, otherPass: otherPass, counted: counted, closure: nil)
        let problems = checked.problems + EntryRules.caseProblems(batch, checked.forms, context: context)
        if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "imported") }
        if batch.replace {
            return try await replaceForms(db, checked.forms, stored: stored, batch: batch, at: at)
        }
        try await insertForms(db, checked.forms, batch: batch, at: at)
        if batch.countsAtOnce {
            try await markCounted(db, checked.forms.map { ($0.caseID, EntryRules.answerMap($0, q), q) }, operator: batch.operator, at: at,
                                  source: batch.source, brokenOff: batch.allowsUnanswered)
        }
        return EntrySummary(stored: checked.forms.count, replaced: 0, changedAnswers: 0, unverified: [],
                            counted: batch.countsAtOnce ? checked.forms.count : 0)
    }

    public func entryRefusal(caseID: String, questionnaire q: Questionnaire, pass: Pass, operator: String,
                             mode: FormMode) async throws(StoreError) -> EntryRefusal? {
        try await reading { db in
            let batch = FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: "check", forms: [], mode: mode)
            let states = try await self.entryStates(db, questionnaire: q.id, only: [caseID])
            var otherPass: [String: StoredForm] = [:]
            if let other = EntryRules.otherPass(batch) { otherPass = try await self.storedForms(db, questionnaire: q.id, kind: other.kind, only: [caseID]) }
            let context = EntryContext(
                states: states, owners: states.isEmpty ? try await self.caseOwners(db, [caseID]) : [:],
                stored: try await self.storedForms(db, questionnaire: q.id, kind: batch.formKind, only: [caseID]),
                otherPass: otherPass,
                counted: try await self.storedForms(db, questionnaire: q.id, kind: "final", only: [caseID]),
                closure: try await self.closure(db, q.id))
            return EntryRules.refusal(caseID, in: batch, context: context)
        }
    }

    /// The states of the questionnaire's cases (`only` these ids, when given), locked until the
    /// transaction ends when `lock`.
    func entryStates(_ db: PostgresConnection, questionnaire: String, only ids: [String]?, lock: Bool = false) async throws -> [String: EntryState] {
        var states: [String: EntryState] = [:]
        let rows = try await db.query("""
            SELECT case_id, role, activated, disposition, town_id FROM cases
            WHERE questionnaire = \(questionnaire) AND (\(ids == nil) OR case_id = ANY(\(ids ?? [])))
            \(unescaped: lock ? "ORDER BY case_id FOR UPDATE" : "")
            """, logger: logger)
        for try await (id, role, activated, disposition, town) in rows.decode((String, String, Int, String, String?).self) {
            states[id] = EntryState(role: CaseRole(rawValue: role) ?? .sample, activated: activated != 0,
                                    disposition: Disposition(rawValue: disposition) ?? .pending, townID: town)
        }
        return states
    }

    /// The stored forms of one kind (`only` for these cases, when given).
    func storedForms(_ db: PostgresConnection, questionnaire: String, kind: String, only ids: [String]?) async throws -> [String: StoredForm] {
        var forms: [String: StoredForm] = [:]
        let rows = try await db.query("""
            SELECT case_id, form_id, operator, entered_at, mode FROM forms
            WHERE questionnaire = \(questionnaire) AND kind = \(kind) AND (\(ids == nil) OR case_id = ANY(\(ids ?? [])))
            """, logger: logger)
        for try await (id, formID, name, at, mode) in rows.decode((String, Int64, String, String, String).self) {
            forms[id] = StoredForm(formID: formID, operatorName: name, enteredAt: at, mode: FormMode(rawValue: mode) ?? .paper)
        }
        return forms
    }

    /// Inserts new forms with their answers and audit entries.
    func insertForms(_ db: PostgresConnection, _ forms: [FormInput], batch: FormBatch, at: String) async throws {
        let q = batch.questionnaire
        var ids: [String: Int64] = [:]
        let inserted = try await db.query("""
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source, mode)
            SELECT c, \(batch.formKind), \(q.id), \(q.version), \(batch.operator), \(at), \(batch.source), \(batch.mode.rawValue)
            FROM unnest(\(forms.map(\.caseID))::text[]) AS c
            RETURNING case_id, form_id
            """, logger: logger)
        for try await (caseID, formID) in inserted.decode((String, Int64).self) { ids[caseID] = formID }
        var answers: [(Int64, String, String)] = []
        for form in forms {
            guard let id = ids[form.caseID] else { continue }
            for (i, item) in q.items.enumerated() { if let v = form.answers[i] { answers.append((id, item.name, v)) } }
        }
        try await insertAnswers(db, answers)
        try await audit(db, forms.map {
            AuditRecord(at: at, operator: batch.operator, action: "enter", caseID: $0.caseID, pass: batch.pass.rawValue,
                        new: "v\(q.version)", source: batch.source)
        })
    }

    /// The form ids of these cases' forms of one kind.
    func formIDs(_ db: PostgresConnection, _ caseIDs: [String], kind: String) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        let rows = try await db.query("SELECT case_id, form_id FROM forms WHERE case_id = ANY(\(caseIDs)) AND kind = \(kind)", logger: logger)
        for try await (caseID, formID) in rows.decode((String, Int64).self) { ids[caseID] = formID }
        return ids
    }

    /// Inserts answers (form, item, value) with one statement of three arrays.
    func insertAnswers(_ db: PostgresConnection, _ answers: [(Int64, String, String)]) async throws {
        guard !answers.isEmpty else { return }
        try await db.query("""
            INSERT INTO answers (form_id, item, value)
            SELECT * FROM unnest(\(answers.map(\.0))::bigint[], \(answers.map(\.1))::text[], \(answers.map(\.2))::text[])
            """, logger: logger)
    }

    /// Replaces stored forms, auditing every changed answer; undoes the verification of their cases.
    func replaceForms(_ db: PostgresConnection, _ forms: [FormInput], stored: [String: StoredForm], batch: FormBatch,
                      at: String) async throws -> EntrySummary {
        let q = batch.questionnaire
        var changedAnswers = 0
        var unverified: [String] = []
        for form in forms {
            guard let existing = stored[form.caseID] else { continue }
            let old = try await answers(db, formIDs: [existing.formID])[existing.formID] ?? [:]
            let new = EntryRules.answerMap(form, q)
            let (entries, changes) = EntryRules.replacementAudit(caseID: form.caseID, old: old, new: new, batch: batch, at: at)
            try await audit(db, entries)
            changedAnswers += changes
            try await db.query("DELETE FROM answers WHERE form_id = \(existing.formID)", logger: logger)
            try await insertAnswers(db, new.sorted { $0.key < $1.key }.map { (existing.formID, $0.key, $0.value) })
            try await db.query("""
                UPDATE forms SET version = \(q.version), operator = \(batch.operator), entered_at = \(at), source = \(batch.source)
                WHERE form_id = \(existing.formID)
                """, logger: logger)
            if changes > 0, try await unverify(db, caseID: form.caseID, operator: batch.operator, at: at, reason: batch.reason) {
                unverified.append(form.caseID)
            }
            if batch.countsAtOnce {
                try await markCounted(db, [(form.caseID, new, q)], operator: batch.operator, at: at, source: batch.source)
            }
        }
        return EntrySummary(stored: 0, replaced: forms.count, changedAnswers: changedAnswers, unverified: unverified,
                            counted: batch.countsAtOnce ? forms.count : 0)
    }

    /// Removes a case's verified form and its disagreements; true when there was anything to undo.
    func unverify(_ db: PostgresConnection, caseID: String, operator: String, at: String, reason: String?) async throws -> Bool {
        let finalID = try await formIDs(db, [caseID], kind: "final")[caseID]
        var disagreements = 0
        for try await n in try await db.query("SELECT COUNT(*) FROM disagreements WHERE case_id = \(caseID)", logger: logger).decode(Int.self) {
            disagreements = n
        }
        guard finalID != nil || disagreements > 0 else { return false }
        if let finalID {
            try await db.query("DELETE FROM answers WHERE form_id = \(finalID)", logger: logger)
            try await db.query("DELETE FROM forms WHERE form_id = \(finalID)", logger: logger)
        }
        try await db.query("DELETE FROM disagreements WHERE case_id = \(caseID)", logger: logger)
        try await audit(db, [AuditRecord(at: at, operator: `operator`, action: "unverify", caseID: caseID,
                                         old: finalID != nil ? "verified" : "\(disagreements) disagreements", new: "needs verify", reason: reason)])
        return true
    }

    /// The answers of these forms, by form and item.
    func answers(_ db: PostgresConnection, formIDs: [Int64]) async throws -> [Int64: [String: String]] {
        var out: [Int64: [String: String]] = [:]
        guard !formIDs.isEmpty else { return out }
        let rows = try await db.query("SELECT form_id, item, value FROM answers WHERE form_id = ANY(\(formIDs))", logger: logger)
        for try await (id, item, value) in rows.decode((Int64, String, String).self) { out[id, default: [:]][item] = value }
        return out
    }
}
