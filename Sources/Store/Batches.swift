public import Questionnaire

/// Which keyed version of a form.
public enum Pass: Int, Sendable, Codable, Hashable, CaseIterable {
    case first = 1
    case second = 2

    /// The `forms.kind` spelling.
    var kind: String { self == .first ? "pass1" : "pass2" }
}

/// How a form's answers were collected.
public enum FormMode: String, Sendable, Codable, CaseIterable, Hashable {
    /// A paper form, keyed (in one or two passes).
    case paper
    /// A telephone interview: the interviewer's screen is the form, counted at once.
    case telephone
    /// Online self-completion by the respondent, counted at once.
    case online

    /// The Chinese name.
    public var label: String {
        switch self {
        case .paper: "纸质问卷录入"
        case .telephone: "电话访问"
        case .online: "网上自填"
        }
    }
}

/// Forms keyed from one file (or one web session), stored together or not at all.
public struct FormBatch: Sendable {
    /// The questionnaire version the forms were keyed with.
    public let questionnaire: Questionnaire
    public let pass: Pass
    /// Who keyed the forms.
    public let `operator`: String
    /// The file name (for messages and the audit trail).
    public let source: String
    public let forms: [FormInput]
    /// Correct forms already stored (each form must then exist), with ``reason``.
    public let replace: Bool
    public let reason: String?
    /// The file column (1-based) of `case_id` and of each item, for messages.
    public let caseColumn: Int?
    public let itemColumns: [Int]?
    /// How the answers were collected: a paper form's passes, or a telephone or online form
    /// that counts as soon as it is stored (kind `final`, no second pass).
    public let mode: FormMode
    /// The forms may leave required items empty: an interview broken off, whose answers so far
    /// are kept (the case then becomes partial or is closed by the call rules).
    public let allowsUnanswered: Bool

    public init(questionnaire: Questionnaire, pass: Pass, operator: String, source: String, forms: [FormInput],
                replace: Bool = false, reason: String? = nil, caseColumn: Int? = nil, itemColumns: [Int]? = nil,
                mode: FormMode = .paper, allowsUnanswered: Bool = false) {
        self.mode = mode
        self.allowsUnanswered = allowsUnanswered
        self.questionnaire = questionnaire
        self.pass = pass
        self.operator = `operator`
        self.source = source
        self.forms = forms
        self.replace = replace
        self.reason = reason
        self.caseColumn = caseColumn
        self.itemColumns = itemColumns
    }

    /// The `forms.kind` the batch stores: its pass for paper, `final` (counted at once) for a
    /// telephone or online form.
    var formKind: String { mode == .paper ? pass.kind : "final" }

    /// Whether the stored forms count at once (single entry, or not keyed from paper).
    var countsAtOnce: Bool { mode != .paper || questionnaire.entry == .single }
}

/// One keyed form: the case and the answers in ``Questionnaire/items`` order (nil = empty).
public struct FormInput: Sendable, Equatable {
    public let caseID: String
    public var answers: [String?]
    /// The file line, for messages.
    public let line: Int?

    public init(caseID: String, answers: [String?], line: Int? = nil) {
        self.caseID = caseID
        self.answers = answers
        self.line = line
    }
}

/// Dispositions recorded together (one transaction).
public struct DispositionBatch: Sendable {
    public let updates: [DispositionUpdate]
    public let `operator`: String
    public let source: String
    /// Activate the next unused reserve of a non-responding case's reserve group.
    public let useReserves: Bool
    /// Take a replaced case's reserve out of use when the case responds after all (its refusal
    /// undone), unless a form of the reserve was keyed; without it the reserve stays in use and
    /// the summary says so (``DispositionSummary/stillInUse``).
    public let releaseReserves: Bool

    public init(updates: [DispositionUpdate], operator: String, source: String, useReserves: Bool = true, releaseReserves: Bool = false) {
        self.updates = updates
        self.operator = `operator`
        self.source = source
        self.useReserves = useReserves
        self.releaseReserves = releaseReserves
    }
}

public struct DispositionUpdate: Sendable, Equatable {
    public let caseID: String
    public let disposition: Disposition
    public let note: String?
    public let line: Int?

    public init(caseID: String, disposition: Disposition, note: String? = nil, line: Int? = nil) {
        self.caseID = caseID
        self.disposition = disposition
        self.note = note
        self.line = line
    }
}

/// Adjudicated values of double-entry disagreements, recorded together.
public struct ResolutionBatch: Sendable {
    public let resolutions: [Resolution]
    public let `operator`: String
    public let source: String

    public init(resolutions: [Resolution], operator: String, source: String) {
        self.resolutions = resolutions
        self.operator = `operator`
        self.source = source
    }
}

/// The value a supervisor decided for one item of one case (nil: the answer is empty).
public struct Resolution: Sendable, Equatable {
    public let caseID: String
    public let item: String
    public let value: String?
    public let reason: String?
    public let line: Int?

    public init(caseID: String, item: String, value: String?, reason: String? = nil, line: Int? = nil) {
        self.caseID = caseID
        self.item = item
        self.value = value
        self.reason = reason
        self.line = line
    }
}
