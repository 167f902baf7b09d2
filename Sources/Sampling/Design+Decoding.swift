import Definitions

/// A place in a design file where a frame column is named, so that a column the frame lacks is
/// reported at that line.
public struct ColumnReference: Sendable, Equatable {
    public var column: String
    public var path: String
    public var line: Int?
    public var position: Int?
}

/// A design together with where it came from.
public struct DesignFile: Sendable {
    public var design: Design
    public var path: String
    /// Every frame column the design names, with its place in the file.
    public var columns: [ColumnReference]
}

extension Design {
    /// Reads and checks a design file. Column names are checked later against the frame
    /// (``DesignFile/columns``).
    public static func load(path: String) throws(SamplingError) -> DesignFile {
        do {
            return try decode(YAMLValue.load(path: path), path: path)
        } catch {
            throw .design(error)
        }
    }

    /// Decodes a design from YAML text (tests and embedded designs).
    public static func parse(_ text: String, file: String) throws(SamplingError) -> DesignFile {
        do {
            return try decode(YAMLValue.parse(text, file: file), path: file)
        } catch {
            throw .design(error)
        }
    }

    private static func decode(_ root: YAMLValue, path: String) throws(DefinitionError) -> DesignFile {
        var references: [ColumnReference] = []
        func reference(_ value: YAMLValue, _ name: String) {
            references.append(ColumnReference(column: name, path: value.path, line: value.line, position: value.column))
        }
        func columns(_ value: YAMLValue?) throws(DefinitionError) -> [String] {
            guard let value else { return [] }
            let names = try value.strings()
            for n in names { reference(value, n) }
            return names
        }

        let top = try root.mapping()
        try top.allowOnly(["name", "group", "id", "case-prefix", "frame", "filter", "stages", "coordination", "description"])
        let name = try top.require("name").string()
        let idValue = try top.require("id")
        let id = try idValue.string()
        reference(idValue, id)
        let prefix = try top.optionalString("case-prefix") ?? String(id.prefix(1)).uppercased()
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw (top["case-prefix"] ?? root).error("case-prefix must be ASCII letters or digits", hint: "e.g. case-prefix: H")
        }
        var filter: [FilterCondition] = []
        if let f = top["filter"] {
            for (column, value) in try f.mapping().entries {
                reference(value, column)
                filter.append(FilterCondition(column: column, values: try value.strings()))
            }
        }
        let stageValues = try top.require("stages").sequence()
        guard !stageValues.isEmpty else {
            throw try top.require("stages").error("a design needs at least one stage")
        }
        var stages: [Stage] = []
        for (k, value) in stageValues.enumerated() {
            let s = try value.mapping()
            try s.allowOnly(["unit", "strata", "order", "serpentine", "method", "size", "allocation",
                             "certainty", "reserve", "take-all", "description"])
            let unitValue = try s.require("unit")
            let unit = try unitValue.string()
            reference(unitValue, unit)
            let methodValue = try s.require("method")
            guard let method = Method(rawValue: try methodValue.string()) else {
                throw methodValue.error("unknown method '\(try methodValue.string())'",
                                        hint: "use srs, systematic or pps-systematic")
            }
            var size = SizeMeasure.count
            if let sizeValue = s["size"] {
                let text = try sizeValue.string()
                if text != "count" {
                    size = .column(text)
                    reference(sizeValue, text)
                }
            }
            let allocationValue = try s.require("allocation")
            let (allocation, allocationTakeAll, sdColumn) = try decodeAllocation(allocationValue, stage: k + 1)
            if let sdColumn, let node = try allocationValue.mapping()["neyman-sd"] { reference(node, sdColumn) }
            var certainty: CertaintyRule? = nil
            if let c = s["certainty"] {
                let m = try c.mapping()
                try m.allowOnly(["column", "at-least"])
                let columnValue = try m.require("column")
                let column = try columnValue.string()
                reference(columnValue, column)
                certainty = CertaintyRule(column: column, minimum: try m.require("at-least").double())
            }
            let reserve = try s.optionalInt("reserve") ?? 0
            if reserve < 0 { throw try s.require("reserve").error("reserve must be 0 or more") }
            if reserve > 0 && method == .ppsSystematic {
                throw try s.require("reserve").error("reserves are drawn only at srs or systematic stages",
                                                     hint: "put the reserves on the next, equal-probability stage")
            }
            if case .perUnit = allocation, k == 0 {
                throw allocationValue.error("per-unit allocation needs a previous stage",
                                            hint: "use per-stratum or total at stage 1")
            }
            if case .total(_, .neyman, _, nil) = allocation {
                throw allocationValue.error("Neyman allocation needs neyman-sd: COLUMN", hint: "name the column whose spread sets the allocation")
            }
            stages.append(Stage(unit: unit, strata: try columns(s["strata"]), order: try columns(s["order"]),
                                serpentine: try s.optionalBool("serpentine") ?? false, method: method, size: size,
                                allocation: allocation, certainty: certainty, reserve: reserve,
                                takeAll: (try s.optionalBool("take-all") ?? false) || allocationTakeAll))
        }
        if let last = stages.last, last.unit != id {
            throw stageValues[stageValues.count - 1].error("the last stage must draw '\(id)', the design's id (it draws '\(last.unit)')",
                                                           hint: "add a final stage with unit: \(id)")
        }
        var coordination: CoordinationSpec? = nil
        if let c = top["coordination"] {
            let m = try c.mapping()
            try m.allowOnly(["registry", "rotate"])
            let rotate = try m.optionalString("rotate") ?? "quarter"
            guard ["quarter", "month", "year"].contains(rotate) else {
                throw try m.require("rotate").error("rotate must be quarter, month or year", hint: "e.g. coordination: {registry: deputies.prn.csv, rotate: quarter}")
            }
            coordination = CoordinationSpec(registry: try m.require("registry").string(), rotate: rotate)
        }
        let design = Design(name: name, group: try top.optionalString("group"), id: id, casePrefix: prefix,
                            frame: try top.optionalString("frame"), filter: filter, stages: stages, coordination: coordination)
        return DesignFile(design: design, path: path, columns: references)
    }

    private static func decodeAllocation(_ value: YAMLValue, stage: Int) throws(DefinitionError)
        -> (Allocation, takeAll: Bool, sdColumn: String?)
    {
        let m = try value.mapping()
        try m.allowOnly(["per-stratum", "per-unit", "total", "rule", "min", "neyman-sd", "sizes", "take-all"])
        let takeAll = try m.optionalBool("take-all") ?? false
        let forms = ["per-stratum", "per-unit", "total", "sizes"].filter { m[$0] != nil }
        guard forms.count == 1 else {
            throw value.error(forms.isEmpty ? "no sample size given" : "give only one of \(forms.joined(separator: ", "))",
                              hint: "use one of per-stratum: N, per-unit: N, total: N, sizes: {STRATUM: N}")
        }
        func positive(_ key: String) throws(DefinitionError) -> Int {
            let v = try m.require(key)
            let n = try v.int()
            guard n >= 1 else { throw v.error("\(key) must be at least 1") }
            return n
        }
        switch forms[0] {
        case "per-stratum": return (.perStratum(try positive("per-stratum")), takeAll, nil)
        case "per-unit": return (.perUnit(try positive("per-unit")), takeAll, nil)
        case "sizes":
            var sizes: [String: Int] = [:]
            for (key, v) in try m.require("sizes").mapping().entries {
                let n = try v.int()
                guard n >= 0 else { throw v.error("a stratum size must be 0 or more") }
                sizes[key] = n
            }
            return (.explicit(sizes), takeAll, nil)
        default:
            let total = try positive("total")
            var rule = AllocationRule.proportional
            if let r = m["rule"] {
                guard let parsed = AllocationRule(rawValue: try r.string()) else {
                    throw r.error("unknown allocation rule '\(try r.string())'", hint: "use proportional, equal or neyman")
                }
                rule = parsed
            }
            let minimum = try m.optionalInt("min") ?? 1
            if minimum < 0 { throw try m.require("min").error("min must be 0 or more") }
            return (.total(total, rule: rule, minimum: minimum, sdColumn: try m.optionalString("neyman-sd")), takeAll,
                    try m.optionalString("neyman-sd"))
        }
    }
}
