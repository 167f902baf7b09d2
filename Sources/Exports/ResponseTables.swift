import Formats
import Questionnaire
public import Store
public import Tables

/// The export tables built from a store snapshot: the wide data set of one questionnaire, the
/// long analysis file, and the case file.
public enum ResponseTables {
    /// The wide data set of questionnaire `id`: one row per counted form (verified, or
    /// single-pass), columns `case_id, group, questionnaire, version, town_id, mode` (paper,
    /// telephone, online), then every item
    /// of every stored version: the newest version's items in its order, then items only earlier
    /// versions had (so no column an earlier version had is ever dropped; forms keyed with a
    /// version that lacks an item leave it empty).
    /// - Throws: ``ExportError`` when the store has no version of `id`.
    public static func wide(_ snapshot: StoreSnapshot, questionnaire id: String, file: String) throws(ExportError) -> LabelledDataset {
        let versions = snapshot.questionnaires.filter { $0.id == id }.sorted { $0.version < $1.version }
        guard let newest = versions.last else {
            let ids = Array(Set(snapshot.questionnaires.map(\.id))).sorted()
            throw ExportError(file: file, message: "the store has no questionnaire \(id)",
                              hint: ids.isEmpty ? "load cases and import forms first" : "the store has \(ids.joined(separator: ", "))")
        }
        var variables = [
            Variable(name: LongFormat.caseID, label: "样本编号", kind: .text),
            Variable(name: LongFormat.group, label: "调查对象类别", kind: .text),
            Variable(name: LongFormat.questionnaire, label: "问卷", kind: .text),
            Variable(name: LongFormat.questionnaireVersion, label: "问卷版本", kind: .integer),
            Variable(name: LongFormat.townID, label: "所在镇（街道）编号", kind: .text),
            Variable(name: LongFormat.mode, label: "调查方式", kind: .text),
        ]
        var items: [Item] = []
        var seen: Set<String> = []
        for q in versions.reversed() {
            for item in q.items where seen.insert(item.name).inserted {
                items.append(item)
                variables.append(variable(item, scale: q.scale, versions: versions.filter { $0.item(item.name) != nil }.map(\.version)))
            }
        }
        let cases = Dictionary(snapshot.cases.map { ($0.caseID, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [[String?]] = []
        for form in snapshot.forms where form.questionnaire == id {
            let c = cases[form.caseID]
            var row: [String?] = [form.caseID, c?.group.rawValue, form.questionnaire, String(form.version), c?.townID, form.mode.rawValue]
            for item in items { row.append(form.answers[item.name]) }
            rows.append(row)
        }
        return LabelledDataset(title: "\(newest.title)（\(id) v\(versions.map { String($0.version) }.joined(separator: ", v"))）",
                               variables: variables, rows: rows)
    }

    /// The variable of an item, with its scale's or choices' value labels and missing codes.
    static func variable(_ item: Item, scale: Scale, versions: [Int]) -> Variable {
        switch item.kind {
        case .unit, .ownTown, .tier:
            let labels = scale.tiers.map { ValueLabel(code: $0.code, label: $0.label) } + scale.specials.map { ValueLabel(code: $0.code, label: $0.label) }
            let missing = scale.specials.map { MissingCode(code: $0.code, label: $0.label, stataTag: $0.role.stataTag) }
            return Variable(name: item.name, label: item.label, kind: .integer, valueLabels: labels,
                            labelSet: scale.id.replacingOccurrences(of: "-", with: "_"), missing: missing, versions: versions)
        case .single(let choices):
            return Variable(name: item.name, label: item.label, kind: .integer,
                            valueLabels: choices.map { ValueLabel(code: $0.code, label: $0.label) }, labelSet: item.name, versions: versions)
        case .number(_, _, let decimals):
            return Variable(name: item.name, label: item.label, kind: decimals == 0 ? .integer : .decimal, versions: versions)
        case .text:
            return Variable(name: item.name, label: item.label, kind: .text, versions: versions)
        }
    }

    /// The long analysis file (the input of `pingyi score`, ``Formats/LongFormat``) as a typed
    /// table: one row per counted form and evaluated-unit item with an answer, columns
    /// `case_id, group, questionnaire, version, unit, tier`, the design columns, `town_id, role,
    /// format`. `unit` is the unit id (the case's `town_id` for the own-town item); `tier` the
    /// code keyed (a tier or a special code). Identifiers are text, codes and counts integers,
    /// probabilities and weights decimals: `pingyi score --db` scores this table as it is, and
    /// ``long(_:)`` writes it.
    public static func longTable(_ snapshot: StoreSnapshot, name: String) -> Table {
        let stages = snapshot.stageCount
        let cases = Dictionary(snapshot.cases.map { ($0.caseID, $0) }, uniquingKeysWith: { a, _ in a })
        var definitions: [String: Questionnaire] = [:]
        for q in snapshot.questionnaires { definitions["\(q.id) \(q.version)"] = q }
        var caseIDs: [String?] = [], groups: [String?] = [], questionnaires: [String?] = [], versions: [Int?] = []
        var units: [String?] = [], tiers: [Int?] = [], towns: [String?] = [], roles: [String?] = [], modes: [String?] = []
        var design = DesignCells(stages: stages)
        for form in snapshot.forms {
            guard let c = cases[form.caseID], let q = definitions["\(form.questionnaire) \(form.version)"] else { continue }
            for item in q.items where item.isUnitRating {
                guard let tier = form.answers[item.name] else { continue }
                let unit: String?
                if case .unit(let id) = item.kind { unit = id } else { unit = c.townID }
                caseIDs.append(c.caseID)
                groups.append(c.group.rawValue)
                questionnaires.append(q.id)
                versions.append(q.version)
                units.append(unit)
                tiers.append(Int(tier))
                design.append(c)
                towns.append(c.townID)
                roles.append(c.role.rawValue)
                modes.append(form.mode.rawValue)
            }
        }
        let rows = caseIDs.count
        let columns = [
            Column(name: LongFormat.caseID, strings: caseIDs), Column(name: LongFormat.group, strings: groups),
            Column(name: LongFormat.questionnaire, strings: questionnaires), Column(name: LongFormat.questionnaireVersion, integers: versions),
            Column(name: LongFormat.unit, strings: units), Column(name: LongFormat.tier, integers: tiers),
        ] + design.columns() + [
            Column(name: LongFormat.townID, strings: towns), Column(name: LongFormat.role, strings: roles),
            Column(name: LongFormat.mode, strings: modes),
            Column(name: FileFormat.column, strings: [String?](repeating: LongFormat.format.tag, count: rows)),
        ]
        assert(columns.map(\.name) == LongFormat.header(stages: stages))
        return Table(source: name, columns: columns)
    }

    /// The long file's bytes (``longTable(_:name:)`` as CSV).
    public static func long(_ snapshot: StoreSnapshot) -> [UInt8] {
        longTable(snapshot, name: "long").csv()
    }

    /// The case file (the input of non-response weighting and AAPOR rates,
    /// ``Formats/CasesFormat``): one row per case in use (sampled, or an activated reserve;
    /// unused reserves are left out), columns `case_id, group, role, reserve_rank,
    /// reserve_group, replaces, disposition, entered, town_id`, the design columns, `format`.
    /// `entered` is yes when a counted form exists.
    public static func cases(_ snapshot: StoreSnapshot) -> [UInt8] {
        let stages = snapshot.stageCount
        var caseIDs: [String?] = [], groups: [String?] = [], roles: [String?] = [], ranks: [Int?] = [], reserveGroups: [String?] = []
        var replaces: [String?] = [], dispositions: [String?] = [], entered: [String?] = [], towns: [String?] = []
        var design = DesignCells(stages: stages)
        for c in snapshot.cases where c.inUse {
            caseIDs.append(c.caseID)
            groups.append(c.group.rawValue)
            roles.append(c.role.rawValue)
            ranks.append(c.reserveRank)
            reserveGroups.append(c.reserveGroup)
            replaces.append(c.replaces)
            dispositions.append(c.disposition.rawValue)
            entered.append(c.counted ? CasesFormat.enteredYes : CasesFormat.enteredNo)
            towns.append(c.townID)
            design.append(c)
        }
        let columns = [
            Column(name: CasesFormat.caseID, strings: caseIDs), Column(name: CasesFormat.group, strings: groups),
            Column(name: CasesFormat.role, strings: roles), Column(name: CasesFormat.reserveRank, integers: ranks),
            Column(name: CasesFormat.reserveGroup, strings: reserveGroups), Column(name: CasesFormat.replaces, strings: replaces),
            Column(name: CasesFormat.disposition, strings: dispositions), Column(name: CasesFormat.entered, strings: entered),
            Column(name: CasesFormat.townID, strings: towns),
        ] + design.columns() + [Column(name: FileFormat.column, strings: [String?](repeating: CasesFormat.format.tag, count: caseIDs.count))]
        assert(columns.map(\.name) == CasesFormat.header(stages: stages))
        return Table(source: "cases", columns: columns).csv()
    }
}

/// The design columns of a case, stage by stage (``Formats/DesignColumns``), gathered row by row.
struct DesignCells {
    let stages: Int
    var strata: [[String?]], units: [[String?]], probabilities: [[Double?]], populations: [[Int?]], drawn: [[Int?]]
    var prob: [Double?] = [], weight: [Double?] = []

    init(stages: Int) {
        self.stages = stages
        strata = Array(repeating: [], count: stages)
        units = strata
        probabilities = Array(repeating: [], count: stages)
        populations = Array(repeating: [], count: stages)
        drawn = populations
    }

    mutating func append(_ c: CaseRecord) {
        for k in 0..<stages {
            let s = k < c.stages.count ? c.stages[k] : nil
            strata[k].append(s?.stratum)
            units[k].append(s?.unit)
            probabilities[k].append(s?.prob)
            populations[k].append(s.map { Int($0.population) })
            drawn[k].append(s.map { Int($0.selected) })
        }
        prob.append(c.prob)
        weight.append(c.weight)
    }

    func columns() -> [Column] {
        (0..<stages).flatMap { k in
            [Column(name: DesignColumns.stratum(k + 1), strings: strata[k]), Column(name: DesignColumns.unit(k + 1), strings: units[k]),
             Column(name: DesignColumns.probability(k + 1), decimals: probabilities[k]),
             Column(name: DesignColumns.population(k + 1), integers: populations[k]), Column(name: DesignColumns.drawn(k + 1), integers: drawn[k])]
        } + [Column(name: DesignColumns.prob, decimals: prob), Column(name: DesignColumns.weight, decimals: weight)]
    }
}
