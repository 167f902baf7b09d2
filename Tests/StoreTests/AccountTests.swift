import Store
import Testing

@Suite("Users, sign-ins and sessions")
struct AccountTests {
    let policy = LockoutPolicy(maxFailures: 3, lockSeconds: 600)

    @Test(arguments: Backend.enabled) func usersAreAddedOnceAndAudited(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.store.addUser(name: "王芳", role: .supervisor, passwordHash: "hash-1", by: "管理员")
        try await f.store.addUser(name: "李明", role: .operator, passwordHash: "hash-2", by: "管理员")
        let before = try await f.dump()
        let taken = await StoreFixture.failure { try await f.store.addUser(name: "王芳", role: .admin, passwordHash: "x", by: "管理员") }
        #expect(taken?.description == "\(f.location): user 王芳 already exists; choose another name, or change the password with the users page")
        #expect(try await f.dump() == before)
        #expect(try await f.store.users().map(\.name) == ["李明", "王芳"])
        let user = try #require(try await f.store.user(named: "王芳"))
        #expect(user.role == .supervisor && user.passwordHash == "hash-1" && user.failedLogins == 0 && user.lockedUntil == nil && !user.hasAPIToken)
        try await f.store.setAPIToken(name: "李明", tokenHash: "token-hash", by: "管理员")
        #expect(try await f.store.user(apiTokenHash: "token-hash")?.name == "李明")
        #expect(try await f.store.user(apiTokenHash: "other") == nil)
        let missing = await StoreFixture.failure { try await f.store.unlock(name: "赵六", by: "管理员") }
        #expect(missing?.message == "there is no user 赵六")
        let audit = try await f.store.auditEntries(AuditQuery(withoutCase: true))
        #expect(audit.map(\.action) == ["user-token", "user-add", "user-add"])
        #expect(audit.last?.item == "王芳" && audit.last?.newValue == "supervisor" && audit.last?.operator == "管理员")
    }

