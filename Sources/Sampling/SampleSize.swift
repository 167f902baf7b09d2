public import Stats

/// Respondents needed to estimate a proportion or a mean score to a given margin of error.
///
/// n₀ = z² · V / e², with z the normal quantile at 1 − α/2 and V = p(1 − p) for a proportion or
/// σ² for a mean; the design effect gives n₁ = deff · n₀; the finite population correction gives
/// n₂ = n₁ / (1 + (n₁ − 1)/N), the completed interviews needed (rounded up); dividing by the
/// expected response rate gives the number to draw (rounded up). See docs/algorithms/sampling.md,
/// section 8 (Cochran 1977, §4.4; Lohr 2022, §2.9 and §7.5).
public struct SampleSize: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// A proportion p (0.5 is the worst case).
        case proportion(Double)
        /// A mean with standard deviation σ (in the score's own units).
        case mean(standardDeviation: Double)
    }

    public var target: Target
    /// Half-width of the interval: a proportion (0.05) or score points (5).
    public var margin: Double
    public var confidence: Double
    public var designEffect: Double
    public var responseRate: Double
    /// Population size, or nil for an infinite population.
    public var population: Int?

    public init(target: Target, margin: Double, confidence: Double = 0.95, designEffect: Double = 1,
                responseRate: Double = 1, population: Int? = nil) {
        self.target = target
        self.margin = margin
        self.confidence = confidence
        self.designEffect = designEffect
        self.responseRate = responseRate
        self.population = population
    }

    public struct Result: Sendable, Equatable {
        public var z: Double
        /// n₀, the simple-random-sampling size for an infinite population.
        public var simple: Double
        /// n₁ = deff · n₀.
        public var withDesignEffect: Double
        /// n₂, after the finite population correction.
        public var corrected: Double
        /// n₂ rounded up: completed interviews needed.
        public var completes: Int
        /// Divided by the response rate: units to draw.
        public var draws: Int
    }

    public func compute() throws(StatsError) -> Result {
        guard margin > 0 else { throw StatsError(message: "the margin of error must be positive") }
        guard designEffect > 0 else { throw StatsError(message: "the design effect must be positive") }
        guard responseRate > 0, responseRate <= 1 else { throw StatsError(message: "the response rate must be in (0, 1]") }
        let z = try Distribution.normalQuantile(1 - (1 - confidence) / 2)
        let variance: Double
        switch target {
        case .proportion(let p):
            guard p > 0, p < 1 else { throw StatsError(message: "the proportion must be between 0 and 1") }
            variance = p * (1 - p)
        case .mean(let sd):
            guard sd > 0 else { throw StatsError(message: "the standard deviation must be positive") }
            variance = sd * sd
        }
        let n0 = z * z * variance / (margin * margin)
        let n1 = designEffect * n0
        var n2 = n1
        if let population {
            guard population > 0 else { throw StatsError(message: "the population must be positive") }
            n2 = n1 / (1 + (n1 - 1) / Double(population))
        }
        let completes = (n2 - 1e-9).rounded(.up)
        let draws = (completes / responseRate - 1e-9).rounded(.up)
        return Result(z: z, simple: n0, withDesignEffect: n1, corrected: n2, completes: Int(completes), draws: Int(draws))
    }
}

/// Clusters (villages, communities) to sample for a domain that lies in one stratum — a town's
/// own-town score, rated by the households of the villages drawn in the town — so that its 95 %
/// interval has at most the given half-width.
///
/// With k clusters of m completed interviews each and intraclass correlation ρ, the mean's
/// variance is V · deff / (k·m) with deff = 1 + (m − 1)ρ (Kish 1965, §5.4), and its interval
/// uses Student t with k − 1 degrees of freedom (the domain's PSUs minus its one stratum): the
/// half-width t(1 − α/2, k − 1) · √(V · deff / (k·m)). The result is the smallest k ≥ 2 that
/// meets the margin; with few clusters t is large (4.30 at k = 3), which is why a town rated by
/// three villages cannot be estimated to a narrow margin however many households each gives.
public struct ClusterSampleSize: Sendable, Equatable {
    public var target: SampleSize.Target
    public var margin: Double
    /// Completed interviews per cluster.
    public var perCluster: Int
    /// Intraclass correlation of the answers within a cluster.
    public var icc: Double
    public var confidence: Double
    public var responseRate: Double

    public init(target: SampleSize.Target, margin: Double, perCluster: Int, icc: Double, confidence: Double = 0.95, responseRate: Double = 1) {
        self.target = target
        self.margin = margin
        self.perCluster = perCluster
        self.icc = icc
        self.confidence = confidence
        self.responseRate = responseRate
    }

    public struct Result: Sendable, Equatable {
        /// Clusters to sample, and the degrees of freedom k − 1 of the interval.
        public var clusters: Int
        public var degreesOfFreedom: Int
        public var t: Double
        public var designEffect: Double
        /// The half-width reached with that many clusters.
        public var halfWidth: Double
        /// Completed interviews (k·m), and units to draw (÷ response rate, rounded up).
        public var completes: Int
        public var draws: Int
    }

    /// - Throws: when the margin cannot be reached with up to `limit` clusters.
    public func compute(limit: Int = 10_000) throws(StatsError) -> Result {
        guard margin > 0 else { throw StatsError(message: "the margin of error must be positive") }
        guard perCluster >= 1 else { throw StatsError(message: "the interviews per cluster must be at least 1") }
        guard icc >= 0, icc < 1 else { throw StatsError(message: "the intraclass correlation must be from 0 to less than 1") }
        guard responseRate > 0, responseRate <= 1 else { throw StatsError(message: "the response rate must be in (0, 1]") }
        let variance: Double
        switch target {
        case .proportion(let p):
            guard p > 0, p < 1 else { throw StatsError(message: "the proportion must be between 0 and 1") }
            variance = p * (1 - p)
        case .mean(let sd):
            guard sd > 0 else { throw StatsError(message: "the standard deviation must be positive") }
            variance = sd * sd
        }
        let deff = 1 + Double(perCluster - 1) * icc
        for k in 2...max(limit, 2) {
            let t = try Distribution.studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom: Double(k - 1))
            let halfWidth = t * (variance * deff / Double(k * perCluster)).squareRoot()
            if halfWidth <= margin {
                let completes = k * perCluster
                return Result(clusters: k, degreesOfFreedom: k - 1, t: t, designEffect: deff, halfWidth: halfWidth, completes: completes,
                              draws: Int((Double(completes) / responseRate - 1e-9).rounded(.up)))
            }
        }
        throw StatsError(message: "the margin cannot be reached with \(limit) clusters of \(perCluster)")
    }
}
