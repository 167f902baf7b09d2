import Formats
import Foundation
import Questionnaire

/// The rules of ``SurveyStore/loadCases(_:for:replace:operator:)`` and of questionnaire
/// registration, shared by every store.
enum CaseRules {
    /// A questionnaire's definition as stored: JSON with sorted keys.
    static func definitionJSON(_ q: Questionnaire) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(q), as: UTF8.self)
    }

    /// Checks a questionnaire version against what the store holds: `stored`, the definition
    /// stored for this id and version (nil: none), and `storedGroup`, the group of any stored
    /// version of the id. Returns whether the version must be inserted.
    /// - Throws: ``StoreError`` when the version is stored with another definition, or the id
    ///   belongs to another group.
    static func needsRegistration(_ q: Questionnaire, stored: String?, storedGroup: String?, store: String) throws -> Bool {
        if let stored {
            let old = try JSONDecoder().decode(Questionnaire.self, from: Data(stored.utf8))
            if old != q {
                throw StoreError(.data, file: store,
                                 message: "questionnaire \(q.id) version \(q.version) is stored with a different definition (\(describeChange(old, q)))",
                                 hint: "raise version: in the questionnaire file whenever it changes, so both versions stay on record")
            }
            return false
        }
        if let storedGroup, storedGroup != q.group.rawValue {
            throw StoreError(.data, file: store,
                             message: "questionnaire \(q.id) is stored for group \(storedGroup), but this version is for \(q.group.rawValue)",
                             hint: "give a questionnaire for another group its own id")
        }
        return true
    }

    /// The list already loaded for a questionnaire.
    struct EarlierList: Sendable {
        let source: String
        let loadedAt: String
        let loadedBy: String
        let cases: Int
    }

    /// The refusal to load a second list without `replace`.
    static func secondList(_ earlier: EarlierList, list: RespondentList, questionnaire: String, store: String) -> StoreError {
        StoreError(.data, file: list.source,
                   message: "questionnaire \(questionnaire) already has a list in \(store) (\(earlier.source), \(earlier.cases) cases, loaded \(earlier.loadedAt) by \(earlier.loadedBy))",
                   hint: "to load this list instead, add --replace (allowed while none of its cases has a form or a disposition)")
    }

    /// The refusal to replace a list whose cases have forms or dispositions.
    static func listInUse(questionnaire: String, forms: Int, dispositions: Int, list: String) -> StoreError {
        StoreError(.data, file: list,
                   message: "cannot replace the list of questionnaire \(questionnaire): \(forms) forms and \(dispositions) dispositions are recorded for its cases",
                   hint: "keep the loaded list, or start a new store (--db) for the new list")
    }

    /// The list's cases already in the store (`owners`: their questionnaires).
    static func duplicateProblems(_ list: RespondentList, owners: [String: String]) -> [EntryProblem] {
        let column = list.columns.firstIndex(of: RespondentListFormat.caseID).map { $0 + 1 }
        return list.cases.compactMap { c in
            owners[c.caseID].map { owner in
                EntryProblem(file: list.source, line: c.line, column: column, caseID: c.caseID,
                             message: "case \(c.caseID) is already in the store (questionnaire \(owner))",
                             hint: "case ids must be unique across the store's lists; draw the lists with distinct case-id prefixes")
            }
        }
    }

    /// The list's columns as a JSON array.
    static func columnsJSON(_ list: RespondentList) -> String {
        "[" + list.columns.map(jsonString).joined(separator: ",") + "]"
    }

    /// The audit entry of loading a case.
    static func loadAudit(_ c: ListCase, list: RespondentList, operator: String, at: String) -> AuditRecord {
        let what = c.role == .sample ? "sample" : "reserve \(c.reserveRank ?? 0) of \(c.reserveGroup ?? "")"
        return AuditRecord(at: at, operator: `operator`, action: "load", caseID: c.caseID, new: what, source: list.source)
    }

    static func summary(_ list: RespondentList, _ q: Questionnaire, removed: Int) -> LoadSummary {
        let sampled = list.cases.filter { $0.role == .sample }.count
        let callable = q.calls == nil ? 0 : list.cases.count(where: { !$0.phones.isEmpty })
        return LoadSummary(questionnaire: q.id, version: q.version, sampled: sampled, reserves: list.cases.count - sampled,
                           stages: list.stageCount, removed: removed, callable: callable,
                           withoutPhones: q.calls == nil ? 0 : list.cases.count - callable)
    }

    /// The cases of a list fielded by telephone that go into the call queue (those with a
    /// number), with their place in the seeded order of fresh cases.
    static func callCases(_ list: RespondentList, _ q: Questionnaire) -> [(c: ListCase, order: Int64)] {
        guard let rules = q.calls else { return [] }
        return list.cases.filter { !$0.phones.isEmpty }.map { ($0, CallPlanning.randomOrder(seed: rules.seed, caseID: $0.caseID)) }
    }

    /// The refusal to replace a list whose cases have been called.
    static func listCalled(questionnaire: String, attempts: Int, list: String) -> StoreError {
        StoreError(.data, file: list,
                   message: "cannot replace the list of questionnaire \(questionnaire): \(attempts) calls are recorded for its cases",
                   hint: "keep the loaded list, or start a new store (--db) for the new list")
    }
}
