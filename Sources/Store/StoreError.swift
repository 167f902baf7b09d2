import Tables

/// A problem raised by the store: a file that does not fit (with every problem found), a
/// conflict with what is stored, or a database failure.
///
/// The description is one line: `FILE[:LINE[:COLUMN]]: what is wrong; what to do`. A rejected
/// batch (a list, a dispositions file, a forms file) carries every ``EntryProblem`` in
/// ``problems``; its description is the summary line, and nothing was written.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The request cannot be carried out as asked (wrong option, missing store).
        case usage
        /// The data does not fit (a bad value, a case not in the sample, a duplicate).
        case data
        /// The database failed (corrupt, locked for too long, disk full).
        case database
    }

    public let kind: Kind
    /// The file or store the problem is in.
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String
    public let hint: String
    /// Every problem of a rejected batch, in file order.
    public let problems: [EntryProblem]
    /// Why a call, interview or callback was refused (for faces that word it in their own
    /// language); nil for other errors.
    public var callRefusal: CallRefusal?
    /// What the access code opens, when an online save or submission was refused because it
    /// does not open a questionnaire; nil for other errors.
    public var invitation: InvitationState?

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String = "",
                problems: [EntryProblem] = [], callRefusal: CallRefusal? = nil, invitation: InvitationState? = nil) {
        self.callRefusal = callRefusal
        self.invitation = invitation
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.problems = problems
    }

    /// A rejection listing `problems` (sorted by line and column), with a summary message.
    public static func rejected(_ problems: [EntryProblem], file: String, what: String) -> StoreError {
        let sorted = problems.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        let rows = Set(sorted.compactMap(\.line)).count
        let count = sorted.count == 1 ? "1 problem" : "\(sorted.count) problems"
        let inRows = rows == 0 ? "" : (rows == 1 ? " in 1 row" : " in \(rows) rows")
        return StoreError(.data, file: file, message: "\(count)\(inRows); nothing was \(what)",
                          hint: "correct the file and run the command again", problems: sorted)
    }

    public var description: String {
        locatedMessage(file: file, line: line, column: column, message: message, hint: hint)
    }
}

/// One problem of a batch, located in its file: `FILE:LINE:COLUMN: message; hint`.
/// Columns count fields (1-based), so `:5:12` is the 12th field of line 5.
public struct EntryProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    /// The case the row is about, when known.
    public let caseID: String?
    public let message: String
    public let hint: String
    /// The store's reason, when the problem is that the case may not be keyed (for faces that
    /// word it in their own language).
    public let refusal: EntryRefusal?

    public init(file: String, line: Int?, column: Int?, caseID: String?, message: String, hint: String, refusal: EntryRefusal? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.caseID = caseID
        self.message = message
        self.hint = hint
        self.refusal = refusal
    }

    public var description: String {
        locatedMessage(file: file, line: line, column: column, message: message, hint: hint)
    }
}

/// `FILE[:LINE[:COLUMN]]: message[; hint]` (Tables' one located form).
func locatedMessage(file: String, line: Int?, column: Int?, message: String, hint: String) -> String {
    locatedDescription(file: file, line: line, column: column, message: message, hint: hint)
}

extension StoreError {
    /// Whether the store refused to take away the last admin of `name` who can sign in (a role
    /// change, disabling or deleting), so that a page can word it.
    public func refusesLastAdmin(_ name: String) -> Bool {
        kind == .data && message == AccountRules.lastAdminMessage(name)
    }
}

