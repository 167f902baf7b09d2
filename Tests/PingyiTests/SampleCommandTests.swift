import Foundation
import Testing

/// Writes `text` to `name` in `directory`.
@discardableResult
func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

func files(in directory: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
}

let smallFrame = """
    person_id,body,town,size
    1,甲,T1,3
    2,甲,T2,5
    3,甲,T1,2
    4,乙,T2,4
    5,乙,T1,6
    6,乙,T3,1
    7,乙,T3,2

    """

let smallDesign = """
    name: 测试
    id: person_id
    case-prefix: T
    stages:
      - unit: person_id
        strata: [body]
        order: [town]
        method: systematic
        allocation: {per-stratum: 2}
        reserve: 1

    """

@Suite("pingyi sample")
struct SampleCommandTests {
    @Test func shippedCountyDesignsDraw() throws {
        let out = try Command.temporaryDirectory()
        let expected = ["deputies": (150, 30), "enterprises": (247, 64), "urban": (300, 60), "rural": (480, 96)]
        for (group, counts) in expected {
            let list = out.appendingPathComponent("\(group).csv").path
            let result = try Command.run(["sample", "--design", "surveys/designs/\(group).yaml", "--seed", "20170401", "--out", list])
            #expect(result.status == 0, "\(group): \(result.stderr)")
            let text = try String(contentsOfFile: list, encoding: .utf8)
            let lines = text.split(separator: "\n").dropFirst()
            #expect(lines.filter { $0.contains(",sample,") }.count == counts.0, "\(group)")
            #expect(lines.filter { $0.contains(",reserve,") }.count == counts.1, "\(group)")
            #expect(result.stdout.contains("抽中 \(counts.0)"))
        }
        #expect(files(in: out).filter { $0.hasSuffix(".manifest.json") }.count == 4)
    }

