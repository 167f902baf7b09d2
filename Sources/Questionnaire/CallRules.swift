/// What happened on one dial of a telephone interview (电话调查): the interviewer's code for it.
/// The codes are the temporary dispositions of AAPOR's Standard Definitions (2016, §1.2): each
/// attempt gets one, and the questionnaire's ``CallRules/finals`` turn a case's history into a
/// final disposition.
public enum CallOutcome: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Hashable {
    /// The interview was completed (AAPOR 1.1).
    case complete
    /// The respondent stopped partway; the answers given are kept (AAPOR 1.2, or 2.12 by the rules).
    case breakOff = "break-off"
    /// The line was busy.
    case busy
    /// It rang out.
    case noAnswer = "no-answer"
    /// An answering machine or voice mail answered.
    case answeringMachine = "answering-machine"
    /// Someone answered and asked to be called at another time (an appointment).
    case callBack = "call-back"
    /// The person to interview was not available (household reached, respondent away).
    case notAvailable = "not-available"
    /// A refusal that may be tried again (refusal conversion).
    case softRefusal = "soft-refusal"
    /// A firm refusal: never call again.
    case hardRefusal = "hard-refusal"
    /// The respondent cannot be interviewed in the interview's language, or is unable.
    case unable
    /// The number does not work (disconnected, not in service).
    case nonWorking = "non-working"
    /// A fax or data line.
    case fax
    /// Reached, but not the person or not eligible (a business, moved away, no longer a deputy).
    case ineligible

    /// The Chinese name for the interviewer.
    public var label: String {
        switch self {
        case .complete: "完成访问"
        case .breakOff: "中途拒答"
        case .busy: "忙音"
        case .noAnswer: "无人接听"
        case .answeringMachine: "语音信箱/答录机"
        case .callBack: "预约再打"
        case .notAvailable: "受访者不在"
        case .softRefusal: "婉拒（可再试）"
        case .hardRefusal: "明确拒访"
        case .unable: "无法访问（语言、健康）"
        case .nonWorking: "空号/停机"
        case .fax: "传真或数据线路"
        case .ineligible: "不符合条件"
        }
    }

    /// Whether a person answered (a contact in AAPOR's sense).
    public var isContact: Bool {
        switch self {
        case .complete, .breakOff, .callBack, .notAvailable, .softRefusal, .hardRefusal, .unable, .ineligible: true
        case .busy, .noAnswer, .answeringMachine, .nonWorking, .fax: false
        }
    }
}

/// A case's final disposition from its attempts: the store's ``Disposition`` raw value and the
/// AAPOR code it stands for.
public struct CallFinal: Sendable, Codable, Hashable {
    /// One of the store's dispositions: complete, partial, refusal, non-contact, other, unknown,
    /// not-eligible.
    public var disposition: String
    /// The AAPOR final disposition code, e.g. `2.11`.
    public var aapor: String

    public init(disposition: String, aapor: String) {
        self.disposition = disposition
        self.aapor = aapor
    }
}

/// One rule of ``CallRules/finals``: when it holds after an attempt, the case is closed with its
/// final disposition. Conditions are all of those given:
/// - `last`: the attempt just recorded had one of these outcomes;
/// - `ever`: some attempt had one of these outcomes;
/// - `every-number`: the last outcome on every number of the case is one of these;
/// - `exhausted`: the case has no attempts left (``CallRules/maxAttempts``), made on at least
///   `days` different days;
/// - `contact`: some attempt reached a person (true), or none did (false).
public struct FinalRule: Sendable, Codable, Hashable {
    public var last: [CallOutcome]?
    public var ever: [CallOutcome]?
    public var everyNumber: [CallOutcome]?
    public var exhausted: Bool?
    public var days: Int?
    public var contact: Bool?
    public var final: CallFinal
    /// Where the rule is in the questionnaire file, for messages.
    public var line: Int?

    public init(last: [CallOutcome]? = nil, ever: [CallOutcome]? = nil, everyNumber: [CallOutcome]? = nil, exhausted: Bool? = nil,
                days: Int? = nil, contact: Bool? = nil, final: CallFinal, line: Int? = nil) {
        self.last = last
        self.ever = ever
        self.everyNumber = everyNumber
        self.exhausted = exhausted
        self.days = days
        self.contact = contact
        self.final = final
        self.line = line
    }
}

/// A calling window: from `start` to `end` minutes after midnight, local time.
public struct CallWindow: Sendable, Codable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `18:30–21:00`.
    public var text: String {
        func hm(_ m: Int) -> String { "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)" }
        return "\(hm(start))–\(hm(end))"
    }
}

