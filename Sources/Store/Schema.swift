import Foundation

/// The store's tables, in plain SQL that PostgreSQL accepts as written (with `INTEGER PRIMARY
/// KEY` read as an identity column there): no SQLite-only types, no triggers.
///
/// - `questionnaires`: every version seen, with its definition as JSON.
/// - `lists`: each loaded respondent list (file, columns, number of stages).
/// - `cases`: one row per list row (sample and reserves), design columns typed, the frame's
///   other columns as a JSON object in `attributes`; reserves carry `activated` and `replaces`.
/// - `case_stages`: the stage columns of each case (`stage{k}_stratum` … `stage{k}_n`).
/// - `forms`: keyed forms, `kind` pass1, pass2 or final (the verified form); one per case and kind.
/// - `answers`: the non-empty answers of each form, one row per item. The one storage clause
///   PostgreSQL lacks is `WITHOUT ROWID` here (SQLite then keeps the rows in their primary key
///   instead of a second B-tree, which halves the work of a bulk import); a PostgreSQL schema
///   leaves it out. `form_id` has no foreign-key clause for the same reason: answers are only
///   written together with their form, in the same transaction.
/// - `disagreements`: items on which pass 1 and pass 2 differ, and their resolution.
/// - `audit`: every write: when, who, what (action, case, pass, item), old and new value, reason;
///   logins and user changes too (with no case).
/// - `users` (version 2): the people who sign in to `pingyi serve`: role, password hash (a
///   salted slow hash made by the server), the hash of their API token, failed logins and
///   lock-out.
/// - `sessions` (version 2): signed-in browsers: the hash of the session token, the CSRF token,
///   creation and expiry (Unix seconds).
/// - `entry_closures` (version 3): questionnaires closed for keying, when, by whom and why.
/// - version 4 changes no table: cases with a counted form that were left pending become complete.
/// - version 5: `case_phones` (numbers apart from answers), `call_cases` (each case's calling
///   state and lock), `call_attempts` (every dial), `callbacks` (re-asked completes),
///   `forms.mode` (paper, telephone, online), the roles interviewer and statistician, and
///   `users.disabled`.
/// - version 6 changes no table: the scheduler's indexes end in `case_id`, so that fresh cases
///   and retries come in order from the index (no sort of every open case per call).
/// - version 7: `invitations` (hashes of online access codes, revoked ones kept so that a
///   revoked code is told from a wrong one) and `online_answers` (a respondent's answers as
///   saved, opened, saved and submitted times).
///
/// ``postgresStatements`` derives the PostgreSQL schema from the same text.
enum Schema {
    static let version = 7

