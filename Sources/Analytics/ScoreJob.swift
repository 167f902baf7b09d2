import Formats
public import Questionnaire
public import Tables

/// One scoring, from a long answer table to the score file and the distribution file: what
/// `pingyi score` runs and what the workbench's analysis form runs, so the two cannot disagree.
/// Nothing is written here; callers write the bytes atomically.
public enum ScoreJob {
    public struct Request: Sendable {
        public var scale: Scale
        /// A further column to score by (e.g. `group`).
        public var by: String?
        /// Only rows where each column holds its value (`--where group=urban`).
        public var conditions: [(column: String, value: String)] = []
        public var caseColumn = LongFormat.caseID
        public var unit = LongFormat.unit
        public var tier = LongFormat.tier
        public var weight = LongFormat.weight
        /// Stage-1 strata column; nil: the long file's stage1_stratum; `none`: no strata.
        public var strata: String?
        /// Cluster columns stage by stage, comma-separated; nil: the long file's; `none`: none.
        public var ids: String?
        /// `probabilities`, `counts`, `none`, or columns stage by stage; nil: probabilities.
        public var fpc: String?
        public var degreesOfFreedom = DegreesOfFreedom.domain
        public var dontKnow = TierScoring.DontKnowRule.exclude
        public var lonely = LonelyRule.fail
        public var variance = VarianceMethod.taylor
        /// Bootstrap replicates for ranks (nil: no ranks).
        public var rankReplicates: Int?
        /// Write every unit's score under this many bootstrap replicates (nil: none).
        public var replicateScores: Int?
        public var seed: UInt32 = 20_170_401
        public var mse = false
        public var rateInterval = RateInterval.wald
        public var calibration: Calibration?
        /// Also compute each unit's weighted answer distribution.
        public var distribution = false
        /// The table's name in messages (`--where` finding no row).
        public var source: String
        public var progress: (@Sendable (Int, Int) -> Void)?

        public init(scale: Scale, source: String) {
            self.scale = scale
            self.source = source
        }
    }

    public struct Outcome: Sendable {
        public var results: [UnitScore]
        public var design: SurveyDesign
        /// The score file (``ScoresFormat``).
        public var scores: [UInt8]
        /// The distribution file, when asked for.
        public var distribution: [UInt8]?
        /// The replicate score file (``ReplicatesFormat``), when asked for.
        public var replicates: [UInt8]?
    }

    public static func run(_ table: Table, _ request: Request) throws(AnalyticsError) -> Outcome {
        var table = table
        do { try LongFormat.format.check(table) } catch { throw .input(error) }
        for (column, value) in request.conditions {
            let values: Column
            do { values = try table.column(column, purpose: "--where") } catch { throw .input(error) }
            let rows = (0..<table.rowCount).filter { values.string($0) == value }
            guard !rows.isEmpty else {
                throw .usage(message: "--where \(column)=\(value): no row of \(request.source) has \(column) = \(value)")
            }
            table = table.rows(rows)
        }
        let correction = request.fpc.flatMap(DesignSpec.Correction.init(rawValue:)) ?? .probabilities
        var spec = DesignSpec.pingyiLongFile(table, correction: correction)
        spec.caseColumn = request.caseColumn
        spec.unit = request.unit
        spec.tier = request.tier
        spec.weight = request.weight
        if let strata = request.strata { spec.strata = strata == "none" ? nil : strata }
        if let ids = request.ids { spec.ids = ids == "none" ? [] : ids.split(separator: ",").map(String.init) }
        if let fpc = request.fpc, DesignSpec.Correction(rawValue: fpc) == nil { spec.fpc = fpc.split(separator: ",").map(String.init) }
        if request.ids != nil && request.fpc == nil && spec.fpc.count != spec.ids.count { spec.fpc = [] }
        spec.by = request.by
        spec.lonely = request.lonely
        let design = try SurveyDesign(table: table, spec: spec)
        let scoring = TierScoring(scale: request.scale, dontKnowRule: request.dontKnow)
        var options = ScoreOptions(scoring: scoring, variance: request.variance, calibration: request.calibration,
                                   rankReplicates: request.rankReplicates, seed: request.seed, mse: request.mse,
                                   rateInterval: request.rateInterval, degreesOfFreedom: request.degreesOfFreedom)
        options.progress = request.progress
        options.replicateScores = request.replicateScores
        let scorer = Scorer(design: design, options: options)
        let (results, replicates) = try scorer.run()
        var distribution: [UInt8]?
        if request.distribution {
            let scale = request.scale
            let labels = Dictionary(uniqueKeysWithValues: scale.codes.compactMap { c in scale.label(code: c).map { (c, $0) } })
            let rows = try TierDistribution.compute(design, weights: scorer.calibratedWeights(), labels: labels)
            distribution = TierDistribution.csv(rows, by: request.by)
        }
        return Outcome(results: results, design: design, scores: ScoreTable.csv(results, by: request.by), distribution: distribution,
                       replicates: replicates?.csv(by: request.by))
    }

