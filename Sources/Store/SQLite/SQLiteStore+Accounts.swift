import GRDB

extension SQLiteStore: AccountStore {
    static func account(_ row: Row) -> UserAccount {
        UserAccount(name: row[0], role: UserRole(rawValue: row[1]) ?? .operator, passwordHash: row[2], failedLogins: row[3],
                    lockedUntil: row[4], hasAPIToken: row[5], createdAt: row[6], disabled: (row[7] as Int) != 0)
    }

    public func addUser(name: String, role: UserRole, passwordHash: String, by: String) async throws(StoreError) {
        try await writing { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) != nil {
                throw AccountRules.nameTaken(name, store: self.path)
            }
            try db.execute(sql: """
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, passwordHash, timestamp(), by])
            try self.audit(db, AccountRules.userChange("user-add", name: name, by: by, new: role.rawValue))
        }
    }

    public func addFirstAdmin(name: String, passwordHash: String, by: String) async throws(StoreError) {
        try await writing { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users LIMIT 1") != nil { throw AccountRules.notFirst(store: self.path) }
            try db.execute(sql: """
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, UserRole.admin.rawValue, passwordHash, timestamp(), by])
            try self.audit(db, AccountRules.userChange("user-add", name: name, by: by, new: UserRole.admin.rawValue))
        }
    }

    public func recordWork(action: String, by: String, subject: String?, detail: String?, source: String?) async throws(StoreError) {
        try await writing { db in try self.audit(db, AccountRules.work(action, by: by, subject: subject, detail: detail, source: source)) }
    }

    /// Updates one user, or throws when there is none.
    private func changeUser(_ name: String, _ sql: String, _ arguments: StatementArguments, audit: AuditRecord,
                            endingSessions: Bool = false) async throws(StoreError) {
        try await writing { db in
            try db.execute(sql: sql, arguments: arguments)
            if db.changesCount == 0 { throw AccountRules.noSuchUser(name, store: self.path) }
            if endingSessions { try db.execute(sql: "DELETE FROM sessions WHERE user_name = ?", arguments: [name]) }
            try self.audit(db, audit)
        }
    }

    public func setPassword(name: String, passwordHash: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE name = ?",
                             [passwordHash, name], audit: AccountRules.userChange("user-password", name: name, by: by, new: nil), endingSessions: true)
    }

    public func setAPIToken(name: String, tokenHash: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET api_token_hash = ? WHERE name = ?", [tokenHash, name],
                             audit: AccountRules.userChange("user-token", name: name, by: by, new: "new API token"))
    }

    public func setRole(name: String, role: UserRole, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: role != .admin, "UPDATE users SET role = ? WHERE name = ?", [role.rawValue, name],
                              audit: AccountRules.userChange("user-role", name: name, by: by, new: role.rawValue))
    }

    public func setDisabled(name: String, disabled: Bool, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: disabled, "UPDATE users SET disabled = ? WHERE name = ?", [disabled ? 1 : 0, name],
                              audit: AccountRules.userChange(disabled ? "user-disable" : "user-enable", name: name, by: by, new: nil))
    }

    public func deleteUser(name: String, by: String) async throws(StoreError) {
        try await changeAdmin(name, losesAdmin: true, "DELETE FROM users WHERE name = ?", [name],
                              audit: AccountRules.userChange("user-delete", name: name, by: by, new: nil))
    }

    /// A change that ends the user's sessions and may take away an admin: refused when it would
    /// leave no admin who can sign in.
    private func changeAdmin(_ name: String, losesAdmin: Bool, _ sql: String, _ arguments: StatementArguments,
                             audit: AuditRecord) async throws(StoreError) {
        try await writing { db in
            if losesAdmin {
                let others = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name <> ?",
                                              arguments: [name]) ?? 0
                let isAdmin = try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ? AND role = 'admin' AND disabled = 0",
                                                arguments: [name]) != nil
                if isAdmin && others == 0 { throw AccountRules.lastAdmin(name, store: self.path) }
            }
            try db.execute(sql: "DELETE FROM sessions WHERE user_name = ?", arguments: [name])
            try db.execute(sql: sql, arguments: arguments)
            if db.changesCount == 0 { throw AccountRules.noSuchUser(name, store: self.path) }
            try self.audit(db, audit)
        }
    }

    public func unlock(name: String, by: String) async throws(StoreError) {
        try await changeUser(name, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ?", [name],
                             audit: AccountRules.userChange("user-unlock", name: name, by: by, new: nil))
    }

    public func user(named name: String) async throws(StoreError) -> UserAccount? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreSQL.userColumns) FROM users WHERE name = ?", arguments: [name]).map(SQLiteStore.account)
        }
    }

    public func user(apiTokenHash: String) async throws(StoreError) -> UserAccount? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreSQL.userColumns) FROM users WHERE api_token_hash = ? AND disabled = 0", arguments: [apiTokenHash])
                .map(SQLiteStore.account)
        }
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT \(StoreSQL.userColumns) FROM users ORDER BY name").map(SQLiteStore.account)
        }
    }

    public func recordLogin(name: String, succeeded: Bool, now: Int64, policy: LockoutPolicy, source: String) async throws(StoreError) -> LoginOutcome {
        try await writing { db in
            let row = try Row.fetchOne(db, sql: "SELECT failed_logins, locked_until FROM users WHERE name = ?", arguments: [name])
            let change = AccountRules.login(name: name, exists: row != nil, failed: row?[0] ?? 0, lockedUntil: row?[1],
                                            succeeded: succeeded, now: now, policy: policy, source: source)
            if let failed = change.failedLogins {
                try db.execute(sql: "UPDATE users SET failed_logins = ?, locked_until = ? WHERE name = ?",
                               arguments: [failed, change.lockedUntil, name])
            }
            for entry in change.audit { try self.audit(db, entry) }
            return change.outcome
        }
    }

    public func createSession(_ session: SessionRecord) async throws(StoreError) {
        try await writing { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [session.createdAt])
            try db.execute(sql: "INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [session.tokenHash, session.user, session.csrf, session.createdAt, session.expiresAt])
        }
    }

    public func session(tokenHash: String, now: Int64) async throws(StoreError) -> SessionRecord? {
        try await reading { db in
            try Row.fetchOne(db, sql: """
                SELECT s.token_hash, s.user_name, u.role, s.csrf, s.created_at, s.expires_at
                FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0
                """, arguments: [tokenHash, now]).map {
                SessionRecord(tokenHash: $0[0], user: $0[1], role: UserRole(rawValue: $0[2]) ?? .operator, csrf: $0[3],
                              createdAt: $0[4], expiresAt: $0[5])
            }
        }
    }

    public func endSession(tokenHash: String, user: String, source: String) async throws(StoreError) {
        try await writing { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
            try self.audit(db, AuditRecord(at: timestamp(), operator: user, action: "logout", caseID: nil, source: source))
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws(StoreError) -> [AuditEntry] {
        try await reading { db in
            let (sql, values) = StoreSQL.audit(query) { _ in "?" }
            let arguments: [(any DatabaseValueConvertible)?] = values.map {
                switch $0 {
                case .text(let v): v
                case .int(let v): v
                case .double(let v): v
                case .bool(let v): v
                }
            }
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(SQLiteStore.auditEntry)
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(at: row[0], operator: row[1], action: row[2], caseID: row[3], pass: row[4], item: row[5],
                   oldValue: row[6], newValue: row[7], reason: row[8], source: row[9])
    }
}
