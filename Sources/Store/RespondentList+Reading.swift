import Formats
public import Questionnaire
public import Tables

private typealias L = RespondentListFormat

extension RespondentList {
    /// Reads a respondent list for `questionnaire`, checking that it fits: the design columns,
    /// the columns the questionnaire needs (the frame's identifier; `town_id` with an own-town
    /// item), one replicate at most, and every row's values.
    ///
    /// - Throws: ``StoreError``: a missing column or a list of another group stops at once; bad
    ///   values are all collected (``StoreError/problems``).
    public init(table: Table, for questionnaire: Questionnaire) throws(StoreError) {
        let file = table.source
        let names = table.names
        try RespondentList.checkFrame(table, questionnaire)
        let stageCount = DesignColumns.stageCount(in: names)
        guard stageCount > 0 else {
            throw StoreError(.data, file: file, line: 1, message: "the list has no design columns (\(DesignColumns.stratum(1)), …)",
                             hint: "load a respondent list written by pingyi sample")
        }
        let required = L.required(stages: stageCount)
        do { try L.check(table) } catch {
            throw StoreError(.data, file: error.file, line: error.line, message: error.message, hint: error.hint)
        }
        for name in required where table.index(of: name) == nil {
            throw StoreError(.data, file: file, line: 1, message: "the list has no column \(name)",
                             hint: "load a respondent list written by pingyi sample (it has \(required.joined(separator: ", ")))")
        }
        if let i = table.index(of: L.replicate) {
            let levels = table.columns[i].factorize().levels
            if levels.count > 1 {
                throw StoreError(.data, file: file, line: 1,
                                 message: "the list holds \(levels.count) replicates (replicate \(levels.prefix(5).joined(separator: ", ")))",
                                 hint: "load one replicate: keep the rows of one replicate value in a file of their own")
            }
        }
        for name in questionnaire.calls?.phones ?? [] where table.index(of: name) == nil {
            throw StoreError(.data, file: file, line: 1,
                             message: "the list has no column \(name), which the questionnaire's calls: phones names",
                             hint: "add the phone numbers to the frame in a column \(name), or name the right column in calls: phones")
        }
        let phoneColumns = Set(questionnaire.calls?.phones ?? [])
        let attributeColumns = names.filter { !L.isAdded($0) && !phoneColumns.contains($0) }
        var problems: [EntryProblem] = []
        var cases: [ListCase] = []
        cases.reserveCapacity(table.rowCount)
        let reader = ListRowReader(table: table, stageCount: stageCount, questionnaire: questionnaire, attributes: attributeColumns)
        var firstLine: [String: Int] = [:]
        var rankLine: [String: Int] = [:]
        for row in 0..<table.rowCount {
            let before = problems.count
            let c = reader.read(row, problems: &problems)
            if let c {
                if let other = firstLine[c.caseID] {
                    problems.append(reader.problem(row, L.caseID, "case \(c.caseID) appears twice (also on line \(other))",
                                                   "give every row its own case_id"))
                } else {
                    firstLine[c.caseID] = c.line
                }
                if let rank = c.reserveRank, let group = c.reserveGroup {
                    let key = group + "\u{1F}" + String(rank)
                    if let other = rankLine[key] {
                        problems.append(reader.problem(row, L.reserveRank, "reserve rank \(rank) of reserve group \(group) appears twice (also on line \(other))",
                                                       "number the reserves of a group 1, 2, 3 … in their order of use"))
                    } else {
                        rankLine[key] = c.line
                    }
                }
                if problems.count == before { cases.append(c) }
            }
        }
        if !problems.isEmpty { throw StoreError.rejected(problems, file: file, what: "loaded") }
        guard !cases.isEmpty else {
            throw StoreError(.data, file: file, line: 1, message: "the list has no rows", hint: "load a list with at least one case")
        }
        self.init(source: file, columns: names, stageCount: stageCount, attributeColumns: attributeColumns, cases: cases)
    }

    /// Stops when the list was drawn from another group's frame or lacks a column the
    /// questionnaire needs.
    static func checkFrame(_ table: Table, _ questionnaire: Questionnaire) throws(StoreError) {
        let names = table.names
        for column in questionnaire.listColumns where !names.contains(column) {
            let other = RespondentGroup.allCases.first { $0.frameIdentifier != questionnaire.group.frameIdentifier && names.contains($0.frameIdentifier) }
            if let other, column == questionnaire.group.frameIdentifier {
                throw StoreError(.data, file: table.source, line: 1,
                                 message: "the list has no column \(column): it looks like a list of \(other.label) (it has \(other.frameIdentifier)), but questionnaire \(questionnaire.id) is for \(questionnaire.group.label)",
                                 hint: "load it with the \(other.rawValue) questionnaire, or load the \(questionnaire.group.rawValue) list with this one")
            }
            let why = column == L.townID && questionnaire.ownTown != nil
                ? "which questionnaire \(questionnaire.id) needs for its own-town item (\(Questionnaire.ownTownName))"
                : "which questionnaire \(questionnaire.id) needs"
            throw StoreError(.data, file: table.source, line: 1, message: "the list has no column \(column), \(why)",
                             hint: "load a list drawn from the \(questionnaire.group.label) frame, or a questionnaire that fits this list")
        }
        if let urbanValue = questionnaire.group.urbanValue, let i = table.index(of: "urban") {
            let column = table.columns[i]
            for row in 0..<table.rowCount {
                if let value = column.string(row), value != urbanValue {
                    let other = RespondentGroup.allCases.first { $0.urbanValue == value }
                    throw StoreError(.data, file: table.source, line: table.line(of: row), column: i + 1,
                                     message: "urban = \(value): this is not a list of \(questionnaire.group.label), which questionnaire \(questionnaire.id) is for",
                                     hint: other.map { "load it with the \($0.rawValue) questionnaire" } ?? "load a list of \(questionnaire.group.label)")
                }
            }
        }
    }
}