    static let statements = [
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL)
        """,
        """
        CREATE TABLE questionnaires (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            group_name TEXT NOT NULL,
            title TEXT NOT NULL,
            entry TEXT NOT NULL,
            definition TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL,
            PRIMARY KEY (id, version))
        """,
        """
        CREATE TABLE lists (
            list_id INTEGER PRIMARY KEY,
            questionnaire TEXT NOT NULL,
            version INTEGER NOT NULL,
            source TEXT NOT NULL,
            columns TEXT NOT NULL,
            stages INTEGER NOT NULL,
            loaded_at TEXT NOT NULL,
            loaded_by TEXT NOT NULL)
        """,
        """
        CREATE TABLE cases (
            case_id TEXT PRIMARY KEY,
            list_id INTEGER NOT NULL REFERENCES lists (list_id),
            line INTEGER NOT NULL,
            questionnaire TEXT NOT NULL,
            version INTEGER NOT NULL,
            group_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('sample', 'reserve')),
            reserve_rank INTEGER,
            reserve_group TEXT,
            town_id TEXT,
            prob REAL NOT NULL,
            weight REAL NOT NULL,
            disposition TEXT NOT NULL DEFAULT 'pending',
            disposition_note TEXT,
            activated INTEGER NOT NULL DEFAULT 0,
            replaces TEXT,
            attributes TEXT NOT NULL)
        """,
        "CREATE INDEX cases_by_questionnaire ON cases (questionnaire, line)",
        "CREATE INDEX cases_by_reserve ON cases (questionnaire, reserve_group, reserve_rank)",
        """
        CREATE TABLE case_stages (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            stage INTEGER NOT NULL,
            stratum TEXT,
            unit TEXT,
            prob REAL NOT NULL,
            population INTEGER NOT NULL,
            selected INTEGER NOT NULL,
            PRIMARY KEY (case_id, stage))
        """,
        """
        CREATE TABLE forms (
            form_id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            kind TEXT NOT NULL CHECK (kind IN ('pass1', 'pass2', 'final')),
            questionnaire TEXT NOT NULL,
            version INTEGER NOT NULL,
            operator TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            source TEXT,
            UNIQUE (case_id, kind))
        """,
        """
        CREATE TABLE answers (
            form_id INTEGER NOT NULL,
            item TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (form_id, item)) WITHOUT ROWID
        """,
        """
        CREATE TABLE disagreements (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            item TEXT NOT NULL,
            pass1 TEXT,
            pass2 TEXT,
            resolved INTEGER NOT NULL DEFAULT 0,
            value TEXT,
            resolved_by TEXT,
            resolved_at TEXT,
            reason TEXT,
            PRIMARY KEY (case_id, item))
        """,
        """
        CREATE TABLE audit (
            audit_id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            operator TEXT NOT NULL,
            action TEXT NOT NULL,
            case_id TEXT,
            pass INTEGER,
            item TEXT,
            old_value TEXT,
            new_value TEXT,
            reason TEXT,
            source TEXT)
        """,
        "CREATE INDEX audit_by_case ON audit (case_id, audit_id)",
    ] + upgrades.flatMap { $0 }

    /// The statements that bring a store of version k + 1 to version k + 2 (`upgrades[0]`: 1 → 2).
    static let upgrades: [[String]] = [
        [
            """
            CREATE TABLE users (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator')),
                password_hash TEXT NOT NULL,
                api_token_hash TEXT UNIQUE,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until INTEGER,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES users (name),
                csrf TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL)
            """,
            "CREATE INDEX audit_by_operator ON audit (operator, audit_id)",
        ],
        [
            """
            CREATE TABLE entry_closures (
                questionnaire TEXT PRIMARY KEY,
                closed_at TEXT NOT NULL,
                closed_by TEXT NOT NULL,
                reason TEXT NOT NULL)
            """,
        ],
        // 3 → 4: a case whose form was counted (verified, or single-entry) while it was still
        // pending is complete (CompletionRules); earlier versions left it pending. Audited, at
        // the time its form was counted.
        [
            """
            INSERT INTO audit (at, operator, action, case_id, old_value, new_value, reason, source)
            SELECT (SELECT MAX(f.entered_at) FROM forms f WHERE f.case_id = cases.case_id), 'pingyi', 'dispose', cases.case_id,
                   'pending', 'complete', 'form counted', 'store upgrade'
            FROM cases WHERE cases.disposition = 'pending' AND \(countedCase)
            ORDER BY cases.questionnaire, cases.line
            """,
            "UPDATE cases SET disposition = 'complete' WHERE disposition = 'pending' AND \(countedCase)",
        ],
        // 4 → 5: telephone interviewing and online self-completion. Phone numbers apart from the
        // answers; every dial; each case's calling state (attempts, next time, the lock that
        // keeps it with one interviewer); callback checks; the mode a form came in by; the
        // interviewer and statistician roles and disabled users (the users table is rebuilt to
        // widen its role check; signed-in sessions end).
        [
            """
            CREATE TABLE case_phones (
                case_id TEXT NOT NULL REFERENCES cases (case_id),
                rank INTEGER NOT NULL,
                number TEXT NOT NULL,
                PRIMARY KEY (case_id, rank))
            """,
            """
            CREATE TABLE call_cases (
                case_id TEXT PRIMARY KEY REFERENCES cases (case_id),
                questionnaire TEXT NOT NULL,
                town_id TEXT,
                random_order INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_outcome TEXT,
                next_at INTEGER NOT NULL DEFAULT 0,
                appointment_at INTEGER,
                locked_by TEXT,
                locked_until INTEGER,
                final_disposition TEXT,
                final_aapor TEXT)
            """,
            "CREATE INDEX call_cases_by_questionnaire ON call_cases (questionnaire, final_disposition, next_at)",
            "CREATE INDEX call_cases_fresh ON call_cases (questionnaire, attempts, random_order)",
            "CREATE INDEX call_cases_appointments ON call_cases (questionnaire, appointment_at)",
            "CREATE INDEX call_cases_by_holder ON call_cases (locked_by, locked_until)",
            """
            CREATE TABLE call_attempts (
                attempt_id INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases (case_id),
                questionnaire TEXT NOT NULL,
                interviewer TEXT NOT NULL,
                phone_rank INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                appointment_at INTEGER,
                note TEXT)
            """,
            "CREATE INDEX call_attempts_by_case ON call_attempts (case_id, attempt_id)",
            "CREATE INDEX call_attempts_by_interviewer ON call_attempts (interviewer, started_at)",
            """
            CREATE TABLE callbacks (
                case_id TEXT PRIMARY KEY REFERENCES cases (case_id),
                questionnaire TEXT NOT NULL,
                interviewer TEXT NOT NULL,
                checker TEXT,
                locked_until INTEGER,
                checked_at INTEGER,
                agreed INTEGER,
                differences TEXT)
            """,
            "CREATE INDEX cases_by_replaces ON cases (replaces)",
            "CREATE INDEX callbacks_open ON callbacks (questionnaire, checked_at)",
            "ALTER TABLE forms ADD COLUMN mode TEXT NOT NULL DEFAULT 'paper'",
            "DROP TABLE sessions",
            """
            CREATE TABLE users_v5 (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'statistician', 'operator', 'interviewer')),
                password_hash TEXT NOT NULL,
                api_token_hash TEXT UNIQUE,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until INTEGER,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0)
            """,
            """
            INSERT INTO users_v5 (name, role, password_hash, api_token_hash, failed_logins, locked_until, created_at, created_by)
            SELECT name, role, password_hash, api_token_hash, failed_logins, locked_until, created_at, created_by FROM users
            """,
            "DROP TABLE users",
            "ALTER TABLE users_v5 RENAME TO users",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES users (name),
                csrf TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL)
            """,
        ],
        [
            "DROP INDEX call_cases_fresh",
            "CREATE INDEX call_cases_fresh ON call_cases (questionnaire, attempts, random_order, case_id)",
            "DROP INDEX call_cases_by_questionnaire",
            "CREATE INDEX call_cases_by_questionnaire ON call_cases (questionnaire, final_disposition, next_at, case_id)",
        ],
        [
            """
            CREATE TABLE invitations (
                code_hash TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases (case_id),
                questionnaire TEXT NOT NULL,
                issued_at INTEGER NOT NULL,
                revoked_at INTEGER)
            """,
            "CREATE UNIQUE INDEX invitations_valid ON invitations (case_id) WHERE revoked_at IS NULL",
            """
            CREATE TABLE online_answers (
                case_id TEXT PRIMARY KEY REFERENCES cases (case_id),
                questionnaire TEXT NOT NULL,
                answers TEXT NOT NULL,
                opened_at INTEGER,
                saved_at INTEGER,
                submitted_at INTEGER)
            """,
        ],
    ]

    /// The row of `cases` has a counted form: a verified one, or the pass-1 form of a single-entry
    /// questionnaire.
    private static let countedCase = """
        EXISTS (SELECT 1 FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
                WHERE f.case_id = cases.case_id AND (f.kind = 'final' OR (f.kind = 'pass1' AND q.entry = 'single')))
        """


    /// The statements that bring a store of schema `version` to ``version`` (none when it is
    /// current). - Throws: ``StoreError`` when the store is newer than this program.
    static func upgrade(from version: Int, store: String) throws(StoreError) -> [String] {
        guard version <= Schema.version else {
            throw StoreError(.usage, file: store, message: "the store has schema version \(version), newer than this pingyi (\(Schema.version))",
                             hint: "use a newer pingyi with this store")
        }
        return upgrades[(max(1, version) - 1)...].flatMap { $0 }
    }

    /// ``statements`` (or an upgrade) as PostgreSQL takes them: integer keys become identity
    /// columns, every `INTEGER` a `BIGINT`, `REAL` `DOUBLE PRECISION` (PostgreSQL's `REAL` has
    /// single precision), text compares byte by byte like SQLite's (`COLLATE "C"`), and
    /// `WITHOUT ROWID` goes.
    static func postgres(_ statements: [String]) -> [String] {
        statements.map { sql in
            sql.replacingOccurrences(of: "INTEGER PRIMARY KEY", with: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                .replacingOccurrences(of: "INTEGER", with: "BIGINT")
                .replacingOccurrences(of: " REAL", with: " DOUBLE PRECISION")
                .replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")
                .replacingOccurrences(of: " WITHOUT ROWID", with: "")
        }
    }
}
