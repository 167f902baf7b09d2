import Foundation
import Testing

/// Bad values refused where they enter, with a located one-line message and nothing written;
/// no output may destroy an input (issue: reliability). Each test reproduces a defect found by
/// trying bad input on every command.
@Suite("Reliability: outputs never destroy inputs")
struct OutputSafetyTests {
    static let rural = Command.root.appendingPathComponent("surveys/designs/rural.yaml").path
    static let households = Command.root.appendingPathComponent("datasets/households.csv").path

    @Test func anOutputNamingAnInputIsRefused() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: frame))
        let same = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", frame])
        #expect(same.status == 64)
        #expect(same.stderr == "pingyi: error: \(frame): is also an input of this command; writing it would destroy it; name another output file\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: frame)) == before)
        // Another name for the same file (a hard link) is the same file.
        let link = dir.appendingPathComponent("other-name.csv").path
        try FileManager.default.linkItem(atPath: frame, toPath: link)
        let linked = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", link])
        #expect(linked.status == 64)
        #expect(linked.stderr.contains("is also an input of this command (read as \(frame))"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: frame)) == before)
        #expect(!files(in: dir).contains { $0.contains(".tmp-") })
    }

    @Test func theStoreIsNeverReplacedByAnExport() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, _) = Households.list(villages: 2, sample: 3, reserves: 1)
        let list = try dir.write(listCSV, to: "list.csv")
        #expect(try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let forms = try dir.write(Households.forms(sampled), to: "forms.csv")
        #expect(try Command.run(["responses", "import", forms, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "甲"], in: dir).status == 0)
        #expect(try Command.run(["responses", "import", forms, "--survey", StoreCommandTests.urban, "--pass", "2", "--operator", "乙"], in: dir).status == 0)
        let store = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(store)
        let export = try Command.run(["responses", "export", "--format", "long", "--db", "pingyi.sqlite", "--out", "pingyi.sqlite"], in: dir)
        #expect(export.status == 64)
        #expect(export.stderr == "pingyi: error: pingyi.sqlite: is also an input of this command; writing it would destroy it; name another output file\n")
        // verify --out naming the store is refused before anything is verified.
        let verify = try Command.run(["responses", "verify", "--out", "pingyi.sqlite", "--operator", "督导"], in: dir)
        #expect(verify.status == 64)
        #expect(try dumpStore(store) == before)
        // A copy of the store is still a database: no table is written over it.
        try FileManager.default.copyItem(atPath: store, toPath: dir.appendingPathComponent("copy.sqlite").path)
        let copy = try Command.run(["responses", "export", "--format", "long", "--out", "copy.sqlite"], in: dir)
        #expect(copy.status == 64)
        #expect(copy.stderr == "pingyi: error: copy.sqlite: is an SQLite database (a pingyi store?); an output must not replace it; name another output file\n")
        #expect(try Command.run(["responses", "status"], in: dir).status == 0)
    }

    @Test func linksFIFOsAndDevicesAsOutputs() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        // A symbolic link: the list goes to its target, the link stays a link.
        let target = dir.appendingPathComponent("real.csv").path
        try Data().write(to: URL(fileURLWithPath: target))
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")
        let viaLink = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", link])
        #expect(viaLink.status == 0, "\(viaLink.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.csv")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("person_id,body,town,size,"))
        // A link to nowhere, a FIFO, a device: refused, left as they are.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.csv").path, withDestinationPath: "missing/x.csv")
        let dangling = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", "dangling.csv"], in: dir)
        #expect(dangling.status == 64)
        #expect(dangling.stderr == "pingyi: error: dangling.csv: is a symbolic link to a file that does not exist; remove the link, or name the output file itself\n")
        let fifo = dir.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let toFIFO = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", fifo])
        #expect(toFIFO.status == 64)
        #expect(toFIFO.stderr.hasPrefix("pingyi: error: \(fifo): is a FIFO (named pipe), not a regular file;"))
        let device = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", "/dev/null"])
        #expect(device.status == 64)
        #expect(device.stderr.hasPrefix("pingyi: error: /dev/null: is a device, not a regular file;"))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        #expect(!files(in: dir).contains { $0.contains(".tmp-") })
    }

    /// A full disk (a 64 KiB tmpfs): the previous output is kept, the message says so, the
    /// exit status is 74 (EX_IOERR), not 64. Needs root (mount); skipped with a note otherwise.
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root, so the full-disk test was skipped"))
    func aFullDiskKeepsThePreviousOutput() throws {
        try OutputSafetyTests.withSmallDisk { small in
            let list = small + "/rural.csv"
            try Data("previous list\n".utf8).write(to: URL(fileURLWithPath: list))
            let result = try Command.run(["sample", "--design", OutputSafetyTests.rural, "--seed", "1", "--out", list])
            #expect(result.status == 74)
            #expect(result.stderr == "pingyi: error: \(list): cannot write the output file (No space left on device); the previous file is unchanged; free disk space, then run the command again\n")
            #expect(try String(contentsOfFile: list, encoding: .utf8) == "previous list\n")
            #expect(files(in: URL(fileURLWithPath: small)) == ["rural.csv"])
        }
    }

    /// The same for an export of the store and for the report (a folder of files): a disk that
    /// fills up part-way keeps the previous export and every file of the previous report.
    @Test(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root, so the full-disk test was skipped"))
    func aFullDiskKeepsThePreviousExportAndReport() throws {
        let dir = try Command.temporaryDirectory()
        let (csv, sampled, _) = Households.list(villages: 12, sample: 20, reserves: 2)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(csv, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        #expect(try Command.run(["responses", "import", try dir.write(Households.forms(sampled), to: "forms.csv"), "--survey", StoreCommandTests.urban,
                                 "--pass", "1", "--operator", "王芳"], in: dir).status == 0)
        let store = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(store)
        try OutputSafetyTests.withSmallDisk { small in
            let export = small + "/cases.csv"
            try Data("previous export\n".utf8).write(to: URL(fileURLWithPath: export))
            let report = small + "/report"
            try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
            try Data("previous report\n".utf8).write(to: URL(fileURLWithPath: report + "/report.html"))
            try Data("previous workbook\n".utf8).write(to: URL(fileURLWithPath: report + "/report.xlsx"))
            // All but 8 KiB of the disk is taken, so that the report's files fill it too.
            let free = try #require(try FileManager.default.attributesOfFileSystem(forPath: small)[.systemFreeSize] as? NSNumber).intValue
            try Data(count: max(0, free - 8 * 1024)).write(to: URL(fileURLWithPath: small + "/filler"))
            let exported = try Command.run(["responses", "export", "--format", "cases", "--db", store, "--out", export])
            #expect(exported.status == 74, "\(exported.stderr)")
            #expect(exported.stderr.contains("No space left on device") && exported.stderr.contains("the previous file is unchanged"), "\(exported.stderr)")
            #expect(try String(contentsOfFile: export, encoding: .utf8) == "previous export\n")

            let written = try Command.run(["report", "--scores", Command.fixture("reports/scores.csv"), "--distribution", Command.fixture("reports/dist.csv"),
                                           "--out", report])
            #expect(written.status == 74, "\(written.stderr)")
            #expect(written.stderr.contains("No space left on device"), "\(written.stderr)")
            #expect(try String(contentsOfFile: report + "/report.html", encoding: .utf8) == "previous report\n")
            #expect(try String(contentsOfFile: report + "/report.xlsx", encoding: .utf8) == "previous workbook\n")
            #expect(files(in: URL(fileURLWithPath: report)) == ["report.html", "report.xlsx"])
            #expect(files(in: URL(fileURLWithPath: small)).sorted() == ["cases.csv", "filler", "report"])
        }
        #expect(try dumpStore(store) == before)
    }

    /// Runs `body` with the path of a 64 KiB tmpfs, mounted for it and unmounted after.
    static func withSmallDisk(_ body: (String) throws -> Void) throws {
        let dir = try Command.temporaryDirectory()
        let small = dir.appendingPathComponent("small").path
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        func tool(_ path: String, _ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard try tool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small]) == 0 else {
            Issue.record("mount -t tmpfs failed although running as root")
            return
        }
        defer { _ = try? tool("/bin/umount", [small]) }
        try body(small)
    }

    @Test func inputsThatNeverEndAreRefused() throws {
        let dir = try Command.temporaryDirectory()
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        let zero = try Command.run(["sample", "--design", design, "--frame", "/dev/zero", "--seed", "1", "--out", "x.csv"], in: dir)
        #expect(zero.status == 64)
        #expect(zero.stderr == "pingyi: error: /dev/zero: is a device, not a regular file; name a file\n")
        let fifo = dir.appendingPathComponent("frame.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let pipe = try Command.run(["sample", "--design", design, "--frame", fifo, "--seed", "1", "--out", "x.csv"], in: dir)
        #expect(pipe.status == 64)
        #expect(pipe.stderr.contains("is a FIFO (named pipe), not a regular file; save the input to a file and name the file"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }
}

@Suite("Reliability: bad values are located errors")
struct BadValueTests {
    static let scale = Command.root.appendingPathComponent("surveys/scales/four-tier.yaml").path

    /// A small long file: 2 strata × 2 PSUs × 2 respondents, units D01 and D02.
    static func long(_ edit: (inout [[String]]) -> Void = { _ in }) -> String {
        var rows: [[String]] = []
        for (s, stratum) in ["T1", "T2"].enumerated() {
            for p in 1...2 {
                for h in 1...2 {
                    let id = "R\(s)\(p)\(h)"
                    for (u, unit) in ["D01", "D02"].enumerated() {
                        rows.append([id, unit, String(1 + (s + p + h + u) % 4), stratum, "\(stratum)V\(p)", "10", "\(id)H", "50", "25"])
                    }
                }
            }
        }
        edit(&rows)
        return (["case_id,unit,tier,stage1_stratum,stage1_unit,stage1_N,stage2_unit,stage2_N,weight"] + rows.map { $0.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    func score(_ text: String, _ extra: [String] = []) throws -> (Command, URL) {
        let dir = try Command.temporaryDirectory()
        try write(text, to: "long.csv", in: dir)
        let result = try Command.run(["score", "--responses", "long.csv", "--scale", BadValueTests.scale, "--out", "scores.csv"] + extra, in: dir)
        return (result, dir)
    }

    @Test func theLongFileIsScoredAsItIs() throws {
        let (ok, dir) = try score(BadValueTests.long())
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(files(in: dir).contains("scores.csv"))
    }

    @Test(arguments: [
        ("x", "long.csv:4:3: field tier: 'x' is not an answer code; the answer codes are whole numbers of the scale (e.g. 1–4, 7 for don't know); leave the cell empty for no answer"),
        (" 1", "long.csv:4:3: field tier: ' 1' is not an answer code; remove the spaces around the code (cells are not trimmed)"),
        ("5", "long.csv:4:3: field tier: 5 is not a code of the scale (unit D01); the scale's codes are 1–4, 6–9; correct the answer, or score with the scale it was keyed on"),
    ])
    func aBadTierCellIsLocated(_ cell: String, _ message: String) throws {
        let (result, dir) = try score(BadValueTests.long { $0[2][2] = cell })
        #expect(result.status == 65)
        #expect(result.stderr == "pingyi: error: \(message)\n")
        #expect(!files(in: dir).contains("scores.csv"))
    }

    @Test func inconsistentLongFilesAreRefused() throws {
        let twice = try score(BadValueTests.long { $0.append($0[0]) }).0
        #expect(twice.status == 65)
        #expect(twice.stderr == "pingyi: error: long.csv:18: respondent R011 rates unit D01 twice (also on line 2); keep one row per respondent and unit (export the long file again from the store)\n")
        let varying = try score(BadValueTests.long { rows in for i in 0..<4 { rows[i][5] = "12" } }).0
        #expect(varying.status == 65)
        #expect(varying.stderr.hasPrefix("pingyi: error: long.csv:6: stage 1: the population count 'stage1_N' is 10 here but 12 on line 2, within stratum T1;"))
        let zero = try score(BadValueTests.long { rows in for i in rows.indices { rows[i][8] = "0" } }).0
        #expect(zero.status == 65)
        #expect(zero.stderr.hasPrefix("pingyi: error: long.csv: every weight in column 'weight' is 0, so nothing can be estimated;"))
        let huge = try score(BadValueTests.long { rows in rows[0][8] = "1e308"; rows[1][8] = "1e308" }).0
        #expect(huge.status == 65)
        #expect(huge.stderr.hasPrefix("pingyi: error: long.csv:2:9: field weight: 1e+308 is not a plausible weight (over 1000000000000);"))
        let empty = try score(BadValueTests.long { $0[3][8] = "" }).0
        #expect(empty.status == 65)
        #expect(empty.stderr.hasPrefix("pingyi: error: long.csv:5:9: field weight: is empty;"))
    }

    @Test func aUnitAnsweredOnlyDontKnowIsReported() throws {
        let (result, dir) = try score(BadValueTests.long { rows in for i in rows.indices where rows[i][1] == "D02" { rows[i][2] = "7" } })
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: dir.appendingPathComponent("scores.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[2].hasPrefix("D02,0,1,,,,,,,,,,"))
    }

    static let scores = """
        unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff,df,low_rate
        D01,30,0.1,80,2,76,84,0.9,0.05,0.8,1,1.2,12,
        D02,30,0.1,70,3,64,76,0.8,0.06,0.7,0.9,1.1,12,

        """

    @Test(arguments: [
        ("score", "150", "a.csv:3:4: field score: 150 is outside 0–100"),
        ("rate", "1.5", "a.csv:3:8: field rate: 1.5 is outside 0–1"),
        ("score_se", "-1", "a.csv:3:5: field score_se: -1 is outside 0–"),
        ("df", "x", "a.csv:3:13: field df: 'x' is not a whole number of degrees of freedom"),
    ])
    func badScoreFilesAreRefusedByCombine(_ field: String, _ value: String, _ message: String) throws {
        let dir = try Command.temporaryDirectory()
        var lines = BadValueTests.scores.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let c = try #require(lines[0].firstIndex(of: field))
        lines[2][c] = value
        try write(lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", to: "a.csv", in: dir)
        try write(BadValueTests.scores, to: "b.csv", in: dir)
        let result = try Command.run(["score", "combine", "a.csv", "b.csv", "--weights", "1,1", "--out", "c.csv"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("pingyi: error: \(message)"), "\(result.stderr)")
        #expect(!files(in: dir).contains("c.csv"))
    }

    @Test func badCombineInputsAndWeights() throws {
        let dir = try Command.temporaryDirectory()
        try write(BadValueTests.scores, to: "a.csv", in: dir)
        try write(BadValueTests.scores + "D01,30,0.1,80,2,76,84,0.9,0.05,0.8,1,1.2,12,\n", to: "twice.csv", in: dir)
        let twice = try Command.run(["score", "combine", "a.csv", "twice.csv", "--weights", "1,1", "--out", "c.csv"], in: dir)
        #expect(twice.status == 65)
        #expect(twice.stderr == "pingyi: error: twice.csv:4: unit D01 is scored twice (also on line 2); keep one row per unit\n")
        for weights in ["inf,50", "1e308,1e308"] {
            let result = try Command.run(["score", "combine", "a.csv", "a.csv", "--weights", weights, "--out", "c.csv"], in: dir)
            #expect(result.status == 64, "\(weights)")
            #expect(result.stderr.contains("--weights must be finite, non-negative and not all zero"))
        }
        var byGroup = "unit,group,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff,df,low_rate\n"
        for g in ["deputies", "urban"] { byGroup += "D01,\(g),30,0.1,80,2,76,84,0.9,0.05,0.8,1,1.2,12,\n" }
        try write(byGroup, to: "g.csv", in: dir)
        let repeated = try Command.run(["score", "combine", "g.csv", "--across", "group", "--weights", "deputies=1,deputies=2,urban=1", "--out", "c.csv"], in: dir)
        #expect(repeated.status == 64)
        #expect(repeated.stderr == "pingyi: error: --weights names group 'deputies' twice; give each value of group one weight\n")
        let missing = try Command.run(["score", "combine", "g.csv", "--across", "group", "--weights", "deputies=1", "--out", "c.csv"], in: dir)
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("pingyi: error: --weights gives no weight to group 'urban' of g.csv;"))
        #expect(!files(in: dir).contains("c.csv"))
    }

    @Test func badNumbersInTheFrameDoNotChangeTheDesign() throws {
        let dir = try Command.temporaryDirectory()
        let frame = """
            enterprise_id,industry,employees,town
            1,制造,1200,T1
            2,制造,30,T1
            3,制造,NaN,T2
            4,服务,15,T2
            5,服务,40,T1
            6,服务,22,T2

            """
        try write(frame, to: "frame.csv", in: dir)
        func design(_ stage: String) throws -> String {
            try write("name: 企业\nid: enterprise_id\ncase-prefix: E\nstages:\n  - unit: enterprise_id\n    strata: [industry]\n    method: systematic\n" + stage,
                      to: "design.yaml", in: dir)
        }
        _ = try design("    certainty: {column: employees, at-least: 1000}\n    allocation: {per-stratum: 1}\n")
        let nan = try Command.run(["sample", "--design", "design.yaml", "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(nan.status == 65)
        #expect(nan.stderr == "pingyi: error: frame.csv:4:3: field employees: 'NaN' is not a number, but stage 1 of the design uses it as a number (certainty: {column: employees}); correct the frame: every row the design draws from needs a number in employees\n")
        _ = try design("    certainty: {column: town, at-least: 1000}\n    allocation: {per-stratum: 1}\n")
        let text = try Command.run(["sample", "--design", "design.yaml", "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(text.status == 65)
        #expect(text.stderr.hasPrefix("pingyi: error: frame.csv:2:4: field town: 'T1' is not a number"))
        try write(frame.replacingOccurrences(of: "NaN", with: "25"), to: "frame.csv", in: dir)
        _ = try design("    allocation: {total: 4, rule: neyman, neyman-sd: town}\n")
        let neymanText = try Command.run(["sample", "--design", "design.yaml", "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(neymanText.status == 65)
        #expect(neymanText.stderr.contains("(neyman-sd: town)"))
        try write(frame.replacingOccurrences(of: ",NaN,", with: ",25,").replacingOccurrences(of: "1200", with: "7")
                    .replacingOccurrences(of: ",30,", with: ",7,").replacingOccurrences(of: ",25,", with: ",7,")
                    .replacingOccurrences(of: ",15,", with: ",7,").replacingOccurrences(of: ",40,", with: ",7,")
                    .replacingOccurrences(of: ",22,", with: ",7,"), to: "frame.csv", in: dir)
        _ = try design("    allocation: {total: 4, rule: neyman, neyman-sd: employees}\n")
        let constant = try Command.run(["sample", "--design", "design.yaml", "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(constant.status == 65)
        #expect(constant.stderr.contains("the neyman-sd column employees is 7 on every row, so it gives no spread to allocate by; use rule: proportional"))
        #expect(!files(in: dir).contains("list.csv"))
    }

    @Test func nulBytesAreRefusedWithTheirPlace() throws {
        let dir = try Command.temporaryDirectory()
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        try write(smallFrame.replacingOccurrences(of: "2,甲,T2", with: "2,甲\u{0},T2"), to: "frame.csv", in: dir)
        let frame = try Command.run(["sample", "--design", design, "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(frame.status == 65)
        #expect(frame.stderr.hasPrefix("pingyi: error: frame.csv:3:4: a NUL byte (0x00) in the text;"))
        #expect(!files(in: dir).contains("list.csv"))
    }

    @Test func diagnosticsSayWhatIsWrong() throws {
        let dir = try Command.temporaryDirectory()
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        func draw(_ frame: String) throws -> Command {
            try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", "list.csv"], in: dir)
        }
        try write(smallFrame.replacingOccurrences(of: "\n", with: "\r"), to: "cr.csv", in: dir)
        let cr = try draw("cr.csv")
        #expect(cr.status == 65)
        #expect(cr.stderr.hasPrefix("pingyi: error: cr.csv:1: the lines end in a carriage return alone (CR, old Mac style)"))
        try write(smallFrame.replacingOccurrences(of: ",", with: "\t"), to: "tab.csv", in: dir)
        let tab = try draw("tab.csv")
        #expect(tab.status == 65)
        #expect(tab.stderr.contains("the file seems to be tab-delimited"))
        #expect(tab.stderr.contains("read it with --delimiter tab"))
        // GB18030 text with one damaged character on line 6: the error is there, not at the
        // first Chinese character.
        var gb = Array("person_id,body,town,size\n1,".utf8) + [0xBC, 0xD7] + Array(",T1,3\n2,".utf8) + [0xBC, 0xD7] + Array(",T2,5\n".utf8)
        gb += Array("3,A,T1,2\n4,B,T2,4\n5,".utf8) + [0xD2, 0x20] + Array(",T1,6\n".utf8)
        try Data(gb).write(to: dir.appendingPathComponent("gb.csv"))
        let damaged = try draw("gb.csv")
        #expect(damaged.status == 65)
        #expect(damaged.stderr.hasPrefix("pingyi: error: gb.csv:6:"), "\(damaged.stderr)")
        #expect(damaged.stderr.contains("the file reads as GB18030 (GBK) up to here"))
        // A design that is not UTF-8: the line of the bad byte.
        try Data(Array("name: 测试\nid: person_id\ncase-prefix: ".utf8) + [0xFF] + Array("T\n".utf8)).write(to: dir.appendingPathComponent("bad.yaml"))
        let yaml = try Command.run(["sample", "--design", "bad.yaml", "--frame", "frame.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(yaml.status == 65)
        #expect(yaml.stderr.hasPrefix("pingyi: error: bad.yaml:3:14: invalid UTF-8 byte 0xFF; save the file as UTF-8"), "\(yaml.stderr)")
        // A size column with NaN is reported on its own line.
        try write("village_id,town,households\nV1,T1,100\nV2,T1,80\nV3,T1,NaN\nV4,T2,40\nV5,T2,60\n", to: "villages.csv", in: dir)
        try write("name: 村\nid: village_id\ncase-prefix: V\nstages:\n  - unit: village_id\n    strata: [town]\n    method: pps-systematic\n    size: households\n    allocation: {per-stratum: 1}\n",
                  to: "pps.yaml", in: dir)
        let size = try Command.run(["sample", "--design", "pps.yaml", "--frame", "villages.csv", "--seed", "1", "--out", "list.csv"], in: dir)
        #expect(size.status == 65)
        #expect(size.stderr.hasPrefix("pingyi: error: villages.csv:4:3: field households: 'NaN' is not a number"))
    }

    @Test func hexadecimalIsNotANumber() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, _) = Households.list(villages: 1, sample: 2, reserves: 0)
        let list = try dir.write(listCSV, to: "list.csv")
        #expect(try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir).status == 0)
        var text = Households.forms(sampled)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let members = try #require(lines[0].firstIndex(of: "members"))
        lines[1][members] = "0x5"
        text = lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let file = try dir.write(text, to: "forms.csv")
        let result = try Command.run(["responses", "import", file, "--survey", StoreCommandTests.urban, "--pass", "1", "--operator", "甲"], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr.contains("members = '0x5' is not a number"))
    }

    @Test func absurdCompositeValuesAreErrorsNotCrashes() throws {
        let dir = try Command.temporaryDirectory()
        let scheme = Command.root.appendingPathComponent("surveys/schemes/dashiqiao.yaml").path
        let inputs = Command.root.appendingPathComponent("datasets/dashiqiao")
        let units = Command.root.appendingPathComponent("datasets/units.csv").path
        var publicScores = "unit,score,score_se\n"
        let table = try String(contentsOfFile: units, encoding: .utf8).split(separator: "\n").dropFirst()
        for line in table { publicScores += "\(line.split(separator: ",")[0]),85,1.5\n" }
        try write(publicScores, to: "public.csv", in: dir)
        try write(publicScores.replacingOccurrences(of: "85,1.5\n", with: "85,1e17\n"), to: "se.csv", in: dir)
        func composite(_ publicFile: String, events: String) throws -> Command {
            try Command.run(["composite", "--scheme", scheme, "--components", inputs.appendingPathComponent("components.csv").path,
                             "--indicators", inputs.appendingPathComponent("indicators.csv").path, "--events", events,
                             "--public", publicFile, "--units", units, "--out", "composite.csv"], in: dir)
        }
        let events = inputs.appendingPathComponent("events.csv").path
        #expect(try composite("public.csv", events: events).status == 0)
        let good = try Data(contentsOf: dir.appendingPathComponent("composite.csv"))
        let se = try composite("se.csv", events: events)
        #expect(se.status == 65)
        #expect(se.stderr.contains("field score_se: 1e+17 cannot be the standard error of a score on the 100-point basis"))
        let original = try String(contentsOfFile: events, encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        // The first event that carries points gets 1e17 of them.
        let header = lines[0].split(separator: ",").map(String.init)
        let points = try #require(header.firstIndex(of: "points"))
        var edited = lines.map(String.init)
        let row = try #require(edited.indices.dropFirst().first { i in
            let cells = edited[i].split(separator: ",", omittingEmptySubsequences: false)
            return cells.count > points && !cells[points].isEmpty
        })
        var cells = edited[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[points] = "1e17"
        edited[row] = cells.joined(separator: ",")
        try write(edited.joined(separator: "\n"), to: "events.csv", in: dir)
        let bonus = try composite("public.csv", events: dir.appendingPathComponent("events.csv").path)
        #expect(bonus.status == 65, "\(bonus.stderr)")
        #expect(bonus.stderr.contains("field points: "))
        // The earlier result is left as it was.
        #expect(try Data(contentsOf: dir.appendingPathComponent("composite.csv")) == good)
    }
}
