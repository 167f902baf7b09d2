public import Questionnaire

/// A case handed to an interviewer by ``CallStore/nextCall(questionnaire:interviewer:now:)``:
/// locked to them until ``lockedUntil``, with its numbers in full (only the holder sees them).
public struct CallAssignment: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        /// The interviewer already held it (a page reloaded, a call resumed).
        case resumed
        /// An appointment the respondent made, due now.
        case appointment
        /// Never called yet (in the questionnaire's seeded random order).
        case fresh
        /// Called before; the delay after its last outcome has passed.
        case retry
    }

    public let caseID: String
    public let questionnaire: String
    public let reason: Reason
    /// The numbers, rank 1 first, in full.
    public let phones: [String]
    public let attempts: Int
    public let appointmentAt: Int64?
    public let lockedUntil: Int64
    public let townID: String?
    /// The list's other columns (name, town) as JSON, for the interviewer to ask for the person.
    public let attributes: String
    /// The case's earlier attempts, oldest first.
    public let history: [CallAttemptRecord]

    public init(caseID: String, questionnaire: String, reason: Reason, phones: [String], attempts: Int, appointmentAt: Int64?,
                lockedUntil: Int64, townID: String?, attributes: String, history: [CallAttemptRecord]) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.reason = reason
        self.phones = phones
        self.attempts = attempts
        self.appointmentAt = appointmentAt
        self.lockedUntil = lockedUntil
        self.townID = townID
        self.attributes = attributes
        self.history = history
    }
}

/// Why ``CallStore/nextCall(questionnaire:interviewer:now:)`` handed out no case.
public enum NoCall: Sendable, Equatable {
    /// Now is outside every calling window; the next one opens at `next`.
    case outsideWindow(next: Int64?)
    /// Every open case waits (for an appointment or a retry delay, or held by another
    /// interviewer) until `next`; nil when the open cases left are fresh ones of towns that met
    /// their target (the quota rule stops them).
    case nothingDue(next: Int64?)
    /// Every case is closed.
    case finished
    /// The questionnaire is not fielded by telephone (no `calls:`), or closed for entry.
    case notByTelephone
}

/// What ``CallStore/nextCall(questionnaire:interviewer:now:)`` gives: a case, or why none.
public enum NextCall: Sendable, Equatable {
    case call(CallAssignment)
    case none(NoCall)

    /// The case handed out, if any.
    public var assignment: CallAssignment? {
        if case .call(let a) = self { return a }
        return nil
    }
}

/// Why the store refused a dial, an interview or a callback (``StoreError/callRefusal``).
public enum CallRefusal: Sendable, Equatable, Hashable {
    /// The case is not in a call queue (no number, or not a telephone questionnaire's).
    case notQueued
    /// The case is closed with this final disposition.
    case closed(disposition: String)
    /// Another interviewer holds the case.
    case heldByOther(interviewer: String)
    /// The interviewer does not hold the case (they never took it).
    case notHeld
    /// The case's questionnaire has no call rules.
    case notByTelephone
    /// The case has no number of this rank.
    case noSuchNumber(rank: Int, numbers: Int)
    case endsBeforeStart
    /// An interview was recorded with an outcome that is not one (busy, a refusal…).
    case notAnInterview(CallOutcome)
    /// A complete or break-off was recorded without the interview's answers.
    case needsInterview(CallOutcome)
    case appointmentInPast
    /// An interview without a single answer.
    case emptyInterview
    /// An answer to an item the questionnaire does not have (it changed meanwhile).
    case unknownItem(String)
    /// The case has no callback check, it was done already, or another checker holds it.
    case noCallback
    case callbackDone
    case callbackNotHeld
}

/// One dial, as the interviewer records it.
public struct CallAttemptInput: Sendable, Equatable {
    public let caseID: String
    public let interviewer: String
    /// Which of the case's numbers was dialled (1 first).
    public let phoneRank: Int
    /// Unix seconds.
    public let startedAt: Int64
    public let endedAt: Int64
    public let outcome: CallOutcome
    /// For a call-back: when the respondent asked to be called.
    public let appointmentAt: Int64?
    public let note: String?

