import Foundation
import Formats
public import Tables

/// People on several respondent lists: a deputy who also manages an enterprise would otherwise
/// be asked twice in one quarter (`pingyi sample overlap`).
public enum ListOverlap {
    public enum Key: String, Sendable {
        case idNumber = "id_number"
        case namePhone = "name_phone"
    }

    public struct Entry: Sendable, Equatable {
        public var list: String
        public var caseID: String
        public var role: String
    }

    public struct Match: Sendable, Equatable {
        public var key: Key
        public var name: String
        public var first: Entry
        public var second: Entry
    }

    /// Every pair of rows of different lists that are the same person: by `id_number` when both
    /// lists have it, else by the normalised name and phone (both needed).
    public static func find(_ tables: [Table]) throws(SamplingError) -> [Match] {
        struct Row {
            var list: Int
            var entry: Entry
            var name: String
            var id: String?
            var namePhone: String?
        }
        var rows: [Row] = []
        var hasID: [Bool] = []
        for (i, table) in tables.enumerated() {
            let caseColumn: Column
            do { caseColumn = try table.column(RespondentListFormat.caseID, purpose: "the case number of a respondent list") } catch { throw .frame(error) }
            guard let nameIndex = OverlapFormat.nameColumns.lazy.compactMap({ table.index(of: $0) }).first else {
                throw .frame(TablesError(.schema, file: table.source, line: 1,
                                         message: "no name column (\(OverlapFormat.nameColumns.joined(separator: ", ")))",
                                         hint: "give respondent lists drawn from frames with the respondents' names"))
            }
            let names = table.columns[nameIndex]
            let phones = table.index(of: OverlapFormat.phone).map { table.columns[$0] }
            let ids = table.index(of: OverlapFormat.idNumber).map { table.columns[$0] }
            let roles = table.index(of: RespondentListFormat.role).map { table.columns[$0] }
            hasID.append(ids != nil)
            for r in 0..<table.rowCount {
                let name = normalised(names.string(r) ?? "")
                let phone = digits(phones?.string(r) ?? "")
                let id = ids.flatMap { $0.string(r) }.map(normalised).map { $0.uppercased() }
                rows.append(Row(list: i, entry: Entry(list: table.source, caseID: caseColumn.string(r) ?? "", role: roles?.string(r) ?? ""),
                                name: names.string(r) ?? "", id: id?.isEmpty == false ? id : nil,
                                namePhone: name.isEmpty || phone.isEmpty ? nil : name + "\u{1F}" + phone))
            }
        }
        var byID: [String: [Int]] = [:], byNamePhone: [String: [Int]] = [:]
        for (k, row) in rows.enumerated() {
            if let id = row.id { byID[id, default: []].append(k) }
            if let key = row.namePhone { byNamePhone[key, default: []].append(k) }
        }
        var matches: [Match] = []
        var seen = Set<[Int]>()
        for (k, row) in rows.enumerated() {
            var partners: [(Int, Key)] = []
            if let id = row.id { partners += (byID[id] ?? []).map { ($0, .idNumber) } }
            if let key = row.namePhone {
                partners += (byNamePhone[key] ?? []).filter { !(hasID[rows[$0].list] && hasID[row.list]) }.map { ($0, .namePhone) }
            }
            for (j, key) in partners where j > k && rows[j].list != row.list && seen.insert([k, j]).inserted {
                matches.append(Match(key: key, name: row.name, first: row.entry, second: rows[j].entry))
            }
        }
        return matches
    }

    public static func csv(_ matches: [Match]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(OverlapFormat.header)
        for m in matches {
            writer.writeRow([m.key.rawValue, m.name, m.first.list, m.first.caseID, m.first.role, m.second.list, m.second.caseID, m.second.role])
        }
        return writer.bytes
    }

    /// Full-width forms folded (NFKC) and every space removed.
    static func normalised(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
    }

    /// The digits of a phone number (full-width folded), the last 11 (a mobile without +86).
    static func digits(_ text: String) -> String {
        String(normalised(text).filter(\.isASCII).filter(\.isNumber).suffix(11))
    }
}
