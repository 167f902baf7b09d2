/// The people who sign in to `pingyi serve`, their sessions, and the audit of sign-ins and user
/// changes, kept in the same database as the cases (so several server processes share them).
///
/// Password hashing is the server's: the store keeps the hash text it is given. Every write is
/// one transaction and is audited (actions `user-add`, `user-password`, `user-token`,
/// `user-unlock`, `user-role`, `user-disable`, `user-enable`, `user-delete`, `login`,
/// `login-failed`, `lock`, `login-refused`, `logout`; no case).
public protocol AccountStore: Sendable {
    /// Adds a user. - Throws: ``StoreError`` (`.data`) when the name is taken.
    func addUser(name: String, role: UserRole, passwordHash: String, by: String) async throws(StoreError)

    /// Adds the first user, an admin, in one transaction that first finds the store without
    /// users (the first-start setup of `pingyi serve`; two setups at once make one admin).
    /// - Throws: ``StoreError`` (`.data`) when the store already has a user.
    func addFirstAdmin(name: String, passwordHash: String, by: String) async throws(StoreError)

    /// Appends an audit entry about work that is not a case's (a frame uploaded, a sample
    /// drawn, a report made): who, what (`action`), on what (`subject`) and the outcome.
    func recordWork(action: String, by: String, subject: String?, detail: String?, source: String?) async throws(StoreError)

    /// Sets a user's password hash, clears a lock and ends the user's sessions (whoever signed
    /// in with the old password is signed out).
    func setPassword(name: String, passwordHash: String, by: String) async throws(StoreError)

    /// Changes a user's role and ends their sessions (they sign in again with the new role).
    /// - Throws: ``StoreError`` when the user is the last admin who can sign in.
    func setRole(name: String, role: UserRole, by: String) async throws(StoreError)

    /// Disables a user (they cannot sign in, their sessions end, their API token stops working)
    /// or enables them again. - Throws: ``StoreError`` for the last admin.
    func setDisabled(name: String, disabled: Bool, by: String) async throws(StoreError)

    /// Deletes a user and their sessions; what they keyed stays, under their name, with its audit.
    /// - Throws: ``StoreError`` for the last admin.
    func deleteUser(name: String, by: String) async throws(StoreError)

    /// Sets the SHA-256 of a user's API token (replacing any earlier token).
    func setAPIToken(name: String, tokenHash: String, by: String) async throws(StoreError)

    func user(named name: String) async throws(StoreError) -> UserAccount?

    /// The user whose API token has this hash.
    func user(apiTokenHash: String) async throws(StoreError) -> UserAccount?

    /// Every user, by name.
    func users() async throws(StoreError) -> [UserAccount]

    /// Records a sign-in attempt whose password was checked (`succeeded`), at Unix time `now`:
    /// success clears the failures; a failure counts, and the `policy.maxFailures`-th in a row
    /// locks the account for `policy.lockSeconds`. An attempt on a locked account is refused
    /// whatever the password. An unknown name is audited and reported as a failure.
    func recordLogin(name: String, succeeded: Bool, now: Int64, policy: LockoutPolicy, source: String) async throws(StoreError) -> LoginOutcome

    /// Clears a user's failures and lock.
    func unlock(name: String, by: String) async throws(StoreError)

    /// Stores a new session (its role is ignored: sessions read the user's role).
    func createSession(_ session: SessionRecord) async throws(StoreError)

    /// The session with this token hash, unless it expired by Unix time `now` (an expired one
    /// is removed).
    func session(tokenHash: String, now: Int64) async throws(StoreError) -> SessionRecord?

    /// Ends a session (sign-out), audited.
    func endSession(tokenHash: String, user: String, source: String) async throws(StoreError)

    /// Audit entries, newest first.
    func auditEntries(_ query: AuditQuery) async throws(StoreError) -> [AuditEntry]
}

/// A store that holds both the survey data and the accounts: what the server runs on.
public typealias ServerStore = SurveyStore & AccountStore & CallStore & InvitationStore
