public import Questionnaire

/// Which stored form of a case.
public enum FormKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// The first keying of a paper form.
    case pass1
    /// The second keying of a paper form.
    case pass2
    /// The counted form: the verified answers of a double-entry paper form, or a telephone or
    /// online interview.
    case final

    /// The pass of a keyed paper form; nil for the counted form.
    public var pass: Pass? {
        switch self {
        case .pass1: .first
        case .pass2: .second
        case .final: nil
        }
    }

    /// The Chinese name, given how the form was collected.
    public func label(_ mode: FormMode) -> String {
        switch self {
        case .pass1: "第 1 遍录入"
        case .pass2: "第 2 遍录入"
        case .final: mode == .paper ? "核实结果" : mode.label
        }
    }
}

/// One stored form of a case with its answers (``SurveyStore/forms(caseID:)``).
public struct CaseForm: Sendable, Equatable {
    public let kind: FormKind
    public let questionnaire: String
    public let version: Int
    /// Who keyed it (or, for a verified form, who verified it).
    public let `operator`: String
    public let enteredAt: String
    public let mode: FormMode
    public let source: String?
    /// The non-empty answers by item name.
    public let answers: [String: String]

    public init(kind: FormKind, questionnaire: String, version: Int, operator: String, enteredAt: String, mode: FormMode,
                source: String?, answers: [String: String]) {
        self.kind = kind
        self.questionnaire = questionnaire
        self.version = version
        self.operator = `operator`
        self.enteredAt = enteredAt
        self.mode = mode
        self.source = source
        self.answers = answers
    }
}

/// A supervisor's correction of a case's answers (``SurveyStore/correct(_:)``): the form that
/// counts takes them — the verified form, or the telephone or online interview; a double-entry
/// case whose passes disagree gets a verified form made from them, its open disagreements
/// resolved with the corrected values; a case with one keyed form only (single entry, or a pass
/// awaiting the other) has that form corrected. Keyed passes beside a counted form keep what was
/// keyed, so keying work and each pass's errors stay as keyed. Each changed answer is audited
/// with the reason.
public struct FormCorrection: Sendable {
    public let caseID: String
    /// The questionnaire version the answers are checked against (the case's questionnaire).
    public let questionnaire: Questionnaire
    /// The answers in ``Questionnaire/items`` order (nil = empty).
    public let answers: [String?]
    public let reason: String
    public let `operator`: String
    public let source: String

    public init(caseID: String, questionnaire: Questionnaire, answers: [String?], reason: String, operator: String, source: String) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.answers = answers
        self.reason = reason
        self.operator = `operator`
        self.source = source
    }
}

public struct CorrectionSummary: Sendable, Equatable {
    /// Answers changed, summed over the case's forms.
    public let changedAnswers: Int
    /// The forms of the case given the corrected answers.
    public let forms: Int
    /// The case became verified by the correction (its two passes now agree).
    public let verified: Bool

    public init(changedAnswers: Int, forms: Int, verified: Bool) {
        self.changedAnswers = changedAnswers
        self.forms = forms
        self.verified = verified
    }
}

/// A stored form withdrawn (作废) by a supervisor (``SurveyStore/voidForm(_:)``): a paper form
/// keyed against the wrong case number, an interview that did not take place. The form and its
/// answers are removed, audited with the reason and who had keyed it; a keyed pass takes the
/// case's verification with it (the case needs verifying again once the pass is keyed anew);
/// a disposition that the form itself had set (complete or partial, "form counted") returns to
/// pending, while one a supervisor recorded is kept.
public struct FormVoid: Sendable {
    public let caseID: String
    /// A keyed pass, or the counted form of a telephone or online interview.
    public let kind: FormKind
    public let reason: String
    public let `operator`: String
    public let source: String

    public init(caseID: String, kind: FormKind, reason: String, operator: String, source: String) {
        self.caseID = caseID
        self.kind = kind
        self.reason = reason
        self.operator = `operator`
        self.source = source
    }
}

public struct VoidSummary: Sendable, Equatable {
    /// The case's verification (or its open disagreements) was undone.
    public let unverified: Bool
    /// The disposition the form had set, returned to pending; nil when it was kept.
    public let restored: Disposition?

    public init(unverified: Bool, restored: Disposition?) {
        self.unverified = unverified
        self.restored = restored
    }
}
