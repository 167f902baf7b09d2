import Analytics
import Exports
import Foundation
import Hummingbird
import HummingbirdTesting
import Questionnaire
import Sampling
import Simulation
@testable import Server
import Store
import Tables
import Testing

/// The workbench from upload to loaded cases, each step against the library call the command
/// line makes.
@Suite("Workbench")
struct WorkbenchTests {
    static let enterprisesBook = ServerFixture.root.appendingPathComponent("Tests/Fixtures/xlsx/enterprises.xlsx").path
    static let enterprisesCSV = ServerFixture.root.appendingPathComponent("datasets/enterprises.csv").path

    /// The id in a redirect to `/work/KIND/ID…`.
    static func id(_ response: TestResponse, _ kind: String) throws -> String {
        let location = try #require(response.headers[.location], "no redirect: \(response.status) \(response.text)")
        #expect(location.hasPrefix("/work/\(kind)/"), "\(location)")
        return String(location.dropFirst("/work/\(kind)/".count).prefix(16))
    }

    @Test func aStatisticianUploadsDesignsDrawsVerifiesAndLoads() async throws {
        let f = try await ServerFixture()
        let work = try #require(f.settings.workspace)
        try await f.test { client in
            let session = try await client.login("statistician")
            // Upload the enterprise frame as a workbook, sheet 企业.
            let book = try #require(FileManager.default.contents(atPath: WorkbenchTests.enterprisesBook))
            let uploaded = try await client.upload("/work/frames", session, [("sheet", "企业")], file: ("企业名录.xlsx", Array(book)))
            #expect(uploaded.status == .seeOther, "\(uploaded.text)")
            let frameID = try WorkbenchTests.id(uploaded, "frames")
            // The page shows what frame inspect shows.
            let csvTable = try TableFile.read(path: WorkbenchTests.enterprisesCSV)
            let inspect = try await client.get("/work/frames/\(frameID)?id=enterprise_id", session)
            #expect(inspect.status == .ok)
            #expect(inspect.text.contains("<th>行数</th><td class=\"n\">\(csvTable.rowCount)</td>"))
            #expect(inspect.text.contains("<th>工作表</th><td>企业</td>"))
            #expect(inspect.text.contains("编号列 enterprise_id：无重复"))
            for column in csvTable.columns { #expect(inspect.text.contains("<tr><td>\(column.name)</td><td>\(column.type.chineseName)</td>")) }
            // The home page lists it.
            #expect(try await client.get("/work", session).text.contains("企业名录.xlsx"))

            // Start from the shipped design and change its allocation to 200.
            let form = try await client.get("/work/designs/new?from=enterprises&frame=\(frameID)", session)
            #expect(form.status == .ok)
            let baseYAML = try #require(FileManager.default.contents(atPath: ServerFixture.root.appendingPathComponent("surveys/designs/enterprises.yaml").path))
            var shipped = try Design.parse(String(decoding: baseYAML, as: UTF8.self), file: "enterprises.yaml").design
            shipped.frame = nil
            let saved = try await client.post("/work/designs", session, [
                ("frame", frameID), ("base", "enterprises"), ("name", "企业经营者"), ("strata", "industry"),
                ("order", "size_class, town_id, employees"), ("serpentine", "on"), ("method", "systematic"),
                ("allocation", "total"), ("n", "200"), ("rule", "proportional"), ("min", "12"), ("reserve", "8"),
                ("mode", "fields"), ("yaml", shipped.yaml()),
            ])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let designID = try WorkbenchTests.id(saved, "designs")
            let designPath = "\(work)/designs/\(designID).yaml"
            var expected = shipped
            expected.stages[0].allocation = .total(200, rule: .proportional, minimum: 12, sdColumn: nil)
            #expect(try Design.load(path: designPath).design == expected)
            // The preview is the library's allocation.
            let preview = try await client.get("/work/designs/\(designID)?frame=\(frameID)", session)
            #expect(preview.status == .ok, "\(preview.text)")
            let strata = try SamplingJob.allocation(designPath: designPath, framePath: WorkbenchTests.enterprisesCSV).strata
            #expect(preview.text.contains("抽取 \(strata.reduce(0) { $0 + $1.drawn }) 个单位"))
            for s in strata { #expect(preview.text.contains("<tr><td>\(s.stratum)</td><td class=\"n\">\(s.units)</td><td class=\"n\">\(s.drawn)</td>")) }

            // Draw with seed 7: the list is the one pingyi sample draws from the CSV frame.
            let drawn = try await client.post("/work/draws", session, [("design", designID), ("frame", frameID), ("seed", "7")])
            #expect(drawn.status == .seeOther, "\(drawn.text)")
            let drawID = try WorkbenchTests.id(drawn, "draws")
            let cli = try SamplingJob.run(.init(designPath: designPath, framePath: WorkbenchTests.enterprisesCSV, seed: 7, replicates: 1,
                                                listPath: "\(work)/cli.csv", manifestPath: "\(work)/cli.manifest.json", tool: "pingyi test"))
            let list = try await client.get("/work/draws/\(drawID)/list.csv", session)
            #expect(list.status == .ok)
            #expect(Array(list.body.readableBytesView) == cli.list)
            #expect(list.headers[.contentDisposition] == "attachment; filename=\"list-\(drawID).csv\"")
            let page = try await client.get("/work/draws/\(drawID)", session)
            #expect(page.text.contains("<td id=\"draw-seed-used\">7</td>"))
            for s in cli.draw.strata { #expect(page.text.contains("<tr><td>\(s.stratum)</td><td class=\"n\">\(s.units)</td><td class=\"n\">\(s.drawn)</td><td class=\"n\">\(s.sample)</td>")) }
            let workbook = try await client.get("/work/draws/\(drawID)/list.xlsx", session)
            #expect(workbook.status == .ok && Array(workbook.body.readableBytesView.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            let pages = try await client.get("/work/draws/\(drawID)/pages.zip", session)
            #expect(pages.status == .ok && Array(pages.body.readableBytesView.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            // The same draw asked again is the same draw.
            #expect(try WorkbenchTests.id(try await client.post("/work/draws", session, [("design", designID), ("frame", frameID), ("seed", "7")]), "draws") == drawID)

            // Verify re-draws and compares.
            let verified = try await client.post("/work/draws/\(drawID)/verify", session, [])
            #expect(verified.status == .seeOther)
            #expect(try #require(verified.headers[.location]).removingPercentEncoding?.contains("一致：") == true)
            // An edited list is found out.
            let stored = "\(work)/draws/\(drawID)/list.csv"
            let original = try #require(FileManager.default.contents(atPath: stored))
            var edited = original
            edited[edited.count - 2] = edited[edited.count - 2] == 0x31 ? 0x32 : 0x31
            try edited.write(to: URL(fileURLWithPath: stored))
            let differs = try await client.post("/work/draws/\(drawID)/verify", session, [])
            #expect(differs.status == .unprocessableContent)
            #expect(differs.text.contains("不一致："))
            // …and refused for loading, with nothing loaded.
            let refused = try await client.post("/work/draws/\(drawID)/load", session, [("questionnaire", "file:enterprises.yaml")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("it was edited after the draw or comes from another draw"))
            #expect(try await f.store.cases(questionnaire: "enterprises").isEmpty)
            try original.write(to: URL(fileURLWithPath: stored))

            // Load the cases for the shipped enterprise questionnaire.
            let loaded = try await client.post("/work/draws/\(drawID)/load", session, [("questionnaire", "file:enterprises.yaml")])
            #expect(loaded.status == .seeOther, "\(loaded.text)")
            let cases = try await f.store.cases(questionnaire: "enterprises")
            #expect(cases.count == cli.draw.rows.count)
            #expect(cases.filter { $0.role == .sample }.count == cli.draw.rows.filter { $0.role == .sample }.count)

            // Every step is in the audit trail, with who.
            let audit = try await f.store.auditEntries(AuditQuery(withoutCase: true, limit: 1000))
            for action in ["frame-upload", "design-save", "sample-draw", "sample-verify"] {
                #expect(audit.contains { $0.action == action && $0.operator == "statistician" }, "\(action)")
            }
            #expect(audit.contains { $0.action == "sample-draw" && $0.item == drawID && ($0.newValue ?? "").contains("seed 7") })
        }
    }

    @Test func aFrameThatCannotBeReadIsRefusedWithItsPlaceAndNotKept() async throws {
        let f = try await ServerFixture()
        let work = try #require(f.settings.workspace)
        try await f.test { client in
            let session = try await client.login("admin")
            let bad = Array("id,town,size\n1,城关镇,3\n2,东乡,4,5\n".utf8)
            let response = try await client.upload("/work/frames", session, [("sheet", "")], file: ("名单.csv", bad))
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("抽样框未能读取，未保存：名单.csv:3: this row has 4 fields but the header has 3"), "\(response.text)")
            let book = try #require(FileManager.default.contents(atPath: WorkbenchTests.enterprisesBook))
            let noSheet = try await client.upload("/work/frames", session, [("sheet", "无此表")], file: ("企业.xlsx", Array(book)))
            #expect(noSheet.status == .unprocessableContent)
            #expect(noSheet.text.contains("企业.xlsx"))
            let missing = try await client.upload("/work/frames", session, [], file: nil)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("请选择要上传的抽样框文件"))
            let kept = (try? FileManager.default.contentsOfDirectory(atPath: "\(work)/frames")) ?? []
            #expect(kept.isEmpty, "\(kept)")
            #expect(try await f.store.auditEntries(AuditQuery()).allSatisfy { $0.action != "frame-upload" })
        }
    }

    @Test func aDesignThatDoesNotFitTheFrameShowsTheDrawsMessage() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("statistician")
            let book = try #require(FileManager.default.contents(atPath: WorkbenchTests.enterprisesBook))
            let frameID = try WorkbenchTests.id(try await client.upload("/work/frames", session, [("sheet", "企业")], file: ("企业.xlsx", Array(book))), "frames")
            let yaml = """
                name: 试验
                id: enterprise_id
                stages:
                  - unit: enterprise_id
                    strata: [industry]
                    method: srs
                    allocation: {total: 100000}

                """
            let saved = try await client.post("/work/designs", session, [("frame", frameID), ("mode", "yaml"), ("yaml", yaml)])
            let designID = try WorkbenchTests.id(saved, "designs")
            let preview = try await client.get("/work/designs/\(designID)?frame=\(frameID)", session)
            #expect(preview.status == .unprocessableContent)
            #expect(preview.text.contains("stage 1 asks for 100000 units but only"))
            #expect(!preview.text.contains("id=\"draw-form\""))
            // A design YAML that does not read is refused with its line, and not saved.
            let broken = try await client.post("/work/designs", session, [("frame", frameID), ("mode", "yaml"), ("yaml", "name: x\nstages: 3\n")])
            #expect(broken.status == .unprocessableContent)
            #expect(broken.text.contains("设计未保存：design.yaml"), "\(broken.text)")
            let drawn = try await client.post("/work/draws", session, [("design", designID), ("frame", frameID), ("seed", "0")])
            #expect(drawn.status == .unprocessableContent)
            #expect(drawn.text.contains("随机种子须为 1 至 4294967295 的整数"))
        }
    }

