/// What a signed-in person may do in `pingyi serve`. Each role may do everything the roles
/// below it may: an admin is also a supervisor, a supervisor also an operator.
public enum UserRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// 录入员: keys paper forms and sees their own work.
    case `operator`
    /// 访员: telephone interviews (the next case, its dials, the interview) and callbacks.
    case interviewer
    /// 统计人员: the figures of the survey (progress, distributions), no respondent's data; and
    /// the workbench (frames, designs, draws, analyses), but not users.
    case statistician
    /// 督导: keys and calls too, adjudicates disagreements, records dispositions, activates
    /// reserves, follows quotas, interviewers and callbacks.
    case supervisor
    /// 管理员: everything, and manages users and surveys.
    case admin

    /// The Chinese name for people.
    public var label: String {
        switch self {
        case .operator: "录入员"
        case .interviewer: "访员"
        case .statistician: "统计人员"
        case .supervisor: "督导"
        case .admin: "管理员"
        }
    }

    /// What the role may do.
    public var permissions: Set<Permission> {
        switch self {
        case .operator: [.keying]
        case .interviewer: [.calling]
        case .statistician: [.analysing, .workbench]
        case .supervisor: [.keying, .calling, .supervising, .analysing]
        case .admin: Set(Permission.allCases)
        }
    }

    /// Whether the role may do `p`.
    public func may(_ p: Permission) -> Bool { permissions.contains(p) }
}

/// One kind of work in the server; each page and action needs one (``UserRole/permissions``).
public enum Permission: String, Sendable, CaseIterable, Hashable {
    /// Keying paper forms (录入).
    case keying
    /// Telephone interviewing and callbacks (电话访问).
    case calling
    /// Supervising fieldwork: disagreements, dispositions, reserves, quotas, audit (督导).
    case supervising
    /// The survey's figures: progress and distributions, without personal data (统计).
    case analysing
    /// The workbench: frames, designs, draws, loading cases, weights, scores, the composite and
    /// the report (工作台). Not a supervisor's: who supervises the fieldwork does not draw it.
    case workbench
    /// Users and surveys (管理).
    case administering

    /// The Chinese name, for the message of a refused page.
    public var label: String {
        switch self {
        case .keying: "录入"
        case .calling: "电话访问"
        case .supervising: "督导"
        case .analysing: "统计"
        case .workbench: "工作台"
        case .administering: "管理"
        }
    }
}

/// A person who signs in to the server.
public struct UserAccount: Sendable, Equatable {
    public let name: String
    public let role: UserRole
    /// The password's salted slow hash, as the server wrote it (`pbkdf2-sha256$…`).
    public let passwordHash: String
    /// Failed sign-ins since the last successful one.
    public let failedLogins: Int
    /// Unix time until which sign-in is refused; nil when not locked.
    public let lockedUntil: Int64?
    public let hasAPIToken: Bool
    /// UTC time, ISO 8601.
    public let createdAt: String

    /// A disabled user cannot sign in, and neither their sessions nor their API token work.
    public let disabled: Bool

    public init(name: String, role: UserRole, passwordHash: String, failedLogins: Int, lockedUntil: Int64?, hasAPIToken: Bool,
                createdAt: String, disabled: Bool = false) {
        self.disabled = disabled
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
        self.hasAPIToken = hasAPIToken
        self.createdAt = createdAt
    }

    /// Whether sign-in is refused at Unix time `now`.
    public func isLocked(at now: Int64) -> Bool { (lockedUntil ?? 0) > now }
}

/// A signed-in browser.
public struct SessionRecord: Sendable, Equatable {
    /// The SHA-256 of the session token (the cookie holds the token, the store only its hash).
    public let tokenHash: String
    public let user: String
    /// The user's role now (read with the session, so a changed role applies at once).
    public let role: UserRole
    /// The token every form of the session carries.
    public let csrf: String
    /// Unix times.
    public let createdAt: Int64
    public let expiresAt: Int64

    public init(tokenHash: String, user: String, role: UserRole, csrf: String, createdAt: Int64, expiresAt: Int64) {
        self.tokenHash = tokenHash
        self.user = user
        self.role = role
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// When repeated failed sign-ins lock an account.
public struct LockoutPolicy: Sendable, Equatable {
    /// Failed sign-ins in a row that lock the account.
    public let maxFailures: Int
    /// How long the lock lasts, in seconds.
    public let lockSeconds: Int64

    /// 20 failures in a row, from any addresses (``ServerSettings`` stops one address sooner).
    public init(maxFailures: Int = 20, lockSeconds: Int64 = 15 * 60) {
        self.maxFailures = maxFailures
        self.lockSeconds = lockSeconds
    }
}

/// What a sign-in attempt came to.
public enum LoginOutcome: Sendable, Equatable {
    case succeeded
    /// A wrong password (or unknown user): `remaining` more failures lock the account.
    case failed(remaining: Int)
    /// The account is locked until this Unix time (by this attempt or an earlier one).
    case locked(until: Int64)
}

/// Which audit entries to read.
public struct AuditQuery: Sendable, Equatable {
    /// Only entries written by this person.
    public var `operator`: String?
    /// Only these actions (nil: every action).
    public var actions: [String]?
    /// Only entries about no case (sign-ins, user changes).
    public var withoutCase: Bool
    /// The newest `limit` entries, newest first.
    public var limit: Int

    public init(operator: String? = nil, actions: [String]? = nil, withoutCase: Bool = false, limit: Int = 100) {
        self.operator = `operator`
        self.actions = actions
        self.withoutCase = withoutCase
        self.limit = limit
    }
}

/// How often a code was given to an evaluated unit.
public struct AnswerCount: Sendable, Equatable, Hashable {
    /// The item (a unit id, `own_town`, or a further item).
    public let item: String
    /// For `own_town`: the town rated (the case's town_id); nil otherwise.
    public let townID: String?
    /// The code as keyed.
    public let value: String
    public let count: Int

    public init(item: String, townID: String?, value: String, count: Int) {
        self.item = item
        self.townID = townID
        self.value = value
        self.count = count
    }
}