    public init(caseID: String, interviewer: String, phoneRank: Int, startedAt: Int64, endedAt: Int64, outcome: CallOutcome,
                appointmentAt: Int64? = nil, note: String? = nil) {
        self.caseID = caseID
        self.interviewer = interviewer
        self.phoneRank = phoneRank
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.appointmentAt = appointmentAt
        self.note = note
    }
}

/// A stored dial.
public struct CallAttemptRecord: Sendable, Equatable {
    public let attemptID: Int64
    public let caseID: String
    public let questionnaire: String
    public let interviewer: String
    public let phoneRank: Int
    public let startedAt: Int64
    public let endedAt: Int64
    public let outcome: CallOutcome
    public let appointmentAt: Int64?
    public let note: String?

    public init(attemptID: Int64, caseID: String, questionnaire: String, interviewer: String, phoneRank: Int, startedAt: Int64,
                endedAt: Int64, outcome: CallOutcome, appointmentAt: Int64?, note: String?) {
        self.attemptID = attemptID
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.interviewer = interviewer
        self.phoneRank = phoneRank
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.appointmentAt = appointmentAt
        self.note = note
    }
}

/// What recording an attempt did.
public struct CallAttemptResult: Sendable, Equatable {
    public let attemptID: Int64
    /// The case's final disposition, when this attempt closed it.
    public let final: CallFinal?
    /// When the case may be called again (nil when closed).
    public let nextAt: Int64?
    /// A reserve put into use because the case ended as a non-respondent.
    public let activatedReserve: String?
    /// Whether the complete was chosen for a callback check.
    public let callback: Bool
}

/// Progress of one stratum (town) of a questionnaire fielded by telephone.
public struct CallQuota: Sendable, Equatable {
    public let townID: String
    /// Completes aimed at: the sampled cases of the town.
    public let target: Int
    public let completes: Int
    public let partials: Int
    public let refusals: Int
    public let nonContacts: Int
    public let otherFinal: Int
    public let attempts: Int
    /// Cases in use and not yet closed.
    public let outstanding: Int
    /// Cases held by an interviewer now.
    public let inProgress: Int

    public init(townID: String, target: Int, completes: Int, partials: Int, refusals: Int, nonContacts: Int, otherFinal: Int,
                attempts: Int, outstanding: Int, inProgress: Int) {
        self.townID = townID
        self.target = target
        self.completes = completes
        self.partials = partials
        self.refusals = refusals
        self.nonContacts = nonContacts
        self.otherFinal = otherFinal
        self.attempts = attempts
        self.outstanding = outstanding
        self.inProgress = inProgress
    }
}

/// One interviewer's evening (a local day): what the supervisor and the pay sheet need.
public struct InterviewerEvening: Sendable, Equatable {
    public let interviewer: String
    /// `2017-11-03` (Beijing time).
    public let day: String
    public let dials: Int
    public let contacts: Int
    public let completes: Int
    public let refusals: Int
    /// Minutes in completed interviews, and from the first dial to the last hang-up.
    public let interviewMinutes: Double
    public let workedMinutes: Double
    public let callbacksChecked: Int
    public let callbacksAgreed: Int

    public var refusalRate: Double { contacts > 0 ? Double(refusals) / Double(contacts) : .nan }
    public var meanInterviewMinutes: Double { completes > 0 ? interviewMinutes / Double(completes) : .nan }
    public var completesPerHour: Double { workedMinutes > 0 ? Double(completes) / (workedMinutes / 60) : .nan }
    public var callbackAgreement: Double { callbacksChecked > 0 ? Double(callbacksAgreed) / Double(callbacksChecked) : .nan }

    public init(interviewer: String, day: String, dials: Int, contacts: Int, completes: Int, refusals: Int, interviewMinutes: Double,
                workedMinutes: Double, callbacksChecked: Int, callbacksAgreed: Int) {
        self.interviewer = interviewer
        self.day = day
        self.dials = dials
        self.contacts = contacts
        self.completes = completes
        self.refusals = refusals
        self.interviewMinutes = interviewMinutes
        self.workedMinutes = workedMinutes
        self.callbacksChecked = callbacksChecked
        self.callbacksAgreed = callbacksAgreed
    }
}

/// A completed interview to be re-asked by another interviewer.
public struct CallbackAssignment: Sendable, Equatable {
    public let caseID: String
    public let questionnaire: String
    /// Who did the interview.
    public let interviewer: String
    public let phones: [String]
    /// The items to re-ask.
    public let items: [String]
    public let attributes: String
    public let lockedUntil: Int64
}