    @Test func aSupervisorAndAnOperatorCannotUseTheWorkbench() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            for name in ["supervisor", "operator", "interviewer"] {
                let session = try await client.login(name)
                #expect(try await client.get("/work", session).status == .forbidden)
                let book = try #require(FileManager.default.contents(atPath: WorkbenchTests.enterprisesBook))
                let upload = try await client.upload("/work/frames", session, [("sheet", "企业")], file: ("企业.xlsx", Array(book)))
                #expect(upload.status == .forbidden)
                #expect(try await client.post("/work/draws", session, [("design", "0000000000000000"), ("frame", "0000000000000000"), ("seed", "7")]).status == .forbidden)
            }
        }
    }

    @Test func multipartBodiesAreSplitAtTheirBoundary() throws {
        let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\王\\\\名单 1.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n-XyZ\r\n\r\n--XyZ--\r\n".utf8)
        let parsed = try #require(MultipartBody.parse(body, boundary: "XyZ"))
        #expect(parsed[field: "csrf"] == "abc")
        let file = try #require(parsed.file("file"))
        #expect(file.filename == "名单 1.csv")
        #expect(file.text == "a,b\r\n-XyZ\r\n")
        #expect(MultipartBody.parse(Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1".utf8), boundary: "XyZ") == nil)
        #expect(MultipartBody.boundary(contentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartBody.boundary(contentType: "application/x-www-form-urlencoded") == nil)
    }
}

