/// The respondent list `pingyi sample` writes and `pingyi cases load`, `pingyi list print` and
/// `pingyi simulate field` read: the frame's own columns, then the design columns of every stage
/// (``DesignColumns``), then `prob, weight, role, reserve_rank, reserve_group, reserve_prob,
/// case_id`, and `replicate` when several samples were drawn.
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
}
