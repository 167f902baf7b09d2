/// A case's state as far as dispositions and reserves are concerned.
struct FieldState: Sendable {
    let questionnaire: String
    let role: CaseRole
    var activated: Bool
    let reserveGroup: String?
    var disposition: Disposition
    /// The reserve that replaces this case, if one does.
    var replacedBy: String?
    /// Whether a reserve already replaces this case.
    var replaced: Bool { replacedBy != nil }
    var inUse: Bool { role == .sample || activated }
}

/// An unused reserve, in its group's order of use.
struct UnusedReserve: Sendable, Equatable {
    let caseID: String
    let rank: Int
}

/// What a ``DispositionBatch`` changes, worked out before anything is written.
struct DispositionPlan: Sendable {
    /// Cases whose disposition changes: (case, disposition, note).
    var updates: [(caseID: String, disposition: Disposition, note: String?)] = []
    /// Reserves put into use: (reserve, the case it replaces).
    var activations: [Activation] = []
    /// Reserves taken out of use again (their case responded after all, and none of theirs was keyed).
    var releases: [ReserveRelease] = []
    var audit: [AuditRecord] = []
    var summary: DispositionSummary
}

/// The rules of ``SurveyStore/recordDispositions(_:)``, shared by every store.
enum DispositionRules {
    /// The key of a reserve group of a questionnaire in ``plan(_:at:states:keyed:reserves:)``'s `reserves`.
    static func groupKey(questionnaire: String, group: String) -> String {
        questionnaire + "\u{1F}" + group
    }

    /// Checks every update and works out the changes: a case in use given a non-response
    /// disposition activates the next unused reserve of its group (`reserves`, by
    /// ``groupKey(questionnaire:group:)``, in rank order) unless it is already replaced; a
    /// replaced case given a response releases its reserve (``DispositionBatch/releaseReserves``)
    /// unless a form of the reserve was keyed.
    /// - Parameters:
    ///   - states: the state of every case the batch names and of every reserve in `reserves`.
    ///   - keyed: the cases with a keyed form (the batch's cases and the reserves replacing them).
    /// - Throws: ``StoreError`` listing every problem (nothing is to be written).
    static func plan(_ batch: DispositionBatch, at: String, states: [String: FieldState], keyed: Set<String>,
                     reserves: [String: [UnusedReserve]]) throws(StoreError) -> DispositionPlan {
        var states = states
        var reserves = reserves
        var problems: [EntryProblem] = []
        var seen: [String: Int] = [:]
        var changed = 0, unchanged = 0
        var plan = DispositionPlan(summary: DispositionSummary(changed: 0, unchanged: 0, activations: [], exhausted: []))
        var exhausted: [DispositionSummary.Exhausted] = []
        var stillInUse: [ReserveRelease] = []
        func problem(_ u: DispositionUpdate, _ message: String, _ hint: String) {
            problems.append(EntryProblem(file: batch.source, line: u.line, column: 1, caseID: u.caseID, message: message, hint: hint))
        }
        for u in batch.updates {
            if let other = seen[u.caseID] {
                problem(u, "case \(u.caseID) appears twice (also on line \(other))", "give each case one disposition per file")
                continue
            }
            seen[u.caseID] = u.line ?? 0
            guard var state = states[u.caseID] else {
                problem(u, "case \(u.caseID) is not in the store", "check the case number, or load its list with pingyi cases load")
                continue
            }
            guard state.inUse else {
                problem(u, "case \(u.caseID) is a reserve that is not in use",
                        "a reserve takes a disposition once a non-response of the case before it activated it")
                continue
            }
            if !u.disposition.allowsForm && keyed.contains(u.caseID) {
                problem(u, "case \(u.caseID) has a keyed form, so it cannot be \(u.disposition.rawValue)",
                        "record complete or partial, or check the case number")
                continue
            }
            // A replaced case that responds after all (a refusal undone): its reserve is released
            // when the batch says so and it was neither keyed nor contacted; else it stays in use, said.
            if !u.disposition.isNonResponse, let reserve = state.replacedBy {
                let release = ReserveRelease(reserve: reserve, replaced: u.caseID, keyed: keyed.contains(reserve),
                                             contacted: (states[reserve]?.disposition ?? .pending) != .pending)
                if batch.releaseReserves && release.releasable {
                    plan.releases.append(release)
                    plan.audit.append(AuditRecord(at: at, operator: batch.operator, action: "release", caseID: reserve, old: "replaces \(u.caseID)",
                                                  new: "unused", reason: "\(u.caseID): \(u.disposition.rawValue)", source: batch.source))
                    states[reserve]?.activated = false
                    state.replacedBy = nil
                } else {
                    stillInUse.append(release)
                }
            }
            if state.disposition == u.disposition {
                unchanged += 1
                states[u.caseID] = state
                continue
            }
            plan.updates.append((u.caseID, u.disposition, u.note))
            plan.audit.append(AuditRecord(at: at, operator: batch.operator, action: "dispose", caseID: u.caseID,
                                          old: state.disposition.rawValue, new: u.disposition.rawValue, reason: u.note, source: batch.source))
            changed += 1
            state.disposition = u.disposition
            if u.disposition.isNonResponse && batch.useReserves && !state.replaced, let group = state.reserveGroup {
                let key = groupKey(questionnaire: state.questionnaire, group: group)
                if let next = reserves[key]?.first {
                    reserves[key]?.removeFirst()
                    plan.audit.append(AuditRecord(at: at, operator: batch.operator, action: "activate", caseID: next.caseID, old: "unused",
                                                  new: "replaces \(u.caseID)", reason: "\(u.caseID): \(u.disposition.rawValue)",
                                                  source: batch.source))
                    plan.audit.append(AuditRecord(at: at, operator: batch.operator, action: "replaced", caseID: u.caseID,
                                                  new: "replaced by \(next.caseID)", reason: u.disposition.rawValue, source: batch.source))
                    states[next.caseID]?.activated = true
                    state.replacedBy = next.caseID
                    plan.activations.append(Activation(reserve: next.caseID, replaces: u.caseID, reserveGroup: group, rank: next.rank))
                } else {
                    exhausted.append(.init(caseID: u.caseID, reserveGroup: group))
                }
            }
            states[u.caseID] = state
        }
        if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "recorded") }
        plan.summary = DispositionSummary(changed: changed, unchanged: unchanged, activations: plan.activations, exhausted: exhausted,
                                          released: plan.releases, stillInUse: stillInUse)
        return plan
    }
}
