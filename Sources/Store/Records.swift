public import Questionnaire
import Foundation

/// What `loadCases` stored.
public struct LoadSummary: Sendable, Equatable {
    public let questionnaire: String
    public let version: Int
    public let sampled: Int
    public let reserves: Int
    public let stages: Int
    /// Cases of an earlier list removed by `replace`.
    public let removed: Int
    /// For a questionnaire fielded by telephone: cases put in the call queue, and cases without
    /// a phone number (not called: record their disposition, or key their paper form).
    public let callable: Int
    public let withoutPhones: Int

    public init(questionnaire: String, version: Int, sampled: Int, reserves: Int, stages: Int, removed: Int, callable: Int = 0,
                withoutPhones: Int = 0) {
        self.callable = callable
        self.withoutPhones = withoutPhones
        self.questionnaire = questionnaire
        self.version = version
        self.sampled = sampled
        self.reserves = reserves
        self.stages = stages
        self.removed = removed
    }
}

/// A reserve put into use in place of a non-respondent.
/// A reserve and the case it replaced, which responds after all.
public struct ReserveRelease: Sendable, Equatable, Hashable {
    public let reserve: String
    public let replaced: String
    /// Whether a form of the reserve was keyed (then it stays in use: both are counted).
    public let keyed: Bool
    /// Whether the reserve already took a disposition of its own (it was contacted; a refusal of
    /// it may have put the next reserve in use): then it stays in use too.
    public let contacted: Bool

    public init(reserve: String, replaced: String, keyed: Bool, contacted: Bool = false) {
        self.reserve = reserve
        self.replaced = replaced
        self.keyed = keyed
        self.contacted = contacted
    }

    /// Whether the reserve may be taken out of use again.
    public var releasable: Bool { !keyed && !contacted }
}

public struct Activation: Sendable, Equatable, Hashable {
    public let reserve: String
    public let replaces: String
    public let reserveGroup: String
    public let rank: Int

    public init(reserve: String, replaces: String, reserveGroup: String, rank: Int) {
        self.reserve = reserve
        self.replaces = replaces
        self.reserveGroup = reserveGroup
        self.rank = rank
    }
}

/// What `recordDispositions` did.
public struct DispositionSummary: Sendable, Equatable {
    /// Cases whose disposition changed.
    public let changed: Int
    public let unchanged: Int
    public let activations: [Activation]
    /// Non-respondents whose reserve group had no unused reserve left: (case, reserve group).
    public let exhausted: [Exhausted]

    /// Reserves taken out of use again (``DispositionBatch/releaseReserves``).
    public let released: [ReserveRelease]
    /// Reserves still in use although the case they replace now responds: not released when the
    /// batch did not ask, or because a form of the reserve was keyed (`keyed`).
    public let stillInUse: [ReserveRelease]

    public init(changed: Int, unchanged: Int, activations: [Activation], exhausted: [Exhausted],
                released: [ReserveRelease] = [], stillInUse: [ReserveRelease] = []) {
        self.changed = changed
        self.unchanged = unchanged
        self.activations = activations
        self.exhausted = exhausted
        self.released = released
        self.stillInUse = stillInUse
    }

    public struct Exhausted: Sendable, Equatable, Hashable {
        public let caseID: String
        public let reserveGroup: String?

        public init(caseID: String, reserveGroup: String?) {
            self.caseID = caseID
            self.reserveGroup = reserveGroup
        }
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

    public init(stored: Int, replaced: Int, changedAnswers: Int, unverified: [String], counted: Int) {
        self.stored = stored
        self.replaced = replaced
        self.changedAnswers = changedAnswers
        self.unverified = unverified
        self.counted = counted
    }
}

/// One item on which the two passes of a case disagree.
public struct Disagreement: Sendable, Equatable, Hashable {
    public let caseID: String
    public let questionnaire: String
    public let item: String
    public let pass1: String?
    public let pass2: String?

    public init(caseID: String, questionnaire: String, item: String, pass1: String?, pass2: String?) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.item = item
        self.pass1 = pass1
        self.pass2 = pass2
    }
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

    public init(verified: Int, disagreeing: Int, open: [Disagreement], awaitingPass: Int) {
        self.verified = verified
        self.disagreeing = disagreeing
        self.open = open
        self.awaitingPass = awaitingPass
    }
}

