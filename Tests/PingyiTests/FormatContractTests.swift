import Foundation
import Testing

/// Every file one command writes and another reads carries its format: written by today's
/// writers it is read by every reader; given another version, each reader refuses it, saying
/// which version it is and what to do.
@Suite("File format contracts")
struct FormatContractTests {
    /// The file with every `NAME/V` of its format column replaced by `NAME/V-1` (`NAME/0` for the
    /// formats still at version 1).
    static func older(_ path: String, _ name: String, version: Int = 1, in dir: URL) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(",\(name)/\(version)\n"), "\(path) has no \(name)/\(version) format column")
        return try write(text.replacingOccurrences(of: ",\(name)/\(version)\n", with: ",\(name)/\(version - 1)\n"),
                         to: "old-\((path as NSString).lastPathComponent)", in: dir)
    }

    @Test func theStoreFilesAndScoresAreReadAndOlderOnesRefused() throws {
        let dir = try Command.temporaryDirectory()
        let (listCSV, sampled, _) = Households.list(villages: 4, sample: 6, reserves: 1)
        let list = try dir.write(listCSV, to: "list.csv")
        #expect(try Command.run(["cases", "load", "--list", list, "--survey", StoreCommandTests.urban], in: dir).status == 0)
        let forms = try dir.write(Households.forms(sampled), to: "forms.csv")
        func importPass(_ pass: String, _ name: String) throws -> Command {
            try Command.run(["responses", "import", forms, "--survey", StoreCommandTests.urban, "--pass", pass, "--operator", name], in: dir)
        }
        #expect(try importPass("1", "甲").status == 0)
        // The pass-2 rule of the store holds for the command line too.
        let same = try importPass("2", "甲")
        #expect(same.status == 65)
        #expect(same.stderr.contains("forms.csv:2:1: case \(sampled[0]): pass 1 was keyed by 甲, who may not key pass 2 of urban (second-pass-operator: different)"))
        #expect(try importPass("2", "乙").status == 0)
        #expect(try Command.run(["responses", "verify", "--operator", "督导"], in: dir).status == 0)
        for format in ["long", "cases"] {
            #expect(try Command.run(["responses", "export", "--format", format, "--out", "\(format).csv"], in: dir).status == 0)
        }
        let scale = Command.root.appendingPathComponent("surveys/scales/four-tier.yaml").path
        let score = try Command.run(["score", "--responses", "long.csv", "--scale", scale, "--lonely-psu", "certainty", "--out", "scores.csv",
                                     "--distribution", "dist.csv"], in: dir)
        #expect(score.status == 0, "\(score.stderr)")
        // Straight from the store, the typed table gives the same scores as the long file.
        let fromStore = try Command.run(["score", "--db", "pingyi.sqlite", "--scale", scale, "--lonely-psu", "certainty", "--out", "store-scores.csv"], in: dir)
        #expect(fromStore.status == 0, "\(fromStore.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("store-scores.csv"), encoding: .utf8)
                == String(contentsOf: dir.appendingPathComponent("scores.csv"), encoding: .utf8))
        #expect(try Command.run(["rates", "--cases", "cases.csv", "--out", "rates.csv"], in: dir).status == 0)
        #expect(try Command.run(["weights", "--responses", "long.csv", "--cases", "cases.csv", "--out", "weighted.csv"], in: dir).status == 0)
        let weighted = try String(contentsOf: dir.appendingPathComponent("weighted.csv"), encoding: .utf8)
        #expect(weighted.hasPrefix("case_id,") && weighted.split(separator: "\n")[0].hasSuffix(",design_weight,format"))
        #expect(try Command.run(["score", "--responses", "weighted.csv", "--scale", scale, "--lonely-psu", "certainty", "--out", "w.csv"], in: dir).status == 0)
        #expect(try Command.run(["score", "combine", "scores.csv", "w.csv", "--weights", "1,1", "--out", "c.csv"], in: dir).status == 0)
        // The report reads the rates and the distribution these writers made.
        func report(rates: String = "rates.csv", distribution: String = "dist.csv", out: String) throws -> Command {
            try Command.run(["report", "--scores", "scores.csv", "--distribution", distribution, "--rates", rates, "--scale", scale, "--out", out], in: dir)
        }
        let read = try report(out: "report")
        #expect(read.status == 0, "\(read.stderr)")

        let oldLong = try Self.older(dir.appendingPathComponent("long.csv").path, "long", version: 2, in: dir)
        let long = try Command.run(["score", "--responses", oldLong, "--scale", scale, "--lonely-psu", "certainty", "--out", "x.csv"], in: dir)
        #expect(long.status == 65)
        #expect(long.stderr.contains(":2:22: a long answer file (pingyi responses export --format long) of format version 1 (long/1); this pingyi reads version 2; export the long file again with this pingyi"))
        let weights = try Command.run(["weights", "--responses", oldLong, "--cases", "cases.csv", "--out", "x.csv"], in: dir)
        #expect(weights.status == 65 && weights.stderr.contains("of format version 1 (long/1)"))
        let oldCases = try Self.older(dir.appendingPathComponent("cases.csv").path, "cases", in: dir)
        let rates = try Command.run(["rates", "--cases", oldCases, "--out", "x.csv"], in: dir)
        #expect(rates.status == 65)
        #expect(rates.stderr.contains("a case file (pingyi responses export --format cases) of format version 0 (cases/0); this pingyi reads version 1; export the case file again"))
        let oldScores = try Self.older(dir.appendingPathComponent("scores.csv").path, "scores", version: 2, in: dir)
        for arguments in [["score", "combine", oldScores, "w.csv", "--weights", "1,1", "--out", "x.csv"], ["score", "show", oldScores]] {
            let refused = try Command.run(arguments, in: dir)
            #expect(refused.status == 65, "\(arguments)")
            #expect(refused.stderr.contains("a score file (pingyi score) of format version 1 (scores/1); this pingyi reads version 2; score the long file again"))
        }
        let oldRates = try report(rates: try Self.older(dir.appendingPathComponent("rates.csv").path, "rates", in: dir), out: "refused")
        #expect(oldRates.status == 65)
        #expect(oldRates.stderr.contains("a rates file (pingyi rates --out) of format version 0 (rates/0); this pingyi reads version 1; compute the rates again with this pingyi"))
        let oldDistribution = try report(distribution: try Self.older(dir.appendingPathComponent("dist.csv").path, "distribution", in: dir), out: "refused")
        #expect(oldDistribution.status == 65)
        #expect(oldDistribution.stderr.contains("a tier distribution (pingyi score --distribution) of format version 0 (distribution/0); this pingyi reads version 1; score again with this pingyi"))
        #expect(!files(in: dir).contains("x.csv") && !files(in: dir).contains("refused"))
    }

    @Test func reportAndCompositeInputsAreCheckedToo() throws {
        let dir = try Command.temporaryDirectory()
        func fixture(_ name: String) -> String { ReportCommandTests.fixture(name) }
        let composite = try Command.run(["composite", "--scheme", fixture("scheme.yaml"), "--components", fixture("components.csv"),
                                         "--events", fixture("events.csv"), "--public", fixture("scores.csv"), "--out", "result.csv"], in: dir)
        #expect(composite.status == 0, "\(composite.stderr)")
        let oldResult = try Self.older(dir.appendingPathComponent("result.csv").path, "composite", in: dir)
        let report = try Command.run(ReportCommandTests.arguments(out: dir.appendingPathComponent("report").path, result: oldResult))
        #expect(report.status == 65)
        #expect(report.stderr.contains("a composite result (pingyi composite) of format version 0 (composite/0); this pingyi reads version 1; run pingyi composite again"))
        let previous = try Command.run(["composite", "--scheme", fixture("scheme.yaml"), "--components", fixture("components.csv"),
                                        "--events", fixture("events.csv"), "--public", fixture("scores.csv"), "--previous", oldResult,
                                        "--out", "again.csv"], in: dir)
        #expect(previous.status == 65 && previous.stderr.contains("(composite/0)"))
        // A score file of another kind is told apart from an older one.
        let cases = try write("unit,score,format\nD01,80,cases/1\n", to: "not-scores.csv", in: dir)
        let wrong = try Command.run(["composite", "--scheme", fixture("scheme.yaml"), "--components", fixture("components.csv"),
                                     "--events", fixture("events.csv"), "--public", cases, "--out", "again.csv"], in: dir)
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("the file is a pingyi cases file (format cases/1), not a score file (pingyi score)"))
        #expect(!files(in: dir).contains("again.csv") && !files(in: dir).contains("report"))
    }

    @Test func aRespondentListOfAnOlderFormatIsRefused() throws {
        let dir = try Command.temporaryDirectory()
        let frame = try write(smallFrame, to: "frame.csv", in: dir)
        let design = try write(smallDesign, to: "design.yaml", in: dir)
        #expect(try Command.run(["sample", "--design", design, "--frame", frame, "--seed", "1", "--out", "list.csv"], in: dir).status == 0)
        let manifest = try String(contentsOf: dir.appendingPathComponent("list.manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"format\" : \"respondent-list/2\""))
        // A manifest that records format 1.
        try write(manifest.replacingOccurrences(of: "respondent-list/2", with: "respondent-list/1"), to: "list.manifest.json", in: dir)
        let deputies = Command.root.appendingPathComponent("surveys/questionnaires/deputies.yaml").path
        let byManifest = try Command.run(["cases", "load", "--list", "list.csv", "--survey", deputies], in: dir)
        #expect(byManifest.status == 65)
        #expect(byManifest.stderr.contains("its manifest list.manifest.json records a respondent list of format respondent-list/1; this pingyi reads respondent-list/2; draw the list again with this pingyi"))
        // Printing and simulating the field read the manifest beside the list too (its format, not its SHA-256).
        for arguments in [["list", "print", "--list", "list.csv", "--out", "print"],
                          ["simulate", "field", "--list", "list.csv", "--survey", deputies, "--seed", "1", "--out", "field"]] {
            let refused = try Command.run(arguments, in: dir)
            #expect(refused.status == 65, "\(arguments)")
            #expect(refused.stderr.contains("list.csv: its manifest list.manifest.json records a respondent list of format respondent-list/1; this pingyi reads respondent-list/2; draw the list again with this pingyi"), "\(arguments): \(refused.stderr)")
        }
        // A list of the first format (no reserve_prob), without a manifest.
        let format1 = Command.fixture("store/lists/urban-format1.csv")
        for arguments in [["cases", "load", "--list", format1, "--survey", StoreCommandTests.urban],
                          ["list", "print", "--list", format1, "--out", "print"],
                          ["simulate", "field", "--list", format1, "--survey", StoreCommandTests.urban, "--seed", "1", "--out", "field"]] {
            let byHeader = try Command.run(arguments, in: dir)
            #expect(byHeader.status == 65, "\(arguments)")
            #expect(byHeader.stderr.contains(":1: the list is a respondent list of format version 1 (it has no reserve_prob column); this pingyi reads version 2; draw the list again"),
                    "\(arguments): \(byHeader.stderr)")
        }
        #expect(!files(in: dir).contains("print") && !files(in: dir).contains("field"))
    }
}
