import Testing
@testable import Stats

@Suite("MT19937 random source")
struct RandomSourceTests {
    /// Reference values of MT19937 itself, independent of GSL: Matsumoto & Nishimura's
    /// mt19937ar.c seeded with init_genrand(5489) starts 3499211612, 581869302, 3890346734, and the
    /// C++ standard ([rand.predef]) requires the 10000th output of std::mt19937 (seed 5489) to be
    /// 4123659995. GSL seeds with the same recurrence, so these pin the stream on every machine.
    @Test func referenceStreamForSeed5489() throws {
        let rng = try RandomSource(seed: 5489)
        #expect(rng.algorithm == "mt19937")
        #expect(rng.next() == 3_499_211_612)
        #expect(rng.next() == 581_869_302)
        #expect(rng.next() == 3_890_346_734)
        for _ in 4..<10_000 { _ = rng.next() }
        #expect(rng.next() == 4_123_659_995)
    }

    @Test(arguments: [1, 42, 20_261_122, 4_294_967_295] as [UInt32])
    func sameSeedSameStream(seed: UInt32) throws {
        let a = try RandomSource(seed: seed)
        let b = try RandomSource(seed: seed)
        for _ in 0..<1000 { #expect(a.uniform() == b.uniform()) }
    }

    @Test func differentSeedsDiffer() throws {
        let a = try RandomSource(seed: 1)
        let b = try RandomSource(seed: 2)
        let same = (0..<100).filter { _ in a.next() == b.next() }.count
        #expect(same == 0)
    }

    @Test func uniformIsRawOutputOverTwoToThe32() throws {
        let a = try RandomSource(seed: 5489)
        let u = a.uniform()
        #expect(u == 3_499_211_612.0 / 4_294_967_296.0)
    }

    @Test func uniformDrawsHaveTheRightMoments() throws {
        let rng = try RandomSource(seed: 7)
        let n = 200_000
        var sum = 0.0
        var sumSquares = 0.0
        for _ in 0..<n {
            let u = rng.uniform()
            #expect(u >= 0 && u < 1)
            sum += u
            sumSquares += u * u
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        // Standard error of the mean is sqrt(1/12/n) ≈ 0.00065; allow 5 of them.
        #expect(abs(mean - 0.5) < 0.0033)
        #expect(abs(variance - 1.0 / 12.0) < 0.001)
    }

    @Test func integersBelowBoundAreUniform() throws {
        let rng = try RandomSource(seed: 11)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.integer(below: 7)] += 1 }
        // Chi-square with 6 df: the 99.9 % point is 22.46.
        let chi = counts.reduce(0.0) { $0 + pow2(Double($1) - 10_000) / 10_000 }
        #expect(chi < 22.46)
    }

    @Test func shuffleIsAPermutation() throws {
        let rng = try RandomSource(seed: 3)
        var values = Array(0..<50)
        rng.shuffle(&values)
        #expect(values.sorted() == Array(0..<50))
        #expect(values != Array(0..<50))
    }
}

private func pow2(_ x: Double) -> Double { x * x }
