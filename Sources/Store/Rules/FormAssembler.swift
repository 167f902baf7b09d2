import Questionnaire

/// Collects the rows of a forms-and-answers join (ordered by form id) into counted forms, and
/// builds the ``StoreSnapshot``; shared by every store.
struct FormAssembler {
    private var forms: [CountedForm] = []
    private var current: (id: Int64, caseID: String, questionnaire: String, version: Int, mode: FormMode, answers: [String: String])?

    /// Adds one row: a form and one of its answers (nil for a form without answers).
    mutating func add(formID: Int64, caseID: String, questionnaire: String, version: Int, mode: String, item: String?, value: String?) {
        if current?.id != formID {
            flush()
            current = (formID, caseID, questionnaire, version, FormMode(rawValue: mode) ?? .paper, [:])
        }
        if let item, let value { current?.answers[item] = value }
    }

    private mutating func flush() {
        if let c = current { forms.append(CountedForm(caseID: c.caseID, questionnaire: c.questionnaire, version: c.version, answers: c.answers, mode: c.mode)) }
        current = nil
    }

    /// The snapshot: the forms in case order.
    mutating func snapshot(questionnaires: [Questionnaire], cases: [CaseRecord]) -> StoreSnapshot {
        flush()
        let order = Dictionary(cases.enumerated().map { ($1.caseID, $0) }, uniquingKeysWith: { a, _ in a })
        forms.sort { (order[$0.caseID] ?? 0) < (order[$1.caseID] ?? 0) }
        let stageCount = cases.map(\.stages.count).max() ?? 0
        return StoreSnapshot(questionnaires: questionnaires, cases: cases, forms: forms, stageCount: stageCount)
    }
}
