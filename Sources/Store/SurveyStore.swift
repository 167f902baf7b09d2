public import Questionnaire

/// The case store: respondent lists, dispositions and reserves, keyed forms (two passes),
/// verification, and an audit trail of every write.
///
/// Every method that writes does so in one transaction: it checks everything first and either
/// stores all of its input or nothing, throwing a ``StoreError`` that lists every problem.
/// Implementations: ``SQLiteStore`` (GRDB, one file, WAL) and ``PostgresStore`` (postgres-nio,
/// several processes sharing one database); both pass the same test suite.
public protocol SurveyStore: Sendable {
    /// How many write transactions may usefully run at once: 1 for SQLite (one writer at a
    /// time), several for PostgreSQL.
    var concurrentWriters: Int { get }

    /// Stores the cases (sample and reserves) of a respondent list for `questionnaire`, with
    /// every column of the list, and the questionnaire version.
    ///
    /// A questionnaire id has one list: loading another is an error unless `replace`, which
    /// removes the earlier list's cases (refused when any of them has a form or a disposition).
    func loadCases(_ list: RespondentList, for questionnaire: Questionnaire, replace: Bool, operator: String) async throws(StoreError) -> LoadSummary

    /// Records dispositions. A case in use (sampled, or an activated reserve) given a
    /// non-response disposition (``Disposition/isNonResponse``) activates the next unused reserve
    /// of its reserve group, recording which case it replaces, when `useReserves`.
    func recordDispositions(_ batch: DispositionBatch) async throws(StoreError) -> DispositionSummary

    /// Stores keyed forms of one pass after checking every one of them: the answers (codes,
    /// ranges, required items, skips) and the cases (in the sample or an activated reserve, of
    /// this questionnaire, not a non-respondent, not yet keyed in this pass unless replacing).
    func enterForms(_ batch: FormBatch) async throws(StoreError) -> EntrySummary

    /// Stores several independent batches in one transaction (one commit), each checked and
    /// stored, or refused, exactly as by its own ``enterForms(_:)`` call in this order: a later
    /// batch sees the forms of an earlier one. A refused batch leaves nothing behind and does not
    /// affect the others; so does a batch the database fails on (a constraint, a trigger, a
    /// lost lock): its outcome is a ``StoreError`` of kind `database`, and the other batches are
    /// stored. This is the group commit of a server that receives many single forms at once.
    /// - Returns: each batch's outcome, in order.
    /// - Throws: ``StoreError`` only when the transaction as a whole fails (then nothing is stored).
    func enterBatches(_ batches: [FormBatch]) async throws(StoreError) -> [Result<EntrySummary, StoreError>]

    /// Why a form for `caseID` may not be entered now in `pass` of `questionnaire` by `operator`,
    /// or nil when it may: the same rules ``enterForms(_:)`` applies (``EntryRules``), asked
    /// before the answers are keyed (the keying page's case check, the telephone and online
    /// channels). The answer can change before the form is saved; the save checks again.
    func entryRefusal(caseID: String, questionnaire: Questionnaire, pass: Pass, operator: String, mode: FormMode) async throws(StoreError) -> EntryRefusal?

    /// Compares pass 1 and pass 2 of every case keyed twice and not yet verified: agreeing
    /// forms become verified; disagreements are recorded. Returns every open disagreement.
    /// - Parameter questionnaire: an id, or nil for all.
    func verify(questionnaire: String?, operator: String) async throws(StoreError) -> VerificationReport

    /// ``verify(questionnaire:operator:)`` of one case only (its second pass was just keyed).
    func verify(caseID: String, operator: String) async throws(StoreError) -> VerificationReport

    /// Records adjudicated values; a case whose disagreements are all resolved becomes verified.
    func resolve(_ batch: ResolutionBatch) async throws(StoreError) -> ResolutionSummary

    /// The open disagreements.
    func disagreements(questionnaire: String?) async throws(StoreError) -> [Disagreement]

    /// A case with its state, or nil when the store has no such case.
    func caseRecord(_ caseID: String) async throws(StoreError) -> CaseRecord?

    /// Every case of a questionnaire (sample and reserves) with its state, in list order.
    func cases(questionnaire: String) async throws(StoreError) -> [CaseRecord]

    /// Every audit entry about a case, oldest first.
    func auditTrail(caseID: String) async throws(StoreError) -> [AuditEntry]

    /// Progress by group and by group and town.
    func status(questionnaire: String?) async throws(StoreError) -> StatusReport

    /// Every stored version of the questionnaires (one id, or all), by id then version.
    func questionnaires(id: String?) async throws(StoreError) -> [Questionnaire]

    /// The questionnaires, cases and counted forms, read consistently, for exports.
    func snapshot(questionnaire: String?) async throws(StoreError) -> StoreSnapshot

    /// Closes keying of a questionnaire (every version), or reopens it (`open`), with a reason,
    /// audited. While closed, ``enterForms(_:)`` refuses its forms.
    /// - Returns: the closure now in force, or nil after reopening.
    func setEntry(questionnaire: String, open: Bool, reason: String, operator: String) async throws(StoreError) -> EntryClosure?

    /// The questionnaires closed for keying, by id.
    func entryClosures() async throws(StoreError) -> [EntryClosure]

    /// How often each code was given to each item: over the counted forms (verified or
    /// single-pass) when `countedOnly`, else over the pass-1 forms (everything keyed so far).
    func answerCounts(questionnaire: String, countedOnly: Bool) async throws(StoreError) -> [AnswerCount]

    /// Each operator's keying per day (Beijing time) and pass, newest day first: the work and
    /// error counts that temporary keying staff are paid by.
    func keyingWork() async throws(StoreError) -> [KeyingWork]

    /// Every stored form of a case with its answers: pass 1, pass 2, then the counted form.
    func forms(caseID: String) async throws(StoreError) -> [CaseForm]

    /// Corrects a case's answers (``FormCorrection``: the counted form, or the disagreeing
    /// passes resolved), in one transaction, each changed answer audited with the reason.
    /// - Throws: ``StoreError`` (nothing written): no reason, an unknown case, a closed
    ///   questionnaire, a case without forms, answers the questionnaire refuses.
    func correct(_ correction: FormCorrection) async throws(StoreError) -> CorrectionSummary

    /// Withdraws one stored form of a case (``FormVoid``), in one transaction, audited.
    func voidForm(_ void: FormVoid) async throws(StoreError) -> VoidSummary
}

extension SurveyStore {
    /// ``entryRefusal(caseID:questionnaire:pass:operator:mode:)`` for a paper form.
    public func entryRefusal(caseID: String, questionnaire: Questionnaire, pass: Pass, operator: String) async throws(StoreError) -> EntryRefusal? {
        try await entryRefusal(caseID: caseID, questionnaire: questionnaire, pass: pass, operator: `operator`, mode: .paper)
    }
}
