import Foundation
import Testing

/// `pingyi composite` and `pingyi scheme check` end to end: a small scheme with every kind of
/// input, one successful run computed by hand, and every rejection path (message, exit status,
/// and no RESULT.csv left behind).
@Suite("pingyi composite")
struct CompositeCommandTests {
    static let scheme = """
        scheme: t
        label: 测试方案
        classes:
          - id: town
            label: 乡镇
            components:
              - {id: indicator, label: 指标, points: 60, source: indicators, periods: {H1: 50%, Y: 50%}}
              - {id: public, label: 公众, points: 30, source: public, periods: [Q1, Q2]}
              - id: other
                label: 其他
                points: 10
                components:
                  - {id: leader, label: 领导, weight: 100%}
            grading:
              grades:
                - {grade: 先进, share: 50%, min_score: 90}
                - {grade: 合格}
          - id: dept
            label: 部门
            components:
              - {id: leader, label: 领导, weight: 100%}
        bonus:
          classes: [town]
          codes:
            - {code: city, label: 市级表彰, points: 2}
            - {code: decision, label: 研究决定, points: {min: 0, max: 3}}
        deductions:
          - {id: inspection, label: 察访核验, cap: 2, classes: [town]}
        vetoes:
          - {code: accident, label: 事故, withdraw: [先进], classes: [town]}
        rate_rule:
          below: 60%
          label: 取消评优
          classes: [town]

        """
    static let components = """
        unit,class,component,period,value
        A,town,leader,,90
        A,town,inspection,,1
        B,town,leader,,80
        B,town,indicator,H1,90
        B,town,indicator,Y,70
        D,dept,leader,,70

        """
    static let indicators = """
        unit,indicator,points,target,actual,direction,period
        A,x,10,100,100,higher,H1
        A,x,10,100,90,higher,Y

        """
    static let scores = """
        unit,period,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff
        A,Q1,40,0,90,2,86,94,0.9,0.05,0.8,1,1.2
        A,Q2,40,0,90,2,86,94,0.9,0.05,0.8,1,1.2
        B,Q1,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2
        B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2

        """
    static let events = "unit,kind,code,item,points\nA,bonus,city,,\n"
    static let previous = "unit,rank\nA,1\nB,2\n"

    static let files = ["s.yaml": scheme, "c.csv": components, "i.csv": indicators, "p.csv": scores, "e.csv": events, "prev.csv": previous]
    static let arguments = ["composite", "--scheme", "s.yaml", "--components", "c.csv", "--indicators", "i.csv",
                            "--public", "p.csv", "--events", "e.csv", "--previous", "prev.csv", "--out", "r.csv", "--draws", "200"]

