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
