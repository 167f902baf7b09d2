import Formats
public import Questionnaire
public import Tables

/// Reading a wide forms file into a ``FormBatch``.
public enum FormFile {
    /// Matches the file's columns to the questionnaire's items (every item needs a column; no
    /// column may be unknown) and reads every row.
    public static func batch(_ table: Table, questionnaire q: Questionnaire, pass: Pass, operator: String, replace: Bool,
                      reason: String?) throws(StoreError) -> FormBatch {
        let file = table.source
        var problems: [EntryProblem] = []
        let names = table.names
        guard let caseIndex = table.index(of: FormsFile.caseID) else {
            throw StoreError(.data, file: file, line: 1, message: "the file has no column case_id",
                             hint: "the first column of a forms file is case_id, then one column per item")
        }
        let itemNames = Set(q.items.map(\.name))
        for (i, name) in names.enumerated() where name != FormsFile.caseID && !itemNames.contains(name) {
            let close = q.items.map(\.name).min { distance($0, name) < distance($1, name) }
            let hint = close.flatMap { distance($0, name) <= 2 ? "did you mean \($0)?" : nil }
                ?? "remove the column, or import with the questionnaire version that has it"
            problems.append(EntryProblem(file: file, line: 1, column: i + 1, caseID: nil,
                                         message: "column \(name) is not an item of \(q.reference)", hint: hint))
        }
        var itemColumns: [Int] = []
        for item in q.items {
            if let i = table.index(of: item.name) {
                itemColumns.append(i)
            } else {
                problems.append(EntryProblem(file: file, line: 1, column: nil, caseID: nil,
                                             message: "no column for item \(item.name) (\(item.label)) of \(q.reference)",
                                             hint: "the file needs case_id and one column per item, named as in the questionnaire"))
                itemColumns.append(-1)
            }
        }
        if !problems.isEmpty { throw StoreError.rejected(problems, file: file, what: "imported") }
        let caseColumn = table.columns[caseIndex]
        let columns = itemColumns.map { table.columns[$0] }
        var forms: [FormInput] = []
        forms.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let line = table.line(of: row)
            let caseID = caseColumn.string(row) ?? ""
            forms.append(FormInput(caseID: caseID, answers: columns.map { $0.string(row) }, line: line))
        }
        return FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: file, forms: forms, replace: replace, reason: reason,
                         caseColumn: caseIndex + 1, itemColumns: itemColumns.map { $0 + 1 })
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
