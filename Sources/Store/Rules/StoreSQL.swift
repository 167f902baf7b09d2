/// The longer queries both stores run, written once. Each takes its parameters' placeholders:
/// SQLite's `?1`, PostgreSQL's `$1::text`. A placeholder may stand for NULL ("all").
enum StoreSQL {
    /// The columns of a ``CaseRecord``, for one case (`id`) or one questionnaire (`questionnaire`).
    static func cases(id: String, questionnaire: String) -> String {
        """
        SELECT c.case_id, c.questionnaire, c.version, c.group_name, c.role, c.reserve_rank, c.reserve_group, c.activated,
               c.replaces, c.town_id, c.prob, c.weight, c.disposition, c.disposition_note, c.attributes,
               EXISTS (SELECT 1 FROM forms f WHERE f.case_id = c.case_id AND f.kind = 'pass1') AS pass1,
               EXISTS (SELECT 1 FROM forms f WHERE f.case_id = c.case_id AND f.kind = 'pass2') AS pass2,
               EXISTS (SELECT 1 FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
                       WHERE f.case_id = c.case_id AND (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single'))) AS counted,
               (SELECT COUNT(*) FROM disagreements d WHERE d.case_id = c.case_id AND d.resolved = 0) AS open
        FROM cases c
        WHERE (\(id) IS NULL OR c.case_id = \(id)) AND (\(questionnaire) IS NULL OR c.questionnaire = \(questionnaire))
        ORDER BY c.questionnaire, c.line
        """
    }

    /// The design stages of the same cases, by case and stage.
    static func stages(id: String, questionnaire: String) -> String {
        """
        SELECT s.case_id, s.stratum, s.unit, s.prob, s.population, s.selected FROM case_stages s JOIN cases c ON c.case_id = s.case_id
        WHERE (\(id) IS NULL OR s.case_id = \(id)) AND (\(questionnaire) IS NULL OR c.questionnaire = \(questionnaire)) ORDER BY s.case_id, s.stage
        """
    }

    /// The counted forms with their answers, by form (see ``FormAssembler``).
    static func countedForms(questionnaire: String) -> String {
        """
        SELECT f.form_id, f.case_id, f.questionnaire, f.version, f.mode, a.item, a.value
        FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
        LEFT JOIN answers a ON a.form_id = f.form_id
        WHERE (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single')) AND (\(questionnaire) IS NULL OR f.questionnaire = \(questionnaire))
        ORDER BY f.form_id
        """
    }

    /// Answer counts by item, rated town (own_town only) and value; `counted` is a boolean
    /// placeholder: counted forms, or pass-1 forms.
    static func answerCounts(questionnaire: String, counted: String) -> String {
        """
        SELECT a.item, CASE WHEN a.item = 'own_town' THEN c.town_id END AS town, a.value, COUNT(*)
        FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
        JOIN cases c ON c.case_id = f.case_id JOIN answers a ON a.form_id = f.form_id
        WHERE f.questionnaire = \(questionnaire)
          AND ((\(counted) AND (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single'))) OR (NOT \(counted) AND f.kind = 'pass1'))
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """
    }

    /// Each operator's keyed paper forms (not telephone or online answers) by day (Beijing time, as `day` turns a stored UTC time into
    /// `YYYY-MM-DD`) and pass: forms, answers, characters keyed, items that differ from the
    /// other pass, and of those the ones resolved against this pass's value. `differs` is the
    /// dialect's null-safe inequality, `length` its character count.
    static func keyingWork(day: (String) -> String, differs: String, length: String) -> String {
        """
        WITH keyed AS (
            SELECT f.form_id, f.case_id, f.operator, \(day("f.entered_at")) AS day, CASE f.kind WHEN 'pass1' THEN 1 ELSE 2 END AS pass
            FROM forms f WHERE f.kind IN ('pass1', 'pass2') AND f.mode = 'paper'
        ), per_form AS (
            SELECT k.operator, k.day, k.pass,
                   (SELECT COUNT(*) FROM answers a WHERE a.form_id = k.form_id) AS answers,
                   (SELECT COALESCE(SUM(\(length)(a.value)), 0) FROM answers a WHERE a.form_id = k.form_id) AS keystrokes,
                   (SELECT COUNT(*) FROM disagreements d WHERE d.case_id = k.case_id) AS disagreements,
                   (SELECT COUNT(*) FROM disagreements d WHERE d.case_id = k.case_id AND d.resolved = 1
                      AND d.value \(differs) (CASE k.pass WHEN 1 THEN d.pass1 ELSE d.pass2 END)) AS errors
            FROM keyed k
        )
        SELECT operator, day, pass, CAST(COUNT(*) AS BIGINT), CAST(SUM(answers) AS BIGINT), CAST(SUM(keystrokes) AS BIGINT),
               CAST(SUM(disagreements) AS BIGINT), CAST(SUM(errors) AS BIGINT)
        FROM per_form GROUP BY operator, day, pass
        """
    }

