public import Questionnaire

/// Why a form may not be entered for a case: the store's decision, the same for every channel
/// (file import, keying page, `POST /api/forms`, telephone, online). Each face words it: the
/// command line in English (``message``, ``hint``), the web pages in Chinese.
public enum EntryRefusal: Sendable, Equatable, Hashable {
    /// The questionnaire is closed for keying.
    case closed(EntryClosure)
    /// No case number was given.
    case noCaseID
    /// The case number appears twice in one file (also on `line`).
    case repeated(line: Int)
    /// No case of this questionnaire has that number.
    case notInSample(questionnaire: String)
    /// The case belongs to another questionnaire.
    case otherQuestionnaire(owner: String)
    /// A reserve that has not been activated.
    case unusedReserve
    /// The case's disposition allows no form (a non-respondent, not eligible).
    case disposition(Disposition)
    /// The case's `town_id` is not a town of the own-town item (nil: it has none).
    case townNotRated(town: String?)
    /// The pass already has a form for the case.
    case alreadyKeyed(pass: Pass, operator: String, at: String)
    /// A replacement, but the pass has no form to replace.
    case nothingToReplace(pass: Pass)
    /// A pass by the operator who keyed the other pass `pass`, where the questionnaire wants two
    /// people (`second-pass-operator: different`).
    case sameOperator(operator: String, pass: Pass)
    /// The case already has a counted form from another channel (a telephone interview, an
    /// online form, or verified paper forms against a telephone or online one).
    case alreadyCounted(mode: FormMode, operator: String, at: String)

    /// What is wrong, in English, for the command line and the API.
    public func message(caseID: String, questionnaire q: Questionnaire) -> String {
        switch self {
        case .closed(let c): "questionnaire \(c.questionnaire) is closed for keying (closed at \(c.closedAt) by \(c.closedBy): \(c.reason))"
        case .noCaseID: "case_id is empty"
        case .repeated(let line): "case \(caseID) appears twice in the file (also on line \(line))"
        case .notInSample(let id): "case \(caseID) is not in the sample of \(id)"
        case .otherQuestionnaire(let owner): "case \(caseID) belongs to questionnaire \(owner), not \(q.id)"
        case .unusedReserve: "case \(caseID) is a reserve that is not in use"
        case .disposition(let d): "case \(caseID) has disposition \(d.rawValue) (\(d.label))"
        case .townNotRated(let town?): "case \(caseID) has town_id \(town), which is not a town of the own-town item"
        case .townNotRated(nil): "case \(caseID) has no town_id, which the own-town item needs"
        case let .alreadyKeyed(pass, name, at): "case \(caseID) already has a pass \(pass.rawValue) form (keyed by \(name) at \(at))"
        case .nothingToReplace(let pass): "case \(caseID) has no pass \(pass.rawValue) form to replace"
        case .sameOperator(let name, let other):
            "case \(caseID): pass \(other.rawValue) was keyed by \(name), who may not key pass \(3 - other.rawValue) of \(q.id) (second-pass-operator: different)"
        case let .alreadyCounted(mode, name, at): "case \(caseID) already has a counted form (\(mode.rawValue), by \(name) at \(at))"
        }
    }

    /// What to do, in English.
    public var hint: String {
        switch self {
        case .closed: "ask an admin to reopen keying (pingyi survey reopen ID --reason …) if forms are still to be entered"
        case .noCaseID: "key the case number printed on the form"
        case .repeated: "keep one row per form"
        case .notInSample: "check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed"
        case .otherQuestionnaire(let owner): "import it with the \(owner) questionnaire"
        case .unusedReserve: "record the non-response of the case it would replace (pingyi cases dispose) so that it is activated, then import"
        case .disposition: "if the respondent did answer, record disposition complete first (pingyi cases dispose)"
        case .townNotRated(.some): "correct the list or the questionnaire's own_town units"
        case .townNotRated(nil): "load a list with town_id"
        case .alreadyKeyed: "to correct it, import with --replace --reason '…'; to key it anew, check the case number"
        case .nothingToReplace: "import it without --replace"
        case .sameOperator: "have another operator key this pass (the passes are compared, so they must be independent), or set second-pass-operator: any in a new version of the questionnaire"
        case .alreadyCounted: "one interview per case: check the case number; a supervisor can correct the counted form"
        }
    }
}

/// What the store knows about the cases of a batch, for ``EntryRules/refusal(_:in:context:)``.
struct EntryContext: Sendable {
    /// The states of the questionnaire's cases that were read.
    var states: [String: EntryState]
    /// The questionnaire of cases stored for another one.
    var owners: [String: String]
    /// The batch's pass: its stored forms.
    var stored: [String: StoredForm]
    /// The other pass's stored forms, when the operators of the two passes must differ
    /// (``EntryRules/otherPass(_:)``).
    var otherPass: [String: StoredForm]
    /// The counted (`final`) forms of the batch's cases.
    var counted: [String: StoredForm]
    /// The questionnaire's closure, if it is closed.
    var closure: EntryClosure?
}
