/// The design columns that the respondent list, the long file and the case file share: for each
/// stage k `stage{k}_stratum, stage{k}_unit, stage{k}_prob, stage{k}_N, stage{k}_n` (the stratum,
/// the unit drawn, its inclusion probability at the stage, the stratum's population and sample
/// counts), then `prob` (the product of the stage probabilities) and `weight` (1/prob, or the
/// adjusted weight).
public enum DesignColumns {
    public static func stratum(_ k: Int) -> String { "stage\(k)_stratum" }
    public static func unit(_ k: Int) -> String { "stage\(k)_unit" }
    public static func probability(_ k: Int) -> String { "stage\(k)_prob" }
    public static func population(_ k: Int) -> String { "stage\(k)_N" }
    public static func drawn(_ k: Int) -> String { "stage\(k)_n" }
    public static let prob = "prob"
    public static let weight = "weight"

    /// The five columns of stage k, in order.
    public static func stage(_ k: Int) -> [String] {
        [stratum(k), unit(k), probability(k), population(k), drawn(k)]
    }

    /// The stage columns of stages 1…`count` (none for 0).
    public static func stages(_ count: Int) -> [String] {
        count > 0 ? (1...count).flatMap(stage) : []
    }

    /// The stage columns, then `prob, weight`.
    public static func all(stages count: Int) -> [String] {
        stages(count) + [prob, weight]
    }

    /// How many stages a header has: the k for which `stage{k}_stratum` is present, from 1 on.
    public static func stageCount(in names: [String]) -> Int {
        let present = Set(names)
        var k = 0
        while present.contains(stratum(k + 1)) { k += 1 }
        return k
    }

    /// Whether `name` is a stage column (`stage` digits `_` one of the five suffixes).
    public static func isStageColumn(_ name: String) -> Bool {
        guard name.hasPrefix("stage"), let underscore = name.firstIndex(of: "_") else { return false }
        let digits = name[name.index(name.startIndex, offsetBy: 5)..<underscore]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), Int(digits) != nil else { return false }
        return ["stratum", "unit", "prob", "N", "n"].contains(String(name[name.index(after: underscore)...]))
    }
}