/// A callback's result: whether the re-asked answers agree with the interview.
public struct CallbackResult: Sendable, Equatable {
    public let caseID: String
    public let agreed: Bool
    /// The items that differ: item, the interview's answer, the callback's.
    public let differences: [CallbackDifference]
}

public struct CallbackDifference: Sendable, Equatable, Codable {
    public let item: String
    public let interview: String?
    public let callback: String?

    public init(item: String, interview: String?, callback: String?) {
        self.item = item
        self.interview = interview
        self.callback = callback
    }
}

/// A callback whose answers disagree, for the supervisor.
public struct FlaggedCallback: Sendable, Equatable {
    public let caseID: String
    public let questionnaire: String
    public let interviewer: String
    public let checker: String
    public let checkedAt: Int64
    public let differences: [CallbackDifference]
}

/// Telephone interviewing in the store: the scheduler that hands cases to interviewers (one case
/// to one interviewer at a time, across server processes), every dial, the rules that close a
/// case with an AAPOR disposition (activating its reserve when it ends as a non-respondent), the
/// interview form (through the same entry rules as every channel), callback checks and the
/// figures supervisors follow. Times are Unix seconds, given by the caller (the clock, or a
/// test's).
public protocol CallStore: Sendable {
    /// The next case for `interviewer`: the one they hold, else an appointment due now, else a
    /// fresh case in the questionnaire's seeded random order (none from a town that reached its
    /// target, when the rules say stop), else a retry whose delay has passed; locked to them.
    func nextCall(questionnaire: String, interviewer: String, now: Int64) async throws(StoreError) -> NextCall

    /// Records a dial that ended without an interview (busy, no answer, an appointment, a
    /// refusal…) by the interviewer holding the case; applies the final rules.
    func recordAttempt(_ attempt: CallAttemptInput, now: Int64) async throws(StoreError) -> CallAttemptResult

    /// Records the interview of a call: the answers as a telephone form (complete, or a
    /// break-off keeping the answers given), the attempt, and the case's disposition, in one
    /// transaction. The form goes through the store's entry rules like every other channel's.
    /// - Parameter answers: by item name (items not asked absent).
    func recordInterview(_ attempt: CallAttemptInput, answers: [String: String], now: Int64) async throws(StoreError) -> CallAttemptResult

    /// Gives up a case without recording a dial (the interviewer was interrupted).
    func releaseCall(caseID: String, interviewer: String) async throws(StoreError)

    /// Progress per town of a questionnaire fielded by telephone.
    func callQuotas(questionnaire: String, now: Int64) async throws(StoreError) -> [CallQuota]

    /// Every dial, oldest first (one questionnaire, or all).
    func callAttempts(questionnaire: String?) async throws(StoreError) -> [CallAttemptRecord]

    /// The phone numbers of cases, in full (for an admin's export; nobody else).
    func phoneNumbers(questionnaire: String) async throws(StoreError) -> [String: [String]]

    /// Per interviewer and evening: dials, contacts, completes, refusals, times, callbacks; of
    /// one interviewer's dials since a time when `interviewer` is given (their start page,
    /// read from the index on interviewer and start time, not from the whole history).
    func interviewerEvenings(questionnaire: String?, interviewer: String?, since: Int64?) async throws(StoreError) -> [InterviewerEvening]

    /// The next complete to re-ask, for an interviewer other than the one who did it.
    func nextCallback(questionnaire: String, checker: String, now: Int64) async throws(StoreError) -> CallbackAssignment?

    /// Records a callback's re-asked answers (by item name) and compares them with the interview.
    func recordCallback(caseID: String, checker: String, answers: [String: String], now: Int64) async throws(StoreError) -> CallbackResult

    /// Callbacks whose answers disagreed with the interview.
    func flaggedCallbacks(questionnaire: String?) async throws(StoreError) -> [FlaggedCallback]
}

extension CallStore {
    /// Every interviewer's evenings.
    public func interviewerEvenings(questionnaire: String?) async throws(StoreError) -> [InterviewerEvening] {
        try await interviewerEvenings(questionnaire: questionnaire, interviewer: nil, since: nil)
    }
}
