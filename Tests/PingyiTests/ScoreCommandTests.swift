import Foundation
import Testing

@Suite("pingyi score, weights, rates")
struct ScoreCommandTests {
    let fixture = Command.root.appendingPathComponent("Tests/AnalyticsTests/Fixtures/two-stage-fpc").path

    @Test func scoresMatchRThroughTheCommandLine() throws {
        let dir = try Command.temporaryDirectory()
        let out = dir.appendingPathComponent("scores.csv").path
        let result = try Command.run(["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", out,
                                      "--distribution", dir.appendingPathComponent("dist.csv").path, "--df", "design"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("满意度测评：8 个单位，87 名受访者，自由度 12"))
        let ours = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let r = try String(contentsOfFile: "\(fixture)/expected.csv", encoding: .utf8).split(separator: "\n")
        #expect(ours[0] == "unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff,df,psus,low_df,low_rate,format")
        for (a, b) in zip(ours.dropFirst(), r.dropFirst()) {
            let x = a.split(separator: ",", omittingEmptySubsequences: false)
            let y = b.split(separator: ",", omittingEmptySubsequences: false)
            #expect(x[0] == y[0] && x[1] == y[1])
            for i in 2...11 {
                let p = Double(x[i]) ?? .nan, q = Double(y[i]) ?? .nan
                #expect(abs(p - q) <= 1e-9 * max(abs(p), abs(q)), "\(x[0]) column \(i)")
            }
        }
        let dist = try String(contentsOfFile: dir.appendingPathComponent("dist.csv").path, encoding: .utf8)
        #expect(dist.hasPrefix("unit,tier,label,n,share,format\nD01,1,满意,"))
    }

    /// --rate-interval logit gives R's svyciprop(method = "xlogit") bounds, through the command line
    /// and through combine (four copies of a quarter: half the SE, the logit interval on it).
    @Test func logitRateInterval() throws {
        let dir = try Command.temporaryDirectory()
        let out = dir.appendingPathComponent("scores.csv").path
        let result = try Command.run(["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", out,
                                      "--rate-interval", "logit", "--df", "design"])
        #expect(result.status == 0, "\(result.stderr)")
        let ours = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let r = try String(contentsOfFile: "\(fixture)/extra.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(ours.count == 8 && r.count == 8)
        for (x, y) in zip(ours, r) {
            #expect(x[0] == y[0])
            if x[0] == "D08" {  // every answer satisfied: the point itself (R: NaN)
                #expect(x[7] == "1" && x[9] == "1" && x[10] == "1" && y[3] == "NaN")
                continue
            }
            for (i, j) in [(9, 3), (10, 4)] {
                let p = Double(x[i]) ?? .nan, q = Double(y[j]) ?? .nan
                #expect((p.isNaN && q.isNaN) || abs(p - q) <= 1e-9 * max(abs(p), abs(q)), "\(x[0]) column \(i): \(x[i]) vs R \(y[j])")
            }
        }
        // D06's Wald interval passes 100 % (1.08); the logit one stays below.
        #expect(ours[5][0] == "D06" && (Double(ours[5][10]) ?? 2) < 1)
        let year = dir.appendingPathComponent("year.csv").path
        #expect(try Command.run(["score", "combine", out, out, out, out, "--weights", "1,1,1,1", "--rate-interval", "logit", "--out", year]).status == 0)
        let d01 = try String(contentsOfFile: year, encoding: .utf8).split(separator: "\n")[1].split(separator: ",").map { Double($0) ?? .nan }
        let (p, se, df) = (d01[7], d01[8], d01[12])
        #expect(df == 48)  // Satterthwaite: 4 × 12
        let t = 2.0106347576242318  // R: qt(0.975, 48)
        let centre = log(p / (1 - p)), spread = t * se / (p * (1 - p))
        #expect(abs(d01[9] - 1 / (1 + exp(-(centre - spread)))) < 1e-12 && abs(d01[10] - 1 / (1 + exp(-(centre + spread)))) < 1e-12)
        let bad = try Command.run(["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", out,
                                   "--rate-interval", "wilson"])
        #expect(bad.status == 64 && bad.stderr.contains("Error: The value 'wilson' is invalid for '--rate-interval <rate-interval>'. Please provide one of 'wald' and 'logit'."))
    }

    /// GREG calibration to margin files with bounds and trimming, through the command line: the
    /// scores equal R's calibrate() (calibrate-linear fixture) and trimWeights() (trim), pingyi
    /// weights writes R's calibrated weights, and wrong options or margins are refused.
    @Test func calibrationToMarginFiles() throws {
        let dir = try Command.temporaryDirectory()
        let fixtures = Command.root.appendingPathComponent("Tests/AnalyticsTests/Fixtures").path
        func compare(_ out: String, _ expected: String) throws {
            let ours = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            let r = try String(contentsOfFile: expected, encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(ours.count == r.count && ours.count == 8)
            for (a, b) in zip(ours, r) {
                let x = a.split(separator: ",", omittingEmptySubsequences: false), y = b.split(separator: ",", omittingEmptySubsequences: false)
                #expect(x[0] == y[0])
                for i in 2...11 {
                    let p = Double(x[i]) ?? .nan, q = Double(y[i]) ?? .nan
                    #expect(abs(p - q) <= 1e-9 * max(abs(p), abs(q)), "\(expected) \(x[0]) column \(i): \(p) vs R \(q)")
                }
            }
        }
        let design = ["--ids", "stage1_unit,stage2_unit", "--fpc", "stage1_N,stage2_N", "--strata", "stage1_stratum", "--df", "design"]
        for (folder, options) in [("calibrate-linear", ["--calibrate", "linear", "--bounds", "0.5,1.85"]),
                                  ("trim", ["--rake", "town,urban", "--trim", "60,300"])] {
            let margins = ["--margin", "town=\(fixtures)/\(folder)/margin_town.csv", "--margin", "urban=\(fixtures)/\(folder)/margin_urban.csv"]
            let out = dir.appendingPathComponent("\(folder).csv").path
            let result = try Command.run(["score", "--responses", "\(fixtures)/\(folder)/long.csv", "--scale", "surveys/scales/four-tier.yaml",
                                          "--out", out] + design + options + margins)
            #expect(result.status == 0, "\(result.stderr)")
            try compare(out, "\(fixtures)/\(folder)/expected.csv")
            let weighted = dir.appendingPathComponent("\(folder)-weighted.csv").path
            let weights = try Command.run(["weights", "--responses", "\(fixtures)/\(folder)/long.csv", "--out", weighted] + options + margins)
            #expect(weights.status == 0, "\(weights.stderr)")
            let table = try String(contentsOfFile: weighted, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = table[0].map(String.init)
            let id = try #require(header.firstIndex(of: "case_id")), w = try #require(header.firstIndex(of: "weight"))
            var ours: [String: Double] = [:]
            for row in table.dropFirst() { ours[String(row[id])] = Double(row[w]) }
            let expected = try String(contentsOfFile: "\(fixtures)/\(folder)/weights.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            #expect(expected.count == 89)
            for line in expected {
                let parts = line.split(separator: ",")
                let p = ours[String(parts[0])] ?? .nan, q = Double(parts[1]) ?? .nan
                #expect(abs(p - q) <= 1e-9 * q, "\(folder) \(parts[0])")
            }
        }
        // Refusals: usage (64) and data (65), nothing written.
        let out = dir.appendingPathComponent("refused.csv").path
        let base = ["score", "--responses", "\(fixtures)/rake/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", out] + design
        let town = "town=\(fixtures)/rake/margin_town.csv", urban = "urban=\(fixtures)/rake/margin_urban.csv"
        let usage: [([String], String)] = [
            (["--bounds", "0.5,2", "--rake", "town,urban", "--margin", town, "--margin", urban], "--bounds goes with --calibrate."),
            (["--calibrate", "linear", "--margin", "town"], "--margin town: give COLUMN=FILE"),
            (["--calibrate", "linear", "--margin", town, "--margin", urban, "--bounds", "2,0.5"], "--bounds 2,0.5: give two numbers L,U with L below U"),
            (["--rake", "town,urban", "--margin", town], "--rake town,urban needs one --margin for each of its columns"),
            (["--calibrate", "quadratic", "--margin", town], "Please provide one of 'linear', 'raking' or 'logit'"),
            (["--calibrate", "logit", "--margin", town, "--margin", urban], "logit calibration needs finite bounds"),
        ]
        for (options, message) in usage {
            let r = try Command.run(base + options)
            #expect(r.status == 64 && r.stderr.contains(message), "\(options): \(r.status) \(r.stderr)")
        }
        let bigger = try write("urban,Freq\nrural,8140\nurban,7150\n", to: "margin_urban.csv", in: dir)
        let inconsistent = try Command.run(base + ["--calibrate", "raking", "--margin", town, "--margin", "urban=\(bigger)"])
        #expect(inconsistent.status == 65 && inconsistent.stderr.contains("margin_urban.csv: the margin of urban adds up to 15290 but that of town to 15190; give margins of the same population"),
                "\(inconsistent.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// --replicates-out writes every unit's score under the bootstrap replicates: replicate 0 is
    /// the score, the replicates' SD is exactly --variance bootstrap's SE with the same seed, the
    /// file does not depend on --variance, and score combine combines replicates as it combines
    /// scores (across groups too); mismatched inputs are refused.
    @Test func replicateScoresThroughScoreAndCombine() throws {
        let dir = try Command.temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let base = ["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--replicates", "200", "--seed", "5"]
        #expect(try Command.run(base + ["--variance", "bootstrap", "--out", path("boot.csv"), "--replicates-out", path("boot-rep.csv")]).status == 0)
        let taylor = try Command.run(base + ["--out", path("taylor.csv"), "--replicates-out", path("rep.csv")])
        #expect(taylor.status == 0, "\(taylor.stderr)")
        let rep = try String(contentsOfFile: path("rep.csv"), encoding: .utf8)
        #expect(rep == (try String(contentsOfFile: path("boot-rep.csv"), encoding: .utf8)))
        let lines = rep.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0] == ["unit", "replicate", "score", "format"] && lines.count == 1 + 8 * 201)
        let boot = try String(contentsOfFile: path("boot.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for row in boot {
            let values = lines.dropFirst().filter { $0[0] == row[0] }
            #expect(values.count == 201 && values[0][1] == "0" && values[0][2] == row[3], "\(row[0])")
            let x = values.dropFirst().compactMap { Double($0[2]) }  // an empty cell: no respondent in that replicate
            let mean = x.reduce(0, +) / Double(x.count)
            // The bootstrap variance divides by R − 1 whatever replicates are empty (svrVar).
            let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 199).squareRoot()
            let se = Double(row[4]) ?? .nan
            #expect(abs(sd - se) <= 1e-9 * se, "\(row[0]): \(sd) vs \(se)")
        }
        // Two copies of one quarter: the combined replicates are the quarter's.
        let combined = try Command.run(["score", "combine", path("taylor.csv"), path("taylor.csv"), "--weights", "1,1", "--out", path("year.csv"),
                                        "--replicates", path("rep.csv"), "--replicates", path("rep.csv"), "--replicates-out", path("year-rep.csv")])
        #expect(combined.status == 0, "\(combined.stderr)")
        #expect(try String(contentsOfFile: path("year-rep.csv"), encoding: .utf8) == rep)
        // Across groups: each unit's replicate r is Σ share × the group's replicate r.
        let groups = Command.root.appendingPathComponent("Tests/AnalyticsTests/Fixtures/by-group/long.csv").path
        #expect(try Command.run(["score", "--responses", groups, "--scale", "surveys/scales/four-tier.yaml", "--by", "group", "--replicates", "50",
                                 "--lonely-psu", "remove", "--out", path("g.csv"), "--replicates-out", path("g-rep.csv")]).status == 0)
        let across = try Command.run(["score", "combine", path("g.csv"), "--across", "group", "--weights", "enterprise=30,household=70", "--partial",
                                      "--out", path("all.csv"), "--replicates", path("g-rep.csv"), "--replicates-out", path("all-rep.csv")])
        #expect(across.status == 0, "\(across.stderr)")
        let groupRows = try String(contentsOfFile: path("g-rep.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let allRows = try String(contentsOfFile: path("all-rep.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let d01 = allRows.filter { $0[0] == "D01" }
        #expect(d01.count == 51)
        for r in [0, 7, 50] {
            let e = Double(groupRows.first { $0[0] == "D01" && $0[1] == "enterprise" && $0[2] == String(r) }?[3] ?? "") ?? .nan
            let h = Double(groupRows.first { $0[0] == "D01" && $0[1] == "household" && $0[2] == String(r) }?[3] ?? "") ?? .nan
            #expect(abs((Double(d01[r][2]) ?? .nan) - (0.3 * e + 0.7 * h)) < 1e-12)
        }
        let year = try String(contentsOfFile: path("all.csv"), encoding: .utf8).split(separator: "\n")[1].split(separator: ",")
        #expect(year[0] == "D01" && String(year[3]) == d01[0][2])
        // Replicates of other scores, or without an output, are refused.
        let other = try Command.run(["score", "combine", path("taylor.csv"), path("taylor.csv"), "--weights", "1,1", "--out", path("x.csv"),
                                     "--replicates", path("g-rep.csv"), "--replicates", path("rep.csv"), "--replicates-out", path("x-rep.csv")])
        #expect(other.status == 65 && other.stderr.contains("has no replicates here"), "\(other.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("x.csv")) && !FileManager.default.fileExists(atPath: path("x-rep.csv")))
        let noOut = try Command.run(["score", "combine", path("taylor.csv"), path("taylor.csv"), "--weights", "1,1", "--out", path("x.csv"),
                                     "--replicates", path("rep.csv"), "--replicates", path("rep.csv")])
        #expect(noOut.status == 64 && noOut.stderr.contains("--replicates goes with --replicates-out"))
    }

    @Test func badUsageAndBadData() throws {
        let dir = try Command.temporaryDirectory()
        let out = dir.appendingPathComponent("s.csv").path
        let lonely = try Command.run(["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", out,
                                      "--lonely-psu", "drop"])
        #expect(lonely.status == 64)
        #expect(lonely.stderr.contains("Error: The value 'drop' is invalid for '--lonely-psu <lonely-psu>'. Please provide one of 'fail', 'remove', 'certainty', 'adjust' or 'average'."))
        let text = try String(contentsOfFile: "\(fixture)/long.csv", encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[5] = lines[5].split(separator: ",").dropLast().joined(separator: ",") + ","
        let broken = try write(lines.joined(separator: "\n"), to: "long.csv", in: dir)
        let data = try Command.run(["score", "--responses", broken, "--scale", "surveys/scales/four-tier.yaml", "--out", out])
        #expect(data.status == 65)
        #expect(data.stderr.contains("long.csv:6:9: field weight: is empty; every row needs its respondent's weight"), "\(data.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let lonelyFail = try Command.run(["score", "--responses", Command.root.appendingPathComponent("Tests/AnalyticsTests/Fixtures/lonely-fail/long.csv").path,
                                          "--scale", "surveys/scales/four-tier.yaml", "--out", out])
        #expect(lonelyFail.status == 65)
        #expect(lonelyFail.stderr.contains("stratum T3 has only one PSU at stage 1; choose --lonely-psu"))
    }

    @Test func combineQuarters() throws {
        let dir = try Command.temporaryDirectory()
        let q = dir.appendingPathComponent("q.csv").path
        #expect(try Command.run(["score", "--responses", "\(fixture)/long.csv", "--scale", "surveys/scales/four-tier.yaml", "--out", q]).status == 0)
        let out = dir.appendingPathComponent("year.csv").path
        let r = try Command.run(["score", "combine", q, q, q, q, "--weights", "25,25,25,25", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        // Four copies of the same quarter: the same score, half the standard error.
        let quarter = try String(contentsOfFile: q, encoding: .utf8).split(separator: "\n")[1].split(separator: ",")
        let year = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")[1].split(separator: ",")
        #expect(abs(Double(year[3])! - Double(quarter[3])!) < 1e-9)
        #expect(abs(Double(year[4])! - Double(quarter[4])! / 2) < 1e-9)
        let bad = try Command.run(["score", "combine", q, q, "--weights", "25,25,25", "--out", out])
        #expect(bad.status == 64)
    }
}
