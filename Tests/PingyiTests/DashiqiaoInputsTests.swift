import Foundation
import Testing

/// The shipped 大石桥 example inputs (datasets/dashiqiao) run end to end with a public-scores file in
/// the shape `pingyi score` writes.
@Suite("shipped dashiqiao inputs")
struct DashiqiaoInputsTests {
    /// Fake `pingyi score` output for the 56 units of datasets/units.csv: unit k of its class scores
    /// 70 + (k × 7 mod 25), SE 3, and D44 scores exactly 80.
    static func scores() -> String {
        var text = "unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff\n"
        let units = (1...44).map { "D\($0 < 10 ? "0" : "")\($0)" } + (1...12).map { "T\($0 < 10 ? "0" : "")\($0)" }
        for (k, unit) in units.enumerated() {
            let score = unit == "D44" ? 80 : 70 + (k * 7) % 25
            text += "\(unit),60,0.05,\(score),3,\(score - 6),\(score + 6),0.8,0.05,0.7,0.9,1.3\n"
        }
        return text
    }

    @Test func runsEndToEnd() throws {
        let dir = try Command.temporaryDirectory()
        try Self.scores().write(to: dir.appendingPathComponent("scores.csv"), atomically: true, encoding: .utf8)
        let data = Command.root.appendingPathComponent("datasets/dashiqiao").path
        let out = dir.appendingPathComponent("result.csv").path
        let result = try Command.run([
            "composite", "--scheme", "surveys/schemes/dashiqiao.yaml", "--components", "\(data)/components.csv",
            "--indicators", "\(data)/indicators.csv", "--events", "\(data)/events.csv",
            "--public", dir.appendingPathComponent("scores.csv").path, "--out", out, "--units", "datasets/units.csv", "--top", "2",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("市直部门、园区（department）      44  只排名"))
        // Two first and two last of each class, named from datasets/units.csv.
        let printed = result.stdout.split(separator: "\n")
        #expect(printed.contains("市直部门、园区：前 2 名与后 2 名") && printed.contains("镇区：前 2 名与后 2 名"))
        #expect(printed.filter { $0.contains("（D") && $0.contains("—") }.count == 4)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0] == ["unit", "class", "score", "rank", "grade", "indicator", "party", "satisfaction", "inspection",
                             "bonus", "penalty", "score_se", "p_grade", "notes", "format"])
        let rows = lines.dropFirst()
        #expect(rows.filter { $0[1] == "department" }.count == 44 && rows.filter { $0[1] == "town" }.count == 12)
        #expect(rows.filter { $0[1] == "department" }.map { Int($0[3]) ?? 0 }.max() == 44)
        // Every score is its parts' sum, up to the rounding of six numbers to 2 decimals.
        for row in rows {
            let n = row[2...10].map { Double($0) ?? 0 }
            #expect(abs(n[0] - (n[3] + n[4] + n[5] - n[6] + n[7] - n[8])) < 0.031, "\(row[0])")
            // Public weight 10 % × 30 % = 3 %: SE 3 × 0.03 = 0.09.
            #expect(row[11] == "0.0900")
        }
        // D44 (市信息中心, 6 tasks, 60 points): lower-is-better 5.5 × 112/123.1 = 5.0041; met 8;
        // 14.5 × 227.1/322 = 10.2266; met 11; 8.5 × 291.8/423 = 5.8636; met 12.5: 52.5942 of 60 =
        // 87.6570 %. 指标 0.9 × 87.6570 + 0.1 × 93.7 = 88.2613 → × 0.8 = 70.61; 党建 93.7 → 9.37;
        // 满意度 0.7 × 93.6 + 0.3 × 80 = 89.52 → 8.95; 88.93.
        let d44 = try #require(rows.first { $0[0] == "D44" })
        #expect(Array(d44[2...10]) == ["88.93", d44[3], "", "70.61", "9.37", "8.95", "0.00", "0.00", "0.00"])
        // The §六5 veto is noted on D15.
        let d15 = try #require(rows.first { $0[0] == "D15" })
        #expect(d15[13].contains("领导班子不得评定为好和较好等次") && d15.last == "composite/1")
    }
}
