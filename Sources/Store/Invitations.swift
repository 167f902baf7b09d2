public import Questionnaire

/// A sampled case's answers so far in online self-completion (网上自填).
public struct OnlineCase: Sendable, Equatable {
    public let caseID: String
    /// The questionnaire version the respondent answers (the newest stored).
    public let questionnaire: Questionnaire
    public let townID: String?
    /// The case's list attributes (JSON), for the own-town item.
    public let attributes: String
    /// The answers saved so far, by item name.
    public let answers: [String: String]
    public let openedAt: Int64?
    public let savedAt: Int64?

    public init(caseID: String, questionnaire: Questionnaire, townID: String?, attributes: String, answers: [String: String],
                openedAt: Int64?, savedAt: Int64?) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.townID = townID
        self.attributes = attributes
        self.answers = answers
        self.openedAt = openedAt
        self.savedAt = savedAt
    }
}

/// What an access code opens.
public enum InvitationState: Sendable, Equatable {
    /// The case's questionnaire, to answer.
    case open(OnlineCase)
    /// No code with this hash was ever issued.
    case unknown
    /// The code was replaced by a newer one (`invitations make --replace`).
    case revoked
    /// The answers were submitted (a code submits once).
    case submitted(at: Int64)
    /// The questionnaire is closed for answers.
    case closed(EntryClosure)
    /// The case has a form from another channel (keyed from paper, a telephone interview).
    case keyed
    /// The case is closed (as a non-respondent, or complete through another channel).
    case finished(disposition: String)
}

/// A new access code for a case: only the code's hash reaches the store.
public struct IssuedCode: Sendable, Equatable {
    public let caseID: String
    public let hash: String

    public init(caseID: String, hash: String) {
        self.caseID = caseID
        self.hash = hash
    }
}

/// Online progress of one town: cases invited, opened, with answers saved but not submitted,
/// and submitted.
public struct InvitationCount: Sendable, Equatable {
    public let townID: String
    public let invited: Int
    public let opened: Int
    public let partial: Int
    public let complete: Int

    public init(townID: String, invited: Int, opened: Int, partial: Int, complete: Int) {
        self.townID = townID
        self.invited = invited
        self.opened = opened
        self.partial = partial
        self.complete = complete
    }
}

/// One invited case's progress online (its valid code's hash, to match a codes file).
public struct InvitationProgress: Sendable, Equatable {
    public let caseID: String
    public let codeHash: String
    public let townID: String
    /// The case's disposition (pending until a form is counted or it is closed otherwise).
    public let disposition: String
    public let openedAt: Int64?
    public let savedAt: Int64?
    public let submittedAt: Int64?

    public init(caseID: String, codeHash: String, townID: String, disposition: String, openedAt: Int64?, savedAt: Int64?, submittedAt: Int64?) {
        self.caseID = caseID
        self.codeHash = codeHash
        self.townID = townID
        self.disposition = disposition
        self.openedAt = openedAt
        self.savedAt = savedAt
        self.submittedAt = submittedAt
    }

    /// Whether the case still owes its answers at `moment` (Unix seconds): not submitted by
    /// then, and not closed through another channel.
    public func outstanding(at moment: Int64) -> Bool {
        if let at = submittedAt, at <= moment { return false }
        return submittedAt != nil || disposition == Disposition.pending.rawValue
    }
}

/// Online self-completion: access codes tied to sampled cases (the store keeps only their
/// hashes), the answers saved as the respondent goes, and the submission, a form through the
/// same entry rules as every other channel (mode `online`, counted at once). Times are Unix
/// seconds, given by the caller.
public protocol InvitationStore: Sendable {
    /// The cases of a questionnaire in use (sampled, or an activated reserve), still pending,
    /// without a valid code (or, with `replacing`, that one case if it has a code).
    func invitationCandidates(questionnaire: String, replacing: String?) async throws(StoreError) -> [String]

    /// Stores the codes' hashes, in one transaction; with `replacing`, the case's old code is
    /// revoked first. - Throws: ``StoreError`` when a case got a code meanwhile (nothing stored).
    func issueInvitations(questionnaire: String, codes: [IssuedCode], replacing: Bool, now: Int64) async throws(StoreError) -> Int

    /// What the code with this hash opens; the first opening is recorded.
    func invitation(hash: String, now: Int64) async throws(StoreError) -> InvitationState

    /// Saves answers (an empty value clears an item), checked by the entry rules as the
    /// respondent goes (items left unanswered allowed). Returns the case with all answers saved.
    func saveOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> OnlineCase

    /// Submits the saved answers with these last ones: a form of mode `online` through the entry
    /// rules (every required item answered), the case complete, the code spent.
    func submitOnline(hash: String, answers: [String: String], now: Int64) async throws(StoreError) -> EntrySummary

    /// Every case with a valid code, in list order.
    func invitationProgress(questionnaire: String) async throws(StoreError) -> [InvitationProgress]

    /// Per town: invited, opened, partial, complete.
    func invitationCounts(questionnaire: String) async throws(StoreError) -> [InvitationCount]
}
