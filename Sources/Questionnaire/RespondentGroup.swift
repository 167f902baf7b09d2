/// The respondent groups of the public evaluation (seed 000): each has its own questionnaire.
/// The raw values are the spellings in files (`group: urban`, the `group` column of exports).
public enum RespondentGroup: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    /// 人大代表和政协委员.
    case deputies
    /// 企业经营者.
    case enterprises
    /// 城镇居民户.
    case urban
    /// 农村居民户.
    case rural

    /// The Chinese name for people.
    public var label: String {
        switch self {
        case .deputies: "人大代表和政协委员"
        case .enterprises: "企业经营者"
        case .urban: "城镇居民户"
        case .rural: "农村居民户"
        }
    }

    /// Whether the respondents are households (urban or rural).
    public var isHousehold: Bool { self == .urban || self == .rural }

    /// The identifier column of the group's sampling frame, which a respondent list drawn from
    /// it carries (`person_id` for the deputies' roster, `enterprise_id` for the register,
    /// `household_id` for household lists).
    public var frameIdentifier: String {
        switch self {
        case .deputies: "person_id"
        case .enterprises: "enterprise_id"
        case .urban, .rural: "household_id"
        }
    }

    /// The value of a household frame's `urban` column (城镇 or 农村) that belongs to the group.
    public var urbanValue: String? {
        switch self {
        case .urban: "城镇"
        case .rural: "农村"
        case .deputies, .enterprises: nil
        }
    }

    public static func < (a: RespondentGroup, b: RespondentGroup) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}
