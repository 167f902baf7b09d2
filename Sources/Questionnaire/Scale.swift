/// A satisfaction scale (满意度档次): the tiers a respondent can choose, each with a code, a
/// Chinese label, a score on the 100-point basis and whether it counts as satisfied, plus the
/// special codes that are not tiers (don't know, refused, not applicable, invalid).
///
/// Read from `surveys/scales/*.yaml`:
///
/// ```yaml
/// id: four-tier
/// title: 四档满意度
/// tiers:
///   - {code: 1, label: 满意, score: 100, satisfied: true}
///   - {code: 4, label: 不满意, score: 0, satisfied: false}
/// specials:
///   - {code: 7, label: 不了解/说不清, role: dont-know}
/// ```
///
/// Conventions:
/// - Codes are single keystrokes, 0–9, unique across tiers and specials.
/// - 满意度 (satisfaction score) is the weighted mean of ``Tier/score`` over answers that are
///   tiers; 满意率 (satisfaction rate) is the weighted share of tiers with ``Tier/satisfied``.
///   Special codes are never tiers: whether don't-know answers stay in a denominator is the
///   analysis's explicit setting, not the scale's.
public struct Scale: Sendable, Codable, Equatable, Hashable {
    /// The scale's identifier, e.g. `four-tier`.
    public let id: String
    /// A Chinese title for people, e.g. `四档满意度`.
    public let title: String
    /// The tiers in the order of the form (best first, by convention).
    public let tiers: [Tier]
    /// The special codes, in the order of the form.
    public let specials: [SpecialCode]

    public init(id: String, title: String, tiers: [Tier], specials: [SpecialCode]) {
        self.id = id
        self.title = title
        self.tiers = tiers
        self.specials = specials
    }

    /// The tier with this code, or nil (also for special codes).
    /// - Complexity: O(number of codes), at most 10.
    public func tier(code: Int) -> Tier? {
        tiers.first { $0.code == code }
    }

    /// The special code with this code, or nil (also for tiers).
    public func special(code: Int) -> SpecialCode? {
        specials.first { $0.code == code }
    }

    /// The special code that plays `role`, or nil when the scale has none.
    public func special(role: SpecialRole) -> SpecialCode? {
        specials.first { $0.role == role }
    }

    /// What `code` means on this scale: a tier, a special code, or nil for a code the scale lacks.
    public func lookup(code: Int) -> ScaleCode? {
        if let tier = tier(code: code) { return .tier(tier) }
        if let special = special(code: code) { return .special(special) }
        return nil
    }

    /// The Chinese label of a code, or nil.
    public func label(code: Int) -> String? {
        switch lookup(code: code) {
        case .tier(let t): t.label
        case .special(let s): s.label
        case nil: nil
        }
    }

    /// Every code, tiers first, in the order of the file.
    public var codes: [Int] { tiers.map(\.code) + specials.map(\.code) }

    /// The codes written for people, e.g. `1–4, 6–9`.
    public var codesDescription: String { describeCodes(codes) }
}

/// A satisfaction tier: a code a respondent may choose, with its score and whether it counts as
/// satisfied.
public struct Tier: Sendable, Codable, Equatable, Hashable {
    /// The keystroke, 0–9.
    public let code: Int
    /// The Chinese label, e.g. `比较满意`.
    public let label: String
    /// The score on the 100-point basis (0–100), e.g. 80.
    public let score: Double
    /// Whether the tier counts towards the satisfaction rate (满意率).
    public let satisfied: Bool

    public init(code: Int, label: String, score: Double, satisfied: Bool) {
        self.code = code
        self.label = label
        self.score = score
        self.satisfied = satisfied
    }
}

/// A code that is an answer but not a tier.
public struct SpecialCode: Sendable, Codable, Equatable, Hashable {
    public let code: Int
    public let label: String
    public let role: SpecialRole

    public init(code: Int, label: String, role: SpecialRole) {
        self.code = code
        self.label = label
        self.role = role
    }
}

/// What a special code means. The raw values are the YAML spellings.
public enum SpecialRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// 不适用: the item does not apply to this respondent.
    case notApplicable = "not-applicable"
    /// 不了解/说不清: the respondent does not know the unit well enough to rate it.
    case dontKnow = "dont-know"
    /// 拒答: the respondent declined to answer.
    case refused
    /// 无效（多选）: several boxes ticked, or an unreadable mark.
    case invalid

    /// The letter of the Stata extended missing value (`.n`, `.d`, `.r`, `.i`) that stands for it.
    public var stataTag: Character {
        switch self {
        case .notApplicable: "n"
        case .dontKnow: "d"
        case .refused: "r"
        case .invalid: "i"
        }
    }
}

/// The meaning of an answer code on a scale.
public enum ScaleCode: Sendable, Equatable, Hashable {
    case tier(Tier)
    case special(SpecialCode)
}

/// Codes written as runs: `[1, 2, 3, 4, 6, 7, 8, 9]` → `1–4, 6–9`.
public func describeCodes(_ codes: [Int]) -> String {
    let sorted = Array(Set(codes)).sorted()
    var parts: [String] = []
    var i = 0
    while i < sorted.count {
        var j = i
        while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
        parts.append(j - i >= 2 ? "\(sorted[i])–\(sorted[j])" : (i...j).map { String(sorted[$0]) }.joined(separator: ", "))
        i = j + 1
    }
    return parts.joined(separator: ", ")
}
