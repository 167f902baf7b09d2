public import Tables

/// The respondent list `pingyi sample` writes and `pingyi cases load`, `pingyi list print` and
/// `pingyi simulate field` read: the frame's own columns, then the design columns of every stage
/// (``DesignColumns``), then `prob, weight, role, reserve_rank, reserve_group, reserve_prob,
/// case_id`, and `replicate` when several samples were drawn. Of the frame's columns pingyi
/// reads `town_id` (the household's town, for the own-town item, the simulations and the
/// invitations) and `town` (its name, the default page of `pingyi list print`).
///
/// Its bytes are what the draw's manifest records (SHA-256) and what `pingyi sample verify`
/// compares, so the format is not written into the list: the manifest records it
/// (``manifestTag``). Versions: 1 had no `reserve_prob` (lists of the first store); 2 is today's.
public enum RespondentListFormat {
    public static let format = FileFormat(name: "respondent-list", version: 2, what: "a respondent list (pingyi sample)",
                                          remedy: "draw the list again with this pingyi (pingyi sample: the same design, frame and seed draw the same cases)")
    /// The value of the manifest's `list.format`.
    public static var manifestTag: String { format.tag }

    public static let prob = DesignColumns.prob
    public static let weight = DesignColumns.weight
    public static let role = "role"
    public static let reserveRank = "reserve_rank"
    public static let reserveGroup = "reserve_group"
    public static let reserveProbability = "reserve_prob"
    public static let caseID = "case_id"
    public static let replicate = "replicate"
    /// The frame's town code: the own-town item's unit (urban and rural households).
    public static let townID = "town_id"
    /// The frame's town name.
    public static let town = "town"

    /// The columns after the stage columns, in order.
    public static let tail = [prob, weight, role, reserveRank, reserveGroup, reserveProbability, caseID]

    /// The columns pingyi adds after the frame's.
    public static func addedColumns(stages: Int, replicates: Int) -> [String] {
        DesignColumns.stages(stages) + tail + (replicates > 1 ? [replicate] : [])
    }

    /// Whether `name` is a column pingyi adds (so not one of the frame's).
    public static func isAdded(_ name: String) -> Bool {
        DesignColumns.isStageColumn(name) || tail.contains(name) || name == replicate
    }

    /// The columns a list of `stages` stages must have.
    public static func required(stages: Int) -> [String] {
        DesignColumns.stages(stages) + tail
    }

    /// The version a header says the list is: 2 with every column, 1 when only
    /// `reserve_prob` is missing, nil when it is no respondent list.
    public static func version(ofHeader names: [String]) -> Int? {
        let stages = DesignColumns.stageCount(in: names)
        guard stages > 0 else { return nil }
        let present = Set(names)
        let missing = required(stages: stages).filter { !present.contains($0) }
        if missing.isEmpty { return 2 }
        return missing == [reserveProbability] ? 1 : nil
    }

    /// Refuses a list of an older version than this pingyi reads, told by its header (version 1
    /// has no `reserve_prob`). A table that is no respondent list passes: its reader names the
    /// columns it lacks.
    /// - Throws: ``TablesError`` (schema) on line 1, saying which version the list is and what to do.
    public static func check(_ table: Table) throws(TablesError) {
        guard let found = version(ofHeader: table.names), found != format.version else { return }
        throw TablesError(.schema, file: table.source, line: 1,
                          message: "the list is a respondent list of format version \(found) (it has no \(reserveProbability) column); this pingyi reads version \(format.version)",
                          hint: format.remedy)
    }

    /// Refuses a list whose draw manifest records another format (its `list.format`, `recorded`);
    /// manifests written before formats were versioned record none and pass.
    /// - Throws: ``TablesError`` (schema) on the list, naming the manifest and the format it records.
    public static func check(manifestFormat recorded: String?, manifest: String, list: String) throws(TablesError) {
        guard let recorded, recorded != manifestTag else { return }
        throw TablesError(.schema, file: list,
                          message: "its manifest \(manifest) records a respondent list of format \(recorded); this pingyi reads \(manifestTag)",
                          hint: format.remedy)
    }
}

/// The permanent random numbers of a frame (`pingyi sample registry`, read by coordinated draws,
/// ``Sampling/PRNRegistry``): one row per unit of every stage of a design, `column` (the stage's
/// unit column), `unit` (its value), `prn` (a uniform number in (0, 1), drawn once and kept), and
/// `format` (`prn-registry/1`).
public enum RegistryFormat {
    public static let format = FileFormat(name: "prn-registry", version: 1, what: "a registry of permanent random numbers (pingyi sample registry)",
                                          remedy: "make the registry again with this pingyi (pingyi sample registry --update)")
    public static let column = "column"
    public static let unit = "unit"
    public static let prn = "prn"
    public static var header: [String] { [column, unit, prn].withFormat() }
}

/// People found on several respondent lists (`pingyi sample overlap --out`, for people; no
/// command reads it back): `key` (`id_number` or `name_phone`), `name`, then the first list's
/// file, case and role and the second's.
public enum OverlapFormat {
    public static let key = "key"
    public static let name = "name"
    public static let header = [key, name, "list_a", "case_a", "role_a", "list_b", "case_b", "role_b"]
    /// The columns a list may hold its respondent's name in, in the order looked for.
    public static let nameColumns = ["name", "manager", "head", "respondent"]
    public static let phone = "phone"
    public static let idNumber = "id_number"
}
