public import Formats
public import Tables

/// What to do with a stratum that has a single PSU (R's `options(survey.lonely.psu)`).
public enum LonelyRule: String, Sendable, CaseIterable {
    /// Stop with an error naming the stratum (R's default).
    case fail
    /// Contribute nothing to the variance.
    case remove
    /// Treat the lonely PSU as sampled with certainty: nothing (same as remove for Taylor).
    case certainty
    /// Centre the lonely PSU at the population mean instead of the stratum mean (conservative).
    case adjust
    /// Replace the stratum's contribution by the average of the other strata.
    case average
}

/// Which columns of a long file describe the design, as R's
/// `svydesign(ids = ~a + b, strata = ~s, fpc = ~Na + Nb, weights = ~w)`.
public struct DesignSpec: Sendable, Equatable {
    /// The respondent (case) column: a respondent's rows share weight, strata and clusters.
    public var caseColumn: String
    public var unit: String
    public var tier: String
    public var weight: String
    /// Stage-1 strata; nil for an unstratified design.
    public var strata: String?
    /// Strata are taken within this column's values (a long file of several independent surveys,
    /// one per respondent group, whose stratum names may repeat).
    public var strataWithin: String?
    /// Cluster columns stage by stage; empty: each respondent is its own PSU.
    public var ids: [String]
    /// Population counts (or sampling fractions ≤ 1) stage by stage; empty: with replacement.
    public var fpc: [String]
    /// A further domain column crossed with the unit (e.g. `group`).
    public var by: String?
    public var lonely: LonelyRule

    public init(caseColumn: String = LongFormat.caseID, unit: String = LongFormat.unit, tier: String = LongFormat.tier,
                weight: String = LongFormat.weight,
                strata: String? = nil, ids: [String] = [], fpc: [String] = [], by: String? = nil, lonely: LonelyRule = .fail) {
        self.caseColumn = caseColumn
        self.unit = unit
        self.tier = tier
        self.weight = weight
        self.strata = strata
        self.ids = ids
        self.fpc = fpc
        self.by = by
        self.lonely = lonely
    }

    /// The design a pingyi long file (``Formats/LongFormat``) describes: `stage1_stratum` as
    /// strata, `stage{k}_unit` as clusters and `stage{k}_N` as population counts, for every stage
    /// present.
    public static func pingyiLongFile(_ table: Table) -> DesignSpec {
        var spec = DesignSpec()
        if table.index(of: DesignColumns.stratum(1)) != nil { spec.strata = DesignColumns.stratum(1) }
        if table.index(of: LongFormat.group) != nil { spec.strataWithin = LongFormat.group }
        var k = 1
        while table.index(of: DesignColumns.unit(k)) != nil {
            spec.ids.append(DesignColumns.unit(k))
            k += 1
        }
        let fpc = spec.ids.indices.map { DesignColumns.population($0 + 1) }
        if !fpc.isEmpty && fpc.allSatisfy({ table.index(of: $0) != nil }) { spec.fpc = fpc }
        return spec
    }
}
