import Foundation
import Store

/// Sign-in, sign-out and user management on top of the ``AccountStore``: passwords are checked
/// against their slow hashes here, failures and locks are counted by the store (so every
/// server process sees them).
struct AccountRepository: Sendable {
    let store: any ServerStore
    let settings: ServerSettings

    enum LoginResult: Sendable {
        /// Signed in: the session token for the cookie, and the stored session.
        case signedIn(token: String, session: SessionRecord)
        /// Refused, with the Chinese message for the sign-in page.
        case refused(String)
    }


    func login(name: String, password: String, source: String) async throws -> LoginResult {
        let now = settings.now()
        let guesses = settings.signInGuesses
        if let until = guesses.refusedUntil(name: name, source: source, limit: settings.addressFailures, window: settings.lockout.lockSeconds, now: now) {
            // Said alike for every name, known or not, without checking the password.
            let minutes = max(1, (until - now + 59) / 60)
            return .refused("从此地址连续 \(settings.addressFailures) 次登录失败：请 \(minutes) 分钟后再试；在其他电脑上仍可登录")
        }
        let user = try await store.user(named: name)
        var matches = false
        if let user, !user.isLocked(at: now) {
            let hasher = settings.hasher
            matches = await Task.detached { hasher.verify(password, against: user.passwordHash) }.value
        } else if user == nil {
            let hasher = settings.hasher
            // An unknown name costs one verification at the same iterations as a known one's.
            let decoy = settings.decoyHash
            _ = await Task.detached { hasher.verify(password, against: decoy) }.value
        }
        let outcome = try await store.recordLogin(name: name, succeeded: matches, now: now, policy: settings.lockout, source: source)
        if case .succeeded = outcome { guesses.succeeded(name: name, source: source) } else { guesses.failed(name: name, source: source, now: now) }
        switch outcome {
        case .succeeded:
            guard let user else { return .refused("用户名或密码错误") }
            // Said only to whoever knows the password.
            if user.disabled { return .refused("此账号已停用；请联系管理员") }
            return try await startSession(user: user.name, role: user.role)
        case .failed(let remaining):
            let warning = user != nil && remaining <= 2 ? "；再错 \(remaining) 次，账户将锁定 \(settings.lockout.lockSeconds / 60) 分钟" : ""
            return .refused("用户名或密码错误\(warning)")
        case .locked(let until):
            let minutes = max(1, (until - now + 59) / 60)
            return .refused("连续 \(settings.lockout.maxFailures) 次密码错误，账户已锁定：请 \(minutes) 分钟后再试，或请管理员解锁")
        }
    }

    /// A new session for a user whose password was checked (or who was just made by the
    /// first-start setup).
    func startSession(user: String, role: UserRole) async throws -> LoginResult {
        let now = settings.now()
        let token = Tokens.make()
        let session = SessionRecord(tokenHash: Tokens.hash(token), user: user, role: role, csrf: Tokens.make(),
                                    createdAt: now, expiresAt: now + settings.sessionSeconds)
        try await store.createSession(session)
        return .signedIn(token: token, session: session)
    }

    /// Checks a new user's name and password; nil when acceptable, else the Chinese reason.
    static func problem(name: String, password: String) -> String? {
        (Credentials.problem(name: name) ?? Credentials.problem(password: password, name: name))?.chinese
    }

    /// Adds a user with a new password hash.
    func addUser(name: String, role: UserRole, password: String, by: String) async throws {
        if let problem = AccountRepository.problem(name: name, password: password) { throw PageError(.unprocessableContent, problem) }
        let hasher = settings.hasher
        let hash = try await Task.detached { try hasher.hash(password) }.value
        do {
            try await store.addUser(name: name, role: role, passwordHash: hash, by: by)
        } catch {
            guard error.kind == .data else { throw error }
            throw PageError(.conflict, "用户 \(name) 已存在")
        }
    }

    /// A new API token for a user (returned once; the store keeps its hash).
    func newAPIToken(for name: String, by: String) async throws -> String {
        let token = Tokens.make()
        do {
            try await store.setAPIToken(name: name, tokenHash: Tokens.hash(token), by: by)
        } catch {
            guard error.kind == .data else { throw error }
            throw PageError(.notFound, "没有用户 \(name)")
        }
        return token
    }
}
