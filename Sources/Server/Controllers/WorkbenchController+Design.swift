import Foundation
import Hummingbird
import Sampling
import Store
import Tables

/// Designs in the workbench: start from a shipped design, edit the first stage's strata, order,
/// method and allocation (and the reserves) in a form or the YAML itself, preview the allocation
/// on an uploaded frame (``SamplingJob/allocation(designPath:framePath:frameName:csv:)``, what
/// `pingyi sample allocate` prints).
extension WorkbenchController {
    func addDesignRoutes(to group: RouterGroup<AppContext>) {
        group.get("/designs/new", use: newDesign)
        group.post("/designs", use: saveDesign)
        group.get("/designs/:design", use: showDesign)
    }

    /// The shipped designs (`surveys/designs/NAME.yaml`), by name.
    var shippedDesigns: [String] { shipped("designs") }

    /// `GET /work/designs/new?frame=ID&from=NAME`: the form, filled from a shipped design.
    func newDesign(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let frame = try queryFrame(request)
        let from = request.uri.queryParameters["from"].map(String.init) ?? shippedDesigns.first ?? ""
        guard shippedDesigns.contains(from), let folder = environment.settings.surveys else {
            throw PageError(.notFound, "没有这个标准设计：\(from)（可选：\(shippedDesigns.joined(separator: "、"))）")
        }
        let design: Design
        do { design = try Design.load(path: "\(folder)/designs/\(from).yaml").design } catch {
            throw PageError(.unprocessableContent, error.description)
        }
        var start = design
        start.frame = nil
        let page = WorkbenchView.design(start, yaml: start.yaml(), base: from, saved: nil, frame: frame, frames: try workspace.frames(),
                                        shipped: shippedDesigns, allocation: nil, error: nil, session: session)
        return page.response(context: context)
    }

    /// `POST /work/designs`: the design from the form's fields (applied to the base design) or
    /// from its YAML, checked, saved, then shown with its allocation on the chosen frame.
    func saveDesign(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let workspace = try self.workspace
        let frame = fields["frame"].flatMap(workspace.frame)
        let base = fields["base"].flatMap { $0.isEmpty ? nil : $0 }
        let design: Design
        do {
            design = try DesignForm.design(fields)
        } catch {
            let page = WorkbenchView.design(nil, yaml: fields["yaml"] ?? "", base: base, saved: nil, frame: frame, frames: workspace.frames(),
                                            shipped: shippedDesigns, allocation: nil, error: error.message, session: session)
            return page.response(context: context, status: .unprocessableContent)
        }
        let yaml = design.yaml()
        let saved: Workspace.SavedDesign
        do {
            saved = try workspace.saveDesign(yaml: yaml, name: design.name, base: base, by: session.user, at: environment.settings.now())
        } catch let error as WorkspaceError {
            throw PageError(.serviceUnavailable, error.message)
        }
        try await store.recordWork(action: "design-save", by: session.user, subject: saved.id,
                                   detail: "\(design.name)\(base.map { " from \($0)" } ?? "")", source: context.source)
        return redirect("/work/designs/\(saved.id)" + (frame.map { "?frame=\($0.id)" } ?? ""))
    }

    /// `GET /work/designs/ID?frame=FRAME`: the saved design, its YAML and its allocation.
    func showDesign(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let workspace = try self.workspace
        let id = context.parameters.get("design") ?? ""
        guard let saved = workspace.design(id) else { throw PageError(.notFound, "没有这个设计（编号 \(id)）：请从工作台重新选择") }
        let frame = try queryFrame(request)
        let path = workspace.designPath(id)
        let yaml = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        let design: Design
        do { design = try Design.load(path: path).design } catch {
            throw PageError(.unprocessableContent, error.description)
        }
        var allocation: [StratumCount]?
        var problem: String?
        if let frame {
            do {
                allocation = try SamplingJob.allocation(designPath: path, framePath: workspace.path(of: frame), frameName: frame.name,
                                                        csv: CSVOptions(sheet: frame.sheet)).strata
            } catch {
                problem = error.description
            }
        }
        let page = WorkbenchView.design(design, yaml: yaml, base: saved.base, saved: saved, frame: frame, frames: workspace.frames(),
                                        shipped: shippedDesigns, allocation: allocation, error: problem, session: session)
        return page.response(context: context, status: problem == nil ? .ok : .unprocessableContent)
    }

    /// The frame of `?frame=ID`, nil without one; 404 for an unknown id.
    func queryFrame(_ request: Request) throws -> Workspace.Frame? {
        guard let id = request.uri.queryParameters["frame"].map(String.init), !id.isEmpty else { return nil }
        guard let frame = try workspace.frame(id) else { throw PageError(.notFound, "没有这个抽样框（编号 \(id)）：请从工作台重新选择") }
        return frame
    }
}

/// The design form's fields: `mode=yaml` takes the YAML as written; `mode=fields` applies the
/// first stage's fields (and the last stage's reserves) to the YAML the form was filled from.
enum DesignForm {
    struct Problem: Error {
        let message: String
    }

    static func design(_ fields: [String: String]) throws(Problem) -> Design {
        let yaml = fields["yaml"] ?? ""
        var design: Design
        do { design = try Design.parse(yaml, file: "design.yaml").design } catch {
            throw Problem(message: "设计未保存：\(error.description)")
        }
        guard fields["mode"] != "yaml" else { return design }
        func list(_ name: String) -> [String] {
            (fields[name] ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " || $0 == "、" }).map(String.init)
        }
        func number(_ name: String, label: String, minimum: Int) throws(Problem) -> Int {
            let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
            guard let n = Int(text), n >= minimum else {
                throw Problem(message: "设计未保存：「\(label)」须为不小于 \(minimum) 的整数（现为「\(text)」）")
            }
            return n
        }
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
        if !name.isEmpty { design.name = name }
        var first = design.stages[0]
        first.strata = list("strata")
        first.order = list("order")
        first.serpentine = fields["serpentine"] != nil
        guard let method = Method(rawValue: fields["method"] ?? "") else { throw Problem(message: "设计未保存：请选择抽样方法") }
        first.method = method
        first.takeAll = fields["take_all"] != nil
        switch fields["allocation"] {
        case "per-stratum":
            first.allocation = .perStratum(try number("n", label: "每层样本量", minimum: 1))
        case "total":
            guard let rule = AllocationRule(rawValue: fields["rule"] ?? "") else { throw Problem(message: "设计未保存：请选择分配方法") }
            var sd: String?
            if case let .total(_, _, _, column) = first.allocation { sd = column }
            if rule == .neyman && sd == nil { throw Problem(message: "设计未保存：内曼分配需要标准差列（neyman-sd），请在 YAML 中写明") }
            first.allocation = .total(try number("n", label: "总样本量", minimum: 1), rule: rule,
                                      minimum: try number("min", label: "每层最少", minimum: 0), sdColumn: sd)
        default:
            break  // kept as the YAML has it (sizes per stratum)
        }
        design.stages[0] = first
        let last = design.stages.count - 1
        let reserve = try number("reserve", label: "备用数", minimum: 0)
        if reserve > 0 && design.stages[last].method == .ppsSystematic {
            throw Problem(message: "设计未保存：备用只能在等概率（srs、systematic）阶段抽取")
        }
        design.stages[last].reserve = reserve
        // The edited design must read back as itself (a column name YAML cannot hold is refused there).
        do { return try Design.parse(design.yaml(), file: "design.yaml").design } catch {
            throw Problem(message: "设计未保存：\(error.description)")
        }
    }
}
