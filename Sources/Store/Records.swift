public import Questionnaire

/// What `loadCases` stored.
public struct LoadSummary: Sendable, Equatable {
    public let questionnaire: String
    public let version: Int
    public let sampled: Int
    public let reserves: Int
    public let stages: Int
    /// Cases of an earlier list removed by `replace`.
    public let removed: Int
}

/// A reserve put into use in place of a non-respondent.
public struct Activation: Sendable, Equatable, Hashable {
    public let reserve: String
    public let replaces: String
    public let reserveGroup: String
    public let rank: Int
}

/// What `recordDispositions` did.
public struct DispositionSummary: Sendable, Equatable {
    /// Cases whose disposition changed.
    public let changed: Int
    public let unchanged: Int
    public let activations: [Activation]
    /// Non-respondents whose reserve group had no unused reserve left: (case, reserve group).
    public let exhausted: [Exhausted]

    public struct Exhausted: Sendable, Equatable, Hashable {
        public let caseID: String
        public let reserveGroup: String?
    }
}

/// What `enterForms` stored.
public struct EntrySummary: Sendable, Equatable {
    public let stored: Int
    public let replaced: Int
    /// Answers that a replacement changed.
    public let changedAnswers: Int
    /// Cases whose verification a replacement undid (verify them again).
    public let unverified: [String]
    /// Forms that count right away (single-entry questionnaires).
    public let counted: Int
}

/// One item on which the two passes of a case disagree.
public struct Disagreement: Sendable, Equatable, Hashable {
    public let caseID: String
    public let questionnaire: String
    public let item: String
    public let pass1: String?
    public let pass2: String?
}

/// What `verify` found.
public struct VerificationReport: Sendable, Equatable {
    /// Cases whose two passes agreed and became verified now.
    public let verified: Int
    /// Cases with new disagreements.
    public let disagreeing: Int
    /// Every open disagreement (new and earlier), by case and item.
    public let open: [Disagreement]
    /// Cases with only one pass keyed so far.
    public let awaitingPass: Int
}

/// What `resolve` recorded.
public struct ResolutionSummary: Sendable, Equatable {
    public let resolved: Int
    /// Cases whose last open disagreement was resolved: their forms now count.
    public let verified: [String]
}

/// One entry of the audit trail.
public struct AuditEntry: Sendable, Equatable, Hashable {
    /// UTC time, ISO 8601 (`2025-03-01T08:30:00Z`).
    public let at: String
    public let `operator`: String
    /// load, remove, dispose, activate, enter, replace, verify, disagree, resolve, unverify.
    public let action: String
    public let caseID: String?
    public let pass: Int?
    public let item: String?
    public let oldValue: String?
    public let newValue: String?
    public let reason: String?
    public let source: String?
}

/// A stored case with its design and state.
public struct CaseRecord: Sendable, Equatable {
    public let caseID: String
    public let questionnaire: String
    public let version: Int
    public let group: RespondentGroup
    public let role: CaseRole
    public let reserveRank: Int?
    public let reserveGroup: String?
    /// For a reserve: whether it was put into use.
    public let activated: Bool
    /// For an activated reserve: the case it replaces.
    public let replaces: String?
    public let townID: String?
    public let stages: [DesignStage]
    public let prob: Double
    public let weight: Double
    public let disposition: Disposition
    public let note: String?
    /// The list's other columns as a JSON object.
    public let attributes: String
    /// The forms keyed: pass 1, pass 2, and whether a counted (verified or single-pass) form exists.
    public let hasPass1: Bool
    public let hasPass2: Bool
    public let counted: Bool
    /// Open double-entry disagreements.
    public let openDisagreements: Int

    /// Whether the case is in the fieldwork sample: sampled, or an activated reserve.
    public var inUse: Bool { role == .sample || activated }
}

/// A form that counts: verified (double entry) or single-pass.
public struct CountedForm: Sendable, Equatable {
    public let caseID: String
    public let questionnaire: String
    public let version: Int
    /// Non-empty answers by item name.
    public let answers: [String: String]
}

/// Everything an export needs, read in one transaction.
public struct StoreSnapshot: Sendable {
    /// Every stored version of the questionnaires asked for, by id then version.
    public let questionnaires: [Questionnaire]
    /// Every case (sample and reserves) of those questionnaires, in list order.
    public let cases: [CaseRecord]
    /// The counted forms, in case order.
    public let forms: [CountedForm]
    /// The most design stages of any list.
    public let stageCount: Int
}

/// Progress counts for one group, or one town of a group.
public struct StatusRow: Sendable, Equatable {
    public let group: RespondentGroup
    /// nil for the group's total.
    public let townID: String?
    public let townName: String?
    /// Cases drawn into the sample.
    public var sampled = 0
    /// Reserves put into use.
    public var reservesUsed = 0
    /// Reserves not (yet) used.
    public var reservesLeft = 0
    public var pass1 = 0
    public var pass2 = 0
    /// Counted forms (verified, or single-pass).
    public var verified = 0
    /// Cases with open disagreements.
    public var disagreeing = 0
    /// Dispositions of cases in use (sample and activated reserves).
    public var dispositions: [Disposition: Int] = [:]

    public init(group: RespondentGroup, townID: String?, townName: String?) {
        self.group = group
        self.townID = townID
        self.townName = townName
    }
}

/// `responses status`: by group, and by group and town.
public struct StatusReport: Sendable, Equatable {
    public let groups: [StatusRow]
    public let towns: [StatusRow]
}