    @Test func sameSeedGivesIdenticalBytesAndVerifyAgrees() throws {
        let dir = try Command.temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv").path
        let b = dir.appendingPathComponent("b.csv").path
        for path in [a, b] {
            let r = try Command.run(["sample", "--design", "surveys/designs/rural.yaml", "--seed", "7", "--out", path])
            #expect(r.status == 0)
        }
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
        let manifestA = try String(contentsOfFile: dir.appendingPathComponent("a.manifest.json").path, encoding: .utf8)
        let manifestB = try String(contentsOfFile: dir.appendingPathComponent("b.manifest.json").path, encoding: .utf8)
        #expect(manifestA.replacingOccurrences(of: "a.csv", with: "b.csv") == manifestB)
        let verify = try Command.run(["sample", "verify", "--manifest", dir.appendingPathComponent("a.manifest.json").path])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("一致"))
    }

    @Test func verifyDetectsAChangedSeedOrFrame() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        let list = dir.appendingPathComponent("list.csv").path
        #expect(try Command.run(["sample", "--frame", frame, "--design", design, "--seed", "3", "--out", list]).status == 0)
        let manifest = dir.appendingPathComponent("list.manifest.json").path
        let original = try String(contentsOfFile: manifest, encoding: .utf8)
        try original.replacingOccurrences(of: "\"seed\" : 3", with: "\"seed\" : 4").write(toFile: manifest, atomically: true, encoding: .utf8)
        let seed = try Command.run(["sample", "verify", "--manifest", manifest])
        #expect(seed.status == 65)
        #expect(seed.stderr.contains("the list differs from a re-draw with seed 4"))
        try original.write(toFile: manifest, atomically: true, encoding: .utf8)
        try write(smallFrame.replacingOccurrences(of: "7,乙,T3,2", with: "7,乙,T3,9"), to: "frame.csv", in: dir)
        let changed = try Command.run(["sample", "verify", "--manifest", manifest])
        #expect(changed.status == 65)
        #expect(changed.stderr.contains("the frame has changed since the draw"))
    }

    /// An auditor sent the four files in one folder verifies there; a list from another seed fails.
    @Test func verifyFilesSentInOneFolder() throws {
        let drawn = try Command.temporaryDirectory()
        let list = drawn.appendingPathComponent("list.csv").path
        #expect(try Command.run(["sample", "--design", "surveys/designs/deputies.yaml", "--seed", "11", "--out", list]).status == 0)
        let folder = try Command.temporaryDirectory()
        for source in [list, drawn.appendingPathComponent("list.manifest.json").path,
                       Command.root.appendingPathComponent("surveys/designs/deputies.yaml").path,
                       Command.root.appendingPathComponent("datasets/deputies.csv").path] {
            try FileManager.default.copyItem(atPath: source, toPath: folder.appendingPathComponent((source as NSString).lastPathComponent).path)
        }
        let manifest = folder.appendingPathComponent("list.manifest.json").path
        let verified = try Command.run(["sample", "verify", "--manifest", manifest])
        #expect(verified.status == 0, "\(verified.stderr)")
        let other = folder.appendingPathComponent("other.csv").path
        #expect(try Command.run(["sample", "--design", "surveys/designs/deputies.yaml", "--seed", "12", "--out", other]).status == 0)
        try FileManager.default.removeItem(atPath: folder.appendingPathComponent("list.csv").path)
        try FileManager.default.moveItem(atPath: other, toPath: folder.appendingPathComponent("list.csv").path)
        let failed = try Command.run(["sample", "verify", "--manifest", manifest])
        #expect(failed.status == 65)
        #expect(failed.stderr.contains("the list differs from a re-draw with seed 11"))
        #expect(failed.stderr.contains("drawn with another seed"))
    }

    @Test func listColumnsAndCaseNumbers() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        let list = dir.appendingPathComponent("list.csv").path
        #expect(try Command.run(["sample", "--frame", frame, "--design", design, "--seed", "11", "--out", list]).status == 0)
        let lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "person_id,body,town,size,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,prob,weight,role,reserve_rank,reserve_group,reserve_prob,case_id")
        // Strata in code-point order: 乙 (U+4E59) has 4 people: 2 drawn (prob 1/2) and 1 reserve;
        // 甲 (U+7532) has 3: 2 drawn (2/3) and 1 reserve.
        #expect(lines.count == 7)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[15] } == ["T-01-0001", "T-01-0002", "T-01-0003", "T-02-0001", "T-02-0002", "T-02-0003"])
        #expect(rows.map { $0[11] } == ["sample", "sample", "reserve", "sample", "sample", "reserve"])
        #expect(rows[0][1] == "乙" && rows[0][6] == "0.5" && rows[0][10] == "2")
        #expect(rows[2][12] == "1" && rows[2][14] == "0.25" && rows[2][13] == "乙")
        #expect(rows[3][1] == "甲" && rows[3][6] == String(2.0 / 3.0) && rows[3][10] == "1.5")
        #expect(rows[5][12] == "1" && rows[5][14] == String(1.0 / 3.0))
    }

    @Test(arguments: [
        ("stages:\n  - unit: person_id\n    strata: [bdy]\n    method: systematic\n    allocation: {per-stratum: 2}\n",
         "design.yaml:6:13: stages[1].strata: no column 'bdy' in the frame"),
        ("stages:\n  - unit: person_id\n    strata: [body]\n    method: systematic\n    allocation: {per-stratum: 4}\n",
         "stratum 甲 (stage 1) has 3 units but 4 are asked; set take-all: true"),
        ("stages:\n  - unit: person_id\n    strata: [body]\n    method: pps-systematic\n    size: size\n    allocation: {total: 10, rule: proportional}\n",
         "stage 1 asks for 10 units but only 7 can be drawn"),
        ("stages:\n  - unit: person_id\n    method: systematc\n    allocation: {per-stratum: 2}\n",
         "design.yaml:6:13: stages[1].method: unknown method 'systematc'; use srs, systematic or pps-systematic"),
        ("stages:\n  - unit: person_id\n    strata: [body]\n    method: systematic\n    allocation: {sizes: {甲: 1, 丙: 1}}\n",
         "allocation names stratum '丙', which has no units in the frame"),
    ])
    func badDesignsExit65AndWriteNothing(stages: String, message: String) throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write("name: 测试\nid: person_id\ncase-prefix: T\n" + stages, to: "design.yaml", in: dir)
        let result = try Command.run(["sample", "--frame", frame, "--design", design, "--seed", "1", "--out", dir.appendingPathComponent("list.csv").path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(files(in: dir) == ["design.yaml", "frame.csv"])
    }

    @Test(arguments: [
        ("person_id,body,town,size\n1,甲,T1,3\n2,甲,T2,5\n1,乙,T2,4\n", "frame.csv:4: duplicate person_id '1' (also on line 2)"),
        ("person_id,body,town,size\n1,甲,T1,3\n2,,T2,5\n3,乙,T2,4\n", "frame.csv:3: the stratum column 'body' is empty"),
        ("person_id,body,town,size\n1,甲,T1,0\n2,甲,T2,5\n3,乙,T2,4\n4,乙,T1,2\n", "frame.csv:2: unit 1 in stratum 甲 has size size = 0; sizes must be positive numbers"),
        ("person_id,body,town,size\n1,甲,T1,3\n2,甲,T2,5\n3,乙,T2,4\n4,乙,T1,-2\n", "frame.csv:5: unit 4 in stratum 乙 has size size = -2"),
    ])
    func badFramesExit65AndWriteNothing(frameText: String, message: String) throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(frameText, to: "frame.csv", in: dir)
        let design = try write("""
            name: 测试
            id: person_id
            stages:
              - unit: person_id
                strata: [body]
                method: pps-systematic
                size: size
                allocation: {per-stratum: 1}

            """, to: "design.yaml", in: dir)
        let result = try Command.run(["sample", "--frame", frame, "--design", design, "--seed", "1", "--out", dir.appendingPathComponent("list.csv").path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(files(in: dir) == ["design.yaml", "frame.csv"])
    }

    @Test func usageErrors() throws {
        let noSeed = try Command.run(["sample", "--design", "surveys/designs/rural.yaml", "--seed", "0", "--out", "/tmp/x.csv"])
        #expect(noSeed.status == 64)
        #expect(noSeed.stderr.contains("Error: The value '0' is invalid for '--seed <seed>'"))
        #expect(try Command.run(["sample", "draw", "--help"]).stdout.contains("Seed of the random number generator, 1 to 4294967295."))
        let noDesign = try Command.run(["sample", "--design", "nope.yaml", "--seed", "1", "--out", "/tmp/x.csv"])
        #expect(noDesign.status == 64)
        let noFrame = try Command.run(["sample", "--frame", "/nonexistent.csv", "--design", "surveys/designs/rural.yaml", "--seed", "1", "--out", "/tmp/x.csv"])
        #expect(noFrame.status == 64)
    }

    @Test func replicatesAddAColumn() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        let list = dir.appendingPathComponent("list.csv").path
        #expect(try Command.run(["sample", "--frame", frame, "--design", design, "--seed", "5", "--out", list, "--reps", "3"]).status == 0)
        let lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasSuffix(",case_id,replicate"))
        #expect(lines.count == 1 + 3 * 6)
        #expect(lines.last?.hasSuffix(".3,3") == true)
    }

    @Test func sampleSize() throws {
        let r = try Command.run(["sample", "size", "--margin", "0.05", "--deff", "1.5", "--response-rate", "0.7", "--population", "8000"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("需完成问卷            538"))
        #expect(r.stdout.contains("769"))
    }

    /// Coordinated quarters through the command line: a registry, four rotations of the deputies
    /// with no one asked twice (the quarter's sample is 150 of 506, so two quarters can be
    /// disjoint), each manifest verifying; a missing --rotation is bad usage; a list overlap found.
    @Test func coordinatedQuartersAndListOverlap() throws {
        let dir = try Command.temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let frame = Command.root.appendingPathComponent("datasets/deputies.csv").path
        let shipped = try String(contentsOfFile: Command.root.appendingPathComponent("surveys/designs/deputies.yaml").path, encoding: .utf8)
        let design = try write(shipped.replacingOccurrences(of: "frame: ../../datasets/deputies.csv\n", with: "")
            + "coordination: {registry: deputies.prn.csv, rotate: quarter}\n", to: "deputies.yaml", in: dir)
        let registry = try Command.run(["sample", "registry", "--design", design, "--frame", frame, "--seed", "20170101", "--out", path("deputies.prn.csv")])
        #expect(registry.status == 0 && registry.stdout.contains("永久随机数：506 个单位（新增 506，保留 0）"), "\(registry.stdout)\(registry.stderr)")
        let missing = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "7", "--out", path("q.csv")])
        #expect(missing.status == 64 && missing.stderr.contains("give --rotation N, 1 for the first quarter"), "\(missing.stderr)")
        var quarters: [Set<String>] = []
        for q in 1...4 {
            let out = path("q\(q).csv")
            let r = try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "7", "--rotation", String(q), "--out", out])
            #expect(r.status == 0 && r.stdout.contains("协调抽样第 \(q) 轮"), "\(r.stderr)")
            let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = rows[0].map(String.init)
            let id = try #require(header.firstIndex(of: "person_id")), role = try #require(header.firstIndex(of: "role"))
            quarters.append(Set(rows.dropFirst().filter { $0[role] == "sample" }.map { String($0[id]) }))
            let verify = try Command.run(["sample", "verify", "--manifest", path("q\(q).manifest.json")])
            #expect(verify.status == 0, "\(verify.stderr)")
            let manifest = try String(contentsOfFile: path("q\(q).manifest.json"), encoding: .utf8)
            #expect(manifest.contains("\"rotation\" : \(q)") && manifest.contains("deputies.prn.csv"))
        }
        for q in 0..<3 { #expect(quarters[q].intersection(quarters[q + 1]).isEmpty, "quarters \(q + 1) and \(q + 2) share deputies") }
        // A changed registry no longer verifies.
        let text = try String(contentsOfFile: path("deputies.prn.csv"), encoding: .utf8)
        try text.replacingOccurrences(of: ",0.", with: ",0.9", options: [], range: text.range(of: ",0.")).write(toFile: path("deputies.prn.csv"), atomically: true, encoding: .utf8)
        let changed = try Command.run(["sample", "verify", "--manifest", path("q1.manifest.json")])
        #expect(changed.status == 65 && changed.stderr.contains("the registry of permanent random numbers has changed since the draw"), "\(changed.stderr)")
        // Overlap: the first quarter's first deputy also manages an enterprise (same name, phone
        // written with a +86 prefix and full-width digits).
        let q1 = try String(contentsOfFile: path("q1.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = q1[0]
        let name = try #require(header.firstIndex(of: "name")), phone = try #require(header.firstIndex(of: "phone"))
        let person = q1[1]
        let fullWidth = String(person[phone].unicodeScalars.map { Character(UnicodeScalar($0.value + 0xFEE0) ?? $0) })
        let enterprises = try write("enterprise_id,manager,phone,role,case_id\nE0001,\(person[name]) ,+86 \(fullWidth),sample,E-01-0001\nE0002,别人,13800000000,sample,E-01-0002\n",
                                    to: "enterprises.csv", in: dir)
        let overlap = try Command.run(["sample", "overlap", path("q1.csv"), enterprises, "--out", path("overlap.csv")])
        #expect(overlap.status == 0 && overlap.stdout.contains("1 人同时在两份名单上"), "\(overlap.stdout)\(overlap.stderr)")
        let found = try String(contentsOfFile: path("overlap.csv"), encoding: .utf8)
        #expect(found.hasPrefix("key,name,list_a,case_a,role_a,list_b,case_b,role_b\nname_phone,\(person[name]),"), "\(found)")
        #expect(found.contains("E-01-0001") && !found.contains("E-01-0002"))
        let none = try Command.run(["sample", "overlap", path("q1.csv"), path("q2.csv")])
        #expect(none.status == 0 && none.stdout.contains("没有重复的人"), "\(none.stdout)")
    }
}
