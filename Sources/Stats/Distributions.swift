internal import CGSL

/// Quantiles and distribution functions of the distributions survey inference needs.
///
/// Arguments are checked before GSL is called: a probability outside (0, 1) or non-positive
/// degrees of freedom throws ``StatsError`` instead of returning NaN.
public enum Distribution {
    /// The standard normal quantile Φ⁻¹(p) (`gsl_cdf_ugaussian_Pinv`).
    public static func normalQuantile(_ p: Double) throws(StatsError) -> Double {
        try checkProbability(p)
        GSL.prepare()
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// The standard normal distribution function Φ(x).
    public static func normalCDF(_ x: Double) -> Double {
        gsl_cdf_ugaussian_P(x)
    }

    /// The Student t quantile with `df` degrees of freedom (`gsl_cdf_tdist_Pinv`).
    /// Infinite `df` gives the normal quantile.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) throws(StatsError) -> Double {
        try checkProbability(p)
        if df == .infinity { return gsl_cdf_ugaussian_Pinv(p) }
        try checkDegreesOfFreedom(df)
        GSL.prepare()
        return gsl_cdf_tdist_Pinv(p, df)
    }

    /// The Student t distribution function with `df` degrees of freedom.
    public static func studentTCDF(_ x: Double, degreesOfFreedom df: Double) throws(StatsError) -> Double {
        if df == .infinity { return gsl_cdf_ugaussian_P(x) }
        try checkDegreesOfFreedom(df)
        return gsl_cdf_tdist_P(x, df)
    }

    /// The chi-square quantile with `df` degrees of freedom (`gsl_cdf_chisq_Pinv`).
    public static func chiSquareQuantile(_ p: Double, degreesOfFreedom df: Double) throws(StatsError) -> Double {
        try checkProbability(p)
        try checkDegreesOfFreedom(df)
        GSL.prepare()
        return gsl_cdf_chisq_Pinv(p, df)
    }

    /// The chi-square distribution function with `df` degrees of freedom.
    public static func chiSquareCDF(_ x: Double, degreesOfFreedom df: Double) throws(StatsError) -> Double {
        try checkDegreesOfFreedom(df)
        return gsl_cdf_chisq_P(x, df)
    }

    private static func checkProbability(_ p: Double) throws(StatsError) {
        guard p > 0, p < 1 else {
            throw StatsError(message: "probability \(p) is outside (0, 1)")
        }
    }

    private static func checkDegreesOfFreedom(_ df: Double) throws(StatsError) {
        guard df > 0, df.isFinite else {
            throw StatsError(message: "degrees of freedom \(df) must be positive")
        }
    }
}