    @Test(arguments: Backend.enabled) func repeatedFailuresLockTheAccount(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.store.addUser(name: "李明", role: .operator, passwordHash: "h", by: "管理员")
        let now: Int64 = 1_750_000_000
        #expect(try await f.store.recordLogin(name: "李明", succeeded: false, now: now, policy: policy, source: "web 10.0.0.5") == .failed(remaining: 2))
        #expect(try await f.store.recordLogin(name: "李明", succeeded: false, now: now + 1, policy: policy, source: "web 10.0.0.5") == .failed(remaining: 1))
        #expect(try await f.store.recordLogin(name: "李明", succeeded: false, now: now + 2, policy: policy, source: "web 10.0.0.5") == .locked(until: now + 602))
        // Locked: even the right password is refused until the lock ends.
        #expect(try await f.store.recordLogin(name: "李明", succeeded: true, now: now + 601, policy: policy, source: "web 10.0.0.5") == .locked(until: now + 602))
        #expect(try await f.store.user(named: "李明")?.isLocked(at: now + 601) == true)
        #expect(try await f.store.recordLogin(name: "李明", succeeded: true, now: now + 602, policy: policy, source: "web 10.0.0.5") == .succeeded)
        let user = try #require(try await f.store.user(named: "李明"))
        #expect(user.failedLogins == 0 && user.lockedUntil == nil)
        // An unknown name is audited and fails.
        #expect(try await f.store.recordLogin(name: "<script>", succeeded: false, now: now, policy: policy, source: "web 10.0.0.6") == .failed(remaining: 3))
        let audit = try await f.store.auditEntries(AuditQuery(withoutCase: true, limit: 20)).reversed().map { "\($0.operator) \($0.action) \($0.newValue ?? "")" }
        #expect(audit == ["管理员 user-add operator", "李明 login-failed 1 of 3", "李明 login-failed 2 of 3", "李明 login-failed 3 of 3",
                          "李明 lock locked until 2025-06-15T15:16:42Z", "李明 login-refused locked until 2025-06-15T15:16:42Z", "李明 login ",
                          "<script> login-failed "])
        let mine = try await f.store.auditEntries(AuditQuery(operator: "李明", actions: ["login", "lock"]))
        #expect(mine.map(\.action) == ["login", "lock"])
        #expect(mine.first?.source == "web 10.0.0.5")
        // A supervisor's unlock clears failures.
        _ = try await f.store.recordLogin(name: "李明", succeeded: false, now: now + 700, policy: policy, source: "web")
        try await f.store.unlock(name: "李明", by: "管理员")
        #expect(try await f.store.user(named: "李明")?.failedLogins == 0)
    }

    @Test(arguments: Backend.enabled) func sessionsExpireAndEnd(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.store.addUser(name: "王芳", role: .supervisor, passwordHash: "h", by: "管理员")
        let session = SessionRecord(tokenHash: "abc", user: "王芳", role: .operator, csrf: "csrf-1", createdAt: 1000, expiresAt: 2000)
        try await f.store.createSession(session)
        // The role is read from the user, not the session.
        #expect(try await f.store.session(tokenHash: "abc", now: 1999)
            == SessionRecord(tokenHash: "abc", user: "王芳", role: .supervisor, csrf: "csrf-1", createdAt: 1000, expiresAt: 2000))
        #expect(try await f.store.session(tokenHash: "abc", now: 2000) == nil)
        #expect(try await f.store.session(tokenHash: "other", now: 1500) == nil)
        try await f.store.endSession(tokenHash: "abc", user: "王芳", source: "web 127.0.0.1")
        #expect(try await f.store.session(tokenHash: "abc", now: 1500) == nil)
        #expect(try await f.store.auditEntries(AuditQuery(actions: ["logout"])).first?.operator == "王芳")
    }

    /// A role change, disabling and deleting end the user's sessions; a disabled user's API
    /// token and sessions do not work, and work again once enabled; the last admin who can sign
    /// in cannot be demoted, disabled or deleted; every change is audited with who made it.
    @Test(arguments: Backend.enabled) func roleChangesDisablingAndDeletingEndSessions(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.store.addUser(name: "admin", role: .admin, passwordHash: "h", by: "setup")
        try await f.store.addUser(name: "王芳", role: .operator, passwordHash: "h", by: "admin")
        try await f.store.setAPIToken(name: "王芳", tokenHash: "token-1", by: "admin")
        func signIn(_ token: String) async throws {
            try await f.store.createSession(SessionRecord(tokenHash: token, user: "王芳", role: .operator, csrf: "c", createdAt: 1000, expiresAt: 9000))
        }
        try await signIn("s1")
        try await f.store.setRole(name: "王芳", role: .supervisor, by: "admin")
        #expect(try await f.store.session(tokenHash: "s1", now: 2000) == nil)
        #expect(try await f.store.user(named: "王芳")?.role == .supervisor)
        try await signIn("s2")
        try await f.store.setDisabled(name: "王芳", disabled: true, by: "admin")
        #expect(try await f.store.session(tokenHash: "s2", now: 2000) == nil)
        #expect(try await f.store.user(apiTokenHash: "token-1") == nil)
        #expect(try await f.store.user(named: "王芳")?.disabled == true)
        // A session made for a disabled user (a sign-in that raced the change) does not work.
        try await signIn("s3")
        #expect(try await f.store.session(tokenHash: "s3", now: 2000) == nil)
        try await f.store.setDisabled(name: "王芳", disabled: false, by: "admin")
        #expect(try await f.store.user(apiTokenHash: "token-1")?.name == "王芳")
        // Enabling ends sessions too (none can have been made meanwhile): the user signs in afresh.
        #expect(try await f.store.session(tokenHash: "s3", now: 2000) == nil)
        try await signIn("s4")
        #expect(try await f.store.session(tokenHash: "s4", now: 2000)?.user == "王芳")
        try await f.store.deleteUser(name: "王芳", by: "admin")
        #expect(try await f.store.user(named: "王芳") == nil)
        #expect(try await f.store.session(tokenHash: "s4", now: 2000) == nil)
        // The last admin stays.
        for change in ["role", "disable", "delete"] {
            do {
                switch change {
                case "role": try await f.store.setRole(name: "admin", role: .supervisor, by: "admin")
                case "disable": try await f.store.setDisabled(name: "admin", disabled: true, by: "admin")
                default: try await f.store.deleteUser(name: "admin", by: "admin")
                }
                Issue.record("\(change) of the last admin went through")
            } catch {
                #expect(error.description.contains("admin is the last admin who can sign in"), "\(error)")
            }
        }
        #expect(try await f.store.user(named: "admin")?.role == .admin)
        do {
            try await f.store.setRole(name: "nobody", role: .operator, by: "admin")
            Issue.record("a missing user was changed")
        } catch {
            #expect(error.description.contains("there is no user nobody"))
        }
        let trail = try await f.store.auditEntries(AuditQuery(actions: ["user-role", "user-disable", "user-enable", "user-delete"]))
        #expect(trail.map(\.action) == ["user-delete", "user-enable", "user-disable", "user-role"] && trail.allSatisfy { $0.operator == "admin" })
    }
}
