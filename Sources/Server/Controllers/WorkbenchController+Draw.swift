import Foundation
import Hummingbird
import NIOCore
import Questionnaire
import Reports
import Sampling
import Store
import Tables

/// Draws in the workbench: the draw (``SamplingJob/run(_:)``, as `pingyi sample`), its per-stratum
/// table and downloads (the list as CSV and .xlsx, the printable pages as a zip, the manifest),
/// the re-draw that verifies it (`pingyi sample verify`) and the loading of its cases into the
/// store for a questionnaire (`pingyi cases load`).
extension WorkbenchController {
    func addDrawRoutes(to group: RouterGroup<AppContext>) {
        group.post("/draws", use: makeDraw)
        group.get("/draws/:draw", use: showDraw)
        group.get("/draws/:draw/list.csv", use: downloadList)
        group.get("/draws/:draw/manifest.json", use: downloadManifest)
        group.get("/draws/:draw/list.xlsx", use: downloadWorkbook)
        group.get("/draws/:draw/pages.zip", use: downloadPages)
        group.post("/draws/:draw/verify", use: verifyDraw)
        group.post("/draws/:draw/load", use: loadCases)
    }

    /// `POST /work/draws` (`design`, `frame`, `seed`; an empty seed is drawn at random and kept).
    func makeDraw(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let workspace = try self.workspace
        guard let design = fields["design"].flatMap(workspace.design) else { throw PageError(.notFound, "没有这个设计：请从工作台重新选择") }
        guard let frame = fields["frame"].flatMap(workspace.frame) else { throw PageError(.notFound, "没有这个抽样框：请从工作台重新选择") }
        let seedText = (fields["seed"] ?? "").trimmingCharacters(in: .whitespaces)
        let seed: UInt32
        if seedText.isEmpty {
            seed = UInt32.random(in: 1...UInt32.max)
        } else {
            guard let given = UInt32(seedText), given >= 1 else {
                throw PageError(.unprocessableContent, "随机种子须为 1 至 4294967295 的整数（现为「\(seedText)」）：未抽样")
            }
            seed = given
        }
        let id = Workspace.drawID(design: design.id, frame: frame.id, seed: seed)
        if workspace.draw(id) != nil { return redirect("/work/draws/\(id)") }
        let outcome: SamplingJob.Outcome
        do {
            var job = SamplingJob.Request(designPath: workspace.designPath(design.id), framePath: workspace.path(of: frame), seed: seed,
                                          replicates: 1, listPath: workspace.listPath(id), manifestPath: workspace.manifestPath(id),
                                          csv: CSVOptions(sheet: frame.sheet), tool: environment.settings.tool)
            job.frameName = frame.name
            outcome = try SamplingJob.run(job)
        } catch {
            throw PageError(.unprocessableContent, "未抽样：\(error.description)")
        }
        let rows = outcome.draw.rows.filter { $0.replicate == 1 }
        let sample = rows.filter { $0.role == .sample }.count
        let record = Workspace.SavedDraw(id: id, design: design.id, frame: frame.id, seed: seed, drawnBy: session.user,
                                         drawnAt: environment.settings.now(), sample: sample, reserves: rows.count - sample,
                                         strata: outcome.draw.strata)
        do { try workspace.saveDraw(record, list: outcome.list, manifest: outcome.manifestBytes) } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        try await store.recordWork(action: "sample-draw", by: session.user, subject: id,
                                   detail: "\(design.name) (design \(design.id)) on \(frame.name) (frame \(frame.id)), seed \(seed): \(sample) sample, \(rows.count - sample) reserves, list sha256 \(outcome.manifest.list.sha256)",
                                   source: context.source)
        return redirect("/work/draws/\(id)")
    }

