import Testing
@testable import Sampling

@Suite("Design files")
struct DesignTests {
    @Test func shippedDesignsLoad() throws {
        for group in ["deputies", "enterprises", "urban", "rural"] {
            let file = try Design.load(path: "surveys/designs/\(group).yaml")
            #expect(file.design.group == group)
            #expect(file.design.stages.last?.unit == file.design.id)
        }
        let rural = try Design.load(path: "surveys/designs/rural.yaml").design
        #expect(rural.filter == [FilterCondition(column: "urban", values: ["农村"])])
        #expect(rural.stages[0].method == .ppsSystematic && rural.stages[0].allocation == .perStratum(3) && rural.stages[0].takeAll)
        #expect(rural.stages[1].allocation == .perUnit(15) && rural.stages[1].reserve == 3)
        let enterprises = try Design.load(path: "surveys/designs/enterprises.yaml").design
        #expect(enterprises.stages[0].certainty == CertaintyRule(column: "employees", minimum: 1000))
        #expect(enterprises.stages[0].allocation == .total(240, rule: .proportional, minimum: 12, sdColumn: nil))
    }

    @Test(arguments: [
        ("name: x\nid: a\nstages:\n  - unit: a\n    method: srs\n    allocation: {per-unit: 2}\n",
         "d.yaml:6:17: stages[1].allocation: per-unit allocation needs a previous stage; use per-stratum or total at stage 1"),
        ("name: x\nid: a\nstages:\n  - unit: v\n    method: pps-systematic\n    allocation: {per-stratum: 2}\n    reserve: 2\n  - unit: a\n    method: srs\n    allocation: {per-unit: 2}\n",
         "d.yaml:7:14: stages[1].reserve: reserves are drawn only at srs or systematic stages; put the reserves on the next, equal-probability stage"),
        ("name: x\nid: a\nstages:\n  - unit: v\n    method: srs\n    allocation: {per-stratum: 2}\n",
         "d.yaml:4:5: stages[1]: the last stage must draw 'a', the design's id (it draws 'v'); add a final stage with unit: a"),
        ("name: x\nid: a\nstages:\n  - unit: a\n    method: srs\n    allocaton: {per-stratum: 2}\n",
         "d.yaml:6:16: stages[1]: unknown key 'allocaton'; did you mean 'allocation'?"),
        ("name: x\nid: a\nstages:\n  - unit: a\n    method: srs\n    allocation: {total: 9, rule: neyman}\n",
         "d.yaml:6:17: stages[1].allocation: Neyman allocation needs neyman-sd: COLUMN; name the column whose spread sets the allocation"),
        ("name: x\nid: a\nstages:\n  - unit: a\n    method: srs\n    allocation: {total: 9, per-stratum: 2}\n",
         "d.yaml:6:17: stages[1].allocation: give only one of per-stratum, total"),
    ])
    func badDesignsAreLocated(text: String, message: String) {
        do {
            _ = try Design.parse(text, file: "d.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}

@Suite("Clusters for a domain in one stratum")
struct ClusterSampleSizeTests {
    /// A town's own-town score, σ = 30 points, 15 households per village, ρ = 0.05: deff 1.7.
    /// k = 3: t(2) = 4.303 × √(900 × 1.7 / 45) = 25.1 points; the margin of 5 points needs the k
    /// with t(k−1)·√(1530 / 15k) ≤ 5, computed by hand below.
    @Test func townsNeedMoreVillagesThanThreeForANarrowMargin() throws {
        let r = try ClusterSampleSize(target: .mean(standardDeviation: 30), margin: 5, perCluster: 15, icc: 0.05).compute()
        #expect(abs(r.designEffect - 1.7) < 1e-12)
        // k = 19: t(18) = 2.1009 × √(1530/285) = 4.868 ≤ 5; k = 18: t(17) = 2.1098 × √(1530/270) = 5.022 > 5.
        #expect(r.clusters == 19 && r.degreesOfFreedom == 18)
        #expect(abs(r.halfWidth - 2.10092204024096 * (1530.0 / 285).squareRoot()) < 1e-9)
        #expect(r.completes == 285)
        let three = try ClusterSampleSize(target: .mean(standardDeviation: 30), margin: 26, perCluster: 15, icc: 0.05).compute()
        #expect(three.clusters == 3 && abs(three.t - 4.302652729911275) < 1e-9)
        #expect(throws: (any Error).self) { try ClusterSampleSize(target: .mean(standardDeviation: 30), margin: 0.01, perCluster: 1, icc: 0.5).compute(limit: 50) }
    }
}
