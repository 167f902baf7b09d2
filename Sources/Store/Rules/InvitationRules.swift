import Foundation
import Questionnaire

/// Online self-completion's rules and queries, written once for both stores (SQLite's `?n`,
/// PostgreSQL's `$n` placeholders): which cases get a code, what a code opens, how saved
/// answers are merged and checked, and the submitted form (through the entry rules).
enum InvitationRules {
    /// The operator of online forms in the audit trail.
    static let respondent = "online"

    /// Cases in use and pending, without a valid code; or, replacing, the one case.
    static func candidates(questionnaire q: String, replacing: String?) -> String {
        if let one = replacing {
            return "SELECT c.case_id FROM cases c WHERE c.questionnaire = \(q) AND c.case_id = \(one) AND (c.role = 'sample' OR c.activated = 1)"
        }
        return """
            SELECT c.case_id FROM cases c WHERE c.questionnaire = \(q) AND (c.role = 'sample' OR c.activated = 1) AND c.disposition = 'pending'
              AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.case_id = c.case_id AND i.revoked_at IS NULL)
            ORDER BY c.line
            """
    }

    static func revoke(caseID: String, now: String) -> String {
        "UPDATE invitations SET revoked_at = \(now) WHERE case_id = \(caseID) AND revoked_at IS NULL"
    }

    static func insert(hash: String, caseID: String, questionnaire: String, now: String) -> String {
        "INSERT INTO invitations (code_hash, case_id, questionnaire, issued_at) VALUES (\(hash), \(caseID), \(questionnaire), \(now))"
    }

    /// A code's case: case, questionnaire, revoked, disposition, town, attributes, answers,
    /// opened, saved, submitted, whether another channel has a form of the case.
    static func lookup(hash: String) -> String {
        """
        SELECT i.case_id, i.questionnaire, i.revoked_at, c.disposition, c.town_id, c.attributes, o.answers, o.opened_at, o.saved_at, o.submitted_at,
               CASE WHEN EXISTS (SELECT 1 FROM forms f WHERE f.case_id = i.case_id AND f.mode <> 'online') THEN 1 ELSE 0 END
        FROM invitations i JOIN cases c ON c.case_id = i.case_id LEFT JOIN online_answers o ON o.case_id = i.case_id
        WHERE i.code_hash = \(hash)
        """
    }

    static func opened(caseID: String, questionnaire: String, now: String) -> String {
        """
        INSERT INTO online_answers (case_id, questionnaire, answers, opened_at) VALUES (\(caseID), \(questionnaire), '{}', \(now))
        ON CONFLICT (case_id) DO UPDATE SET opened_at = COALESCE(online_answers.opened_at, excluded.opened_at)
        """
    }

    /// The answers as saved (the row made on first use, its first opening kept); a submission
    /// also records when.
    static func saved(caseID: String, questionnaire: String, answers: String, now: String, submitted: Bool) -> String {
        """
        INSERT INTO online_answers (case_id, questionnaire, answers, opened_at, saved_at, submitted_at)
        VALUES (\(caseID), \(questionnaire), \(answers), \(now), \(now), \(submitted ? now : "NULL"))
        ON CONFLICT (case_id) DO UPDATE SET answers = excluded.answers, saved_at = excluded.saved_at,
            opened_at = COALESCE(online_answers.opened_at, excluded.opened_at), submitted_at = excluded.submitted_at
        """
    }

    /// Per town: invited (a valid code), opened, saved and not submitted, submitted.
    static func counts(questionnaire q: String) -> String {
        """
        SELECT COALESCE(c.town_id, ''), COUNT(*),
               SUM(CASE WHEN o.opened_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.saved_at IS NOT NULL AND o.submitted_at IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.submitted_at IS NOT NULL THEN 1 ELSE 0 END)
        FROM invitations i JOIN cases c ON c.case_id = i.case_id LEFT JOIN online_answers o ON o.case_id = i.case_id
        WHERE i.questionnaire = \(q) AND i.revoked_at IS NULL GROUP BY COALESCE(c.town_id, '') ORDER BY 1
        """
    }

    /// Each case with a valid code: case, hash, town, disposition, opened, saved, submitted.
    static func progress(questionnaire q: String) -> String {
        """
        SELECT i.case_id, i.code_hash, COALESCE(c.town_id, ''), c.disposition, o.opened_at, o.saved_at, o.submitted_at
        FROM invitations i JOIN cases c ON c.case_id = i.case_id LEFT JOIN online_answers o ON o.case_id = i.case_id
        WHERE i.questionnaire = \(q) AND i.revoked_at IS NULL ORDER BY c.line
        """
    }

    /// Answers saved online and not submitted, of cases still pending without a form, whose
    /// code is valid: case, answers.
    static func unsubmitted(questionnaire q: String) -> String {
        """
        SELECT o.case_id, o.answers FROM online_answers o JOIN cases c ON c.case_id = o.case_id
        WHERE o.questionnaire = \(q) AND o.submitted_at IS NULL AND c.disposition = 'pending'
          AND EXISTS (SELECT 1 FROM invitations i WHERE i.case_id = o.case_id AND i.revoked_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.case_id = o.case_id)
        ORDER BY c.line
        """
    }

