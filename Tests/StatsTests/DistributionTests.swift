import Testing
@testable import Stats

@Suite("Distribution quantiles")
struct DistributionTests {
    /// Reference values from R 4.2 (`qnorm`, `qt`, `qchisq` with `options(digits = 16)`).
    @Test(arguments: [
        (0.975, 1.959963984540054),
        (0.95, 1.644853626951472),
        (0.5, 0.0),
        (0.025, -1.959963984540054),
        (0.999, 3.090232306167813),
    ])
    func normal(p: Double, expected: Double) throws {
        #expect(abs(try Distribution.normalQuantile(p) - expected) < 1e-12)
    }

    @Test(arguments: [
        (0.975, 1.0, 12.706204736174694),
        (0.975, 10.0, 2.228138851986274),
        (0.975, 30.0, 2.042272456301238),
        (0.95, 5.0, 2.015048373333022),
        (0.995, 2.0, 9.924843200918289),
    ])
    func studentT(p: Double, df: Double, expected: Double) throws {
        #expect(abs(try Distribution.studentTQuantile(p, degreesOfFreedom: df) - expected) < 1e-9 * expected)
    }

    @Test func studentTWithInfiniteDegreesIsNormal() throws {
        #expect(try Distribution.studentTQuantile(0.975, degreesOfFreedom: .infinity) == (try Distribution.normalQuantile(0.975)))
    }

    @Test(arguments: [
        (0.95, 1.0, 3.841458820694124),
        (0.95, 5.0, 11.070497693516351),
        (0.05, 10.0, 3.940299136119060),
        (0.999, 6.0, 22.457744484825323),
    ])
    func chiSquare(p: Double, df: Double, expected: Double) throws {
        #expect(abs(try Distribution.chiSquareQuantile(p, degreesOfFreedom: df) - expected) < 1e-9 * expected)
    }

    @Test func cdfInvertsQuantile() throws {
        for p in stride(from: 0.01, through: 0.99, by: 0.07) {
            #expect(abs(Distribution.normalCDF(try Distribution.normalQuantile(p)) - p) < 1e-12)
            let t = try Distribution.studentTQuantile(p, degreesOfFreedom: 7)
            #expect(abs(try Distribution.studentTCDF(t, degreesOfFreedom: 7) - p) < 1e-10)
        }
    }

    @Test func badArgumentsThrowInsteadOfReturningNaN() {
        #expect(throws: StatsError.self) { try Distribution.normalQuantile(1.5) }
        #expect(throws: StatsError.self) { try Distribution.normalQuantile(0) }
        #expect(throws: StatsError.self) { try Distribution.studentTQuantile(0.5, degreesOfFreedom: 0) }
        #expect(throws: StatsError.self) { try Distribution.chiSquareQuantile(0.5, degreesOfFreedom: -2) }
    }
}

@Suite("Linear algebra")
struct LinearAlgebraTests {
    @Test func solvesASystem() throws {
        // 2x + y = 5, x + 3y = 10 → x = 1, y = 3.
        let a = Matrix(rows: 2, columns: 2, elements: [2, 1, 1, 3])
        let x = try LinearAlgebra.solve(a, [5, 10])
        #expect(abs(x[0] - 1) < 1e-12 && abs(x[1] - 3) < 1e-12)
        let y = try LinearAlgebra.solveSymmetricPositiveDefinite(a, [5, 10])
        #expect(abs(y[0] - 1) < 1e-12 && abs(y[1] - 3) < 1e-12)
    }

    @Test func singularMatrixIsAnErrorWithGSLsMessage() {
        let a = Matrix(rows: 2, columns: 2, elements: [1, 2, 2, 4])
        #expect(throws: StatsError.self) { try LinearAlgebra.solve(a, [1, 2]) }
        do {
            _ = try LinearAlgebra.solveSymmetricPositiveDefinite(a, [1, 2])
            Issue.record("expected an error")
        } catch {
            #expect(error.status != nil)
            #expect(error.message.contains("Cholesky"))
        }
    }

    @Test func shapeMismatchIsAnError() {
        #expect(throws: StatsError.self) { try LinearAlgebra.solve(Matrix(rows: 2, columns: 3), [1, 2]) }
        #expect(throws: StatsError.self) { try LinearAlgebra.solve(Matrix(rows: 2, columns: 2, elements: [1, 0, 0, 1]), [1]) }
    }
}