/// Reads and checks one row of a list.
struct ListRowReader {
    let table: Table
    let stageCount: Int
    let questionnaire: Questionnaire
    let attributes: [String]
    private let attributeIndexes: [Int]
    private let towns: Set<String>?
    /// The index of every column by name, found once.
    private let indexes: [String: Int]

    init(table: Table, stageCount: Int, questionnaire: Questionnaire, attributes: [String]) {
        self.table = table
        self.stageCount = stageCount
        self.questionnaire = questionnaire
        self.attributes = attributes
        attributeIndexes = attributes.compactMap { table.index(of: $0) }
        towns = questionnaire.ownTown.map { Set($0.towns.map(\.id)) }
        indexes = Dictionary(table.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func problem(_ row: Int, _ column: String, _ message: String, _ hint: String) -> EntryProblem {
        let caseID = indexes[L.caseID].flatMap { table.columns[$0].string(row) }
        return EntryProblem(file: table.source, line: table.line(of: row), column: indexes[column].map { $0 + 1 },
                            caseID: caseID, message: message, hint: hint)
    }

    private func cell(_ name: String, _ row: Int) -> Column? {
        indexes[name].map { table.columns[$0] }
    }

    private func text(_ name: String, _ row: Int) -> String? {
        cell(name, row)?.string(row).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A probability in (0, 1].
    private func probability(_ name: String, _ row: Int, _ problems: inout [EntryProblem]) -> Double {
        guard let p = cell(name, row)?.number(row), p > 0, p <= 1 else {
            problems.append(problem(row, name, "\(name) = '\(text(name, row) ?? "")' is not a probability in (0, 1]",
                                    "keep the value pingyi sample wrote"))
            return .nan
        }
        return p
    }

    private func count(_ name: String, _ row: Int, _ problems: inout [EntryProblem]) -> Int {
        guard let n = cell(name, row)?.integer(row), n >= 1 else {
            problems.append(problem(row, name, "\(name) = '\(text(name, row) ?? "")' is not a positive whole number",
                                    "keep the value pingyi sample wrote"))
            return 0
        }
        return n
    }

    func read(_ row: Int, problems: inout [EntryProblem]) -> ListCase? {
        guard let caseID = text(L.caseID, row) else {
            problems.append(problem(row, L.caseID, "case_id is empty", "give every row its case_id"))
            return nil
        }
        let roleText = text(L.role, row) ?? ""
        guard let role = CaseRole(rawValue: roleText) else {
            problems.append(problem(row, L.role, "role = '\(roleText)' is neither sample nor reserve", "keep the value pingyi sample wrote"))
            return nil
        }
        var rank: Int?
        let group = text(L.reserveGroup, row)
        switch role {
        case .sample:
            if let r = text(L.reserveRank, row) {
                problems.append(problem(row, L.reserveRank, "a sampled case has reserve_rank \(r)", "leave reserve_rank empty for the sample"))
            }
        case .reserve:
            rank = cell(L.reserveRank, row)?.integer(row)
            if (rank ?? 0) < 1 {
                problems.append(problem(row, L.reserveRank, "reserve_rank = '\(text(L.reserveRank, row) ?? "")' is not 1, 2, 3 …",
                                        "number a group's reserves in their order of use"))
            }
            if group == nil {
                problems.append(problem(row, L.reserveGroup, "a reserve has no reserve_group", "name the cluster inside which it replaces non-respondents"))
            }
        }
        var stages: [DesignStage] = []
        for k in 1...stageCount {
            stages.append(DesignStage(stratum: text(DesignColumns.stratum(k), row), unit: text(DesignColumns.unit(k), row),
                                      prob: probability(DesignColumns.probability(k), row, &problems),
                                      population: count(DesignColumns.population(k), row, &problems),
                                      selected: count(DesignColumns.drawn(k), row, &problems)))
        }
        let prob = probability(L.prob, row, &problems)
        let weight = cell(L.weight, row)?.number(row) ?? .nan
        if !(weight > 0 && weight.isFinite) {
            problems.append(problem(row, L.weight, "weight = '\(text(L.weight, row) ?? "")' is not a positive number", "keep the value pingyi sample wrote"))
        }
        let town = text(L.townID, row)
        if let towns {
            if let town {
                if !towns.contains(town) {
                    problems.append(problem(row, L.townID, "\(L.townID) \(town) is not a town of the own-town item (\(towns.sorted().joined(separator: ", ")))",
                                            "check the frame's \(L.townID), or the questionnaire's own_town units"))
                }
            } else {
                problems.append(problem(row, L.townID, "\(L.townID) is empty, but the own-town item needs the household's town", "fill in \(L.townID)"))
            }
        }
        var phones: [String] = []
        for column in questionnaire.calls?.phones ?? [] {
            phones += PhoneNumbers.split(text(column, row) ?? "")
        }
        return ListCase(caseID: caseID, line: table.line(of: row), role: role, reserveRank: rank, reserveGroup: group,
                        townID: town, stages: stages, prob: prob, weight: weight, attributes: attributesJSON(row), phones: phones)
    }

    /// The row's attribute columns as a JSON object (numbers as numbers).
    func attributesJSON(_ row: Int) -> String {
        var json = "{"
        for (n, i) in attributeIndexes.enumerated() {
            let column = table.columns[i]
            if n > 0 { json += "," }
            json += jsonString(column.name) + ":"
            if column.isMissing(row) {
                json += "null"
            } else if column.type == .text {
                json += jsonString(column.string(row) ?? "")
            } else {
                json += column.string(row) ?? "null"
            }
        }
        return json + "}"
    }
}

/// A JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
