import Questionnaire
import Tables

/// A case's state as far as keying is concerned.
struct EntryState: Sendable {
    let role: CaseRole
    let activated: Bool
    let disposition: Disposition
    let townID: String?
}

/// A stored form of one kind.
struct StoredForm: Sendable {
    let formID: Int64
    let operatorName: String
    let enteredAt: String
}

/// The checks of ``SurveyStore/enterForms(_:)`` that need no database, shared by every store:
/// the batch's settings, the answers, and the cases given their stored states.
enum EntryRules {
    /// Refuses a batch that cannot be stored whatever the data: a pass 2 of a single-entry
    /// questionnaire, a replacement without a reason.
    static func checkSettings(_ batch: FormBatch) throws(StoreError) {
        let q = batch.questionnaire
        if q.entry == .single && batch.pass == .second {
            throw StoreError(.usage, file: batch.source, message: "questionnaire \(q.id) is keyed once (entry: single), so it has no pass 2",
                             hint: "import the file with --pass 1, or set entry: double in the questionnaire (as a new version)")
        }
        if batch.replace && (batch.reason ?? "").isEmpty {
            throw StoreError(.usage, file: batch.source, message: "a replacement needs a reason", hint: "add --reason 'why the forms are corrected'")
        }
    }

    /// The forms of a batch with normalised answers, and the problems of their answers.
    typealias Checked = (forms: [FormInput], problems: [EntryProblem])

    /// Checks each batch's settings and answers (no database needed), for
    /// ``SurveyStore/enterBatches(_:)``.
    static func prepare(_ batches: [FormBatch]) -> [Result<Checked, StoreError>] {
        // One checker per questionnaire version: a server's group has many one-form batches.
        var checkers: [String: FormChecker] = [:]
        return batches.map { batch -> Result<Checked, StoreError> in
            do throws(StoreError) {
                try checkSettings(batch)
                let q = batch.questionnaire
                let key = "\(q.id)\u{1F}\(q.version)"
                let checker = checkers[key].flatMap { $0.questionnaire == q ? $0 : nil } ?? FormChecker(q)
                checkers[key] = checker
                return .success(checkAnswers(batch, checker: checker))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Checks the answers of every form (codes, ranges, required items, skips), in chunks on
    /// every core. Returns the forms with normalised answers, in order, and every problem.
    static func checkAnswers(_ batch: FormBatch, checker: FormChecker? = nil) -> (forms: [FormInput], problems: [EntryProblem]) {
        let checker = checker ?? FormChecker(batch.questionnaire)
        let input = batch.forms
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
        return (results.flatMap(\.0), results.flatMap(\.1))
    }

    /// The cases a store reads for a batch: only the batch's own when it is small (a web
    /// submission), nil (every case of the questionnaire) for a file.
    static func casesToRead(_ forms: [FormInput]) -> [String]? {
        forms.count <= 100 ? Array(Set(forms.map(\.caseID))).sorted() : nil
    }

    /// The batch's case ids that `states` lacks (to look up which questionnaire they belong to).
    static func unknownCases(_ forms: [FormInput], states: [String: EntryState]) -> [String] {
        Array(Set(forms.map(\.caseID).filter { !$0.isEmpty && states[$0] == nil })).sorted()
    }

    /// The problems of the batch's cases: empty or repeated case ids, cases not in the sample
    /// (`owners`: the questionnaire of cases stored for another one), unused reserves,
    /// non-respondents, towns the own-town item lacks, and forms already keyed (or, when
    /// replacing, missing).
    static func caseProblems(_ batch: FormBatch, _ forms: [FormInput], states: [String: EntryState], owners: [String: String],
                             stored: [String: StoredForm]) -> [EntryProblem] {
        let q = batch.questionnaire
        let towns = q.ownTown.map { Set($0.towns.map(\.id)) }
        var problems: [EntryProblem] = []
        var seen: [String: Int] = [:]
        for form in forms {
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
                if let owner = owners[form.caseID] {
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
        return problems
    }

    /// The non-empty answers of a form by item name.
    static func answerMap(_ form: FormInput, _ q: Questionnaire) -> [String: String] {
        var out: [String: String] = [:]
        for (i, item) in q.items.enumerated() { if let v = form.answers[i] { out[item.name] = v } }
        return out
    }

    /// The audit entries of replacing a form's answers `old` by `new` (one per changed item, or
    /// one "no change" entry) and the number of changed answers.
    static func replacementAudit(caseID: String, old: [String: String], new: [String: String], batch: FormBatch,
                                 at: String) -> (entries: [AuditRecord], changed: Int) {
        let changed = Set(old.keys).union(new.keys).sorted().filter { old[$0] != new[$0] }
        if changed.isEmpty {
            return ([AuditRecord(at: at, operator: batch.operator, action: "replace", caseID: caseID, pass: batch.pass.rawValue,
                                 new: "no change", reason: batch.reason, source: batch.source)], 0)
        }
        return (changed.map {
            AuditRecord(at: at, operator: batch.operator, action: "replace", caseID: caseID, pass: batch.pass.rawValue,
                        item: $0, old: old[$0], new: new[$0], reason: batch.reason, source: batch.source)
        }, changed.count)
    }
}

/// One row of the audit table, before it is written.
struct AuditRecord: Sendable, Equatable {
    var at: String
    var `operator`: String
    var action: String
    var caseID: String?
    var pass: Int?
    var item: String?
    var old: String?
    var new: String?
    var reason: String?
    var source: String?

    init(at: String, operator: String, action: String, caseID: String?, pass: Int? = nil, item: String? = nil, old: String? = nil,
         new: String? = nil, reason: String? = nil, source: String? = nil) {
        self.at = at
        self.operator = `operator`
        self.action = action
        self.caseID = caseID
        self.pass = pass
        self.item = item
        self.old = old
        self.new = new
        self.reason = reason
        self.source = source
    }
}
