import Composite
import Foundation
import Testing

/// Grades from replicates of the public scores against the independent-normal simulation, on two
/// units whose public scores are computed by hand.
@Suite("Grades from replicates")
struct ReplicateGradeTests {
    /// One class of two departments graded only by the public score: one 先进 (50 % of 2).
    static let scheme = """
        scheme: replicate-test
        label: 重复样本测试
        classes:
          - id: department
            label: 部门
            components:
              - {id: public, label: 公众评议, weight: 100%, source: public}
            grading:
              grades:
                - {grade: 先进, share: 50%}
                - {grade: 合格}

        """
    static let components = "unit,class,component,period,value\nA,department,,,\nB,department,,,\n"
    /// A scores 80, B 85, each with a standard error of 5.
    static let scores = """
        unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff
        A,50,0,80,5,,,0.9,0.03,,,1
        B,50,0,85,5,,,0.9,0.03,,,1

        """
    /// 200 replicate deviations with mean 0 and standard deviation 5: 5 × the standard normal
    /// quantiles at (k − ½)/200.
    static let deviations: [Double] = (1...200).map { k in
        5 * Self.normalQuantile((Double(k) - 0.5) / 200)
    }

    static func normalQuantile(_ p: Double) -> Double {
        // Bisection on erf: plenty for a test's inputs.
        var low = -10.0, high = 10.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if 0.5 * (1 + erf(mid / 2.squareRoot())) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    static func replicates(a: [Double], b: [Double]) -> String {
        var text = "unit,replicate,score,format\nA,0,80,replicates/1\n"
        for (r, v) in a.enumerated() { text += "A,\(r + 1),\(v),replicates/1\n" }
        text += "B,0,85,replicates/1\n"
        for (r, v) in b.enumerated() { text += "B,\(r + 1),\(v),replicates/1\n" }
        return text
    }

    func evaluate(replicates: String?) throws -> CompositeResult {
        let scheme = try Scheme.parse(Self.scheme, file: "s.yaml")
        let inputs = try CompositeInputs(scheme: scheme, components: try Support.table(Self.components, "C.csv"),
                                         publicScores: [PublicScores(table: try Support.table(Self.scores, "P.csv"))],
                                         publicReplicates: try replicates.map { [PublicScores(table: try Support.table($0, "R.csv"))] } ?? [])
        return try scheme.evaluate(inputs, simulation: Simulation(draws: 4000, seed: 11))
    }

    /// Rated by the same respondents, A and B move together: in every replicate B is 5 points
    /// ahead, so neither grade ever changes (p_grade 0), although each score alone varies with
    /// SE 5. Treated as independent, A overtakes B when A′ − B′ > 0, A′ − B′ ~ Normal(−5, 50):
    /// P = Φ(−5/√50) = Φ(−0.7071) = 0.2398, and both grades change then.
    @Test func unitsSharingTheirRespondentsKeepTheirGrades() throws {
        let independent = try evaluate(replicates: nil)
        let a0 = try #require(independent["A"]), b0 = try #require(independent["B"])
        #expect(a0.grade == "合格" && b0.grade == "先进")
        let byHand = 0.5 * (1 + erf(-0.70710678118654757 / 2.squareRoot()))
        #expect(abs(byHand - 0.2398) < 1e-4)
        #expect(abs((a0.pGrade ?? -1) - byHand) < 0.03 && abs((b0.pGrade ?? -1) - byHand) < 0.03, "\(a0.pGrade ?? -1) \(b0.pGrade ?? -1)")

        let shared = try evaluate(replicates: Self.replicates(a: Self.deviations.map { 80 + $0 }, b: Self.deviations.map { 85 + $0 }))
        let a = try #require(shared["A"]), b = try #require(shared["B"])
        #expect(a.grade == "合格" && b.grade == "先进")
        #expect(a.pGrade == 0 && b.pGrade == 0)
        #expect(a.rankLow == 2 && a.rankHigh == 2 && b.rankLow == 1 && b.rankHigh == 1)
        #expect(a.tieGroup == nil && b.tieGroup == nil)
        // The score's SE is the replicates' own: the sample SD of 5 × the normal quantiles.
        let mean = Self.deviations.reduce(0, +) / 200
        let sd = (Self.deviations.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 199).squareRoot()
        #expect(close(a.scoreSE, sd, 1e-12) && close(b.scoreSE, sd, 1e-12) && abs(sd - 5) < 0.1)
        #expect(String(decoding: shared.csv(), as: UTF8.self).hasPrefix("unit,class,score,rank,grade,public,bonus,penalty,score_se,p_grade,rank_low,rank_high,tie_group,notes,format\n"))
    }

    /// Replicates of independent surveys (B's deviations in reverse order): p_grade is exactly
    /// the share of replicates in which A comes out ahead, counted here; the two are tied.
    @Test func independentReplicatesCountTheSwaps() throws {
        let aValues = Self.deviations.map { 80 + $0 }, bValues = Self.deviations.reversed().map { 85 + $0 }
        let swaps = zip(aValues, bValues).filter { $0 > $1 }.count
        #expect(swaps > 20 && swaps < 80)
        let result = try evaluate(replicates: Self.replicates(a: aValues, b: bValues))
        let a = try #require(result["A"]), b = try #require(result["B"])
        #expect(a.pGrade == Double(swaps) / 200 && b.pGrade == Double(swaps) / 200)
        #expect(a.rankLow == 1 && a.rankHigh == 2 && b.rankLow == 1 && b.rankHigh == 2)
        #expect(a.tieGroup == 1 && b.tieGroup == 1)
    }

    /// Replicates that are not those of the public scores, or incomplete, are refused.
    @Test func mismatchedReplicatesAreRefused() throws {
        let wrong = Self.replicates(a: Self.deviations.map { 80 + $0 }, b: Self.deviations.map { 85 + $0 })
            .replacingOccurrences(of: "A,0,80,", with: "A,0,81,")
        let message = Support.failure { _ = try evaluate(replicates: wrong) } ?? ""
        #expect(message.contains("R.csv:2") && message.contains("unit A's replicate 0 is 81 but its public score is 80"), "\(message)")
        let short = Self.replicates(a: Self.deviations.map { 80 + $0 }, b: Array(Self.deviations.prefix(10)).map { 85 + $0 })
        let count = Support.failure { _ = try evaluate(replicates: short) } ?? ""
        #expect(count.contains("unit B has 10 replicates, the units before it 200"), "\(count)")
        let missing = "unit,replicate,score,format\nA,0,80,replicates/1\nA,1,79,replicates/1\n"
        let none = Support.failure { _ = try evaluate(replicates: missing) } ?? ""
        #expect(none.contains("unit B has a public score but no replicates"), "\(none)")
    }
}
