import Foundation
public import Store

/// How `pingyi serve` runs: where it listens, how long sessions last, the lock-out rule and
/// the password hashing.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// How long a sign-in lasts, in seconds (default 10 hours: a working day).
    public var sessionSeconds: Int64
    /// The account lock: failed sign-ins in a row from any addresses, counted in the store.
    public var lockout: LockoutPolicy
    /// Failed sign-ins of one user name from one client address (within `lockout.lockSeconds`)
    /// after which that address is refused for that name until the window has passed, the
    /// right password too — a stranger guessing a name cannot lock its owner out (``SignInGuesses``).
    public var addressFailures = 5
    /// The failed sign-ins of this process, per name and address.
    var signInGuesses = SignInGuesses()
    public var hasher: PasswordHasher { didSet { decoyHash = ServerSettings.decoy(hasher) } }
    /// A hash of a random password with the hasher's iterations: an unknown user name is checked
    /// against it, so it costs as long as a known one (no user name found by timing).
    private(set) var decoyHash: String

    static func decoy(_ hasher: PasswordHasher) -> String { (try? hasher.hash(Tokens.make())) ?? "" }
    /// Mark the session cookie `Secure` (when the server is reached over HTTPS, behind a proxy).
    public var secureCookies: Bool
    /// The time (Unix seconds): the clock, or a test's.
    public var now: @Sendable () -> Int64
    /// How long the answer to a wrong online access code waits (slowing a guesser).
    public var wrongCodeDelayMilliseconds = 200
    /// The first-start setup link, when the store has no users yet (``FirstStart``).
    public var firstStart: FirstStart?
    /// The workbench's folder (``Workspace``): uploads and the files each step writes; the
    /// workbench pages say it is off when nil.
    public var workspace: String?
    /// The folder of the shipped designs and questionnaires (`designs/*.yaml`,
    /// `questionnaires/*.yaml`) the workbench starts from.
    public var surveys: String?
    /// The program and version a draw's manifest records (`pingyi 0.9.0`).
    public var tool = "pingyi"

    /// The system clock, in Unix seconds.
    public static let systemTime: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(host: String = "127.0.0.1", port: Int = 8080, sessionSeconds: Int64 = 10 * 3600, lockout: LockoutPolicy = LockoutPolicy(),
                hasher: PasswordHasher = PasswordHasher(), secureCookies: Bool = false,
                now: @escaping @Sendable () -> Int64 = ServerSettings.systemTime) {
        self.host = host
        self.port = port
        self.sessionSeconds = sessionSeconds
        self.lockout = lockout
        self.hasher = hasher
        decoyHash = ServerSettings.decoy(hasher)
        self.secureCookies = secureCookies
        self.now = now
    }
}

/// What every controller shares: the store, the settings, the questionnaire catalog, the form
/// writer (group commit) and the API token cache.
struct ServerEnvironment: Sendable {
    let store: any ServerStore
    let settings: ServerSettings
    let catalog: QuestionnaireCatalog
    let writer: FormWriter
    let tokens = TokenCache()
    /// Wrong online access codes, per client address and in all.
    let guesses = GuessLimiter()
    /// The first-start setup, while it is pending.
    let setup: SetupGate

    init(store: any ServerStore, settings: ServerSettings) {
        self.store = store
        self.settings = settings
        catalog = QuestionnaireCatalog(store: store, now: settings.now)
        writer = FormWriter(store: store, writers: store.concurrentWriters)
        setup = SetupGate(settings.firstStart)
    }
}