    /// The groups of one score file (scored `--by across`) combined with a weight per group
    /// (`pingyi score combine --across group --weights deputies=30,…`).
    public static func combine(_ file: (scores: [UnitScore], by: String?), name: String, across: String, weights named: [(String, Double)],
                               partial: Bool, rateInterval: RateInterval) throws(AnalyticsError) -> [UnitScore] {
        let parts = try groups(file.scores, by: file.by, groupOf: \.by, name: name, across: across, weights: named) { var s = $0; s.by = nil; return s }
        return try ScoreCombiner.combine(parts.inputs, weights: parts.weights, partial: partial, rateInterval: rateInterval)
    }

    /// The replicates of one file scored `--by across`, combined as ``combine(_:name:across:weights:partial:rateInterval:)``
    /// combines its scores.
    public static func combine(_ file: (replicates: ReplicateScores, by: String?), name: String, across: String, weights named: [(String, Double)],
                               partial: Bool) throws(AnalyticsError) -> ReplicateScores {
        let parts = try groups(file.replicates.units, by: file.by, groupOf: \.by, name: name, across: across, weights: named) { var u = $0; u.by = nil; return u }
        return try ReplicateScores.combine(parts.inputs.map { ($0.name, ReplicateScores(units: $0.scores, count: file.replicates.count)) },
                                           weights: parts.weights, partial: partial)
    }

    /// The rows of each group named in the weights, with the by value dropped; every group of
    /// the file must have a weight, and none twice.
    private static func groups<Row>(_ rows: [Row], by: String?, groupOf: KeyPath<Row, String?>, name: String, across: String,
                                    weights named: [(String, Double)], strip: (Row) -> Row) throws(AnalyticsError)
        -> (inputs: [(name: String, scores: [Row])], weights: [Double])
    {
        guard by == across else {
            throw .usage(message: "\(name) is not scored by \(across); run pingyi score --by \(across)")
        }
        let groups = Set(rows.compactMap { $0[keyPath: groupOf] })
        var seen = Set<String>()
        for (group, _) in named where !seen.insert(group).inserted {
            throw .usage(message: "--weights names \(across) '\(group)' twice; give each value of \(across) one weight")
        }
        if let left = groups.subtracting(seen).sorted().first {
            throw .usage(message: "--weights gives no weight to \(across) '\(left)' of \(name); give NAME=NUMBER for every value (\(groups.sorted().joined(separator: ", "))), 0 to leave one out")
        }
        var inputs: [(name: String, scores: [Row])] = []
        var weights: [Double] = []
        for (group, weight) in named {
            let part = rows.filter { $0[keyPath: groupOf] == group }.map(strip)
            guard !part.isEmpty else {
                throw .data(file: name, line: nil, message: "no \(across) '\(group)' in the file",
                            hint: "the values are \(groups.sorted().joined(separator: ", "))")
            }
            inputs.append(("\(name) (\(across) = \(group))", part))
            weights.append(weight)
        }
        return (inputs, weights)
    }
}