    /// The cases keyed twice, not yet verified and without disagreements: case, pass-1 form,
    /// pass-2 form, questionnaire, version.
    /// `caseID`: a placeholder for one case, or nil for all.
    static func unverifiedPairs(questionnaire: String, caseID: String? = nil) -> String {
        """
        SELECT p1.case_id, p1.form_id, p2.form_id, p1.questionnaire, p1.version
        FROM forms p1 JOIN forms p2 ON p2.case_id = p1.case_id AND p2.kind = 'pass2'
        WHERE p1.kind = 'pass1' AND (\(questionnaire) IS NULL OR p1.questionnaire = \(questionnaire))\(caseID.map { " AND p1.case_id = \($0)" } ?? "")
          AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.case_id = p1.case_id AND f.kind = 'final')
          AND NOT EXISTS (SELECT 1 FROM disagreements d WHERE d.case_id = p1.case_id)
        ORDER BY p1.case_id
        """
    }

    /// The number of double-entry cases with one pass keyed.
    static func awaitingPass(questionnaire: String) -> String {
        """
        SELECT COUNT(*) FROM (
            SELECT f.case_id FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
            WHERE f.kind IN ('pass1', 'pass2') AND q.entry = 'double' AND (\(questionnaire) IS NULL OR f.questionnaire = \(questionnaire))
            GROUP BY f.case_id HAVING COUNT(*) = 1) AS one
        """
    }

    /// The open disagreements: case, questionnaire, item, pass 1, pass 2.
    static func openDisagreements(questionnaire: String) -> String {
        """
        SELECT d.case_id, c.questionnaire, d.item, d.pass1, d.pass2 FROM disagreements d JOIN cases c ON c.case_id = d.case_id
        WHERE d.resolved = 0 AND (\(questionnaire) IS NULL OR c.questionnaire = \(questionnaire)) ORDER BY c.questionnaire, c.line, d.item
        """
    }

    /// The audit columns of an ``AuditEntry``.
    static let auditColumns = "at, operator, action, case_id, pass, item, old_value, new_value, reason, source"

    /// The user columns of a ``UserAccount``.
    static let userColumns = "name, role, password_hash, failed_logins, locked_until, api_token_hash IS NOT NULL, created_at, disabled"
}

/// One value bound to a placeholder.
enum SQLValue: Sendable {
    case text(String?)
    case int(Int?)
    case double(Double?)
    case bool(Bool)
}

extension StoreSQL {
    /// The query of ``AuditQuery``, selecting ``auditColumns``; `placeholder(k)` writes the k-th
    /// (1-based) placeholder.
    static func audit(_ query: AuditQuery, placeholder: (Int) -> String) -> (sql: String, values: [SQLValue]) {
        var sql = "SELECT \(auditColumns) FROM audit WHERE 1 = 1"
        var values: [SQLValue] = []
        func bind(_ value: SQLValue) -> String {
            values.append(value)
            return placeholder(values.count)
        }
        if let name = query.operator { sql += " AND operator = \(bind(.text(name)))" }
        if let actions = query.actions { sql += " AND action IN (" + actions.map { bind(.text($0)) }.joined(separator: ", ") + ")" }
        if query.withoutCase { sql += " AND case_id IS NULL" }
        sql += " ORDER BY audit_id DESC LIMIT \(bind(.int(query.limit)))"
        return (sql, values)
    }
}
