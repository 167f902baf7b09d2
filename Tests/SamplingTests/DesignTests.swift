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
