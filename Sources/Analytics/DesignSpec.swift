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

    /// What a pingyi long file gives as finite population corrections.
    public enum Correction: String, Sendable, CaseIterable {
        /// Each stage's inclusion probabilities `stage{k}_prob` (R's `svydesign(fpc = ~p1 + p2,
        /// pps = "brewer")`): 1 − π for each unit, which is 1 − n/N at an equal-probability
        /// stage and Brewer's approximation at a PPS stage (estimation.md §2.4). The default.
        case probabilities
        /// The stratum counts `stage{k}_N` (R's `fpc = ~N1 + N2`): 1 − n/N at every stage, which
        /// understates a PPS stage's variance. pingyi's rule before probabilities, kept to
        /// reproduce earlier results.
        case counts
        /// None: with replacement at the first stage (ultimate clusters).
        case none
    }

    /// The design a pingyi long file (``Formats/LongFormat``) describes: `stage1_stratum` as
    /// strata, `stage{k}_unit` as clusters and, as finite population corrections, the stages'
    /// inclusion probabilities `stage{k}_prob` (or their counts `stage{k}_N`), for every stage
    /// present.
    public static func pingyiLongFile(_ table: Table, correction: Correction = .probabilities) -> DesignSpec {
        var spec = DesignSpec()
        if table.index(of: DesignColumns.stratum(1)) != nil { spec.strata = DesignColumns.stratum(1) }
        if table.index(of: LongFormat.group) != nil { spec.strataWithin = LongFormat.group }
        var k = 1
        while table.index(of: DesignColumns.unit(k)) != nil {
            spec.ids.append(DesignColumns.unit(k))
            k += 1
        }
        let probabilities = spec.ids.indices.map { DesignColumns.probability($0 + 1) }
        let counts = spec.ids.indices.map { DesignColumns.population($0 + 1) }
        func present(_ names: [String]) -> Bool { !names.isEmpty && names.allSatisfy { table.index(of: $0) != nil } }
        switch correction {
        // A long file made elsewhere without the probabilities: its counts.
        case .probabilities: spec.fpc = present(probabilities) ? probabilities : present(counts) ? counts : []
        case .counts: spec.fpc = present(counts) ? counts : []
        case .none: spec.fpc = []
        }
        return spec
    }
}
