import Foundation

/// A questionnaire closed for keying (录入截止): while closed, no form of it is stored, from a
/// file, the web or the API. Supervisors still verify and resolve; an admin reopens it.
public struct EntryClosure: Sendable, Equatable, Hashable {
    public let questionnaire: String
    public let closedAt: String
    public let closedBy: String
    public let reason: String

    public init(questionnaire: String, closedAt: String, closedBy: String, reason: String) {
        self.questionnaire = questionnaire
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.reason = reason
    }

    /// The refusal of a batch keyed for this questionnaire while it is closed.
    func refusal(source: String) -> StoreError {
        StoreError(.data, file: source,
                   message: "questionnaire \(questionnaire) is closed for entry (closed \(closedAt) by \(closedBy): \(reason)); nothing was imported",
                   hint: "ask an admin to reopen it (pingyi survey reopen \(questionnaire) --reason …) if these forms belong to the survey")
    }
}

/// The rules of closing and reopening, shared by the stores.
enum EntryControl {
    /// A checked change: the closure to store (nil when reopening) and its audit record.
    struct Change {
        var closure: EntryClosure?
        var audit: AuditRecord
    }

    /// - Throws: ``StoreError`` (data) for an unknown questionnaire, an empty reason, closing a
    ///   closed one or reopening an open one.
    static func change(questionnaire id: String, known: Bool, current: EntryClosure?, open: Bool, reason: String,
                       operator who: String, at: String, store: String) throws(StoreError) -> Change {
        guard known else {
            throw StoreError(.data, file: store, message: "the store has no questionnaire \(id)",
                             hint: "load its respondent list first (pingyi cases load); pingyi responses status lists the questionnaires")
        }
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else {
            throw StoreError(.usage, file: store, message: "a reason is needed to \(open ? "reopen" : "close") entry of \(id)",
                             hint: "give it with --reason, e.g. --reason \"fieldwork ended\"")
        }
        if open {
            guard let current else {
                throw StoreError(.data, file: store, message: "questionnaire \(id) is already open for entry", hint: "nothing to reopen")
            }
            return Change(closure: nil, audit: AuditRecord(at: at, operator: who, action: "entry-reopen", caseID: nil, item: id,
                                                           old: "closed \(current.closedAt) by \(current.closedBy)", new: "open", reason: reason))
        }
        if let current {
            throw StoreError(.data, file: store,
                             message: "questionnaire \(id) is already closed for entry (closed \(current.closedAt) by \(current.closedBy): \(current.reason))",
                             hint: "nothing to close")
        }
        let closure = EntryClosure(questionnaire: id, closedAt: at, closedBy: who, reason: reason)
        return Change(closure: closure, audit: AuditRecord(at: at, operator: who, action: "entry-close", caseID: nil, item: id,
                                                           old: "open", new: "closed", reason: reason))
    }
}