    func showDraw(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, draw) = try savedDraw(context)
        let design = workspace.design(draw.design)
        let frame = workspace.frame(draw.frame)
        let questionnaires = try await loadableQuestionnaires()
        let page = WorkbenchView.draw(draw, design: design, frame: frame, questionnaires: questionnaires, session: session,
                                      notice: request.uri.queryParameters["notice"].map(String.init))
        return page.response(context: context)
    }

    func downloadList(_ request: Request, context: AppContext) async throws -> Response {
        let (workspace, draw) = try savedDraw(context)
        return try download(path: workspace.listPath(draw.id), as: "list-\(draw.id).csv", type: "text/csv; charset=utf-8")
    }

    func downloadManifest(_ request: Request, context: AppContext) async throws -> Response {
        let (workspace, draw) = try savedDraw(context)
        return try download(path: workspace.manifestPath(draw.id), as: "list-\(draw.id).manifest.json", type: "application/json")
    }

    /// The list as `pingyi list print` writes it: all cases, then a sheet per town.
    func downloadWorkbook(_ request: Request, context: AppContext) async throws -> Response {
        let (workspace, draw) = try savedDraw(context)
        guard let file = try printable(workspace, draw).first(where: { $0.path == "list.xlsx" }) else {
            throw PageError(.unprocessableContent, "名单工作簿未能生成")
        }
        return attachment(file.bytes, as: "list-\(draw.id).xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    /// The printable pages (index.html, page-NN.html, list.xlsx) of `pingyi list print`, zipped.
    func downloadPages(_ request: Request, context: AppContext) async throws -> Response {
        let (workspace, draw) = try savedDraw(context)
        let files = try printable(workspace, draw)
        let bytes: [UInt8]
        do { bytes = try ZipWriter.archive(files.map { ($0.path, $0.bytes) }) } catch {
            throw PageError(.internalServerError, "打印页未能打包：\(error.description)")
        }
        return attachment(bytes, as: "list-\(draw.id)-pages.zip", type: "application/zip")
    }

    /// `POST /work/draws/ID/verify`: re-draws from the manifest and compares byte by byte.
    func verifyDraw(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, draw) = try savedDraw(context)
        let sheet = workspace.frame(draw.frame)?.sheet
        let result: SamplingJob.Verification
        do {
            result = try SamplingJob.verify(manifestPath: workspace.manifestPath(draw.id), csv: CSVOptions(sheet: sheet), tool: environment.settings.tool)
        } catch {
            try await store.recordWork(action: "sample-verify", by: session.user, subject: draw.id, detail: "differs: \(error.description)", source: context.source)
            throw PageError(.unprocessableContent, "不一致：\(error.description)")
        }
        try await store.recordWork(action: "sample-verify", by: session.user, subject: draw.id, detail: "identical, \(result.rows) rows", source: context.source)
        let notice = "一致：重新抽样的名单与保存的名单逐字节相同（\(result.rows) 行，种子 \(result.manifest.seed)）"
        return redirect("/work/draws/\(draw.id)?notice=" + notice.addingPercentEncodingForPath)
    }

    /// `POST /work/draws/ID/load` (`questionnaire`: `store:ID` or `file:NAME`, optional `replace`):
    /// the cases of the list into the store, as `pingyi cases load` stores them.
    func loadCases(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, draw) = try savedDraw(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let choice = fields["questionnaire"] ?? ""
        guard let questionnaire = try await loadableQuestionnaires().first(where: { $0.key == choice })?.questionnaire else {
            throw PageError(.unprocessableContent, "请选择问卷")
        }
        let list = workspace.listPath(draw.id)
        let summary: LoadSummary
        do {
            try SamplingJob.checkList(list, manifest: workspace.manifestPath(draw.id))
            let table = try TableFile.read(path: list, name: "list-\(draw.id).csv")
            let respondents = try RespondentList(table: table, for: questionnaire)
            summary = try await store.loadCases(respondents, for: questionnaire, replace: fields["replace"] != nil, operator: session.user)
            environment.catalog.invalidate()
        } catch let error as StoreError {
            guard error.kind != .database else { throw error }
            throw PageError(.unprocessableContent, "名单未载入：\(error.description)", details: error.problems.map(\.description))
        } catch let error as SamplingError {
            throw PageError(.unprocessableContent, "名单未载入：\(error.description)")
        } catch let error as TablesError {
            throw PageError(.unprocessableContent, "名单未载入：\(error.description)")
        }
        var notice = "已载入 \(summary.questionnaire) v\(summary.version)（\(questionnaire.group.label)）：样本 \(summary.sampled)，备选 \(summary.reserves)"
        if summary.removed > 0 { notice += "；已移除原名单 \(summary.removed) 个案例" }
        if questionnaire.calls != nil { notice += "；\(summary.callable) 个案例进入拨号队列" }
        return redirect("/work/draws/\(draw.id)?notice=" + notice.addingPercentEncodingForPath)
    }

    /// The questionnaires a list may be loaded for: the store's, then the shipped files not in it.
    func loadableQuestionnaires() async throws -> [(key: String, questionnaire: Questionnaire, label: String)] {
        var result: [(key: String, questionnaire: Questionnaire, label: String)] = []
        let stored = try await environment.catalog.all()
        for q in stored { result.append(("store:\(q.id)", q, "\(q.title)（库中 v\(q.version)）")) }
        if let folder = environment.settings.surveys.map({ $0 + "/questionnaires" }) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            for name in names {
                guard let q = try? Questionnaire.load(path: "\(folder)/\(name)"), !stored.contains(where: { $0.id == q.id }) else { continue }
                result.append(("file:\(name)", q, "\(q.title)（标准问卷 \(name)）"))
            }
        }
        return result
    }

    func savedDraw(_ context: AppContext) throws -> (Workspace, Workspace.SavedDraw) {
        let workspace = try self.workspace
        let id = context.parameters.get("draw") ?? ""
        guard let draw = workspace.draw(id) else { throw PageError(.notFound, "没有这次抽样（编号 \(id)）：请从工作台重新选择") }
        return (workspace, draw)
    }

    private func printable(_ workspace: Workspace, _ draw: Workspace.SavedDraw) throws -> [OutputFile] {
        do {
            let facts = try SurveyFacts.read(manifest: workspace.manifestPath(draw.id))
            let list = try PrintableList.read(path: workspace.listPath(draw.id), by: nil)
            let frameName = workspace.frame(draw.frame)?.name ?? facts.manifest.frame.file
            return try list.files(title: "\(facts.design.name)样本名单", subtitle: "抽样框 \(frameName)，种子 \(draw.seed)")
        } catch {
            throw PageError(.unprocessableContent, "名单未能生成打印页：\(error.description)")
        }
    }

    private func download(path: String, as name: String, type: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { throw PageError(.notFound, "文件已不在工作目录中：\(name)") }
        return attachment(Array(data), as: name, type: type)
    }
}

/// A download: the bytes with their type and file name.
func attachment(_ bytes: [UInt8], as name: String, type: String) -> Response {
    Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
             body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}
