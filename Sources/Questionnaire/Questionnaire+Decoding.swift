public import Definitions
import Formats
import Foundation
import Tables

extension Questionnaire {
    /// The keys of a questionnaire file.
    static let keys = ["id", "version", "title", "group", "scale", "entry", "second-pass-operator", "complete-above", "units", "own_town",
                       "items", "list_columns", "calls", "online"]

    /// Reads a questionnaire file. Relative paths inside it (`scale:`, `units: {file: …}`) are
    /// resolved from the file's folder; `scale: four-tier` names `../scales/four-tier.yaml`
    /// (or `four-tier.yaml` beside the file).
    ///
    /// ```yaml
    /// id: urban
    /// version: 1
    /// title: 城镇居民户公众评议问卷
    /// group: urban                 # deputies | enterprises | urban | rural
    /// scale: four-tier
    /// entry: double                # double (default) | single
    /// second-pass-operator: different   # different (default) | any: who may key pass 2
    /// complete-above: 80%          # optional: a form answering at most 80 % of its applicable items is partial
    /// online: {layout: one-per-screen, partial-above: 50%}   # optional: see OnlineRules
    /// units: {file: ../../datasets/units.csv, class: department}
    /// own_town: {label: 对本镇（街道）党委政府工作的评价, units: {file: ../../datasets/units.csv, class: town}}
    /// items:
    ///   - {name: members, type: number, label: 家庭常住人口（人）, range: [1, 20]}
    ///   - {name: q_school, type: single, label: 家中是否有在读学生, choices: {1: 有, 2: 没有}}
    ///   - {name: q_school_rating, type: tier, label: 对本地教育的评价, when: q_school == 1}
    /// ```
    /// - Throws: ``DefinitionError`` located at the offending key.
    public static func load(path: String, name: String? = nil) throws(DefinitionError) -> Questionnaire {
        let root = try YAMLValue.load(path: path, name: name)
        let directory = (path as NSString).deletingLastPathComponent
        return try Questionnaire(yaml: root, directory: directory.isEmpty ? "." : directory)
    }