/// What `resolve` recorded.
public struct ResolutionSummary: Sendable, Equatable {
    public let resolved: Int
    /// Cases whose last open disagreement was resolved: their forms now count.
    public let verified: [String]

    public init(resolved: Int, verified: [String]) {
        self.resolved = resolved
        self.verified = verified
    }
}

/// One entry of the audit trail.
public struct AuditEntry: Sendable, Equatable, Hashable {
    /// UTC time, ISO 8601 (`2025-03-01T08:30:00Z`).
    public let at: String
    public let `operator`: String
    /// load, remove, dispose, activate, enter, replace, verify, disagree, resolve, unverify;
    /// entry-close and entry-reopen (the questionnaire in `item`).
    public let action: String
    public let caseID: String?
    public let pass: Int?
    public let item: String?
    public let oldValue: String?
    public let newValue: String?
    public let reason: String?
    public let source: String?

    public init(at: String, operator: String, action: String, caseID: String?, pass: Int?, item: String?, oldValue: String?, newValue: String?, reason: String?, source: String?) {
        self.at = at
        self.`operator` = `operator`
        self.action = action
        self.caseID = caseID
        self.pass = pass
        self.item = item
        self.oldValue = oldValue
        self.newValue = newValue
        self.reason = reason
        self.source = source
    }
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

    public init(caseID: String, questionnaire: String, version: Int, group: RespondentGroup, role: CaseRole, reserveRank: Int?, reserveGroup: String?, activated: Bool, replaces: String?, townID: String?, stages: [DesignStage], prob: Double, weight: Double, disposition: Disposition, note: String?, attributes: String, hasPass1: Bool, hasPass2: Bool, counted: Bool, openDisagreements: Int) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.version = version
        self.group = group
        self.role = role
        self.reserveRank = reserveRank
        self.reserveGroup = reserveGroup
        self.activated = activated
        self.replaces = replaces
        self.townID = townID
        self.stages = stages
        self.prob = prob
        self.weight = weight
        self.disposition = disposition
        self.note = note
        self.attributes = attributes
        self.hasPass1 = hasPass1
        self.hasPass2 = hasPass2
        self.counted = counted
        self.openDisagreements = openDisagreements
    }

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
    /// How the answers were collected.
    public let mode: FormMode

    public init(caseID: String, questionnaire: String, version: Int, answers: [String: String], mode: FormMode = .paper) {
        self.mode = mode
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.version = version
        self.answers = answers
    }
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

    public init(questionnaires: [Questionnaire], cases: [CaseRecord], forms: [CountedForm], stageCount: Int) {
        self.questionnaires = questionnaires
        self.cases = cases
        self.forms = forms
        self.stageCount = stageCount
    }
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

    public init(groups: [StatusRow], towns: [StatusRow]) {
        self.groups = groups
        self.towns = towns
    }
}

/// One column of a case's list attributes (the JSON object of ``CaseRecord/attributes``), e.g.
/// `town`; nil when absent or not text.
public func listAttribute(_ attributes: String, _ name: String) -> String? {
    guard let data = attributes.data(using: .utf8),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return object[name] as? String
}

/// One operator's keying on one day (Beijing time) in one pass (``SurveyStore/keyingWork()``).
public struct KeyingWork: Sendable, Equatable {
    public let `operator`: String
    /// `YYYY-MM-DD`, Beijing time.
    public let day: String
    public let pass: Int
    public let forms: Int
    public let answers: Int
    /// Characters keyed: one per code, the digits of a number, the characters of a text.
    public let keystrokes: Int
    /// Items of these forms that differed from the other pass (found by verification).
    public let disagreements: Int
    /// Of those, the ones resolved against this pass's value: this pass's keying errors.
    public let errors: Int

    /// Newest day first, then pass, then operator (in the same order on every store).
    static func ordered(_ rows: [KeyingWork]) -> [KeyingWork] {
        rows.sorted { ($1.day, $0.pass, $0.operator) < ($0.day, $1.pass, $1.operator) }
    }

    public init(operator: String, day: String, pass: Int, forms: Int, answers: Int, keystrokes: Int, disagreements: Int, errors: Int) {
        self.operator = `operator`
        self.day = day
        self.pass = pass
        self.forms = forms
        self.answers = answers
        self.keystrokes = keystrokes
        self.disagreements = disagreements
        self.errors = errors
    }
}
