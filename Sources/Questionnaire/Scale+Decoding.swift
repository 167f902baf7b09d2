public import Definitions

extension Scale {
    /// Reads a scale file (`surveys/scales/*.yaml`).
    /// - Parameter name: how to name the file in messages (defaults to `path`).
    /// - Throws: ``DefinitionError`` located at the offending key.
    public static func load(path: String, name: String? = nil) throws(DefinitionError) -> Scale {
        try Scale(yaml: YAMLValue.load(path: path, name: name))
    }

    /// Decodes a scale from its YAML node (a file's root or a questionnaire's inline `scale:`).
    public init(yaml: YAMLValue) throws(DefinitionError) {
        let map = try yaml.mapping()
        try map.allowOnly(["id", "title", "tiers", "specials"])
        let id = try map.require("id").string()
        let title = try map.optionalString("title") ?? id
        var seen: [Int: String] = [:]

        func code(_ item: YAMLMapping) throws(DefinitionError) -> Int {
            let node = try item.require("code")
            let code = try node.int()
            guard (0...9).contains(code) else {
                throw node.error("code \(code) is not a single keystroke", hint: "use a code from 0 to 9")
            }
            if let other = seen[code] {
                throw node.error("code \(code) is used twice (also for \(other))", hint: "give every tier and special code its own code")
            }
            return code
        }

        var tiers: [Tier] = []
        let tierNodes = try map.require("tiers").sequence()
        for node in tierNodes {
            let item = try node.mapping()
            try item.allowOnly(["code", "label", "score", "satisfied"])
            let c = try code(item)
            let label = try item.require("label").string()
            let scoreNode = try item.require("score")
            let score = try scoreNode.double()
            guard (0...100).contains(score) else {
                throw scoreNode.error("score \(formatScore(score)) is outside 0–100", hint: "scores are on the 100-point basis (百分制)")
            }
            let satisfied = try item.require("satisfied").bool()
            seen[c] = label
            tiers.append(Tier(code: c, label: label, score: score, satisfied: satisfied))
        }
        guard tiers.count >= 2 else {
            throw (map["tiers"] ?? yaml).error("a scale needs at least two tiers", hint: "list the tiers from best to worst")
        }

        var specials: [SpecialCode] = []
        var roles: Set<SpecialRole> = []
        for node in try map["specials"]?.sequence() ?? [] {
            let item = try node.mapping()
            try item.allowOnly(["code", "label", "role"])
            let c = try code(item)
            let label = try item.require("label").string()
            let roleNode = try item.require("role")
            let text = try roleNode.string()
            guard let role = SpecialRole(rawValue: text) else {
                throw roleNode.error("unknown role '\(text)'",
                                     hint: "the roles are \(SpecialRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard roles.insert(role).inserted else {
                throw roleNode.error("role \(text) is given twice", hint: "give each role one code")
            }
            seen[c] = label
            specials.append(SpecialCode(code: c, label: label, role: role))
        }
        self.init(id: id, title: title, tiers: tiers, specials: specials)
    }
}

/// A score as people write it: `80`, `62.5`.
func formatScore(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
