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
    var mode: FormMode = .paper
}

/// The checks of ``SurveyStore/enterForms(_:)`` that need no database, shared by every store:
/// the batch's settings, the answers, and the cases given their stored states.
enum EntryRules {
    /// Refuses a batch that cannot be stored whatever the data: a pass 2 of a single-entry
    /// questionnaire, a replacement without a reason.
    static func checkSettings(_ batch: FormBatch) throws(StoreError) {
        let q = batch.questionnaire
        if batch.mode == .paper && q.entry == .single && batch.pass == .second {
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
        let partial = batch.allowsUnanswered
        let checker = checker ?? FormChecker(batch.questionnaire)
        let input = batch.forms
        let chunk = 512
        let results = parallelMap((input.count + chunk - 1) / chunk) { c -> ([FormInput], [EntryProblem]) in
            var forms = Array(input[(c * chunk)..<min(input.count, (c + 1) * chunk)])
            var problems: [EntryProblem] = []
            for i in forms.indices {
                for p in checker.check(&forms[i].answers) where !(partial && p.isMissing) {
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

    /// The other pass of a paper batch under the rule that pass 1 and pass 2 are keyed by
    /// different people (``Questionnaire/secondPassOperator``), whose stored forms the store
    /// reads: pass 1 for a pass-2 batch, and pass 2 for a pass-1 batch (pass 1 keyed anew after
    /// it was voided, beside the pass 2 that stayed); nil when the rule does not apply.
    static func otherPass(_ batch: FormBatch) -> Pass? {
        guard batch.mode == .paper, batch.questionnaire.entry == .double, batch.questionnaire.secondPassOperator == .different else { return nil }
        return batch.pass == .first ? .second : .first
    }

    /// Why the form of `caseID` may not be entered in `batch`, or nil when it may: in the sample
    /// of this questionnaire (or an activated reserve), not a non-respondent, a town the own-town
    /// item rates, not yet keyed in this pass (or, replacing, keyed), pass 2 by another operator
    /// than pass 1 unless the questionnaire allows it. The one decision every channel uses.
    static func refusal(_ caseID: String, in batch: FormBatch, context: EntryContext) -> EntryRefusal? {
        let q = batch.questionnaire
        if let closure = context.closure { return .closed(closure) }
        if caseID.isEmpty { return .noCaseID }
        guard let state = context.states[caseID] else {
            if let owner = context.owners[caseID] { return .otherQuestionnaire(owner: owner) }
            return .notInSample(questionnaire: q.id)
        }
        if state.role == .reserve && !state.activated { return .unusedReserve }
        if !state.disposition.allowsForm { return .disposition(state.disposition) }
        if let towns = q.ownTown?.towns {
            guard let town = state.townID else { return .townNotRated(town: nil) }
            if !towns.contains(where: { $0.id == town }) { return .townNotRated(town: town) }
        }
        // A form counted from the telephone or online stands for the interview; a paper form
        // verified stands against a telephone or online one.
        if let counted = context.counted[caseID], counted.mode != .paper || batch.mode != .paper {
            return .alreadyCounted(mode: counted.mode, operator: counted.operatorName, at: counted.enteredAt)
        }
        let existing = context.stored[caseID]
        if batch.replace && existing == nil { return .nothingToReplace(pass: batch.pass) }
        if !batch.replace, let existing { return .alreadyKeyed(pass: batch.pass, operator: existing.operatorName, at: existing.enteredAt) }
        if let other = otherPass(batch), let keyed = context.otherPass[caseID], keyed.operatorName == batch.operator {
            return .sameOperator(operator: keyed.operatorName, pass: other)
        }
        return nil
    }

    /// The problems of the batch's cases (``refusal(_:in:context:)`` for each form, and a case
    /// repeated in the file), located at the case column. A closed questionnaire refuses the
    /// whole batch before this (``EntryClosure/refusal(source:)``).
    static func caseProblems(_ batch: FormBatch, _ forms: [FormInput], context: EntryContext) -> [EntryProblem] {
        var problems: [EntryProblem] = []
        var seen: [String: Int] = [:]
        for form in forms {
            var refusal: EntryRefusal?
            if !form.caseID.isEmpty, let other = seen[form.caseID] {
                refusal = .repeated(line: other)
            } else {
                if !form.caseID.isEmpty { seen[form.caseID] = form.line ?? 0 }
                refusal = EntryRules.refusal(form.caseID, in: batch, context: context)
            }
            guard let refusal else { continue }
            problems.append(EntryProblem(file: batch.source, line: form.line, column: batch.caseColumn, caseID: form.caseID,
                                         message: refusal.message(caseID: form.caseID, questionnaire: batch.questionnaire),
                                         hint: refusal.hint, refusal: refusal))
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
