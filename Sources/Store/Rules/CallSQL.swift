/// The scheduler's queries, written once for both stores (SQLite's `?n`, PostgreSQL's `$n`
/// placeholders). The priority is in them: a case held by the interviewer, then an appointment
/// due, then a fresh case in the seeded random order, then a retry whose delay has passed.
enum CallSQL {
    /// The columns of a picked case: case, attempts, appointment, town, attributes.
    static let columns = "cc.case_id, cc.attempts, cc.appointment_at, c.town_id, c.attributes"

    /// The open, callable cases of a questionnaire: in use (sampled or an activated reserve),
    /// not closed, still pending, attempts left, no form at all (a case keyed from paper is not
    /// called). `fresh` asks for cases never dialled: `attempts = 0` in place of the limit, so
    /// that the index on (questionnaire, attempts, random_order) gives them in order without a
    /// sort of every open case; elsewhere the attempts are compared as `+cc.attempts` (no index
    /// on them), so that retries come in `next_at` order from the index on (questionnaire,
    /// final_disposition, next_at) rather than sorted from every case dialled.
    static func open(questionnaire q: String, max: String, fresh: Bool = false) -> String {
        """
        FROM call_cases cc JOIN cases c ON c.case_id = cc.case_id
        WHERE cc.questionnaire = \(q) AND cc.final_disposition IS NULL AND (c.role = 'sample' OR c.activated = 1)
          AND c.disposition = 'pending' AND \(fresh ? "cc.attempts = 0 AND 0 < \(max)" : "+cc.attempts < \(max)")
          AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.case_id = cc.case_id)
        """
    }

    /// One case of a kind. `excludedTowns` is a condition on `cc.town_id` (towns at their
    /// target), or nil; `lock` is PostgreSQL's `FOR UPDATE OF cc SKIP LOCKED` (none for SQLite,
    /// whose write transaction already runs alone).
    static func pick(_ kind: CallAssignment.Reason, questionnaire q: String, interviewer: String, now: String, max: String,
                     excludedTowns: String? = nil, lock: String = "") -> String {
        let free = "(cc.locked_until IS NULL OR cc.locked_until <= \(now))"
        switch kind {
        case .resumed:
            return """
                SELECT \(columns) \(open(questionnaire: q, max: max))
                  AND cc.locked_by = \(interviewer) AND cc.locked_until > \(now) ORDER BY cc.locked_until LIMIT 1 \(lock)
                """
        case .appointment:
            return """
                SELECT \(columns) \(open(questionnaire: q, max: max))
                  AND \(free) AND cc.appointment_at IS NOT NULL AND cc.appointment_at <= \(now) ORDER BY cc.appointment_at, cc.case_id LIMIT 1 \(lock)
                """
        case .fresh:
            return """
                SELECT \(columns) \(open(questionnaire: q, max: max, fresh: true))
                  AND \(free) AND cc.appointment_at IS NULL\(excludedTowns.map { " AND \($0)" } ?? "")
                ORDER BY cc.random_order, cc.case_id LIMIT 1 \(lock)
                """
        case .retry:
            return """
                SELECT \(columns) \(open(questionnaire: q, max: max))
                  AND \(free) AND +cc.attempts > 0 AND cc.appointment_at IS NULL AND cc.next_at <= \(now) ORDER BY cc.next_at, cc.case_id LIMIT 1 \(lock)
                """
        }
    }

    /// When the next open case may be called: the earliest appointment, end of a lock, or retry
    /// time (fresh cases left over count for none: the quota stopped them), and how many cases
    /// are open at all.
    static func nextTime(questionnaire q: String, max: String, now: String) -> String {
        """
        SELECT MIN(CASE WHEN cc.locked_until IS NOT NULL AND cc.locked_until > \(now) THEN cc.locked_until
                        WHEN cc.appointment_at IS NOT NULL THEN cc.appointment_at
                        WHEN cc.attempts > 0 THEN cc.next_at END),
               COUNT(*) \(open(questionnaire: q, max: max))
        """
    }

    /// Per town: sampled cases (the target) and completes, for the quota.
    static func townCompletes(questionnaire q: String) -> String {
        """
        SELECT c.town_id, SUM(CASE WHEN c.role = 'sample' THEN 1 ELSE 0 END), SUM(CASE WHEN c.disposition = 'complete' THEN 1 ELSE 0 END)
        FROM cases c JOIN call_cases cc ON cc.case_id = c.case_id WHERE c.questionnaire = \(q) GROUP BY c.town_id
        """
    }

