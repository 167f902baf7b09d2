import Analytics
import Composite
import Exports
import Formats
import Foundation
import Hummingbird
import Questionnaire
import Reports
import Store
import Tables

/// Analyses in the workbench: scores of the store's counted forms (``ScoreJob``, as `pingyi score
/// --db` and `pingyi score combine --across group`), then the composite (``Scheme/evaluate``, as
/// `pingyi composite`), then the report (``ReportContent``, as `pingyi report`). Each step writes
/// its files into the analysis's folder all or none, and is audited.
extension WorkbenchController {
    func addAnalysisRoutes(to group: RouterGroup<AppContext>) {
        group.post("/answers", use: uploadAnswers)
        group.get("/analysis", use: analysisForm)
        group.post("/analysis", use: runScores)
        group.get("/analysis/:analysis", use: showAnalysis)
        group.get("/analysis/:analysis/:file", use: downloadAnalysisFile)
        group.post("/analysis/:analysis/composite", use: runComposite)
        group.post("/analysis/:analysis/report", use: runReport)
    }

    /// The files of a shipped folder (`scales`, `schemes`) by name without `.yaml`.
    func shipped(_ folder: String) -> [String] {
        guard let root = environment.settings.surveys else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)")) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    func shippedPath(_ folder: String, _ name: String) throws -> String {
        guard shipped(folder).contains(name), let root = environment.settings.surveys else {
            throw PageError(.unprocessableContent, "没有这个标准文件：\(folder)/\(name).yaml")
        }
        return "\(root)/\(folder)/\(name).yaml"
    }

    func analysisForm(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let groups = Set(try await environment.catalog.all().map(\.group.rawValue)).sorted()
        let page = WorkbenchView.analysisForm(scales: shipped("scales"), groups: groups, analyses: try workspace.analyses(), session: session)
        return page.response(context: context)
    }

    /// `POST /work/analysis`: scores the store's counted forms by respondent group and, with
    /// group weights, combines them (`--partial`: a unit over the groups that rate it).
    func runScores(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let workspace = try self.workspace
        var request = request
        let body = try await MultipartBody.read(&request, context: context)
        let fields = Dictionary(body.parts.filter { $0.filename == nil }.map { ($0.name, $0.text) }, uniquingKeysWith: { _, last in last })
        let scaleName = fields["scale"] ?? ""
        let scalePath = try shippedPath("scales", scaleName)
        let scale: Scale
        do { scale = try Scale.load(path: scalePath) } catch {
            throw PageError(.unprocessableContent, error.description)
        }
        guard let dontKnow = TierScoring.DontKnowRule(rawValue: fields["dont_know"] ?? ""),
              let rateInterval = RateInterval(rawValue: fields["rate_interval"] ?? ""),
              let lonely = LonelyRule(rawValue: fields["lonely"] ?? "fail"),
              let varianceName = fields["variance"], ["taylor", "jackknife", "bootstrap"].contains(varianceName) else {
            throw PageError(.unprocessableContent, "请选择不了解的处理、方差方法和满意率区间")
        }
        let weightsText = (fields["weights"] ?? "").trimmingCharacters(in: .whitespaces)
        var weights: [(String, Double)]?
        if !weightsText.isEmpty {
            let pairs = weightsText.split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.split(separator: "=").map { String($0).trimmingCharacters(in: .whitespaces) } }
            guard pairs.allSatisfy({ $0.count == 2 && Double($0[1]) != nil }) else {
                throw PageError(.unprocessableContent, "群体权重须写成 群体=数字，用逗号分开（如 deputies=30,enterprises=30,urban=20,rural=20）：未测评")
            }
            weights = pairs.map { ($0[0], Double($0[1]) ?? 0) }
        }
        let partial = fields["partial"] != nil
        let classes = (fields["classes"] ?? "").trimmingCharacters(in: .whitespaces)
        let nonresponse = fields["nonresponse"] != nil
        let method = fields["calibrate"] ?? "none"
        let calibrationColumns = (fields["calibrate_columns"] ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init)
        var calibration: Calibration?
        var uploads: [(name: String, bytes: [UInt8])] = []
        if method == "poststratify" || method == "rake" {
            guard !calibrationColumns.isEmpty, let population = body.file("population") else {
                throw PageError(.unprocessableContent, "校准需要总体列名和总体数文件（列名与 count 列）：未测评")
            }
            let staged = try workspace.stage(population.bytes, suffix: population.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? ".xlsx" : ".csv")
            defer { workspace.discard(staged) }
            do {
                calibration = Calibration(method: method == "rake" ? .rake : .poststratify,
                                          population: try Calibration.Population.read(path: staged, columns: calibrationColumns))
            } catch {
                throw PageError(.unprocessableContent, "未测评：\(error.description.replacingOccurrences(of: staged, with: population.filename ?? "population.csv"))")
            }
            uploads.append(("population.csv", population.bytes))
        }
        let snapshot = try await store.snapshot(questionnaire: nil)
        var table = ResponseTables.longTable(snapshot, name: "the store's answers")
        if nonresponse {
            do {
                let cases = try CSVReader.read(bytes: ResponseTables.cases(snapshot), name: "the store's cases")
                table = try WeightsJob.run(table, cases: cases, classes: classes.isEmpty ? CasesFormat.defaultClasses : classes, calibration: nil).table
            } catch {
                throw PageError(.unprocessableContent, "未测评：\(String(describing: error))")
            }
        }
        var job = ScoreJob.Request(scale: scale, source: "the store's answers")
        job.calibration = calibration
        job.by = LongFormat.group
        job.dontKnow = dontKnow
        job.rateInterval = rateInterval
        job.lonely = lonely
        job.variance = varianceName == "jackknife" ? .jackknife : varianceName == "bootstrap" ? .bootstrap(replicates: 500, seed: 20_170_401) : .taylor
        job.distribution = true
        let id = Workspace.newID()
        var files = uploads
        var units = 0
        do {
            let outcome = try ScoreJob.run(table, job)
            files.append(("scores_by_group.csv", outcome.scores))
            if let distribution = outcome.distribution { files.append(("distribution.csv", distribution)) }
            if let weights {
                let combined = try ScoreJob.combine((outcome.results, LongFormat.group), name: "scores_by_group.csv", across: LongFormat.group,
                                                    weights: weights, partial: partial, rateInterval: rateInterval)
                files.append(("scores.csv", ScoreTable.csv(combined, by: nil)))
                units = combined.count
            } else {
                units = Set(outcome.results.map(\.unit)).count
            }
        } catch {
            throw PageError(.unprocessableContent, "未测评：\(error.description)")
        }
        let weighting = (nonresponse ? ["weights --cases (non-response by \(classes.isEmpty ? CasesFormat.defaultClasses : classes))"] : [])
            + (calibration == nil ? [] : ["--\(method) \(calibrationColumns.joined(separator: ","))"])
        let options = weighting + ["--scale \(scaleName)", "--by group", "--dont-know \(dontKnow.rawValue)", "--variance \(varianceName)",
                       "--rate-interval \(rateInterval.rawValue)"] + (lonely == .fail ? [] : ["--lonely-psu \(lonely.rawValue)"]) + (weights == nil ? [] : ["combine --weights \(weightsText)" + (partial ? " --partial" : "")])
        let record = Workspace.SavedAnalysis(id: id, by: session.user, at: environment.settings.now(), options: options, weights: weights == nil ? nil : weightsText,
                                             forms: snapshot.forms.count, units: units, files: [], scheme: nil)
        do { try workspace.saveAnalysis(record, files: files) } catch let error as WorkspaceError { throw PageError(.serviceUnavailable, error.message) }
        try await store.recordWork(action: "score", by: session.user, subject: id, detail: options.joined(separator: " ") + ": \(record.forms) forms, \(units) units",
                                   source: context.source)
        return redirect("/work/analysis/\(id)")
    }

    func showAnalysis(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, analysis) = try savedAnalysis(context)
        let folder = workspace.analysisFolder(analysis.id)
        let main = analysis.files.contains("scores.csv") ? "scores.csv" : "scores_by_group.csv"
        let scores: [UnitScore]
        do { scores = try ScoreTable.read(path: "\(folder)/\(main)", name: main).scores } catch {
            throw PageError(.unprocessableContent, error.description)
        }
        var names: [String: String] = [:]
        for q in try await environment.catalog.all() { for u in q.units { names[u.id] = u.name } }
        var composite: [[String]]?
        if analysis.files.contains("composite.csv") {
            let table = try TableFile.read(path: "\(folder)/composite.csv", name: "composite.csv")
            composite = [table.names] + (0..<table.rowCount).map { r in table.columns.map { $0.string(r) ?? "" } }
        }
        let page = WorkbenchView.analysis(analysis, scores: scores, names: names, composite: composite, schemes: shipped("schemes"),
                                          session: session, notice: request.uri.queryParameters["notice"].map(String.init))
        return page.response(context: context)
    }

    func downloadAnalysisFile(_ request: Request, context: AppContext) async throws -> Response {
        let (workspace, analysis) = try savedAnalysis(context)
        let name = context.parameters.get("file") ?? ""
        guard analysis.files.contains(name), let data = FileManager.default.contents(atPath: "\(workspace.analysisFolder(analysis.id))/\(name)") else {
            throw PageError(.notFound, "这次分析没有文件 \(name)")
        }
        let type = name.hasSuffix(".zip") ? "application/zip" : name.hasSuffix(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv; charset=utf-8"
        return attachment(Array(data), as: name, type: type)
    }

    /// `POST /work/analysis/ID/composite` (multipart: `scheme`, files `components`, `indicators`,
    /// `events`, `units`): RESULT.csv from the analysis's scores.csv as the public component.
    func runComposite(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, analysis) = try savedAnalysis(context)
        var request = request
        let body = try await MultipartBody.read(&request, context: context)
        let schemeName = body[field: "scheme"] ?? ""
        let schemePath = try shippedPath("schemes", schemeName)
        guard analysis.files.contains("scores.csv") else {
            throw PageError(.unprocessableContent, "综合考评需要合成后的得分（scores.csv）：请先按群体权重测评")
        }
        guard let components = body.file("components") else { throw PageError(.unprocessableContent, "请上传考核组成部分（components）表") }
        let folder = workspace.analysisFolder(analysis.id)
        var uploads: [(name: String, bytes: [UInt8])] = []
        func staged(_ part: MultipartBody.Part, as name: String) throws -> Table {
            let path = try workspace.stage(part.bytes, suffix: part.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? ".xlsx" : ".csv")
            defer { workspace.discard(path) }
            do { return try TableFile.read(path: path, name: part.filename ?? name) } catch {
                throw PageError(.unprocessableContent, "综合考评未计算：\(CompositeError(error).description)")
            }
        }
        let componentsTable = try staged(components, as: "components.csv")
        let indicators = try body.file("indicators").map { try staged($0, as: "indicators.csv") }
        let events = try body.file("events").map { try staged($0, as: "events.csv") }
        if let units = body.file("units") {
            _ = try staged(units, as: "units.csv")
            uploads.append(("units.csv", units.bytes))
        }
        let result: CompositeResult
        do {
            let scheme = try Scheme.load(path: schemePath)
            let publicTable: Table
            do { publicTable = try TableFile.read(path: "\(folder)/scores.csv", name: "scores.csv") } catch { throw CompositeError(error) }
            let inputs = try CompositeInputs(scheme: scheme, components: componentsTable, indicators: indicators, events: events,
                                             publicScores: [PublicScores(period: nil, table: publicTable)], previous: nil)
            result = try scheme.evaluate(inputs, simulation: Simulation(draws: Simulation.defaultDraws, seed: Simulation.defaultSeed))
        } catch {
            throw PageError(.unprocessableContent, "综合考评未计算：\(String(describing: error))")
        }
        var record = analysis
        record.scheme = schemeName
        do { try workspace.saveAnalysis(record, files: uploads + [("composite.csv", result.csv(byteOrderMark: false))]) } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        try await store.recordWork(action: "composite", by: session.user, subject: analysis.id,
                                   detail: "scheme \(schemeName), components \(components.filename ?? "")", source: context.source)
        return redirect("/work/analysis/\(analysis.id)?notice=" + "综合考评已计算（方案 \(schemeName)）".addingPercentEncodingForPath)
    }

    /// `POST /work/analysis/ID/report` (`title`, `issued`, `fieldwork`, `weighting`): the report
    /// folder of `pingyi report`, zipped.
    func runReport(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (workspace, analysis) = try savedAnalysis(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let folder = workspace.analysisFolder(analysis.id)
        var report = ReportRequest(scores: ["scores.csv", "scores_by_group.csv"].filter(analysis.files.contains).map { "\(folder)/\($0)" })
        if analysis.files.contains("distribution.csv") { report.distribution = "\(folder)/distribution.csv" }
        if analysis.files.contains("composite.csv"), let scheme = analysis.scheme {
            report.composite = "\(folder)/composite.csv"
            report.scheme = try shippedPath("schemes", scheme)
            guard let issued = CivilDate(fields["issued"] ?? "") else {
                throw PageError(.unprocessableContent, "有综合考评时须填写发布日期（YYYY-MM-DD）：反馈单的复核期限从此日算起")
            }
            report.issued = issued
        }
        if analysis.files.contains("units.csv") { report.units = "\(folder)/units.csv" }
        if let scale = analysis.options.first(where: { $0.hasPrefix("--scale ") }) {
            report.scale = try shippedPath("scales", String(scale.dropFirst("--scale ".count)))
        }
        let title = (fields["title"] ?? "").trimmingCharacters(in: .whitespaces)
        if !title.isEmpty { report.title = title }
        report.fieldwork = (fields["fieldwork"] ?? "").isEmpty ? nil : fields["fieldwork"]
        report.weighting = (fields["weighting"] ?? "").isEmpty ? nil : fields["weighting"]
        report.generator = environment.settings.tool
        let zip: [UInt8]
        do {
            let files = try ReportContent.load(report).files()
            zip = try ZipWriter.archive(files.map { ("report/\($0.path)", $0.bytes) })
        } catch {
            throw PageError(.unprocessableContent, "报告未生成：\(String(describing: error))")
        }
        do { try workspace.saveAnalysis(analysis, files: [("report.zip", zip)]) } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        try await store.recordWork(action: "report", by: session.user, subject: analysis.id, detail: report.title, source: context.source)
        return redirect("/work/analysis/\(analysis.id)?notice=" + "报告已生成：可下载 report.zip".addingPercentEncodingForPath)
    }

    /// `POST /work/answers` (multipart: `questionnaire`, `pass`, `keyer`, file `file`): keyed
    /// forms from a wide CSV or .xlsx, as `pingyi responses import` stores them (the same entry
    /// rules; the whole file or nothing).
    func uploadAnswers(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let workspace = try self.workspace
        var request = request
        let body = try await MultipartBody.read(&request, context: context)
        guard let file = body.file("file") else { throw PageError(.unprocessableContent, "请选择要上传的录入结果文件（CSV 或 .xlsx）") }
        let id = body[field: "questionnaire"] ?? ""
        guard let questionnaire = try await environment.catalog.questionnaire(id) else {
            throw PageError(.unprocessableContent, "库中没有问卷 \(id)：请先载入名单")
        }
        guard let pass = Pass(rawValue: Int(body[field: "pass"] ?? "") ?? 0) else { throw PageError(.unprocessableContent, "请选择第 1 遍或第 2 遍") }
        let keyer = (body[field: "keyer"] ?? "").trimmingCharacters(in: .whitespaces)
        let name = file.filename ?? "forms.csv"
        let staged = try workspace.stage(file.bytes, suffix: file.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? ".xlsx" : ".csv")
        defer { workspace.discard(staged) }
        let summary: EntrySummary
        do {
            let table = try TableFile.read(path: staged, name: name)
            let batch = try FormFile.batch(table, questionnaire: questionnaire, pass: pass, operator: keyer.isEmpty ? session.user : keyer,
                                           replace: false, reason: nil)
            summary = try await store.enterForms(batch)
        } catch let error as StoreError {
            guard error.kind != .database else { throw error }
            throw PageError(.unprocessableContent, "录入结果未导入：\(error.description)", details: error.problems.map(\.description))
        } catch let error as TablesError {
            throw PageError(.unprocessableContent, "录入结果未导入：\(error.description)")
        }
        try await store.recordWork(action: "forms-upload", by: session.user, subject: questionnaire.reference,
                                   detail: "\(name): pass \(pass.rawValue), \(summary.stored) forms keyed by \(keyer.isEmpty ? session.user : keyer)", source: context.source)
        let notice = "已导入 \(questionnaire.title) 第 \(pass.rawValue) 遍 \(summary.stored) 份" + (questionnaire.entry == .double ? "；两遍都导入后由督导核对与裁定" : "")
        return redirect("/work?notice=" + notice.addingPercentEncodingForPath)
    }

    func savedAnalysis(_ context: AppContext) throws -> (Workspace, Workspace.SavedAnalysis) {
        let workspace = try self.workspace
        let id = context.parameters.get("analysis") ?? ""
        guard let analysis = workspace.analysis(id) else { throw PageError(.notFound, "没有这次分析（编号 \(id)）：请从工作台重新选择") }
        return (workspace, analysis)
    }
}
