import Foundation
import Sampling
import Testing
@testable import Reports

/// The design facts of the disclosure section, from a manifest and the design it names.
@Suite("Survey facts")
struct SurveyFactsTests {
    static let design = """
        name: 农村居民户
        group: rural
        id: household_id
        case-prefix: R
        filter: {urban: 农村}
        stages:
          - unit: village_id
            strata: [town_id, town]
            order: [village_id]
            method: pps-systematic
            size: count
            allocation: {per-stratum: 3}
          - unit: household_id
            order: [household_id]
            method: systematic
            allocation: {per-unit: 15}
            reserve: 3

        """

    /// A folder with the design and a manifest naming it (with `sha` as its SHA-256).
    func manifest(sha: String? = nil) throws -> String {
        let folder = try Support.folder()
        try Data(SurveyFactsTests.design.utf8).write(to: URL(fileURLWithPath: folder + "/rural.yaml"))
        let digest = sha ?? sha256Hex(Array(SurveyFactsTests.design.utf8))
        let json = """
            {"design": {"file": "rural.yaml", "sha256": "\(digest)"}, "encoding": "utf-8",
             "frame": {"file": "../datasets/households.csv", "rows": 92724, "sha256": "6a367916ca50de8bf0fd1468e0b5037b16017b08370812fb83e1e02c0f546e96"},
             "list": {"file": "rural.csv", "rows": 36, "sha256": "2e2745dfe2b6bb51cf8d3800c4946f91fd254d432cad1df6c34aeba27aaf6e27"},
             "replicates": 1, "rng": "mt19937 (GSL 2.7.1)", "seed": 2017, "tool": "pingyi 0.1.0",
             "strata": [{"stratum": "T01 / 城关街道", "units": 9, "drawn": 1, "sample": 15, "reserves": 3},
                        {"stratum": "T02 / 东城街道", "units": 7, "drawn": 1, "sample": 15, "reserves": 3}]}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: folder + "/rural.manifest.json"))
        return folder + "/rural.manifest.json"
    }

    @Test func describesTheDesignInChinese() throws {
        let facts = try SurveyFacts.read(manifest: try manifest())
        #expect(facts.design.name == "农村居民户")
        #expect(facts.sample == 30 && facts.reserves == 6)
        #expect(facts.stageDescriptions == [
            "第1阶段：按乡镇代码、乡镇分层，在层内按村（社区）代码排序后按户数（框中行数）成比例（PPS）等距抽取村（社区），每层3个。",
            "第2阶段：在上一阶段每个抽中单位内按户编号排序后等距随机抽取户，每个单位15个，另按顺序抽取备用3个（每个上级单位）。",
        ])
    }

    @Test func theReportShowsTheFacts() throws {
        var request = Support.request()
        request.manifests = [try manifest()]
        let html = try ReportContent.load(request).reportPage(feedbackLinks: [:])
        #expect(html.contains("<h3>农村居民户</h3>"))
        #expect(html.contains("households.csv（92724行，SHA-256 6a367916ca50de8b…）"))
        #expect(html.contains("样本30个，备用6个，2层"))
        #expect(html.contains("mt19937 (GSL 2.7.1)，种子2017"))
        #expect(html.contains("城乡为农村"))
        #expect(!html.contains("../datasets"))
    }

    @Test func aChangedDesignIsRejected() throws {
        let path = try manifest(sha: String(repeating: "0", count: 64))
        let folder = directoryPart(of: path)
        #expect(Support.failure { _ = try SurveyFacts.read(manifest: path) }
            == "\(path): the design \(folder)/rural.yaml has changed since the list was drawn (SHA-256 differs); restore the design the list was drawn with; pingyi sample verify checks the whole draw")
    }

    @Test func aMissingDesignIsRejected() throws {
        let path = try manifest()
        let folder = directoryPart(of: path)
        try FileManager.default.removeItem(atPath: folder + "/rural.yaml")
        #expect(Support.failure { _ = try SurveyFacts.read(manifest: path) }
            == "\(path): cannot read the design \(folder)/rural.yaml that the manifest names; keep the design where it was when the list was drawn (paths are relative to the manifest)")
    }

    @Test func notAManifest() throws {
        let path = try Support.file("m.json", "{\"seed\": 1}")
        let error = Support.failure { _ = try SurveyFacts.read(manifest: path) }
        #expect(error?.hasPrefix("\(path): not a pingyi draw manifest") == true)
    }
}