    /// Writes the files (with one changed) into a fresh directory.
    static func directory(_ files: [String: String] = files) throws -> URL {
        let dir = try Command.temporaryDirectory()
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func workedExample() throws {
        let dir = try Self.directory()
        let result = try Command.run(Self.arguments, in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("乡镇（town）       2  先进 1，合格 1"))
        // The printed ranking (a class of two: all of it): rank, unit, score, score ± 1.96 × 0.4243,
        // p_grade, grade, first reason.
        #expect(result.stdout.contains("\n乡镇：全部 2 个单位\n"))
        let ranking = result.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(ranking.contains("1 A 94.00 93.17–94.83 0.0% 先进 察访核验扣1分"))
        #expect(ranking.contains("2 B 80.00 79.17–80.83 0.0% 合格 得分80.00低于先进最低分90分"))
        let csv = try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        // A: 指标 (100 % + 90 %)/2 = 95 → 57; 公众 90 → 27; 领导 90 → 9; 察访核验 −1; 加分 +2: 94.00.
        // Its public SE: √(0.5² × 2² × 2) = √2, × 0.3 = 0.4243; 先进 is 4 points (9 SE) away.
        // B: 80 → 48, 24, 8: 80.00. D: 70.00 from its one top-level component, leader (a column of
        // its own: the town's leader is nested in other); no grading (ranking only).
        #expect(csv == [
            "unit,class,score,rank,grade,indicator,public,other,leader,inspection,bonus,penalty,score_se,p_grade,notes,format",
            "A,town,94.00,1,先进,57.00,27.00,9.00,,1.00,2.00,0.00,0.4243,0.0000,察访核验扣1分；加分2分（市级表彰2分）；评为先进：排名第1名，在名额（1名）内，得分不低于90分,composite/1",
            "B,town,80.00,2,合格,48.00,24.00,8.00,,0.00,0.00,0.00,0.4243,0.0000,得分80.00低于先进最低分90分；评为合格,composite/1",
            "D,dept,70.00,1,,,,,70.00,,0.00,0.00,0.0000,,,composite/1",
        ])
    }

    @Test func publicScoresPerPeriodFile() throws {
        var files = Self.files
        let lines = Self.scores.split(separator: "\n").map(String.init)
        let header = lines[0].replacingOccurrences(of: "unit,period,", with: "unit,")
        for q in ["Q1", "Q2"] {
            files["\(q).csv"] = ([header] + lines.dropFirst().filter { $0.contains(",\(q),") }
                .map { $0.replacingOccurrences(of: ",\(q),", with: ",") }).joined(separator: "\n") + "\n"
        }
        let dir = try Self.directory(files)
        var arguments = Self.arguments
        arguments.replaceSubrange(arguments.firstIndex(of: "p.csv")!...arguments.firstIndex(of: "p.csv")!, with: ["Q1=Q1.csv", "--public", "Q2=Q2.csv"])
        let result = try Command.run(arguments, in: dir)
        #expect(result.status == 0)
        let csv = try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.contains("A,town,94.00,1,先进,57.00,27.00"))
    }

    /// One file changed: (file, from, to, message). Every case exits 65 and writes nothing.
    @Test(arguments: [
        // Components
        ("c.csv", "A,town,leader,,90", "A,twn,leader,,90",
         "c.csv:2: field class: unknown class 'twn' (unit A); the classes of scheme t are town, dept"),
        ("c.csv", "B,town,leader,,80", "A,town,leader,,80",
         "c.csv:4: duplicate row: unit A, component leader (also on line 2); keep one of the two rows"),
        ("c.csv", "A,town,leader,,90", "A,town,leader,,104",
         "c.csv:2: field value: 104 is outside 0–100 (unit A, component leader); values are on the 100-point basis (百分制); convert them first"),
        ("c.csv", "A,town,leader,,90", "A,town,leader,,九十",
         "c.csv:2: field value: '九十' is not a number; write a plain number such as 85.5"),
        ("c.csv", "A,town,leader,,90", "A,town,leaders,,90",
         "c.csv:2: field component: unknown component 'leaders' for class 'town' (unit A); the components are indicator, public, leader, inspection"),
        ("c.csv", "A,town,leader,,90", "A,town,other,,90",
         "c.csv:2: field component: component 'other' is made of leader (unit A); give values for those"),
        ("c.csv", "A,town,leader,,90", "A,town,leader,,90\nA,town,public,Q1,90",
         "c.csv:3: field component: component 'public' takes its values from the public scores (unit A); give them with --public (pingyi score output), not in the components file"),
        ("c.csv", "B,town,indicator,Y,70", "B,town,indicator,Q4,70",
         "c.csv:6: field period: unknown period 'Q4' for component 'indicator' (unit B); its periods are H1, Y"),
        ("c.csv", "B,town,indicator,Y,70", "B,town,indicator,,70",
         "c.csv:6: field period: is empty but component 'indicator' has periods (unit B); its periods are H1, Y"),
        ("c.csv", "A,town,leader,,90", "A,town,leader,H1,90",
         "c.csv:2: field period: component 'leader' has no periods, found 'H1' (unit A); leave period empty"),
        ("c.csv", "B,town,indicator,Y,70\n", "",
         "c.csv:4: unit B (town) has no value for component indicator (指标), period Y; add its indicators to the indicators file, or its score here"),
        ("c.csv", "D,dept,leader,,70", "D,dept,inspection,,1",
         "c.csv:7: field component: deduction 'inspection' does not apply to class 'dept' (unit D); it applies to town"),
        ("c.csv", "D,dept,leader,,70", "D,town,leader,,70\nD,dept,leader,,70",
         "c.csv:8: field class: unit D is 'dept' here but 'town' on line 7; a unit belongs to one class"),
        ("c.csv", "unit,class,component,period,value", "unit,class,part,period,value",
         "c.csv:1: no column named 'component' (the components file needs unit,class,component,value); the columns are unit, class, part, period, value"),
        ("c.csv", "A,town,leader,,90", "A,town,,,90",
         "c.csv:2: field component: is empty but the row has a value (unit A); name the component, or leave value empty to only declare the unit"),
        ("c.csv", "A,town,inspection,,1", "A,town,inspection,Y,1",
         "c.csv:3: field period: deduction 'inspection' has no periods (unit A); leave period empty"),
        ("c.csv", "A,town,leader,,90", ",town,leader,,90",
         "c.csv:2: field unit: is empty; fill in unit in every row of the components file"),
        // Indicators
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,-1,90,lower,Y",
         "i.csv:3: target and actual must not be negative when lower is better (unit A, indicator x)"),
        ("i.csv", "direction,period\nA,x,10,100,100,higher,H1\nA,x,10,100,90,higher,Y",
         "direction,period,component\nA,x,10,100,100,higher,H1,indicator\nA,x,10,100,90,higher,Y,leader",
         "i.csv:3: field component: component 'leader' is not scored from indicators (unit A); give its value in the components file, or write source: indicators in the scheme"),
        ("i.csv", "A,x,10,100,90,higher,Y", "Z,x,10,100,90,higher,Y",
         "i.csv:3: field unit: unknown unit 'Z'; every unit must be listed with its class in the components file"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,100,90,up,Y",
         "i.csv:3: field direction: 'up' is not higher or lower (unit A, indicator x); write higher when more is better, lower when less is better (emissions, complaints)"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,100,90,higher,H1",
         "i.csv:3: duplicate row: unit A, indicator x, period H1 (also on line 2); keep one of the two rows"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,0,100,90,higher,Y",
         "i.csv:3: field points: must be greater than 0, found 0 (unit A, indicator x)"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,0,90,higher,Y",
         "i.csv:3: field target: must be greater than 0 when higher is better, found 0 (unit A, indicator x); express the indicator so that its target is positive"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,100,90,higher,Y\nB,x,10,100,90,higher,Y",
         "i.csv:4: unit B, component indicator, period Y already has a value (c.csv:6); give it either scored in the components file or as indicators, not both"),
        ("i.csv", "A,x,10,100,90,higher,Y", "A,x,10,100,90,higher,Y\nD,x,10,100,90,higher,",
         "i.csv:4: class 'dept' has no component with source: indicators (unit D); check the unit's class"),
        // Events
        ("e.csv", "A,bonus,city,,", "A,bonus,province,,",
         "e.csv:2: field code: code 'province' is not in the bonus table of scheme t (unit A); the codes are city, decision"),
        ("e.csv", "A,bonus,city,,", "A,penalty,city,,",
         "e.csv:2: field kind: scheme t has no penalty table (unit A)"),
        ("e.csv", "A,bonus,city,,", "A,award,city,,",
         "e.csv:2: field kind: 'award' is not bonus, penalty or veto (unit A)"),
        ("e.csv", "A,bonus,city,,", "A,bonus,city,,\nA,bonus,city,,",
         "e.csv:3: duplicate row: unit A, bonus city (also on line 2); keep one of the two rows"),
        ("e.csv", "A,bonus,city,,", "A,veto,fire,,",
         "e.csv:2: field code: code 'fire' is not a veto of scheme t (unit A); the vetoes are accident"),
        ("e.csv", "A,bonus,city,,", "D,veto,accident,,",
         "e.csv:2: veto 'accident' applies to town, not to class 'dept' (unit D)"),
        ("e.csv", "A,bonus,city,,", "A,veto,accident,,1",
         "e.csv:2: field points: a veto has no points (unit A); leave points empty"),
        ("e.csv", "A,bonus,city,,", "A,bonus,decision,,3.5",
         "e.csv:2: field points: 3.5 is outside 0–3 for code 'decision' (unit A)"),
        // Public scores
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "B,Q3,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2",
         "p.csv:5: field period: unknown period 'Q3' for component 'public' (unit B); its periods are Q1, Q2"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2\n", "",
         "p.csv: unit B has no public score for component public (公众), period Q2; the public scores must cover every unit of class 'town' in every period"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "B,Q1,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2",
         "p.csv:5: duplicate public score for unit B, period Q1 (also p.csv:4); keep one of them"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "B,Q2,40,0,180,2,76,84,0.8,0.05,0.7,0.9,1.2",
         "p.csv:5: field score: 180 is outside 0–100 (unit B); the public score is on the 100-point basis"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "B,Q2,40,0,80,2,76,84,80,0.05,0.7,0.9,1.2",
         "p.csv:5: field rate: 80 is outside 0–1 (unit B); the satisfaction rate is a share, e.g. 0.85"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2\nD,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2",
         "p.csv:6: field unit: unit D is in class 'dept', which has no public component in scheme t; remove its row, or check the unit's class"),
        ("p.csv", "B,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2", "X,Q2,40,0,80,2,76,84,0.8,0.05,0.7,0.9,1.2",
         "p.csv:5: field unit: unknown unit 'X'; every unit must be listed with its class in the components file"),
        ("p.csv", "unit,period,n,", "unit,group,n,",
         "p.csv:1: the scores are split by 'group'; the public component needs one score per unit (and period); run pingyi score without --by, or with --by period"),
        ("p.csv", "B,Q2,40,0,80,2,76,84", "B,Q2,40,0,80,-2,76,84",
         "p.csv:5: field score_se: must not be negative (unit B)"),
        // Last year's result
        ("prev.csv", "B,2", "Y,2",
         "prev.csv:3: field unit: unknown unit 'Y'; every unit must be listed with its class in the components file"),
        ("prev.csv", "B,2", "B,1.5",
         "prev.csv:3: field rank: 1.5 is not a rank (unit B); ranks are whole numbers from 1"),
        ("prev.csv", "B,2", "A,2",
         "prev.csv:3: duplicate row: unit A (also on line 2); keep one of the two rows"),
        // Scheme
        ("s.yaml", "points: 60, source", "points: 50, source",
         "s.yaml:7:7: classes[1].components: the points of the components of class 'town' add up to 90; they must add up to 100; the whole score is 100 points (百分制)"),
    ])
    func rejected(file: String, from: String, to: String, message: String) throws {
        var files = Self.files
        let original = try #require(files[file])
        files[file] = original.replacingOccurrences(of: from, with: to)
        #expect(files[file] != original, "the replacement did not apply")
        let dir = try Self.directory(files)
        let result = try Command.run(Self.arguments, in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == "pingyi: error: \(message)\n")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.csv").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == files.keys.sorted())
    }

    @Test(arguments: [
        (["--components", "missing.csv"], "pingyi: error: missing.csv: no such file (--components)\n"),
        (["--scheme", "none.yaml"], "pingyi: error: none.yaml: no such file (--scheme)\n"),
        (["--public", "Q1=gone.csv"], "pingyi: error: gone.csv: no such file (--public)\n"),
    ])
    func missingInputExits64(change: [String], message: String) throws {
        let dir = try Self.directory()
        var arguments = Self.arguments
        let at = try #require(arguments.firstIndex(of: change[0]))
        arguments[at + 1] = change[1]
        let result = try Command.run(arguments, in: dir)
        #expect(result.status == 64)
        #expect(result.stderr == message)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.csv").path))
    }

    @Test func publicNeededExits64() throws {
        let dir = try Self.directory()
        var arguments = Self.arguments
        let at = try #require(arguments.firstIndex(of: "--public"))
        arguments.removeSubrange(at...(at + 1))
        let result = try Command.run(arguments, in: dir)
        #expect(result.status == 64)
        #expect(result.stderr == "pingyi: error: s.yaml: class 'town' has a public component, public (公众), but no public scores were given; give --public SCORES.csv (pingyi score output)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.csv").path))
    }

    @Test(arguments: [
        (["--seed=-1"], "Error: The value '-1' is invalid for '--seed <seed>'"),
        (["--seed", "4294967296"], "Error: The value '4294967296' is invalid for '--seed <seed>'"),
        (["--seed", "0"], "Error: The value '0' is invalid for '--seed <seed>'"),
        (["--draws", "0"], "--draws must be between 1 and 1000000 (got 0)."),
    ])
    func badOptionsExit64(extra: [String], message: String) throws {
        let dir = try Self.directory()
        let result = try Command.run(Self.arguments + extra, in: dir)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.csv").path))
    }

    @Test func seedChangesOnlyTheSimulation() throws {
        // Two units 0.3 points apart at the 先进 boundary (one place): p_grade is large, and the
        // same seed gives the same file.
        var files = Self.files
        files["p.csv"] = Self.scores.replacingOccurrences(of: ",80,2,76,84", with: ",89,10,76,84")
            .replacingOccurrences(of: ",90,2,86,94", with: ",88,10,86,94")
        files["e.csv"] = "unit,kind,code,item,points\n"
        files["c.csv"] = Self.components.replacingOccurrences(of: "B,town,indicator,H1,90", with: "B,town,indicator,H1,99")
            .replacingOccurrences(of: "B,town,indicator,Y,70", with: "B,town,indicator,Y,99")
            .replacingOccurrences(of: "B,town,leader,,80", with: "B,town,leader,,91")
            .replacingOccurrences(of: "A,town,inspection,,1", with: "A,town,inspection,,0")
        let dir = try Self.directory(files)
        // A: 57 + 26.4 + 9 = 92.40; B: 59.4 + 26.7 + 9.1 = 95.20 — B is 先进.
        var runs: [String] = []
        for seed in ["5", "5", "6"] {
            let result = try Command.run(Self.arguments + ["--seed", seed], in: dir)
            #expect(result.status == 0)
            runs.append(try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8))
        }
        #expect(runs[0] == runs[1])
        #expect(runs[0].contains("B,town,95.20,1,先进") && runs[0].contains("A,town,92.40,2,合格"))
        // Each public SE is √(0.5² × 10² × 2) = 7.07 → 2.12 on the score; the gap is 2.8 points:
        // they swap with probability Φ(−2.8 / (2.12 √2)) ≈ 0.17.
        let p = runs[0].split(separator: "\n").dropFirst().prefix(2).map { Double($0.split(separator: ",")[12]) ?? -1 }
        #expect(p.allSatisfy { $0 > 0.08 && $0 < 0.3 })
    }
}

