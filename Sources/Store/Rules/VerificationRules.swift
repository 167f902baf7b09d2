import Questionnaire

/// A stored disagreement of one item.
struct DisagreementRow: Sendable {
    let resolved: Bool
    let value: String?
    let resolvedBy: String?
    let pass1: String?
    let pass2: String?
}

/// What ``ResolutionRules`` needs of one case: its disagreements by item and its pass-1 form.
struct ResolutionCase: Sendable {
    var disagreements: [String: DisagreementRow]
    /// The questionnaire id and version of the pass-1 form, and its answers; nil without one.
    var pass1: (questionnaire: String, version: Int, answers: [String: String])?
}

/// The comparison of the two passes of a case, shared by every store.
enum VerificationRules {
    enum Outcome {
        /// The passes agree: the answers of the verified form.
        case agree([String: String])
        /// The items that differ, with both values.
        case disagree([(item: String, pass1: String?, pass2: String?)])
    }

    static func compare(_ first: [String: String], _ second: [String: String]) -> Outcome {
        let differing = Set(first.keys).union(second.keys).sorted().filter { first[$0] != second[$0] }
        if differing.isEmpty { return .agree(first) }
        return .disagree(differing.map { ($0, first[$0], second[$0]) })
    }

    /// The audit entries of a comparison.
    static func audit(_ outcome: Outcome, caseID: String, operator: String, at: String) -> [AuditRecord] {
        switch outcome {
        case .agree:
            return [AuditRecord(at: at, operator: `operator`, action: "verify", caseID: caseID, new: "passes agree")]
        case .disagree(let items):
            return items.map {
                AuditRecord(at: at, operator: `operator`, action: "disagree", caseID: caseID, item: $0.item, old: $0.pass1, new: $0.pass2)
            }
        }
    }
}

/// What a ``ResolutionBatch`` changes, worked out before anything is written.
struct ResolutionPlan: Sendable {
    /// Disagreements resolved: (case, item, the normalised value).
    var updates: [(caseID: String, item: String, value: String?, reason: String?)] = []
    /// Cases whose last disagreement is resolved: their verified forms.
    var finals: [(caseID: String, questionnaire: String, version: Int, answers: [String: String])] = []
    /// The resolve entries, then the verify entries.
    var audit: [AuditRecord] = []
    var summary: ResolutionSummary
}

/// The rules of ``SurveyStore/resolve(_:)``, shared by every store.
enum ResolutionRules {
    /// The cases a batch names, in order of first appearance.
    static func cases(_ batch: ResolutionBatch) -> [String] {
        var seen: Set<String> = []
        return batch.resolutions.map(\.caseID).filter { seen.insert($0).inserted }
    }

    /// Checks every resolution (a disagreement that exists and is open, once per item; the
    /// resulting form checked like a keyed one) and works out the changes.
    /// - Parameters:
    ///   - cases: every case the batch names (see ``cases(_:)``).
    ///   - definitions: every stored questionnaire version, by ``definitionKey(_:_:)``.
    static func plan(_ batch: ResolutionBatch, at: String, cases: [String: ResolutionCase],
                     definitions: [String: Questionnaire]) throws(StoreError) -> ResolutionPlan {
        var problems: [EntryProblem] = []
        var byCase: [String: [Resolution]] = [:]
        var caseOrder: [String] = []
        var seen: Set<String> = []
        for r in batch.resolutions {
            func problem(_ message: String, _ hint: String) {
                problems.append(EntryProblem(file: batch.source, line: r.line, column: nil, caseID: r.caseID, message: message, hint: hint))
            }
            guard seen.insert(r.caseID + "\u{1F}" + r.item).inserted else {
                problem("case \(r.caseID) item \(r.item) is resolved twice", "give one value per case and item")
                continue
            }
            guard let row = cases[r.caseID]?.disagreements[r.item] else {
                problem("case \(r.caseID) has no disagreement on item \(r.item)", "list the open disagreements with pingyi responses verify")
                continue
            }
            if row.resolved {
                problem("case \(r.caseID) item \(r.item) is already resolved (to '\(row.value ?? "")' by \(row.resolvedBy ?? "?"))",
                        "to change a verified answer, correct pass 1 and pass 2 with pingyi responses import --replace")
                continue
            }
            if byCase[r.caseID] == nil { caseOrder.append(r.caseID) }
            byCase[r.caseID, default: []].append(r)
        }
        var plan = ResolutionPlan(summary: ResolutionSummary(resolved: batch.resolutions.count, verified: []))
        var verifyAudit: [AuditRecord] = []
        for caseID in caseOrder {
            let resolutions = byCase[caseID] ?? []
            guard let stored = cases[caseID], let pass1 = stored.pass1,
                  let q = definitions[definitionKey(pass1.questionnaire, pass1.version)] else { continue }
            var answers = pass1.answers
            for (item, d) in stored.disagreements where d.resolved { answers[item] = d.value }
            for r in resolutions { answers[r.item] = r.value }
            let open = stored.disagreements.values.filter { !$0.resolved }.count
            let complete = open == resolutions.count
            var values: [String?] = q.items.map { answers[$0.name] }
            let found = FormChecker(q).check(&values)
            let resolvedItems = Set(resolutions.map(\.item))
            for p in found where complete || resolvedItems.contains(q.items[p.item].name) {
                let line = resolutions.first { $0.item == q.items[p.item].name }?.line ?? resolutions.first?.line
                problems.append(EntryProblem(file: batch.source, line: line, column: nil, caseID: caseID,
                                             message: "case \(caseID) with the resolved values: \(p.message)", hint: p.hint))
            }
            var normalised = answers
            for (i, item) in q.items.enumerated() { normalised[item.name] = values[i] }
            for r in resolutions {
                plan.updates.append((caseID, r.item, normalised[r.item], r.reason))
                let d = stored.disagreements[r.item]
                plan.audit.append(AuditRecord(at: at, operator: batch.operator, action: "resolve", caseID: caseID, item: r.item,
                                              old: "pass 1 '\(d?.pass1 ?? "")', pass 2 '\(d?.pass2 ?? "")'", new: normalised[r.item],
                                              reason: r.reason, source: batch.source))
            }
            if complete {
                plan.finals.append((caseID, q.id, q.version, normalised))
                verifyAudit.append(AuditRecord(at: at, operator: batch.operator, action: "verify", caseID: caseID,
                                               new: "disagreements resolved", source: batch.source))
            }
        }
        if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "resolved") }
        plan.audit += verifyAudit
        plan.summary = ResolutionSummary(resolved: batch.resolutions.count, verified: plan.finals.map(\.caseID))
        return plan
    }

    /// `id version`, the key of ``plan(_:at:cases:definitions:)``'s definitions.
    static func definitionKey(_ id: String, _ version: Int) -> String { "\(id) \(version)" }
}
