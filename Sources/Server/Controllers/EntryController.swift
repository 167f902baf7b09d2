import Foundation
import Hummingbird
import Questionnaire
import Store
import Markup

/// Keying: the list of questionnaires, the keying page of a questionnaire and pass, the case
/// check, saving a form, and the operator's own work (roles that may key).
struct EntryController {
    let environment: ServerEnvironment

    var entries: EntryRepository { EntryRepository(store: environment.store, writer: environment.writer) }

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("/entry", use: home)
        group.get("/entry/:questionnaire/:pass", use: keyingPage)
        group.get("/entry/:questionnaire/:pass/case", use: checkCase)
        group.post("/entry/:questionnaire/:pass", use: save)
        group.get("/mine", use: mine)
    }

    /// The questionnaire and pass of the path, or 404.
    private func target(_ context: AppContext) async throws -> (Questionnaire, Pass) {
        guard let id = context.parameters.get("questionnaire"), let q = try await environment.catalog.questionnaire(id) else {
            throw PageError(.notFound, "没有这份问卷：请从录入页选择")
        }
        guard let number = context.parameters.get("pass", as: Int.self), let pass = Pass(rawValue: number) else {
            throw PageError(.notFound, "遍次只能是 1 或 2")
        }
        if pass == .second && q.entry == .single { throw PageError(.notFound, "问卷 \(q.id) 只录入一遍，没有第 2 遍") }
        return (q, pass)
    }

    func home(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let questionnaires = try await environment.catalog.all()
        let closed = Set(try await environment.store.entryClosures().map(\.questionnaire))
        let rows = questionnaires.map { q -> HTML in
            let passes = q.entry == .double ? [Pass.first, .second] : [.first]
            let links: HTML = closed.contains(q.id) ? "<span class=\"muted\">已截止录入</span>"
                : "\(passes.map { HTML("<a href=\"\(EntryView.path(q, $0))\">第 \($0.rawValue) 遍</a> ") })"
            return "<tr><td>\(q.title)</td><td>\(q.group.label)</td><td>\(q.id) 第 \(q.version) 版</td><td>\(links)</td></tr>"
        }
        let body: HTML = questionnaires.isEmpty
            ? "<p class=\"card\">库中还没有问卷：请管理员先用 pingyi cases load 载入样本名单。</p>"
            : "<table><tr><th>问卷</th><th>对象</th><th>版本</th><th>录入</th></tr>\(rows)</table>"
        return Page(title: "选择问卷和遍次", session: session, body: body).response(context: context)
    }

    func keyingPage(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, pass) = try await target(context)
        if let closed = try await environment.store.entryClosures().first(where: { $0.questionnaire == q.id }) {
            throw PageError(.conflict, EntryRepository.closedMessage(closed))
        }
        let saved = request.uri.queryParameters["saved"].map { "已保存 \($0)（第 \(pass.rawValue) 遍）" }
        return EntryView.page(q, pass: pass, session: session, notice: saved).response(context: context)
    }

    func checkCase(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, pass) = try await target(context)
        let id = request.uri.queryParameters["id"].map(String.init) ?? ""
        return jsonResponse(try await entries.check(q, pass: pass, caseID: id, operator: session.user))
    }

    func save(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, pass) = try await target(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let typed = fields["case_id"] ?? ""
        let caseID: String
        do {
            caseID = try await entries.save(q, pass: pass, caseID: typed, fields: fields, operator: session.user, source: context.source)
        } catch let error as PageError where !request.wantsJSON && [.unprocessableContent, .conflict].contains(error.status) {
            // Without the page's script: the keying page again, filled in as sent, with the reasons.
            return EntryView.page(q, pass: pass, session: session, notice: nil, refill: .init(caseID: typed, values: fields, error: error))
                .response(context: context, status: error.status)
        }
        if request.wantsJSON {
            return jsonResponse(SaveResult(ok: true, caseID: caseID, message: "已保存 \(caseID)（第 \(pass.rawValue) 遍）"), status: .created)
        }
        return redirect(EntryView.path(q, pass) + "?saved=" + caseID.addingPercentEncodingForPath)
    }

    struct SaveResult: Encodable {
        let ok: Bool
        let caseID: String
        let message: String
    }

    /// The signed-in person's latest keyed forms.
    func mine(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let entries = try await environment.store.auditEntries(AuditQuery(operator: session.user, actions: ["enter", "replace"], limit: 200))
        let rows = entries.map { e -> HTML in
            // A keyed form is the whole questionnaire (its version); a correction names its item and values.
            let what = e.action == "enter" ? "整份问卷（\(e.newValue ?? "")）" : "\(e.item ?? "")：\(e.oldValue ?? "（空）") → \(e.newValue ?? "（空）")"
            return "<tr><td>\(AuditWording.beijing(e.at))</td><td>\(e.caseID ?? "")</td><td class=\"n\">\(e.pass ?? 0)</td><td>\(AuditWording.action(e.action))</td><td>\(what)</td></tr>"
        }
        let body: HTML = entries.isEmpty ? "<p>您还没有录入问卷。</p>" : """
            <p class="muted">最近 \(entries.count) 条（最新在前）</p>
            <table><tr><th>时间（北京时间）</th><th>编号</th><th>遍次</th><th>操作</th><th>题目</th></tr>\(rows)</table>
            """
        return Page(title: "我的录入", session: session, body: body).response(context: context)
    }
}
