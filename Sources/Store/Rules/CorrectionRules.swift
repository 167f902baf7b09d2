import Questionnaire

/// One stored form of a case, as the correction rules see it.
struct StoredCaseForm: Sendable {
    let formID: Int64
    let kind: FormKind
    let mode: FormMode
    let questionnaire: String
    let version: Int
    let operatorName: String
    let enteredAt: String
    let source: String?
    var answers: [String: String]

    var caseForm: CaseForm {
        CaseForm(kind: kind, questionnaire: questionnaire, version: version, operator: operatorName, enteredAt: enteredAt, mode: mode,
                 source: source, answers: answers)
    }
}

/// What a store knows of a case before a correction or a void.
struct CorrectionCase: Sendable {
    /// The case's questionnaire, and its disposition; nil when the store has no such case.
    let questionnaire: String?
    let disposition: Disposition
    /// How the case's questionnaire version is keyed.
    let entry: EntryMode
    let closure: EntryClosure?
    let forms: [StoredCaseForm]
    /// The case's open disagreements by item: both passes' values.
    let disagreements: [String: (pass1: String?, pass2: String?)]
    /// The newest `dispose` audit entry of the case: its new value and reason.
    let lastDispose: (new: String?, reason: String?)?
}

/// The changes of a correction or a void, worked out before anything is written.
struct CorrectionPlan: Sendable {
    /// Forms given new answers (and the questionnaire version they were checked against).
    var updates: [(formID: Int64, answers: [String: String])] = []
    /// Open disagreements resolved: item and value.
    var resolutions: [(item: String, value: String?)] = []
    /// The case's interview may have been broken off (its disposition, counted, may be partial).
    var brokenOff = false
    /// Forms removed with their answers.
    var removals: [Int64] = []
    /// The verified form to insert (the correction settles the passes' disagreements).
    var final: [String: String]?
    /// Remove the case's verified form and disagreements (a keyed pass is voided).
    var unverify = false
    /// Put the case back in its telephone call queue (its interview is voided): the interview's
    /// attempt no longer counts towards the limit, its callback goes.
    var reopenCalls = false
    /// Let the respondent answer online again (the submission is voided): the saved answers go.
    var reopenOnline = false
    /// Count the case's form (its disposition, while pending).
    var counts = false
    /// The case's disposition set back to pending (the form had set it).
    var restore: Disposition?
    var audit: [AuditRecord] = []
}

/// The rules of ``SurveyStore/correct(_:)`` and ``SurveyStore/voidForm(_:)``, shared by every
/// store: what may be corrected or voided, and what each changes.
enum CorrectionRules {
    /// The reason the disposition of a case whose counted form was voided returns to pending.
    static let voidedReason = "form voided"

