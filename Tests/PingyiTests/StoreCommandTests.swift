import Foundation
import Testing

@Suite("pingyi survey, cases, responses, audit")
struct StoreCommandTests {
    static let urban = Command.root.appendingPathComponent("surveys/questionnaires/urban.yaml").path

    @Test func surveyCheckSummarises() throws {
        let result = try Command.run(["survey", "check", StoreCommandTests.urban])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("问卷  urban v1  城镇居民户对政府部门和所在镇（街道）工作的满意度问卷\n对象  urban（城镇居民户）\n"))
        #expect(result.stdout.contains("被评单位  44 个: D01 市政府办 … D44 市信息中心\n"))
        #expect(result.stdout.contains("名单须有的列  household_id, town_id\n"))
        #expect(result.stdout.contains("变量  50 个（评议单位 45 个，其他题目 5 个）\n"))
        #expect(result.stdout.hasSuffix("检查通过\n"))
        let dir = try Command.temporaryDirectory()
        let bad = try dir.write("id: x\nversion: 0\n", to: "bad.yaml")
        let failed = try Command.run(["survey", "check", bad])
        #expect(failed.status == 65)
        #expect(failed.stderr == "pingyi: error: \(bad):2:10: version: version 0 is not positive; number versions 1, 2, 3, …\n")
        #expect(failed.stdout.isEmpty)
    }

    /// 300 households keyed twice, with refusals replaced by reserves, five keying
    /// disagreements, verification, resolution and the long export.
    @Test func fewHundredFormsEndToEnd() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, reserves) = Households.list(villages: 10, sample: 30, reserves: 6)
        let list = try dir.write(listCSV, to: "list.csv")
        let load = try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban, "--operator", "载入员"], in: dir)
        #expect(load.status == 0)
        #expect(load.stdout == "已载入  urban v1（城镇居民户）: 样本 300，备选 60，2 阶段 → pingyi.sqlite\n")
        // The first sampled household of each village refuses; the village's first reserve replaces it.
        let refusals = (0..<10).map { sampled[$0 * 30] }
        let dispositions = try dir.write("case_id,disposition,note\n" + refusals.map { "\($0),refusal,不愿意\n" }.joined(), to: "d.csv")
        let dispose = try Command.run(["cases", "dispose", dispositions, "--operator", "督导"], in: dir)
        #expect(dispose.status == 0)
        #expect(dispose.stdout.hasPrefix("已记录  10 个案例的结果（0 个未变）\n启用备选  10 个\n"))
        #expect(dispose.stdout.contains("  H-03-0031     1  H-03-0001  T03C01\n"))
        let respondents = sampled.filter { !refusals.contains($0) } + (0..<10).map { reserves[$0 * 6] }
        #expect(respondents.count == 300)
        let pass1 = try dir.write(Households.forms(respondents), to: "pass1.csv")
        let disagreeing = [respondents[3], respondents[50], respondents[120], respondents[200], respondents[295]]
        var changes: [String: (Int, String)] = [:]
        for (n, id) in disagreeing.enumerated() { changes[id] = (n, "9") } // D01…D05 keyed as 9 in pass 2
        let pass2 = try dir.write(Households.forms(respondents, changes: changes), to: "pass2.csv")
        let first = try Command.run(["responses", "import", pass1, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "王芳"], in: dir)
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("已导入  第 1 遍 300 份（urban v1）→ pingyi.sqlite\n"))
        let second = try Command.run(["responses", "import", pass2, "--survey", StoreCommandTests.urban, "--pass", "2", "--operator", "张伟"], in: dir)
        #expect(second.status == 0)
        let verify = try Command.run(["responses", "verify", "--out", "disagreements.csv", "--operator", "督导"], in: dir)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("核对  新核对一致 295 份，新发现不一致 5 份，只录入一遍 0 份\n不一致  5 处，涉及 5 份"))
        let open = try String(contentsOf: dir.appendingPathComponent("disagreements.csv"), encoding: .utf8)
        let rows = open.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { "\($0[0]) \($0[1])" }.sorted() == disagreeing.enumerated().map { "\($1) D0\($0 + 1)" }.sorted())
        #expect(rows.allSatisfy { $0[3] == "9" && $0[4].isEmpty })
        // The supervisor takes pass 1's value (the paper form) for all five.
        let resolved = "case_id,item,pass1,pass2,value,reason\n" + rows.map { "\($0[0]),\($0[1]),\($0[2]),\($0[3]),\($0[2]),原件\n" }.joined()
        let resolution = try dir.write(resolved, to: "resolved.csv")
        let resolve = try Command.run(["responses", "resolve", resolution, "--operator", "督导"], in: dir)
        #expect(resolve.status == 0)
        #expect(resolve.stdout == "已裁定  5 处；核对完成 5 份\n")
        let export = try Command.run(["responses", "export", "--format", "long", "--out", "long.csv"], in: dir)
        #expect(export.status == 0)
        #expect(export.stdout == "已导出  long 13500 行 → long.csv\n")
        let long = try String(contentsOf: dir.appendingPathComponent("long.csv"), encoding: .utf8).split(separator: "\n")
        #expect(long.count == 13501)
        let answers = Households.answers(3)
        let expected = "\(respondents[3]),urban,urban,1,D01,\(answers[0]),T01,T01C01,0.5,4,2,T01C01,1005,0.1,300,30,0.05,20,T01,sample,paper,long/2"
        #expect(long.contains { $0 == expected })
        let reserveRow = "\(reserves[0]),urban,urban,1,T01,\(Households.answers(290)[44]),T01,T01C01,0.5,4,2,T01C01,1031,0.1,300,30,0.05,20,T01,reserve,paper,long/2"
        #expect(long.contains { $0 == reserveRow })
        let status = try Command.run(["responses", "status", "--json"], in: dir)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let group = (json?["groups"] as? [[String: Any]])?.first
        #expect(group?["sampled"] as? Int == 300)
        #expect(group?["reserves_used"] as? Int == 10)
        #expect(group?["verified"] as? Int == 300)
        #expect(group?["disagreeing"] as? Int == 0)
        #expect((group?["dispositions"] as? [String: Int])?["refusal"] == 10)
        #expect((json?["towns"] as? [[String: Any]])?.count == 10)
        let audit = try Command.run(["audit", "--case", disagreeing[0]], in: dir)
        #expect(audit.status == 0)
        let resolveLine = audit.stdout.split(separator: "\n").first { $0.contains(" resolve ") }
        #expect(resolveLine?.contains("pass 1 '\(answers[0])', pass 2 '9'") == true)
        #expect(resolveLine?.contains("原件") == true && resolveLine?.contains("督导") == true)
        let cases = try Command.run(["responses", "export", "--format", "cases", "--out", "cases.csv"], in: dir)
        #expect(cases.stdout == "已导出  cases 310 行 → cases.csv\n")
        // Nobody recorded "complete": the 300 verified forms made their cases complete, and the
        // rates count them (I = 300 of 310 cases, R = 10 refusals).
        let rates = try Command.run(["rates", "--cases", "cases.csv", "--out", "rates.csv"], in: dir)
        #expect(rates.status == 0)
        let total = rates.stdout.split(separator: "\n").first { $0.hasPrefix("  合计") }.map { $0.split(separator: " ").map(String.init) }
        #expect(total?[1...3] == ["310", "300", "0"])
        #expect(total?[4] == "10")
        #expect(total?[10] == "96.8%")
        // A counted answer corrected from the paper form (twice: the second changes nothing).
        let correct = ["responses", "correct", "--case", disagreeing[1], "--set", "D01=4", "--reason", "对照原件", "--operator", "督导"]
        let corrected = try Command.run(correct, in: dir)
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(corrected.stdout.hasPrefix("已更正  \(disagreeing[1])：改动 1 处 → pingyi.sqlite") || corrected.stdout.hasPrefix("未改动"), "\(corrected.stdout)")
        #expect(try Command.run(correct, in: dir).stdout == "未改动  \(disagreeing[1]) 的答案与所存相同\n")
        let toThree = try Command.run(["responses", "correct", "--case", disagreeing[1], "--set", "D01=3", "--reason", "对照原件", "--operator", "督导"], in: dir)
        #expect(toThree.stdout == "已更正  \(disagreeing[1])：改动 1 处 → pingyi.sqlite\n", "\(toThree.stderr)")
        #expect(try Command.run(["audit", "--case", disagreeing[1]], in: dir).stdout.contains("对照原件"))
        let unknownItem = try Command.run(["responses", "correct", "--case", disagreeing[1], "--set", "D99=1", "--reason", "x", "--operator", "督导"], in: dir)
        #expect(unknownItem.status == 64 && unknownItem.stderr.contains("has no item D99"))
        let cleared = try Command.run(["responses", "correct", "--case", disagreeing[1], "--set", "D01=", "--reason", "x", "--operator", "督导"], in: dir)
        #expect(cleared.status == 65 && cleared.stderr.contains("D01"), "\(cleared.stderr)")
        // A pass keyed against the wrong case is voided: the case needs its pass and a verify again.
        let void = try Command.run(["responses", "void", "--case", disagreeing[0], "--form", "pass2", "--reason", "错号", "--operator", "督导"], in: dir)
        #expect(void.status == 0, "\(void.stderr)")
        #expect(void.stdout == "已作废  \(disagreeing[0]) 的 pass2 → pingyi.sqlite\n需重新核对  \(disagreeing[0])：重新录入该遍后运行 pingyi responses verify\n处置  \(disagreeing[0]) 由 complete 恢复为 pending\n")
        let again = try Command.run(["responses", "void", "--case", disagreeing[0], "--form", "pass2", "--reason", "错号", "--operator", "督导"], in: dir)
        #expect(again.status == 65 && again.stderr.contains("case \(disagreeing[0]) has no pass2 form"), "\(again.stderr)")
        let blank = try Command.run(["responses", "void", "--case", disagreeing[0], "--form", "pass1", "--reason", " ", "--operator", "督导"], in: dir)
        #expect(blank.status == 64)
        #expect(try Command.run(["audit", "--case", disagreeing[0]], in: dir).stdout.contains("错号"))
    }

    @Test func aRejectedImportListsEveryProblemAndWritesNothing() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, reserves) = Households.list(villages: 2, sample: 5, reserves: 1)
        let list = try dir.write(listCSV, to: "list.csv")
        #expect(try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let text = Households.forms([sampled[0], sampled[1], "H-99-0001", reserves[0], sampled[0]], changes: [sampled[1]: (0, "0")])
        let file = try dir.write(text, to: "bad.csv")
        let before = try dumpStore(dir.appendingPathComponent("pingyi.sqlite").path)
        let result = try Command.run(["responses", "import", file, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "王芳"], in: dir)
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == "\(file):3:2: case \(sampled[1]): D01 = '0' is not a code of 四档满意度 (1–4, 6–9); key one of 1 满意, 2 比较满意, 3 基本满意, 4 不满意, 6 不适用, 7 不了解/说不清, 8 拒答, 9 无效（多选）")
        #expect(lines.contains("\(file):4:1: case H-99-0001 is not in the sample of urban; check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed"))
        #expect(lines.contains("\(file):5:1: case \(reserves[0]) is a reserve that is not in use; record the non-response of the case it would replace (pingyi cases dispose) so that it is activated, then import"))
        #expect(lines.contains("\(file):6:1: case \(sampled[0]) appears twice in the file (also on line 2); keep one row per form"))
        #expect(lines.last == "pingyi: error: \(file): 4 problems in 4 rows; nothing was imported; correct the file and run the command again")
        #expect(try dumpStore(dir.appendingPathComponent("pingyi.sqlite").path) == before)
    }

    @Test func usageErrors() throws {
        let dir = try Command.temporaryDirectory()
        let pass = try Command.run(["responses", "import", "x.csv", "--survey", StoreCommandTests.urban, "--pass", "3", "--operator", "a"], in: dir)
        #expect(pass.status == 64)
        #expect(pass.stderr.contains("Error: The value '3' is invalid for '--pass <pass>'. Please provide one of '1' and '2'."))
        let reason = try Command.run(["responses", "import", "x.csv", "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "a", "--replace"], in: dir)
        #expect(reason.status == 64)
        #expect(reason.stderr.contains("--replace needs --reason (why the forms are corrected)."))
        let noStore = try Command.run(["responses", "status"], in: dir)
        #expect(noStore.status == 64)
        #expect(noStore.stderr == "pingyi: error: pingyi.sqlite: there is no store here; load a respondent list first (pingyi cases load), or name the store with --db\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pingyi.sqlite").path))
        let missing = try Command.run(["cases", "load", "--list", "nope.csv", "--survey", StoreCommandTests.urban], in: dir)
        #expect(missing.status == 64)
        #expect(missing.stderr == "pingyi: error: nope.csv: no such file (--list)\n")
    }

    @Test func listLoadedTwiceAndWrongGroup() throws {
        let dir = try Command.temporaryDirectory()
        let list = try dir.write(Households.list(villages: 1, sample: 3, reserves: 1).csv, to: "list.csv")
        #expect(try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let db = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(db)
        let twice = try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir)
        #expect(twice.status == 65)
        #expect(twice.stderr.hasPrefix("pingyi: error: \(list): questionnaire urban already has a list in pingyi.sqlite (\(list), 4 cases, loaded "))
        let deputies = Command.root.appendingPathComponent("surveys/questionnaires/deputies.yaml").path
        let wrong = try Command.run(["cases", "load", "--list", list, "--survey", deputies], in: dir)
        #expect(wrong.status == 65)
        #expect(wrong.stderr == "pingyi: error: \(list):1: the list has no column person_id: it looks like a list of 城镇居民户 (it has household_id), but questionnaire deputies is for 人大代表和政协委员; load it with the urban questionnaire, or load the deputies list with this one\n")
        #expect(try dumpStore(db) == before)
    }

    /// pingyi survey close refuses later imports (exit 65, nothing stored) until pingyi survey reopen.
    /// A refusal undone from a file: the reserve is said to be still in use, and
    /// --release-reserves takes it out of use again.
    @Test func anUndoneRefusalReleasesItsReserveWhenAsked() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, reserves) = Households.list(villages: 1, sample: 3, reserves: 1)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(listCSV, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let refuse = try dir.write("case_id,disposition\n\(sampled[0]),refusal\n", to: "refuse.csv")
        #expect(try Command.run(["cases", "dispose", refuse], in: dir).stdout.contains("启用备选  1 个"))
        let undo = try dir.write("case_id,disposition\n\(sampled[0]),pending\n", to: "undo.csv")
        let kept = try Command.run(["cases", "dispose", undo], in: dir)
        #expect(kept.stdout.contains("备选仍在用  \(reserves[0]) 替代 \(sampled[0])，而 \(sampled[0]) 已应答：加 --release-reserves 释放备选"), "\(kept.stdout)")
        let released = try Command.run(["cases", "dispose", undo, "--release-reserves"], in: dir)
        #expect(released.stdout.contains("释放备选  \(reserves[0])：\(sampled[0]) 已应答，备选放回未用"), "\(released.stdout)")
        #expect(try Command.run(["audit", "--case", reserves[0]], in: dir).stdout.contains("release"))
    }

    @Test func closeAndReopenEntry() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, _) = Households.list(villages: 1, sample: 3, reserves: 1)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(listCSV, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let close = try Command.run(["survey", "close", "urban", "--reason", "调查结束", "--operator", "管理员"], in: dir)
        #expect(close.status == 0)
        #expect(close.stdout == "已截止录入  urban（调查结束）→ pingyi.sqlite\n")
        let status = try Command.run(["responses", "status"], in: dir)
        #expect(status.stdout.contains("已截止录入  urban：") && status.stdout.contains(" 由 管理员 截止（调查结束）"))
        let forms = try dir.write(Households.forms(sampled), to: "forms.csv")
        let before = try dumpStore(dir.appendingPathComponent("pingyi.sqlite").path)
        let refused = try Command.run(["responses", "import", forms, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "王芳"], in: dir)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("pingyi: error: \(forms): questionnaire urban is closed for entry (closed "))
        #expect(try dumpStore(dir.appendingPathComponent("pingyi.sqlite").path) == before)
        let noReason = try Command.run(["survey", "reopen", "urban"], in: dir)
        #expect(noReason.status == 64)
        #expect(try Command.run(["survey", "reopen", "urban", "--reason", "补录"], in: dir).stdout == "已恢复录入  urban → pingyi.sqlite\n")
        #expect(try Command.run(["responses", "import", forms, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "王芳"], in: dir).status == 0)
    }

    /// A list edited after the draw (or from another draw) no longer matches its manifest: refused.
    @Test func listThatDoesNotMatchItsManifest() throws {
        let dir = try Command.temporaryDirectory()
        let list = dir.appendingPathComponent("deputies.csv").path
        #expect(try Command.run(["sample", "--design", "surveys/designs/deputies.yaml", "--seed", "5", "--out", list]).status == 0)
        var lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.swapAt(1, 2)
        try lines.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let deputies = Command.root.appendingPathComponent("surveys/questionnaires/deputies.yaml").path
        let edited = try Command.run(["cases", "load", "--list", list, "--survey", deputies], in: dir)
        #expect(edited.status == 65)
        #expect(edited.stderr.contains("the list is not the one its manifest \(dir.appendingPathComponent("deputies.manifest.json").path) records"))
        #expect(edited.stderr.contains("pingyi sample verify --manifest"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("pingyi.sqlite").path))
        lines.swapAt(1, 2)
        try lines.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let restored = try Command.run(["cases", "load", "--list", list, "--survey", deputies], in: dir)
        #expect(restored.status == 0, "\(restored.stderr)")
    }

    @Test func badDispositionsAreAllListedAndNothingIsRecorded() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, reserves) = Households.list(villages: 1, sample: 3, reserves: 1)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(listCSV, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let db = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(db)
        let file = try dir.write("case_id,disposition\n\(sampled[0]),refused\n\(reserves[0]),complete\n,complete\n", to: "d.csv")
        let result = try Command.run(["cases", "dispose", file], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == """
            \(file):2:2: case \(sampled[0]): unknown disposition 'refused'; use one of pending, complete, partial, refusal, non-contact, other, unknown, not-eligible
            \(file):4:1: case_id is empty; give every row its case
            pingyi: error: \(file): 2 problems in 2 rows; nothing was recorded; correct the file and run the command again

            """)
        #expect(try dumpStore(db) == before)
        // The reserve's row alone is refused by the store: it is not in use yet.
        let reserve = try dir.write("case_id,disposition\n\(reserves[0]),完成\n", to: "r.csv")
        let refused = try Command.run(["cases", "dispose", reserve], in: dir)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("\(reserve):2:1: case \(reserves[0]) is a reserve that is not in use; "))
        #expect(try dumpStore(db) == before)
    }

    @Test func aFileWithWrongColumnsIsRefused() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, _) = Households.list(villages: 1, sample: 2, reserves: 0)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(listCSV, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let db = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(db)
        let forms = Households.forms([sampled[0]]).replacingOccurrences(of: "case_id,D01,", with: "case_id,D1,")
        let file = try dir.write(forms, to: "f.csv")
        let result = try Command.run(["responses", "import", file, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "王芳"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == """
            \(file):1: no column for item D01 (市政府办) of urban v1; the file needs case_id and one column per item, named as in the questionnaire
            \(file):1:2: column D1 is not an item of urban v1; did you mean D01?
            pingyi: error: \(file): 2 problems in 1 row; nothing was imported; correct the file and run the command again

            """)
        #expect(try dumpStore(db) == before)
    }

    @Test func exportsSpanTwoVersions() throws {
        let dir = try Command.temporaryDirectory()
        let fixtures = Command.fixture("store")
        let v1 = "\(fixtures)/questionnaires/small-v1.yaml", v2 = "\(fixtures)/questionnaires/small-v2.yaml"
        #expect(try Command.run(["cases", "load", "--list", "\(fixtures)/lists/urban.csv", "--survey", v1], in: dir).status == 0)
        let f1 = try dir.write("case_id,D01,D02,D03,own_town,members,q_students,q_education,q_note\nH-01-0001,1,2,3,4,2,1,7,旧版\n", to: "v1.csv")
        let f2 = try dir.write("case_id,D01,D02,D03,own_town,members,q_students,q_education,q_safety\nH-02-0001,4,3,2,1,5,2,,8\n", to: "v2.csv")
        for (file, survey) in [(f1, v1), (f2, v2)] {
            for (pass, name) in [("1", "王芳"), ("2", "张伟")] {
                let r = try Command.run(["responses", "import", file, "--survey", survey, "--pass", pass, "--operator", name], in: dir)
                #expect(r.status == 0)
            }
        }
        #expect(try Command.run(["responses", "verify"], in: dir).status == 0)
        let csv = try Command.run(["responses", "export", "--format", "csv", "--out", "small.csv"], in: dir)
        #expect(csv.stdout == "已导出  csv 2 行 → small.csv\n编码簿  small.codebook.csv\n")
        let data = try String(contentsOf: dir.appendingPathComponent("small.csv"), encoding: .utf8)
        #expect(data == """
            case_id,group,questionnaire,version,town_id,mode,D01,D02,D03,own_town,members,q_students,q_education,q_safety,q_note
            H-01-0001,urban,small,1,T01,paper,1,2,3,4,2,1,7,,旧版
            H-02-0001,urban,small,2,T02,paper,4,3,2,1,5,2,,8,

            """)
        for format in ["sav", "dta", "xlsx"] {
            let r = try Command.run(["responses", "export", "--format", format, "--out", "small.\(format)"], in: dir)
            #expect(r.status == 0)
            #expect(r.stdout == "已导出  \(format) 2 行 → small.\(format)\n")
        }
    }
}
