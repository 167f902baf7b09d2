import Formats
public import Composite
public import Tables

/// A respondent list (`pingyi sample` output) arranged for the field: split into pages by a
/// column (town, enumerator), and on each page the sampled cases of each replacement group
/// followed by that group's reserves in their order of use (`reserve_rank`).
public struct PrintableList: Sendable {
    /// One row of the printed list: its row in the list file.
    public struct Entry: Sendable, Equatable {
        public let row: Int
        public let caseID: String
        /// nil for a sampled case; 1, 2, … for reserves in their order of use.
        public let reserveRank: Int?
    }

    /// Cases that replace one another: one reserve group (a village, a stratum).
    public struct ReplacementGroup: Sendable, Equatable {
        public let name: String
        public let entries: [Entry]
        public var sample: Int { entries.filter { $0.reserveRank == nil }.count }
        public var reserves: Int { entries.count - sample }
    }

    /// One printed page (one town or enumerator).
    public struct Page: Sendable, Equatable {
        /// The `--by` value; nil when the list is not split.
        public let key: String?
        public let groups: [ReplacementGroup]
        public var sample: Int { groups.reduce(0) { $0 + $1.sample } }
        public var reserves: Int { groups.reduce(0) { $0 + $1.reserves } }
    }

    public let table: Table
    public let by: String?
    public let pages: [Page]
    /// The frame's columns worth printing, in list order: not the by column, not the columns
    /// pingyi adds for estimation (stage*, prob, weight, reserve_prob, replicate).
    public let shownColumns: [String]

    /// The columns pingyi sample adds after the frame's.
    static func isAdded(_ name: String) -> Bool {
        RespondentListFormat.isAdded(name)
    }

    private typealias L = RespondentListFormat

    /// Arranges a list read from `path`. `by` defaults to `town` when the list has it. A list of
    /// an older format (``Formats/RespondentListFormat/check(_:)``) is refused.
    public static func read(path: String, by: String?, options: CSVOptions = CSVOptions()) throws(ReportError) -> PrintableList {
        let input = try CSVInput(path: path, options: options, role: "the respondent list (pingyi sample output)",
                                 required: [L.caseID, L.role, L.reserveRank, L.reserveGroup])
        do { try L.check(input.table) } catch { throw ReportError(error) }
        let byColumn = by ?? (input.has(L.town) ? L.town : nil)
        if let byColumn, !input.has(byColumn) {
            throw ReportError(.usage, file: input.file, line: 1, message: "no column '\(byColumn)' to split the list by",
                              hint: "the columns are \(input.table.names.joined(separator: ", "))")
        }
        if input.has(L.replicate) {
            let replicates = Set(input.rows.compactMap { input.text($0, L.replicate) })
            if replicates.count > 1 {
                throw ReportError(file: input.file, line: 1, message: "the list holds \(replicates.count) replicates (pingyi sample --reps)",
                                  hint: "print a list drawn once, without --reps")
            }
        }
        var pageOrder: [String?] = []
        var groupOrder: [String: [String]] = [:]
        var members: [String: [Entry]] = [:]
        var seenCases: [String: Int] = [:]
        for row in input.rows {
            let caseID = try input.requiredText(row, L.caseID)
            if let first = seenCases[caseID] {
                throw input.error(row, L.caseID, "case \(caseID) is listed twice (also on line \(first))", hint: "give the list as pingyi sample wrote it")
            }
            seenCases[caseID] = input.table.line(of: row)
            let roleText = try input.requiredText(row, L.role)
            var rank: Int?
            switch CaseRole(rawValue: roleText) {
            case .sample: rank = nil
            case .reserve:
                guard let r = try input.count(row, L.reserveRank), r >= 1 else {
                    throw input.error(row, L.reserveRank, "is empty for reserve \(caseID)", hint: "give the list as pingyi sample wrote it")
                }
                rank = r
            case nil:
                throw input.error(row, L.role, "'\(roleText)' is neither sample nor reserve", hint: "give the list as pingyi sample wrote it")
            }
            let key = byColumn.map { input.text(row, $0) ?? "（空）" }
            let pageKey = key ?? ""
            if groupOrder[pageKey] == nil {
                pageOrder.append(key)
                groupOrder[pageKey] = []
            }
            let group = input.text(row, L.reserveGroup) ?? ""
            let memberKey = pageKey + "\u{1F}" + group
            if members[memberKey] == nil { groupOrder[pageKey, default: []].append(group) }
            members[memberKey, default: []].append(Entry(row: row, caseID: caseID, reserveRank: rank))
        }
        let pages = pageOrder.map { key in
            let pageKey = key ?? ""
            let groups = (groupOrder[pageKey] ?? []).map { name in
                let entries = members[pageKey + "\u{1F}" + name] ?? []
                let sample = entries.filter { $0.reserveRank == nil }
                let reserves = entries.filter { $0.reserveRank != nil }.sorted { ($0.reserveRank ?? 0, $0.row) < ($1.reserveRank ?? 0, $1.row) }
                return ReplacementGroup(name: name, entries: sample + reserves)
            }
            return Page(key: key, groups: groups)
        }
        let partners = byColumn.map { partnerColumns(of: $0, in: input, pages: pages) } ?? []
        let shown = input.table.names.filter { !isAdded($0) && $0 != byColumn && !partners.contains($0) }
        return PrintableList(table: input.table, by: byColumn, pages: pages, shownColumns: shown)
    }

    /// The id or name column beside the by column (`town_id` beside `town`, `town` beside
    /// `town_id`) when it holds one value on every page: printing it on every row adds nothing.
    private static func partnerColumns(of by: String, in input: CSVInput, pages: [Page]) -> Set<String> {
        let partner = by.hasSuffix("_id") ? String(by.dropLast(3)) : by + "_id"
        guard input.has(partner) else { return [] }
        let constant = pages.allSatisfy { page in
            Set(page.groups.flatMap(\.entries).map { input.text($0.row, partner) ?? "" }).count == 1
        }
        return constant ? [partner] : []
    }

    /// The text of a cell, "" when empty.
    func cell(_ row: Int, _ name: String) -> String {
        table.index(of: name).flatMap { table.columns[$0].string(row) } ?? ""
    }

    /// A replacement group's name as printed: its id, and the name beside it when the group is a
    /// unit of the frame with a name column (`T02V08` in `village_id` → "T02V08 大林村").
    func groupTitle(_ group: ReplacementGroup) -> String {
        guard let first = group.entries.first else { return group.name }
        for name in table.names where name.hasSuffix("_id") && cell(first.row, name) == group.name {
            let label = String(name.dropLast(3))
            let value = cell(first.row, label)
            if table.index(of: label) != nil, !value.isEmpty { return "\(group.name) \(value)" }
        }
        return group.name
    }

    /// "样本" or "备用1".
    static func roleText(_ entry: Entry) -> String {
        entry.reserveRank.map { "备用\($0)" } ?? "样本"
    }
}
