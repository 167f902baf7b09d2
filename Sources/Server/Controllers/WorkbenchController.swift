import Foundation
import Hummingbird
import Sampling
import Store
import Tables

/// The workbench (统计人员 and 管理员): frames uploaded and inspected, designs, draws. Each step
/// calls the library code the command line calls (``TableFile``, ``SamplingJob``), so the two
/// faces cannot disagree; each is in the audit trail.
struct WorkbenchController {
    let environment: ServerEnvironment
    var store: any ServerStore { environment.store }

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("", use: home)
        group.post("/frames", use: upload)
        group.get("/frames/:frame", use: inspect)
        addDesignRoutes(to: group)
        addDrawRoutes(to: group)
        addAnalysisRoutes(to: group)
    }

    /// The workspace, or a 503 page when `pingyi serve` runs without one.
    var workspace: Workspace {
        get throws {
            guard let root = environment.settings.workspace else {
                throw PageError(.serviceUnavailable, "工作台未启用：请管理员以 pingyi serve --work 目录 启动服务")
            }
            return Workspace(root: root)
        }
    }

    func home(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let workspace = try self.workspace
        let page = WorkbenchView.home(frames: workspace.frames(), designs: workspace.designs(), draws: workspace.draws(),
                                      questionnaires: try await environment.catalog.all(), session: session,
                                      notice: request.uri.queryParameters["notice"].map(String.init))
        return page.response(context: context)
    }

    /// `POST /work/frames` (multipart: `file`, optional `sheet`): the file is read as
    /// `pingyi frame inspect` reads it; one that cannot be read is refused with the reader's
    /// located message and nothing is kept.
    func upload(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let workspace = try self.workspace
        var request = request
        let body = try await MultipartBody.read(&request, context: context)
        guard let file = body.file("file") else { throw PageError(.unprocessableContent, "请选择要上传的抽样框文件（CSV 或 .xlsx）") }
        let sheetField = (body[field: "sheet"] ?? "").trimmingCharacters(in: .whitespaces)
        let sheet = sheetField.isEmpty ? nil : sheetField
        let name = file.filename ?? "frame.csv"
        let isWorkbook = file.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let staged: String
        do { staged = try workspace.stage(file.bytes, suffix: isWorkbook ? ".xlsx" : ".csv") } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        let table: Table
        do {
            table = try TableFile.read(path: staged, name: name, options: CSVOptions(sheet: sheet))
        } catch {
            workspace.discard(staged)
            throw PageError(.unprocessableContent, "抽样框未能读取，未保存：\(error.description)")
        }
        let frame: Workspace.Frame
        do {
            frame = try workspace.keepFrame(staged: staged, name: name, sheet: sheet, sha256: sha256Hex(file.bytes), bytes: file.bytes.count,
                                            by: session.user, at: environment.settings.now())
        } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        try await store.recordWork(action: "frame-upload", by: session.user, subject: frame.id,
                                   detail: "\(name)\(sheet.map { " sheet \($0)" } ?? ""): \(table.rowCount) rows, \(table.columns.count) columns, sha256 \(frame.sha256)",
                                   source: context.source)
        return redirect("/work/frames/\(frame.id)")
    }

    /// `GET /work/frames/ID[?id=COLUMN]`: what `pingyi frame inspect` prints, with the
    /// duplicates of the chosen id column.
    func inspect(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let frame = try frame(context)
        let table = try read(frame)
        let idColumn = request.uri.queryParameters["id"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var duplicates: [Duplicate]?
        if let idColumn {
            do { duplicates = try table.duplicates(in: idColumn) } catch {
                throw PageError(.unprocessableContent, error.description)
            }
        }
        return WorkbenchView.inspect(frame, table: table, idColumn: idColumn, duplicates: duplicates, session: session).response(context: context)
    }

    /// The frame named in the path, or 404.
    func frame(_ context: AppContext) throws -> Workspace.Frame {
        let id = context.parameters.get("frame") ?? ""
        guard let frame = try workspace.frame(id) else { throw PageError(.notFound, "没有这个抽样框（编号 \(id)）：请从工作台重新选择") }
        return frame
    }

    /// The stored frame read as at its upload.
    func read(_ frame: Workspace.Frame) throws -> Table {
        let path = try workspace.path(of: frame)
        do {
            return try TableFile.read(path: path, name: frame.name, options: CSVOptions(sheet: frame.sheet))
        } catch {
            throw PageError(.unprocessableContent, error.description)
        }
    }
}