extension CompositeCommandTests {
    /// town-internal's 较差 rule needs last year's result: without --previous it is skipped, and
    /// the command says so.
    @Test func warnsWithoutPreviousYear() throws {
        let dir = try Command.temporaryDirectory()
        var components = "unit,class,component,period,value\n"
        for (k, unit) in ["O1", "O2"].enumerated() {
            for c in ["leadership", "heads", "villages"] { components += "\(unit),office,\(c),,\(90 - k)\n" }
            for q in ["Q1", "Q2", "Q3", "Q4"] { components += "\(unit),office,performance,\(q),\(90 - k)\n" }
        }
        try components.write(to: dir.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let scheme = Command.root.appendingPathComponent("surveys/schemes/town-internal.yaml").path
        let result = try Command.run(["composite", "--scheme", scheme, "--components", "c.csv", "--out", "r.csv"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "注意：未提供上年结果（--previous），“连续两年排名最后”规则未适用\n")
        // 2 offices: 优秀 2 × 30 % = 0.6 → 1, 良好 1.2 → 1.
        let csv = try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.contains("O1,office,90.00,1,优秀,63.00,27.00,0.00,0.00,") && csv.contains("O2,office,89.00,2,良好,62.30,26.70,0.00,0.00,"))
    }
}

@Suite("pingyi scheme check")
struct SchemeCheckCommandTests {
    @Test func printsTheSchemeInChinese() throws {
        let result = try Command.run(["scheme", "check", "surveys/schemes/town-internal.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("  performance   业绩评价         70%    70分  Q1、Q2、Q3平均 40%；Q4 60%  组件数据"))
        #expect(result.stdout.contains("  较差  得分低于60分或连续两年排名最后（需上年结果）（优先于以下各等）"))
        #expect(result.stdout.contains("  优秀  名额为本类单位数的30%（四舍五入）"))
        #expect(result.stdout.contains("  commend-national      获得国家级先进部门或个人称号及表彰                                 5  commendation"))
    }

    @Test(arguments: ["tantou", "zhengding", "qitai", "town-internal", "dashiqiao"])
    func shippedSchemesPass(name: String) throws {
        let result = try Command.run(["scheme", "check", "surveys/schemes/\(name).yaml"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func badSchemeExits65() throws {
        let dir = try Command.temporaryDirectory()
        let text = CompositeCommandTests.scheme.replacingOccurrences(of: "share: 50%", with: "share: 50%, count: 1")
        try text.write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let result = try Command.run(["scheme", "check", "s.yaml"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == "pingyi: error: s.yaml:16:42: classes[1].grading.grades[1].count: grade '先进' has both share and count; give one of them\n")
        #expect(result.stdout.isEmpty)
        let missing = try Command.run(["scheme", "check", "nothing.yaml"], in: dir)
        #expect(missing.status == 64)
    }
}