/// How a questionnaire is fielded by telephone (the `calls:` section of the questionnaire file,
/// checked by `pingyi survey check`): where the numbers are, when to call, how often and how long
/// to wait after each outcome, how long a case stays with one interviewer, the quota rule, the
/// callback check, and the rules that turn attempts into AAPOR final dispositions.
///
/// ```yaml
/// calls:
///   phones: [phone]                  # list columns with the numbers (a cell may hold several: 138…; 139…)
///   windows:                         # Asia/Shanghai time, by day of the week
///     weekdays: [18:30-21:00]
///     saturday: [10:00-12:00, 14:00-21:00]
///     sunday: [14:00-21:00]
///   max-attempts: 6
///   lock-minutes: 20
///   retry-minutes: {busy: 15, no-answer: 90, answering-machine: 120, not-available: 60, soft-refusal: 1440}
///   quota: stop                      # a stratum that reached its target gets no fresh cases
///   callback: {share: 10%, items: [D01, D02, own_town]}
///   seed: 20170401                   # the random order of fresh cases
///   finals:                          # checked in order after every attempt
///     - {last: [complete], final: complete, aapor: "1.1"}
///     - {last: [hard-refusal], final: refusal, aapor: "2.11"}
///     - {every-number: [non-working], final: not-eligible, aapor: "4.30"}
///     - {exhausted: true, contact: false, days: 3, final: unknown, aapor: "3.13"}
/// ```
public struct CallRules: Sendable, Codable, Hashable {
    /// The respondent-list columns that hold phone numbers.
    public var phones: [String]
    /// Calling windows by weekday: index 0 is Sunday, 1 Monday … 6 Saturday.
    public var windows: [[CallWindow]]
    public var maxAttempts: Int
    /// How long a case handed to an interviewer stays theirs (minutes).
    public var lockMinutes: Int
    /// Minutes to wait after each outcome before the case is called again.
    public var retryMinutes: [CallOutcome: Int]
    /// Whether a stratum (town) that reached its target of completes gets no fresh cases.
    public var stopAtQuota: Bool
    /// The share of each interviewer's completes re-asked by another interviewer, and the items.
    public var callbackShare: Double
    public var callbackItems: [String]
    public var seed: UInt32
    public var finals: [FinalRule]

    public init(phones: [String], windows: [[CallWindow]], maxAttempts: Int, lockMinutes: Int, retryMinutes: [CallOutcome: Int],
                stopAtQuota: Bool, callbackShare: Double, callbackItems: [String], seed: UInt32, finals: [FinalRule]) {
        self.phones = phones
        self.windows = windows
        self.maxAttempts = maxAttempts
        self.lockMinutes = lockMinutes
        self.retryMinutes = retryMinutes
        self.stopAtQuota = stopAtQuota
        self.callbackShare = callbackShare
        self.callbackItems = callbackItems
        self.seed = seed
        self.finals = finals
    }

    /// The time zone of the windows: the bureaus' (UTC+8, no daylight saving).
    public static let offsetSeconds: Int64 = 8 * 3600

    /// Minutes after local midnight, and the weekday (0 Sunday), of a Unix time.
    public static func localTime(_ unix: Int64) -> (minutes: Int, weekday: Int, day: Int64) {
        let local = unix + offsetSeconds
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let minutes = Int((local - day * 86_400) / 60)
        // 1970-01-01 was a Thursday (4).
        let weekday = Int(((day % 7) + 7 + 4) % 7)
        return (minutes, weekday, day)
    }

    /// Whether `unix` lies in a calling window.
    public func isCallingTime(_ unix: Int64) -> Bool {
        let t = CallRules.localTime(unix)
        return windows[t.weekday].contains { t.minutes >= $0.start && t.minutes < $0.end }
    }

    /// The first moment at or after `unix` that lies in a calling window (nil without windows).
    public func nextCallingTime(after unix: Int64) -> Int64? {
        if isCallingTime(unix) { return unix }
        let t = CallRules.localTime(unix)
        for d in 0..<8 {
            let weekday = (t.weekday + d) % 7
            for w in windows[weekday].sorted(by: { $0.start < $1.start }) {
                let startOfDay = (t.day + Int64(d)) * 86_400 - CallRules.offsetSeconds
                let start = startOfDay + Int64(w.start) * 60
                if start >= unix { return start }
            }
        }
        return nil
    }

    /// The minutes to wait after an outcome before calling again (0 when not given).
    public func retry(after outcome: CallOutcome) -> Int {
        retryMinutes[outcome] ?? 0
    }
}
