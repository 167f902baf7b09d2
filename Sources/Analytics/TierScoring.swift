/// How answer codes become the two analysis variables: the score (满意度, 0–100) and whether the
/// answer counts as satisfied (满意率).
///
/// Codes with a score are *valid*; don't-know codes are either excluded from the denominator
/// (the default, which reproduces published bureau scores) and reported as a share, or counted
/// as dissatisfied; every other code (refused, not applicable, invalid) is never scored.
public struct TierScoring: Sendable, Equatable {
    public enum DontKnowRule: String, Sendable, CaseIterable {
        /// Drop don't-know answers from the denominator; report their weighted share.
        case exclude
        /// Count don't-know answers as the lowest tier: scored, not satisfied.
        case dissatisfied
    }

    /// Score of each tier code.
    public var scores: [Int: Double]
    /// Tier codes that count as satisfied.
    public var satisfied: Set<Int>
    /// Don't-know codes (不了解/说不清).
    public var dontKnow: Set<Int>
    public var dontKnowRule: DontKnowRule
    /// Every code of the scale, tiers and special codes (nil: not known, any code is taken). A
    /// long file's code outside it is an error, never silently dropped.
    public var codes: Set<Int>?

    public init(scores: [Int: Double], satisfied: Set<Int>, dontKnow: Set<Int>, dontKnowRule: DontKnowRule = .exclude,
                codes: Set<Int>? = nil) {
        self.scores = scores
        self.satisfied = satisfied
        self.dontKnow = dontKnow
        self.dontKnowRule = dontKnowRule
        self.codes = codes
    }

    /// The common four-tier form: 1 满意 100, 2 比较满意 80, 3 基本满意 60, 4 不满意 0; 7 don't know.
    public static let fourTier = TierScoring(scores: [1: 100, 2: 80, 3: 60, 4: 0], satisfied: [1, 2, 3], dontKnow: [7])

    /// What a code means for estimation.
    enum Role: Equatable {
        case scored(score: Double, satisfied: Bool)
        case dontKnow
        case other
    }

    func role(of code: Int) -> Role {
        if let s = scores[code] { return .scored(score: s, satisfied: satisfied.contains(code)) }
        if dontKnow.contains(code) {
            if dontKnowRule == .dissatisfied { return .scored(score: scores.values.min() ?? 0, satisfied: false) }
            return .dontKnow
        }
        return .other
    }

    /// Whether don't-know answers stay in the denominator of the don't-know share (always: the
    /// share is among scored and don't-know answers).
    func isAnswered(_ code: Int) -> Bool {
        scores[code] != nil || dontKnow.contains(code)
    }
}

/// ``TierScoring/role(of:)`` for every code 0…99, looked up without hashing in the hot loops.
struct RoleTable {
    private let roles: [TierScoring.Role]

    init(_ scoring: TierScoring) {
        roles = (0..<100).map { scoring.role(of: $0) }
    }

    @inline(__always)
    subscript(_ code: Int) -> TierScoring.Role {
        code >= 0 && code < roles.count ? roles[code] : .other
    }
}