    /// At the deadline (entry closing), the saved answers that the questionnaire's
    /// `online: partial-above` rule counts: each one online form with its items left
    /// unanswered allowed (its case then partial, or complete by `complete-above`), checked by
    /// the entry rules; answers below the share, or failing a check, are left as they are.
    static func atDeadline(_ rows: [(caseID: String, answers: String)], _ q: Questionnaire) -> [(FormBatch, EntryRules.Checked)] {
        guard let share = q.online?.partialAbove else { return [] }
        let batches = rows.map { (caseID: $0.caseID, answers: decode($0.answers)) }
            .filter { CompletionRules.answeredShare($0.answers, q) > share }
            .map { batch($0.caseID, answers: $0.answers, q, complete: false) }
        // One call, so one checker for all of them.
        return zip(batches, EntryRules.prepare(batches)).compactMap { b, result in
            guard case .success(let checked) = result, checked.problems.isEmpty else { return nil }
            return (b, checked)
        }
    }

    /// One row of ``lookup(hash:)``.
    struct Row {
        let caseID: String
        let questionnaire: String
        let revokedAt: Int64?
        let disposition: String
        let townID: String?
        let attributes: String
        let answers: String?
        let openedAt: Int64?
        let savedAt: Int64?
        let submittedAt: Int64?
        let keyed: Bool
    }

    /// What the code opens, from its row, the questionnaire's newest version and its closure.
    static func state(_ row: Row?, questionnaire: Questionnaire?, closure: EntryClosure?) -> InvitationState {
        guard let row, let questionnaire else { return .unknown }
        if row.revokedAt != nil { return .revoked }
        if let at = row.submittedAt { return .submitted(at: at) }
        if let closure { return .closed(closure) }
        if row.keyed { return .keyed }
        if row.disposition != Disposition.pending.rawValue { return .finished(disposition: row.disposition) }
        return .open(OnlineCase(caseID: row.caseID, questionnaire: questionnaire, townID: row.townID, attributes: row.attributes,
                                answers: decode(row.answers), openedAt: row.openedAt, savedAt: row.savedAt))
    }

    /// The refusal of a save or submission on a code that does not open a questionnaire.
    static func refusal(_ state: InvitationState) -> StoreError {
        let message: String
        switch state {
        case .open: message = "the code is open"
        case .unknown: message = "no invitation has this code"
        case .revoked: message = "the code was replaced by a newer one"
        case .submitted: message = "the answers were already submitted"
        case .closed(let c): message = "questionnaire \(c.questionnaire) is closed for answers"
        case .keyed: message = "the case has a form from another channel"
        case .finished(let d): message = "the case is closed (\(d))"
        }
        return StoreError(.usage, file: "online", message: message, hint: "open the invitation again", invitation: state)
    }

    static func decode(_ json: String?) -> [String: String] {
        guard let json, let data = json.data(using: .utf8),
              let answers = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
        return answers
    }

    static func encode(_ answers: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(answers)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The saved answers with the new ones (an empty value clears its item); an item the
    /// questionnaire does not have is refused.
    static func merged(_ saved: [String: String], _ new: [String: String], _ q: Questionnaire, caseID: String) throws(StoreError) -> [String: String] {
        var answers = saved
        let names = Set(q.items.map(\.name))
        for (item, value) in new {
            guard names.contains(item) else {
                throw StoreError(.usage, file: "online \(caseID)", message: "questionnaire \(q.id) v\(q.version) has no item \(item)",
                                 hint: "reload the page: the questionnaire may have changed")
            }
            let v = value.trimmingCharacters(in: .whitespaces)
            answers[item] = v.isEmpty ? nil : v
        }
        return answers
    }

    /// The answers as one online form: a save checks them with unanswered items allowed, a
    /// submission as a whole form.
    static func batch(_ caseID: String, answers: [String: String], _ q: Questionnaire, complete: Bool) -> FormBatch {
        FormBatch(questionnaire: q, pass: .first, operator: respondent, source: "online", forms: [FormInput(caseID: caseID, answers: q.items.map { answers[$0.name] })],
                  mode: .online, allowsUnanswered: !complete)
    }

    /// The answers checked by the entry rules (values, ranges, skips) as they stand, in their
    /// normal form (full-width digits as digits, codes without leading zeros): what is saved.
    /// - Throws: ``StoreError`` with the problems.
    static func checked(_ caseID: String, answers: [String: String], _ q: Questionnaire) throws(StoreError) -> [String: String] {
        let checked = try EntryRules.prepare([batch(caseID, answers: answers, q, complete: false)])[0].get()
        if !checked.problems.isEmpty { throw StoreError.rejected(checked.problems, file: "online", what: "saved") }
        return EntryRules.answerMap(checked.forms[0], q)
    }

    static func audit(caseID: String, now: Int64, action: String) -> AuditRecord {
        AuditRecord(at: isoTime(now), operator: respondent, action: action, caseID: caseID, new: nil, reason: nil, source: "online")
    }
}

extension InvitationRules {
    /// Two `invitations make` at once: the other gave the case a code first.
    static func issuedMeanwhile(_ caseID: String) -> StoreError {
        StoreError(.data, file: "invitations", message: "case \(caseID) got a code from another run meanwhile; nothing was stored",
                   hint: "run pingyi invitations make again: it makes codes only for cases without one")
    }
}
