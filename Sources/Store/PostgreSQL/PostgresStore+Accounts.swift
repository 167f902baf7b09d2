import PostgresNIO

extension PostgresStore {
    func accounts(_ db: PostgresConnection, _ sql: String, _ values: [SQLValue]) async throws -> [UserAccount] {
        var out: [UserAccount] = []
        let rows = try await query(db, sql, values)
        for try await (name, role, hash, failed, locked, token, created, disabled) in rows.decode((String, String, String, Int, Int64?, Bool, String, Int).self) {
            out.append(UserAccount(name: name, role: UserRole(rawValue: role) ?? .operator, passwordHash: hash, failedLogins: failed,
                                   lockedUntil: locked, hasAPIToken: token, createdAt: created, disabled: disabled != 0))
        }
        return out
    }

    public func addUser(name: String, role: UserRole, passwordHash: String, by: String) async throws(StoreError) {
        let location = self.location
        try await writing { db in
            if try await !self.strings(db, "SELECT name FROM users WHERE name = \(name)").isEmpty {
                throw AccountRules.nameTaken(name, store: location)
            }
            try await db.query("""
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (\(name), \(role.rawValue), \(passwordHash), \(timestamp()), \(by))
                """, logger: self.logger)
            try await self.audit(db, [AccountRules.userChange("user-add", name: name, by: by, new: role.rawValue)])
        }
    }

    public func addFirstAdmin(name: String, passwordHash: String, by: String) async throws(StoreError) {
        let location = self.location
        try await writing { db in
            // Two servers' setups at once: the second waits for the first's commit, then finds its admin.
            try await db.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", logger: self.logger)
            if try await !self.strings(db, "SELECT name FROM users LIMIT 1").isEmpty { throw AccountRules.notFirst(store: location) }
            try await db.query("""
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (\(name), \(UserRole.admin.rawValue), \(passwordHash), \(timestamp()), \(by))
                """, logger: self.logger)
            try await self.audit(db, [AccountRules.userChange("user-add", name: name, by: by, new: UserRole.admin.rawValue)])
        }
    }

    public func recordWork(action: String, by: String, subject: String?, detail: String?, source: String?) async throws(StoreError) {
        try await writing { db in try await self.audit(db, [AccountRules.work(action, by: by, subject: subject, detail: detail, source: source)]) }
    }

    /// Updates one user (`sql` returns its name), or throws when there is none.
    private func changeUser(_ name: String, _ sql: String, _ values: [SQLValue], audit: AuditRecord,
                            endingSessions: Bool = false) async throws(StoreError) {
        let location = self.location
        try await writing { db in
            var changed = false
            for try await _ in try await self.query(db, sql + " RETURNING name", values).decode(String.self) { changed = true }
            if !changed { throw AccountRules.noSuchUser(name, store: location) }
            if endingSessions { try await db.query("DELETE FROM sessions WHERE user_name = \(name)", logger: self.logger) }
            try await self.audit(db, [audit])
        }
    }