    /// Decodes a questionnaire from its YAML root; `directory` resolves relative paths.
    public init(yaml: YAMLValue, directory: String) throws(DefinitionError) {
        let map = try yaml.mapping()
        try map.allowOnly(Questionnaire.keys)
        let idNode = try map.require("id")
        let id = try idNode.string()
        guard isIdentifier(id, allowHyphen: true) else {
            throw idNode.error("id '\(id)' is not an ASCII name", hint: "use letters, digits, '-' or '_', e.g. urban")
        }
        let versionNode = try map.require("version")
        let version = try versionNode.int()
        guard version >= 1 else { throw versionNode.error("version \(version) is not positive", hint: "number versions 1, 2, 3, …") }
        let title = try map.require("title").string()
        let groupNode = try map.require("group")
        let groupText = try groupNode.string()
        guard let group = RespondentGroup(rawValue: groupText) else {
            throw groupNode.error("unknown group '\(groupText)'",
                                  hint: "the groups are \(RespondentGroup.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let scale = try Questionnaire.scale(map.require("scale"), directory: directory)
        var entry = EntryMode.double
        if let node = map["entry"] {
            let text = try node.string()
            guard let mode = EntryMode(rawValue: text) else {
                throw node.error("unknown entry mode '\(text)'", hint: "write double (two keyed passes) or single")
            }
            entry = mode
        }
        var secondPass: SecondPassOperator?
        if let node = map["second-pass-operator"] {
            let text = try node.string()
            guard let rule = SecondPassOperator(rawValue: text) else {
                throw node.error("unknown second-pass-operator '\(text)'",
                                 hint: "write different (pass 2 keyed by another operator than pass 1) or any")
            }
            guard entry == .double else {
                throw node.error("second-pass-operator is set, but the questionnaire is keyed once (entry: single)",
                                 hint: "remove second-pass-operator, or set entry: double")
            }
            secondPass = rule
        }
        var completeAbove: Double?
        if let node = map["complete-above"] {
            let share = try node.double()
            guard share >= 0 && share < 1 else {
                throw node.error("complete-above \(share) is not a share from 0 up to 1",
                                 hint: "write e.g. 80%: a form answering at most 80 % of its applicable items is a partial interview")
            }
            completeAbove = share
        }
        let units = try Questionnaire.units(map.require("units"), directory: directory)
        var ownTown: OwnTown?
        if let node = map["own_town"] {
            let m = try node.mapping()
            try m.allowOnly(["label", "units"])
            ownTown = OwnTown(label: try m.optionalString("label") ?? "对所在镇（街道）的评价",
                              towns: try Questionnaire.units(m.require("units"), directory: directory))
        }
        var names = Set(units.map(\.id))
        if ownTown != nil { names.insert(Questionnaire.ownTownName) }
        var further: [Item] = []
        for node in try map["items"]?.sequence() ?? [] {
            let item = try Questionnaire.item(node, scale: scale, known: names, earlier: units.map(\.id) + further.map(\.name))
            names.insert(item.name)
            further.append(item)
        }
        let listColumns = try map.optionalStrings("list_columns")
        var calls: CallRules?
        if let node = map["calls"] {
            let rules = try CallRules(yaml: node)
            for item in rules.callbackItems where !names.contains(item) {
                throw node.error("callback item '\(item)' is not an item of the questionnaire", hint: "name unit ids (D01), own_town or further items")
            }
            calls = rules
        }
        let online = try map["online"].map { node throws(DefinitionError) in try OnlineRules(yaml: node) }
        self.init(id: id, version: version, title: title, group: group, scale: scale, entry: entry,
                  units: units, ownTown: ownTown, further: further, listColumns: listColumns,
                  secondPassOperator: secondPass, completeAbove: completeAbove, calls: calls, online: online)
    }

    /// `scale:` as a name (`four-tier`), a path (`../scales/x.yaml`) or an inline mapping.
    static func scale(_ node: YAMLValue, directory: String) throws(DefinitionError) -> Scale {
        if case .mapping = node.node { return try Scale(yaml: node) }
        let text = try node.string()
        let candidates: [String]
        if text.hasSuffix(".yaml") || text.hasSuffix(".yml") {
            candidates = [resolve(text, directory)]
        } else {
            candidates = [resolve("../scales/\(text).yaml", directory), resolve("\(text).yaml", directory)]
        }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw node.error("no scale file for '\(text)' (looked for \(candidates.joined(separator: ", ")))",
                             hint: "name a file in surveys/scales, e.g. four-tier or five-tier")
        }
        return try Scale.load(path: path)
    }

    /// `units:` as `{file, class}`, `{file, ids}` or a list of `{id, label}`.
    static func units(_ node: YAMLValue, directory: String) throws(DefinitionError) -> [EvaluatedUnit] {
        var units: [EvaluatedUnit] = []
        if case .sequence = node.node {
            for entry in try node.sequence() {
                let m = try entry.mapping()
                try m.allowOnly(["id", "label"])
                let idNode = try m.require("id")
                units.append(EvaluatedUnit(id: try idNode.string(), name: try m.require("label").string()))
            }
        } else {
            let m = try node.mapping()
            try m.allowOnly(["file", "class", "ids"])
            let fileNode = try m.require("file")
            let path = resolve(try fileNode.string(), directory)
            let table: Table
            do {
                table = try TableFile.read(path: path)
            } catch {
                throw fileNode.error("cannot read the units file: \(error.description)", hint: "check the path, relative to the questionnaire")
            }
            let all: [(id: String, name: String, unitClass: String?)]
            do {
                let ids = try table.column(UnitsFormat.unitID, purpose: "the unit identifier")
                let names = try table.column(UnitsFormat.unit, purpose: "the unit's name")
                let classes = table.index(of: UnitsFormat.unitClass).map { table.columns[$0] }
                all = (0..<table.rowCount).map { (ids.string($0) ?? "", names.string($0) ?? "", classes?.string($0)) }
            } catch {
                throw fileNode.error("the units file does not fit: \(error.description)", hint: "it needs columns unit_id, unit and class")
            }
            let unitClass = try m.optionalString("class")
            if let idsNode = m["ids"] {
                for idNode in try idsNode.sequence() {
                    let id = try idNode.string()
                    guard let row = all.first(where: { $0.id == id }) else {
                        throw idNode.error("unit '\(id)' is not in \(path)", hint: "use an id of its unit_id column")
                    }
                    units.append(EvaluatedUnit(id: row.id, name: row.name))
                }
            } else if let unitClass {
                units = all.filter { $0.unitClass == unitClass }.map { EvaluatedUnit(id: $0.id, name: $0.name) }
                guard !units.isEmpty else {
                    let classes = Array(Set(all.compactMap(\.unitClass))).sorted().joined(separator: ", ")
                    throw node.error("no unit of class '\(unitClass)' in \(path)", hint: "the classes are \(classes)")
                }
            } else {
                throw node.error("say which units to ask about", hint: "add class: department, or ids: [D01, D02]")
            }
        }
        guard !units.isEmpty else { throw node.error("no evaluated units", hint: "list at least one unit") }
        var seen: Set<String> = []
        for unit in units {
            guard isIdentifier(unit.id, allowHyphen: false) else {
                throw node.error("unit id '\(unit.id)' cannot be a variable name", hint: "use ids such as D01: a letter, then letters, digits or '_'")
            }
            guard seen.insert(unit.id).inserted else {
                throw node.error("unit '\(unit.id)' is listed twice", hint: "list each unit once")
            }
        }
        return units
    }
}

/// `path` resolved against `directory` unless absolute.
func resolve(_ path: String, _ directory: String) -> String {
    path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
}

/// An ASCII variable name: a letter, then letters, digits, `_` (and `-` when allowed), ≤ 32.
func isIdentifier(_ s: String, allowHyphen: Bool) -> Bool {
    guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 32,
          ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
    return s.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || (allowHyphen && $0 == "-")
    }
}