    /// The quota table: per town, the target, final dispositions, attempts, open and held cases.
    static func quotas(questionnaire q: String, now: String) -> String {
        """
        SELECT COALESCE(c.town_id, ''),
               SUM(CASE WHEN c.role = 'sample' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.disposition = 'complete' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.disposition = 'partial' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.disposition = 'refusal' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.disposition = 'non-contact' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.disposition IN ('other', 'unknown', 'not-eligible') THEN 1 ELSE 0 END),
               CAST(SUM(cc.attempts) AS BIGINT),
               SUM(CASE WHEN (c.role = 'sample' OR c.activated = 1) AND c.disposition = 'pending' THEN 1 ELSE 0 END),
               SUM(CASE WHEN cc.locked_until IS NOT NULL AND cc.locked_until > \(now) THEN 1 ELSE 0 END)
        FROM cases c JOIN call_cases cc ON cc.case_id = c.case_id
        WHERE c.questionnaire = \(q) GROUP BY COALESCE(c.town_id, '') ORDER BY 1
        """
    }

    /// Dials, oldest first: of one case (`key`), of one interviewer since a time, or of a
    /// questionnaire (`key`, or every questionnaire when it is null).
    static func attempts(caseID: Bool, interviewer: Bool, key: String, questionnaire: String, interviewerValue: String, since: String) -> String {
        if caseID { return "SELECT \(attemptColumns) FROM call_attempts WHERE case_id = \(key) ORDER BY attempt_id" }
        if interviewer {
            return """
                SELECT \(attemptColumns) FROM call_attempts WHERE interviewer = \(interviewerValue) AND started_at >= \(since)
                  AND (\(questionnaire) IS NULL OR questionnaire = \(questionnaire)) ORDER BY attempt_id
                """
        }
        return "SELECT \(attemptColumns) FROM call_attempts WHERE (\(questionnaire) IS NULL OR questionnaire = \(questionnaire)) ORDER BY attempt_id"
    }

    static let attemptColumns = "attempt_id, case_id, questionnaire, interviewer, phone_rank, started_at, ended_at, outcome, appointment_at, note"

    /// A case's calling state with its number of phones: case, questionnaire, attempts, holder,
    /// lock end, final disposition, phones.
    static func caseState(_ caseID: String) -> String {
        """
        SELECT cc.case_id, cc.questionnaire, cc.attempts, cc.locked_by, cc.locked_until, cc.final_disposition,
               (SELECT COUNT(*) FROM case_phones p WHERE p.case_id = cc.case_id)
        FROM call_cases cc WHERE cc.case_id = \(caseID)
        """
    }

    /// Puts a case whose telephone interview was voided back in its call queue: the interview's
    /// attempt no longer counts towards the limit (its record stays in call_attempts).
    static func reopen(caseID: String) -> String {
        """
        UPDATE call_cases SET final_disposition = NULL, final_aapor = NULL, next_at = 0, locked_by = NULL, locked_until = NULL,
               attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
        WHERE case_id = \(caseID) AND final_disposition IS NOT NULL
        """
    }

    /// Records a dial in the case's calling state and frees its lock.
    static func afterAttempt(caseID: String, attempts: String, outcome: String, nextAt: String, appointment: String, final: String,
                             aapor: String) -> String {
        """
        UPDATE call_cases SET attempts = \(attempts), last_outcome = \(outcome), next_at = \(nextAt), appointment_at = \(appointment),
               final_disposition = \(final), final_aapor = \(aapor), locked_by = NULL, locked_until = NULL
        WHERE case_id = \(caseID)
        """
    }

    /// The next callback for a checker: one they hold, else an unchecked one of another
    /// interviewer's completes whose lock is free.
    static func nextCallback(questionnaire q: String, checker: String, now: String, lock: String = "") -> String {
        """
        SELECT cb.case_id, cb.interviewer, c.attributes FROM callbacks cb JOIN cases c ON c.case_id = cb.case_id
        WHERE cb.questionnaire = \(q) AND cb.checked_at IS NULL AND cb.interviewer <> \(checker)
          AND (cb.locked_until IS NULL OR cb.locked_until <= \(now) OR cb.checker = \(checker))
        ORDER BY CASE WHEN cb.checker = \(checker) THEN 0 ELSE 1 END, cb.case_id LIMIT 1 \(lock)
        """
    }

    static let phoneColumns = "SELECT number FROM case_phones WHERE case_id = "
    static let flaggedColumns = "case_id, questionnaire, interviewer, checker, checked_at, differences"
}
