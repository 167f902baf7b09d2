/// The values of the `disposition` and `role` columns of the case file and the respondent list,
/// shared by every writer and reader (the raw values are the spellings in files and the store).

/// A case's final disposition in the AAPOR sense, plus `pending` until fieldwork ends.
/// The raw values are the spellings in files.
public enum Disposition: String, Sendable, Codable, CaseIterable, Hashable {
    /// Not yet known (fieldwork under way).
    case pending
    /// Interview completed (AAPOR I).
    case complete
    /// Partial interview (AAPOR P).
    case partial
    /// Refusal or break-off (AAPOR R).
    case refusal
    /// Eligible, not contacted (AAPOR NC).
    case nonContact = "non-contact"
    /// Eligible, other non-response (AAPOR O): language, illness, away.
    case other
    /// Unknown eligibility (AAPOR UH/UO).
    case unknown
    /// Not eligible (AAPOR 4.x): moved away, no longer a deputy, enterprise closed.
    case notEligible = "not-eligible"

    /// The Chinese name for people.
    public var label: String {
        switch self {
        case .pending: "待定"
        case .complete: "完成"
        case .partial: "部分完成"
        case .refusal: "拒访"
        case .nonContact: "未接触"
        case .other: "其他未答"
        case .unknown: "资格不明"
        case .notEligible: "不符合条件"
        }
    }

    /// Refusal, non-contact, other and unknown: the non-response that a reserve replaces.
    public var isNonResponse: Bool {
        switch self {
        case .refusal, .nonContact, .other, .unknown: true
        case .pending, .complete, .partial, .notEligible: false
        }
    }

    /// Whether a form may be entered for a case with this disposition (pending, complete, partial).
    public var allowsForm: Bool {
        switch self {
        case .pending, .complete, .partial: true
        case .refusal, .nonContact, .other, .unknown, .notEligible: false
        }
    }
}

/// A case's role in its respondent list.
public enum CaseRole: String, Sendable, Codable, Hashable {
    /// Drawn into the sample.
    case sample
    /// An ordered reserve (备选), used only when activated to replace a non-respondent.
    case reserve
}