    static func checkReason(_ reason: String, source: String) throws(StoreError) {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError(.usage, file: source, message: "a correction or a void needs a reason", hint: "say why the form is changed")
        }
    }

    /// Refuses a case the store does not have, one of a closed questionnaire, or one without forms.
    static func checkCase(_ caseID: String, _ c: CorrectionCase, questionnaire expected: String?, source: String) throws(StoreError) {
        guard let q = c.questionnaire else {
            throw StoreError(.data, file: source, message: "case \(caseID) is not in the store", hint: "check the case number")
        }
        if let expected, expected != q {
            throw StoreError(.data, file: source, message: "case \(caseID) belongs to questionnaire \(q), not \(expected)",
                             hint: "correct it with questionnaire \(q)")
        }
        if let closure = c.closure { throw closure.refusal(source: source) }
        if c.forms.isEmpty {
            throw StoreError(.data, file: source, message: "case \(caseID) has no stored form", hint: "key its form instead")
        }
    }

    /// The plan of a correction: the answers checked (as any form's), then given to the form
    /// that counts — the verified or telephone/online form; for a double-entry case whose passes
    /// disagree, a verified form made from them, its disagreements resolved with the corrected
    /// values; else the case's one keyed form (a single-entry form, or a pass awaiting the other).
    /// Keyed passes beside a counted form keep what was keyed, so the keying work and each pass's
    /// errors stay as keyed. Each changed answer is audited.
    static func plan(_ correction: FormCorrection, _ c: CorrectionCase, at: String) throws(StoreError) -> (CorrectionPlan, CorrectionSummary) {
        try checkReason(correction.reason, source: correction.source)
        let q = correction.questionnaire
        try checkCase(correction.caseID, c, questionnaire: q.id, source: correction.source)
        let kinds = Set(c.forms.map(\.kind))
        let verifies = q.entry == .double && kinds.contains(.pass1) && kinds.contains(.pass2) && !kinds.contains(.final)
        if verifies && c.disagreements.isEmpty {
            throw StoreError(.data, file: correction.source, message: "the two passes of case \(correction.caseID) have not been compared yet",
                             hint: "verify them first (pingyi responses verify), then correct what is still wrong")
        }
        // A telephone or online interview may have been broken off: its empty items stay allowed.
        let interview = c.forms.contains { $0.mode != .paper }
        let batch = FormBatch(questionnaire: q, pass: .first, operator: correction.operator, source: correction.source,
                              forms: [FormInput(caseID: correction.caseID, answers: correction.answers)], allowsUnanswered: interview)
        let checked = EntryRules.checkAnswers(batch)
        if !checked.problems.isEmpty { throw StoreError.rejected(checked.problems, file: correction.source, what: "corrected") }
        let new = EntryRules.answerMap(checked.forms[0], q)
        var plan = CorrectionPlan()
        plan.brokenOff = interview
        var changed = 0
        func audit(_ old: [String: String], pass: Int?, skipping: Set<String> = []) {
            for item in Set(old.keys).union(new.keys).sorted() where old[item] != new[item] && !skipping.contains(item) {
                changed += 1
                plan.audit.append(AuditRecord(at: at, operator: correction.operator, action: "correct", caseID: correction.caseID, pass: pass,
                                              item: item, old: old[item], new: new[item], reason: correction.reason, source: correction.source))
            }
        }
        if verifies {
            // The disagreeing items resolved with the corrected values; the others corrected.
            for (item, d) in c.disagreements.sorted(by: { $0.key < $1.key }) {
                plan.resolutions.append((item, new[item]))
                plan.audit.append(AuditRecord(at: at, operator: correction.operator, action: "resolve", caseID: correction.caseID, item: item,
                                              old: "pass 1 '\(d.pass1 ?? "")', pass 2 '\(d.pass2 ?? "")'", new: new[item],
                                              reason: correction.reason, source: correction.source))
                changed += 1
            }
            audit(c.forms.first { $0.kind == .pass1 }?.answers ?? [:], pass: nil, skipping: Set(c.disagreements.keys))
            plan.final = new
            plan.audit.append(AuditRecord(at: at, operator: correction.operator, action: "verify", caseID: correction.caseID,
                                          new: "verified by correction", reason: correction.reason, source: correction.source))
        } else {
            let targets = kinds.contains(.final) ? c.forms.filter { $0.kind == .final } : c.forms
            for form in targets {
                let before = plan.audit.count
                audit(form.answers, pass: form.kind.pass?.rawValue)
                if plan.audit.count > before { plan.updates.append((form.formID, new)) }
            }
            if plan.updates.isEmpty { return (CorrectionPlan(), CorrectionSummary(changedAnswers: 0, forms: 0, verified: false)) }
        }
        plan.counts = verifies || kinds.contains(.final) || (q.entry == .single && kinds.contains(.pass1))
        return (plan, CorrectionSummary(changedAnswers: changed, forms: verifies ? 1 : plan.updates.count, verified: verifies))
    }

    /// The plan of a void: the form removed, a keyed pass's verification undone (the store's
    /// `unverify`, which says whether there was any), a disposition the form had set returned
    /// to pending.
    static func plan(_ void: FormVoid, _ c: CorrectionCase, at: String) throws(StoreError) -> CorrectionPlan {
        try checkReason(void.reason, source: void.source)
        try checkCase(void.caseID, c, questionnaire: nil, source: void.source)
        guard let form = c.forms.first(where: { $0.kind == void.kind }) else {
            throw StoreError(.data, file: void.source, message: "case \(void.caseID) has no \(void.kind.rawValue) form",
                             hint: "its forms are \(c.forms.map(\.kind.rawValue).joined(separator: ", "))")
        }
        if form.kind == .final && form.mode == .paper {
            throw StoreError(.data, file: void.source, message: "the verified form of case \(void.caseID) is made from its two passes",
                             hint: "void the pass that is wrong (the case is then verified again once it is keyed anew), or correct the answers")
        }
        var plan = CorrectionPlan()
        plan.removals = [form.formID]
        plan.unverify = form.kind != .final
        // An interview that did not take place: the case is called again.
        plan.reopenCalls = form.kind == .final && form.mode == .telephone
        plan.reopenOnline = form.kind == .final && form.mode == .online
        plan.audit.append(AuditRecord(at: at, operator: void.operator, action: "void", caseID: void.caseID, pass: form.kind.pass?.rawValue,
                                      old: "\(form.kind.rawValue) \(form.mode.rawValue) by \(form.operatorName) at \(form.enteredAt), \(form.answers.count) answers",
                                      new: plan.reopenCalls ? "voided; back in the call queue" : plan.reopenOnline ? "voided; may be answered online again" : "voided", reason: void.reason, source: void.source))
        func counted(_ forms: [StoredCaseForm]) -> Bool {
            forms.contains { $0.kind == .final } || (c.entry == .single && forms.contains { $0.kind == .pass1 })
        }
        let remaining = c.forms.filter { $0.formID != form.formID && !(plan.unverify && $0.kind == .final && $0.mode == .paper) }
        if counted(c.forms) && !counted(remaining) && [.complete, .partial].contains(c.disposition),
           let last = c.lastDispose, last.reason == CompletionRules.reason, last.new == c.disposition.rawValue {
            plan.restore = c.disposition
            plan.audit.append(AuditRecord(at: at, operator: void.operator, action: "dispose", caseID: void.caseID, old: c.disposition.rawValue,
                                          new: Disposition.pending.rawValue, reason: voidedReason, source: void.source))
        }
        return plan
    }
}
