internal import CGSL

/// A seeded stream of pseudo-random numbers from GSL's MT19937 generator.
///
/// The same seed gives the same stream on every machine: MT19937 is fully specified
/// (Matsumoto & Nishimura 1998) and GSL implements it bit for bit. GSL seeds MT19937 with the
/// low 32 bits of the seed and maps seed 0 to its default seed 4357, so seeds are limited to
/// `0...UInt32.max` here and 0 is rejected by callers that want distinct streams per seed.
///
/// The generator state is owned by this object and freed in `deinit`.
public final class RandomSource {
    /// The algorithm's name as GSL reports it ("mt19937"); recorded in draw manifests.
    public let algorithm: String
    /// The seed this stream started from.
    public let seed: UInt32
    private let rng: UnsafeMutablePointer<gsl_rng>

    /// Creates a generator seeded with `seed`.
    /// - Throws: ``StatsError`` when GSL cannot allocate the generator.
    public init(seed: UInt32) throws(StatsError) {
        GSL.prepare()
        guard let rng = gsl_rng_alloc(cgsl_rng_mt19937()) else {
            throw StatsError(message: "could not allocate the MT19937 random number generator")
        }
        gsl_rng_set(rng, UInt(seed))
        self.rng = rng
        self.seed = seed
        self.algorithm = String(cString: gsl_rng_name(rng))
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// The next raw 32-bit output of the generator (`gsl_rng_get`).
    public func next() -> UInt32 {
        UInt32(truncatingIfNeeded: gsl_rng_get(rng))
    }

    /// A uniform draw from [0, 1) (`gsl_rng_uniform`: the raw output divided by 2³²).
    public func uniform() -> Double {
        gsl_rng_uniform(rng)
    }

    /// A uniform draw from (0, 1), never exactly 0 (`gsl_rng_uniform_pos`).
    public func uniformPositive() -> Double {
        gsl_rng_uniform_pos(rng)
    }

    /// A uniform integer from `0..<bound`, without modulo bias (`gsl_rng_uniform_int`).
    /// - Precondition: `1 <= bound <= 2³²`.
    public func integer(below bound: Int) -> Int {
        precondition(bound >= 1 && bound <= 1 << 32, "bound out of range")
        return Int(gsl_rng_uniform_int(rng, UInt(bound)))
    }

    /// A standard normal draw (`gsl_ran_ugaussian`, Box–Muller polar form).
    public func normal() -> Double {
        gsl_ran_ugaussian(rng)
    }

    /// A Poisson draw with mean `mean` (`gsl_ran_poisson`), used by bootstrap replicates.
    public func poisson(mean: Double) -> Int {
        Int(gsl_ran_poisson(rng, mean))
    }

    /// A binomial draw (`gsl_ran_binomial`).
    public func binomial(probability: Double, trials: Int) -> Int {
        Int(gsl_ran_binomial(rng, probability, UInt32(clamping: trials)))
    }

    /// Shuffles `values` in place (Fisher–Yates driven by ``integer(below:)``).
    public func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            if i != j { values.swapAt(i, j) }
        }
    }
}