    public func setPassword(name: String, passwordHash: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE name = $2",
                             [.text(passwordHash), .text(name)], audit: AccountRules.userChange("user-password", name: name, by: by, new: nil),
                             endingSessions: true)
    }

    public func setAPIToken(name: String, tokenHash: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET api_token_hash = $1 WHERE name = $2", [.text(tokenHash), .text(name)],
                             audit: AccountRules.userChange("user-token", name: name, by: by, new: "new API token"))
    }

    public func setRole(name: String, role: UserRole, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: role != .admin, "UPDATE users SET role = $1 WHERE name = $2", [.text(role.rawValue), .text(name)],
                              audit: AccountRules.userChange("user-role", name: name, by: by, new: role.rawValue))
    }

    public func setDisabled(name: String, disabled: Bool, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: disabled, "UPDATE users SET disabled = $1 WHERE name = $2", [.int(disabled ? 1 : 0), .text(name)],
                              audit: AccountRules.userChange(disabled ? "user-disable" : "user-enable", name: name, by: by, new: nil))
    }

    public func deleteUser(name: String, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: true, "DELETE FROM users WHERE name = $1", [.text(name)],
                              audit: AccountRules.userChange("user-delete", name: name, by: by, new: nil))
    }

    /// A change that ends the user's sessions and may take away an admin: refused when it would
    /// leave no admin who can sign in (the admins are locked meanwhile, so two such changes at
    /// once cannot both pass).
    private func changeAdmin(_ name: String, losesAdmin: Bool, _ sql: String, _ values: [SQLValue],
                             audit: AuditRecord) async throws(StoreError) {
        let location = self.location
        try await writing { db in
            if losesAdmin {
                var admins: [String] = []
                let rows = try await db.query("SELECT name FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY name FOR UPDATE", logger: self.logger)
                for try await admin in rows.decode(String.self) { admins.append(admin) }
                if admins == [name] { throw AccountRules.lastAdmin(name, store: location) }
            }
            try await db.query("DELETE FROM sessions WHERE user_name = \(name)", logger: self.logger)
            var changed = false
            for try await _ in try await self.query(db, sql + " RETURNING name", values).decode(String.self) { changed = true }
            if !changed { throw AccountRules.noSuchUser(name, store: location) }
            try await self.audit(db, [audit])
        }
    }

    public func unlock(name: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = $1", [.text(name)],
                             audit: AccountRules.userChange("user-unlock", name: name, by: by, new: nil))
    }

    public func user(named name: String) async throws(StoreError) -> UserAccount? {
        try await reading { db in try await self.accounts(db, "SELECT \(StoreSQL.userColumns) FROM users WHERE name = $1", [.text(name)]).first }
    }

    public func user(apiTokenHash: String) async throws(StoreError) -> UserAccount? {
        try await reading { db in
            try await self.accounts(db, "SELECT \(StoreSQL.userColumns) FROM users WHERE api_token_hash = $1 AND disabled = 0", [.text(apiTokenHash)]).first
        }
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        try await reading { db in try await self.accounts(db, "SELECT \(StoreSQL.userColumns) FROM users ORDER BY name", []) }
    }

    public func recordLogin(name: String, succeeded: Bool, now: Int64, policy: LockoutPolicy, source: String) async throws(StoreError) -> LoginOutcome {
        try await writing { db in
            var state: (Int, Int64?)?
            let rows = try await db.query("SELECT failed_logins, locked_until FROM users WHERE name = \(name) FOR UPDATE", logger: self.logger)
            for try await row in rows.decode((Int, Int64?).self) { state = row }
            let change = AccountRules.login(name: name, exists: state != nil, failed: state?.0 ?? 0, lockedUntil: state?.1 ?? nil,
                                            succeeded: succeeded, now: now, policy: policy, source: source)
            if let failed = change.failedLogins {
                try await db.query("UPDATE users SET failed_logins = \(failed), locked_until = \(change.lockedUntil) WHERE name = \(name)",
                                   logger: self.logger)
            }
            try await self.audit(db, change.audit)
            return change.outcome
        }
    }

    public func createSession(_ session: SessionRecord) async throws(StoreError) {
        try await writing { db in
            try await db.query("DELETE FROM sessions WHERE expires_at <= \(session.createdAt)", logger: self.logger)
            try await db.query("""
                INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.user), \(session.csrf), \(session.createdAt), \(session.expiresAt))
                """, logger: self.logger)
        }
    }

    public func session(tokenHash: String, now: Int64) async throws(StoreError) -> SessionRecord? {
        try await reading { db in
            let rows = try await db.query("""
                SELECT s.token_hash, s.user_name, u.role, s.csrf, s.created_at, s.expires_at
                FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(now) AND u.disabled = 0
                """, logger: self.logger)
            for try await (hash, user, role, csrf, created, expires) in rows.decode((String, String, String, String, Int64, Int64).self) {
                return SessionRecord(tokenHash: hash, user: user, role: UserRole(rawValue: role) ?? .operator, csrf: csrf,
                                     createdAt: created, expiresAt: expires)
            }
            return nil
        }
    }

    public func endSession(tokenHash: String, user: String, source: String) async throws(StoreError) {
        try await writing { db in
            try await db.query("DELETE FROM sessions WHERE token_hash = \(tokenHash)", logger: self.logger)
            try await self.audit(db, [AuditRecord(at: timestamp(), operator: user, action: "logout", caseID: nil, source: source)])
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws(StoreError) -> [AuditEntry] {
        try await reading { db in
            let (sql, values) = StoreSQL.audit(query) { "$\($0)" }
            return try await self.auditEntries(db, sql, values)
        }
    }
}
