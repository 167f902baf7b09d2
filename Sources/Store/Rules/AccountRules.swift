/// The sign-in rules of ``AccountStore/recordLogin(name:succeeded:now:policy:source:)``, shared by
/// every store.
enum AccountRules {
    /// The account's sign-in state after an attempt.
    struct LoginChange: Sendable, Equatable {
        let outcome: LoginOutcome
        /// The new failure count and lock (nil: no change to store).
        let failedLogins: Int?
        let lockedUntil: Int64?
        let audit: [AuditRecord]
    }

    /// Works out an attempt on a user with `failed` failures and lock `lockedUntil` (nil when
    /// the user does not exist: `exists` false).
    static func login(name: String, exists: Bool, failed: Int, lockedUntil: Int64?, succeeded: Bool, now: Int64,
                      policy: LockoutPolicy, source: String) -> LoginChange {
        let at = timestamp()
        func entry(_ action: String, _ new: String?, _ reason: String? = nil) -> AuditRecord {
            AuditRecord(at: at, operator: name, action: action, caseID: nil, new: new, reason: reason, source: source)
        }
        guard exists else {
            return LoginChange(outcome: .failed(remaining: policy.maxFailures), failedLogins: nil, lockedUntil: nil,
                               audit: [entry("login-failed", nil, "no such user")])
        }
        if let until = lockedUntil, until > now {
            return LoginChange(outcome: .locked(until: until), failedLogins: nil, lockedUntil: nil,
                               audit: [entry("login-refused", "locked until \(isoTime(until))")])
        }
        if succeeded {
            return LoginChange(outcome: .succeeded, failedLogins: 0, lockedUntil: nil, audit: [entry("login", nil)])
        }
        let failures = failed + 1
        if failures >= policy.maxFailures {
            let until = now + policy.lockSeconds
            return LoginChange(outcome: .locked(until: until), failedLogins: failures, lockedUntil: until,
                               audit: [entry("login-failed", "\(failures) of \(policy.maxFailures)"),
                                       entry("lock", "locked until \(isoTime(until))", "\(failures) failed sign-ins in a row")])
        }
        return LoginChange(outcome: .failed(remaining: policy.maxFailures - failures), failedLogins: failures, lockedUntil: nil,
                           audit: [entry("login-failed", "\(failures) of \(policy.maxFailures)")])
    }

    /// The audit entry of a change to a user made by `by`.
    static func userChange(_ action: String, name: String, by: String, new: String?) -> AuditRecord {
        AuditRecord(at: timestamp(), operator: by, action: action, caseID: nil, item: name, new: new, source: "users")
    }

    /// The refusal to add a user whose name is taken.
    static func nameTaken(_ name: String, store: String) -> StoreError {
        StoreError(.data, file: store, message: "user \(name) already exists", hint: "choose another name, or change the password with the users page")
    }

    /// The refusal of a first-start setup on a store that has users.
    static func notFirst(store: String) -> StoreError {
        StoreError(.data, file: store, message: "the store already has users, so the first-start setup is closed",
                   hint: "sign in with an existing account, or ask its admin to add you")
    }

    /// The audit entry of work that is not a case's.
    static func work(_ action: String, by: String, subject: String?, detail: String?, source: String?) -> AuditRecord {
        AuditRecord(at: timestamp(), operator: by, action: action, caseID: nil, item: subject, new: detail, source: source)
    }

    /// The refusal to take away the last working admin (by a role change, disabling or deleting).
    static func lastAdmin(_ name: String, store: String) -> StoreError {
        StoreError(.data, file: store, message: lastAdminMessage(name), hint: "make another user an admin first")
    }

    static func lastAdminMessage(_ name: String) -> String { "\(name) is the last admin who can sign in" }

    /// The refusal to change a user who does not exist.
    static func noSuchUser(_ name: String, store: String) -> StoreError {
        StoreError(.data, file: store, message: "there is no user \(name)", hint: "add the user first (pingyi users add)")
    }
}