/// Keyed answers uploaded, then scored and combined: the files are the library's (the calls
/// `pingyi score --db` and `pingyi score combine` make) on the same store.
@Suite("Workbench analysis")
struct WorkbenchAnalysisTests {
    @Test func answersAreUploadedScoredAndCombined() async throws {
        let f = try await ServerFixture(questionnaire: "small-single")
        let work = try #require(f.settings.workspace)
        let listTable = try TableFile.read(path: ServerFixture.fixtures.appendingPathComponent("lists/urban.csv").path)
        let settings = FieldSimulation.Settings(responseRate: 0.9, notEligibleRate: 0, keyingSlipRate: 0)
        var field = try FieldSimulation(questionnaire: f.questionnaire, list: listTable, seed: 7, settings: settings).run()
        // Only the sampled cases (reserves are keyed once their disposition activates them).
        let roles = try listTable.column("role"), ids = try listTable.column("case_id")
        let sampled = Set((0..<listTable.rowCount).filter { roles.string($0) == "sample" }.compactMap { ids.string($0) })
        field.pass1 = field.pass1.filter { sampled.contains($0.caseID) }
        let keyed = field
        var writer = CSVWriter()
        writer.writeRow(["case_id"] + field.items)
        for form in field.pass1 { writer.writeRow([form.caseID] + form.answers.map { $0 ?? "" }) }
        let formsFile = writer.bytes
        try await f.test { client in
            let session = try await client.login("admin")
            // A file with a bad code is refused whole, with its place.
            var bad = CSVWriter()
            bad.writeRow(["case_id"] + keyed.items)
            for (i, form) in keyed.pass1.enumerated() { bad.writeRow([form.caseID] + form.answers.enumerated().map { j, a in i == 1 && j == 0 ? "好" : (a ?? "") }) }
            let refused = try await client.upload("/work/answers", session, [("questionnaire", "small-once"), ("pass", "1"), ("keyer", "录入员甲")],
                                                  file: ("第一遍.csv", bad.bytes))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("第一遍.csv:3"), "\(refused.text)")
            #expect(try await f.store.snapshot(questionnaire: nil).forms.isEmpty)

            let uploaded = try await client.upload("/work/answers", session, [("questionnaire", "small-once"), ("pass", "1"), ("keyer", "录入员甲")],
                                                   file: ("第一遍.csv", formsFile))
            #expect(uploaded.status == .seeOther, "\(uploaded.text)")
            let snapshot = try await f.store.snapshot(questionnaire: nil)
            #expect(snapshot.forms.count == keyed.pass1.count)

            let scored = try await client.upload("/work/analysis", session, [("scale", "four-tier"), ("dont_know", "exclude"), ("variance", "taylor"),
                                                                             ("rate_interval", "logit"), ("lonely", "adjust"), ("weights", "urban=20"), ("partial", "on")],
                                                 file: nil)
            #expect(scored.status == .seeOther, "\(scored.text)")
            let id = try WorkbenchTests.id(scored, "analysis")
            // The library's scoring of the same store, as the command line runs it.
            let scale = try Scale.load(path: ServerFixture.root.appendingPathComponent("surveys/scales/four-tier.yaml").path)
            var job = ScoreJob.Request(scale: scale, source: "store")
            job.by = "group"
            job.rateInterval = .logit
            job.lonely = .adjust
            job.distribution = true
            let outcome = try ScoreJob.run(ResponseTables.longTable(snapshot, name: "store"), job)
            let combined = try ScoreJob.combine((outcome.results, "group"), name: "x", across: "group", weights: [("urban", 20)], partial: true, rateInterval: .logit)
            for (file, expected) in [("scores_by_group.csv", outcome.scores), ("distribution.csv", outcome.distribution ?? []), ("scores.csv", ScoreTable.csv(combined, by: nil))] {
                let download = try await client.get("/work/analysis/\(id)/\(file)", session)
                #expect(download.status == .ok, "\(file)")
                #expect(Array(download.body.readableBytesView) == expected, "\(file)")
            }
            // Non-response adjustment and post-stratification: pingyi weights, its file read back,
            // then pingyi score --poststratify.
            let population = Array("town_id,count\nT01,1200\nT02,800\n".utf8)
            let weighted = try await client.upload("/work/analysis", session, [("scale", "four-tier"), ("dont_know", "exclude"), ("variance", "taylor"),
                                                                               ("rate_interval", "logit"), ("lonely", "adjust"), ("weights", ""),
                                                                               ("nonresponse", "on"), ("classes", "stage1_stratum"),
                                                                               ("calibrate", "poststratify"), ("calibrate_columns", "town_id")],
                                                   file: ("总体.csv", population), fileField: "population")
            #expect(weighted.status == .seeOther, "\(weighted.text)")
            let weightedID = try WorkbenchTests.id(weighted, "analysis")
            let cases = try CSVReader.read(bytes: ResponseTables.cases(snapshot), name: "cases.csv")
            let reweighted = try WeightsJob.run(ResponseTables.longTable(snapshot, name: "long.csv"), cases: cases, calibration: nil).table
            let populationPath = "\(work)/population-test.csv"
            try Data(population).write(to: URL(fileURLWithPath: populationPath))
            var cli = job
            cli.calibration = Calibration(method: .poststratify, population: try Calibration.Population.read(path: populationPath, columns: ["town_id"]))
            let expected = try ScoreJob.run(try CSVReader.read(bytes: reweighted.csv(), name: "weighted.csv"), cli)
            let byGroup = try await client.get("/work/analysis/\(weightedID)/scores_by_group.csv", session)
            #expect(Array(byGroup.body.readableBytesView) == expected.scores)
            #expect(expected.scores != outcome.scores)
            let page = try await client.get("/work/analysis/\(id)", session)
            #expect(page.text.contains("<table id=\"scores\">"))
            #expect(page.text.contains("市政府办"))
            // A composite without the components file is refused; the report is made from the scores.
            let report = try await client.post("/work/analysis/\(id)/report", session, [("title", "测试报告"), ("issued", ""), ("fieldwork", ""), ("weighting", "")])
            #expect(report.status == .seeOther, "\(report.text)")
            let zip = try await client.get("/work/analysis/\(id)/report.zip", session)
            #expect(zip.status == .ok && Array(zip.body.readableBytesView.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            #expect(FileManager.default.fileExists(atPath: "\(work)/analyses/\(id)/report.zip"))
            let audit = try await f.store.auditEntries(AuditQuery(withoutCase: true, limit: 1000))
            for action in ["forms-upload", "score", "report"] { #expect(audit.contains { $0.action == action && $0.operator == "admin" }, "\(action)") }
            // An operator cannot see analyses.
            let clerk = try await client.login("operator")
            #expect(try await client.get("/work/analysis/\(id)", clerk).status == .forbidden)
            #expect(try await client.get("/work/analysis/\(id)/scores.csv", clerk).status == .forbidden)
        }
    }
}
