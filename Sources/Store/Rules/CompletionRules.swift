import Questionnaire

/// What a counted form says about its case's disposition, shared by every store and channel.
///
/// A case whose form becomes counted — a double-entry form verified (the passes agree, or
/// their disagreements are resolved) or a single-entry form stored — has been interviewed: while
/// its disposition is still ``Disposition/pending`` it becomes ``Disposition/complete``, or
/// ``Disposition/partial`` when the questionnaire sets `complete-above` and the form answers
/// no more than that share of its applicable items (AAPOR's Standard Definitions: a complete
/// interview answers more than e.g. 80 % of the applicable questions, a partial one 50–80 %).
/// A disposition a supervisor recorded (complete or partial) is never changed; the store
/// updates only pending cases and audits each change as `dispose` with the reason ``reason``.
enum CompletionRules {
    /// The audit reason of a disposition set because a form was counted.
    static let reason = "form counted"

    /// The disposition a counted form gives its case.
    /// - Parameters:
    ///   - answers: the form's answers by item name (empty items absent).
    ///   - brokenOff: the interview was broken off (a telephone or online form saved before its
    ///     end): partial, unless the questionnaire's `complete-above` share was answered all the
    ///     same (AAPOR counts such a break-off complete).
    static func disposition(_ answers: [String: String], _ q: Questionnaire, brokenOff: Bool = false) -> Disposition {
        guard let threshold = q.completeAbove else { return brokenOff ? .partial : .complete }
        return answeredShare(answers, q) > threshold ? .complete : .partial
    }

    /// The AAPOR final code of a counted form's disposition (1.1 complete, 1.2 partial).
    static func aapor(_ disposition: Disposition) -> String {
        disposition == .complete ? "1.1" : "1.2"
    }

    /// The share of the form's applicable items that are answered, as AAPOR counts them: an
    /// item skipped by its `when` condition, or answered 不适用 (the scale's not-applicable
    /// code), is not applicable; 不了解 counts as an answer; an empty item, 拒答 and 无效 do
    /// not. A form with no applicable item counts as fully answered.
    static func answeredShare(_ answers: [String: String], _ q: Questionnaire) -> Double {
        var applicable = 0, answered = 0
        for item in q.items {
            if let when = item.when, !when.holds({ answers[$0] }) { continue }
            let value = answers[item.name]
            var special: SpecialRole?
            switch item.kind {
            case .unit, .ownTown, .tier:
                special = value.flatMap(Int.init).flatMap { q.scale.special(code: $0) }?.role
            case .single, .number, .text:
                break
            }
            if special == .notApplicable { continue }
            applicable += 1
            if value != nil && special != .refused && special != .invalid { answered += 1 }
        }
        return applicable == 0 ? 1 : Double(answered) / Double(applicable)
    }

    /// The audit entry of a case made `disposition` because its form was counted.
    static func audit(caseID: String, disposition: Disposition, operator: String, at: String, source: String?) -> AuditRecord {
        AuditRecord(at: at, operator: `operator`, action: "dispose", caseID: caseID, old: Disposition.pending.rawValue,
                    new: disposition.rawValue, reason: reason, source: source)
    }
}
