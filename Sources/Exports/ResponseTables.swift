import Questionnaire
public import Store
import Tables

/// The export tables built from a store snapshot: the wide data set of one questionnaire, the
/// long analysis file, and the case file.
public enum ResponseTables {
    /// The wide data set of questionnaire `id`: one row per counted form (verified, or
    /// single-pass), columns `case_id, group, questionnaire, version, town_id`, then every item
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
            Variable(name: "case_id", label: "样本编号", kind: .text),
            Variable(name: "group", label: "调查对象类别", kind: .text),
            Variable(name: "questionnaire", label: "问卷", kind: .text),
            Variable(name: "version", label: "问卷版本", kind: .integer),
            Variable(name: "town_id", label: "所在镇（街道）编号", kind: .text),
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
            var row: [String?] = [form.caseID, c?.group.rawValue, form.questionnaire, String(form.version), c?.townID]
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

    /// The design columns for `stages` stages: `stage{k}_stratum … stage{k}_n`, then `prob, weight`.
    static func designColumns(stages: Int) -> [String] {
        (0..<stages).flatMap { k in ["stratum", "unit", "prob", "N", "n"].map { "stage\(k + 1)_\($0)" } } + ["prob", "weight"]
    }

    static func designCells(_ c: CaseRecord, stages: Int) -> [String?] {
        var cells: [String?] = []
        for k in 0..<stages {
            if k < c.stages.count {
                let s = c.stages[k]
                cells += [s.stratum, s.unit, formatDecimal(s.prob), String(s.population), String(s.selected)]
            } else {
                cells += [nil, nil, nil, nil, nil]
            }
        }
        return cells + [formatDecimal(c.prob), formatDecimal(c.weight)]
    }

    /// The long analysis file (the input of `pingyi score`): one row per counted form and
    /// evaluated-unit item with an answer, columns `case_id, group, questionnaire, version, unit,
    /// tier`, the design columns, `town_id, role`. `unit` is the unit id (the case's `town_id`
    /// for the own-town item); `tier` the code keyed (a tier or a special code).
    public static func long(_ snapshot: StoreSnapshot) -> [UInt8] {
        let stages = snapshot.stageCount
        var writer = CSVWriter()
        writer.writeRow(["case_id", "group", "questionnaire", "version", "unit", "tier"] + designColumns(stages: stages) + ["town_id", "role"])
        let cases = Dictionary(snapshot.cases.map { ($0.caseID, $0) }, uniquingKeysWith: { a, _ in a })
        var definitions: [String: Questionnaire] = [:]
        for q in snapshot.questionnaires { definitions["\(q.id) \(q.version)"] = q }
        for form in snapshot.forms {
            guard let c = cases[form.caseID], let q = definitions["\(form.questionnaire) \(form.version)"] else { continue }
            let design = designCells(c, stages: stages)
            for item in q.items where item.isUnitRating {
                guard let tier = form.answers[item.name] else { continue }
                let unit: String?
                if case .unit(let id) = item.kind { unit = id } else { unit = c.townID }
                writer.writeRow([c.caseID, c.group.rawValue, q.id, String(q.version), unit, tier] + design + [c.townID, c.role.rawValue])
            }
        }
        return writer.bytes
    }

    /// The case file (the input of non-response weighting and AAPOR rates): one row per case in
    /// use (sampled, or an activated reserve; unused reserves are left out), columns `case_id,
    /// group, role, reserve_rank, reserve_group, replaces, disposition, entered, town_id`, then
    /// the design columns. `entered` is yes when a counted form exists.
    public static func cases(_ snapshot: StoreSnapshot) -> [UInt8] {
        let stages = snapshot.stageCount
        var writer = CSVWriter()
        writer.writeRow(["case_id", "group", "role", "reserve_rank", "reserve_group", "replaces", "disposition", "entered", "town_id"]
                        + designColumns(stages: stages))
        for c in snapshot.cases where c.inUse {
            writer.writeRow([c.caseID, c.group.rawValue, c.role.rawValue, c.reserveRank.map(String.init), c.reserveGroup, c.replaces,
                             c.disposition.rawValue, c.counted ? "yes" : "no", c.townID] + designCells(c, stages: stages))
        }
        return writer.bytes
    }
}
