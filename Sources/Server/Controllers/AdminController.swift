import Foundation
import Hummingbird
import Questionnaire
import Store

/// Administration (管理员): users (add, unlock, password, API token), the questionnaires in the
/// store with their entry state (close and reopen keying), and the record of sign-ins and user
/// changes.
struct AdminController {
    let environment: ServerEnvironment
    var accounts: AccountRepository { AccountRepository(store: environment.store, settings: environment.settings) }

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("/users", use: users)
        group.post("/users", use: addUser)
        group.post("/users/unlock", use: unlock)
        group.post("/users/password", use: password)
        group.post("/users/token", use: token)
        group.post("/users/role", use: role)
        group.post("/users/disable", use: disable)
        group.post("/users/enable", use: enable)
        group.post("/users/delete", use: delete)
        group.get("/surveys", use: surveys)
        group.post("/surveys/close", use: closeEntry)
        group.post("/surveys/reopen", use: reopenEntry)
        group.get("/audit", use: audit)
    }

    func users(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let notice = request.uri.queryParameters["notice"].map(String.init)
        return AdminView.users(try await environment.store.users(), now: environment.settings.now(), session: session, notice: notice)
            .response(context: context)
    }

    private func fields(_ request: Request, _ context: AppContext) async throws -> [String: String] {
        var request = request
        return try await FormBody.read(&request, context: context)
    }

    func addUser(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let name = f["name"] ?? ""
        guard let role = UserRole(rawValue: f["role"] ?? "") else { throw PageError(.unprocessableContent, "请选择角色") }
        try await accounts.addUser(name: name, role: role, password: f["password"] ?? "", by: session.user)
        return redirect("/admin/users?notice=" + "已添加用户 \(name)（\(role.label)）".addingPercentEncodingForPath)
    }

    func unlock(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let name = try await fields(request, context)["name"] ?? ""
        do {
            try await environment.store.unlock(name: name, by: session.user)
        } catch {
            // (A plain catch: `catch where` on a typed error crashes Swift 6.3's SILGen here.)
            guard error.kind == .data else { throw error }
            throw PageError(.notFound, "没有用户 \(name)")
        }
        return redirect("/admin/users?notice=" + "已解锁 \(name)".addingPercentEncodingForPath)
    }

    func password(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let name = f["name"] ?? "", password = f["password"] ?? ""
        if let problem = AccountRepository.problem(name: name, password: password) { throw PageError(.unprocessableContent, problem) }
        let hasher = environment.settings.hasher
        let hash = try await Task.detached { try hasher.hash(password) }.value
        do {
            try await environment.store.setPassword(name: name, passwordHash: hash, by: session.user)
        } catch {
            guard error.kind == .data else { throw error }
            throw PageError(.notFound, "没有用户 \(name)")
        }
        return redirect("/admin/users?notice=" + "已为 \(name) 设置新密码".addingPercentEncodingForPath)
    }

    func role(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let name = f["name"] ?? ""
        guard let role = UserRole(rawValue: f["role"] ?? "") else { throw PageError(.unprocessableContent, "请选择角色") }
        try await changeUser(name) { () async throws(StoreError) in try await environment.store.setRole(name: name, role: role, by: session.user) }
        return redirect("/admin/users?notice=" + "已将 \(name) 改为\(role.label)，其会话已结束".addingPercentEncodingForPath)
    }

    func disable(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let name = try await fields(request, context)["name"] ?? ""
        try await changeUser(name) { () async throws(StoreError) in try await environment.store.setDisabled(name: name, disabled: true, by: session.user) }
        return redirect("/admin/users?notice=" + "已停用 \(name)：不能登录，会话已结束，API 令牌失效".addingPercentEncodingForPath)
    }

    func enable(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let name = try await fields(request, context)["name"] ?? ""
        try await changeUser(name) { () async throws(StoreError) in try await environment.store.setDisabled(name: name, disabled: false, by: session.user) }
        return redirect("/admin/users?notice=" + "已启用 \(name)".addingPercentEncodingForPath)
    }

    func delete(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let name = f["name"] ?? ""
        guard f["confirm"] == "yes" else { throw PageError(.unprocessableContent, "删除用户 \(name) 前请勾选“确认”") }
        try await changeUser(name) { () async throws(StoreError) in try await environment.store.deleteUser(name: name, by: session.user) }
        return redirect("/admin/users?notice=" + "已删除用户 \(name)（其录入的问卷和审计记录保留）".addingPercentEncodingForPath)
    }

    /// Runs a change to a user, wording the store's refusals for the page.
    private func changeUser(_ name: String, _ change: () async throws(StoreError) -> Void) async throws {
        do {
            try await change()
            environment.tokens.forget(user: name)
        } catch {
            guard error.kind == .data else { throw error }
            if error.refusesLastAdmin(name) { throw PageError(.unprocessableContent, "\(name) 是最后一个可登录的管理员；请先把另一位用户设为管理员") }
            throw PageError(.notFound, "没有用户 \(name)")
        }
    }

    func token(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let name = f["name"] ?? ""
        // A new token ends the old one at once: a client still using it would fail, so ask first.
        if try await environment.store.user(named: name)?.hasAPIToken == true, f["confirm"] != "yes" {
            throw PageError(.unprocessableContent, "用户 \(name) 已有 API 令牌；换新令牌会使旧令牌立即失效，请勾选“作废旧令牌”后再提交")
        }
        let token = try await accounts.newAPIToken(for: name, by: session.user)
        return AdminView.token(name: name, token: token, session: session).response(context: context)
    }

    func surveys(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let all = try await environment.store.questionnaires(id: nil)
        let status = try await environment.store.status(questionnaire: nil)
        let closures = try await environment.store.entryClosures()
        let notice = request.uri.queryParameters["notice"].map(String.init)
        return AdminView.surveys(all, status: status, closures: closures, session: session, notice: notice).response(context: context)
    }

    func closeEntry(_ request: Request, context: AppContext) async throws -> Response {
        try await setEntry(request, context: context, open: false)
    }

    func reopenEntry(_ request: Request, context: AppContext) async throws -> Response {
        try await setEntry(request, context: context, open: true)
    }

    /// Closes or reopens keying of a questionnaire, with the admin's reason.
    private func setEntry(_ request: Request, context: AppContext, open: Bool) async throws -> Response {
        let session = try context.user()
        let f = try await fields(request, context)
        let id = f["questionnaire"] ?? "", reason = (f["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        let what = open ? "恢复录入" : "截止录入"
        guard try await !environment.store.questionnaires(id: id).isEmpty else { throw PageError(.notFound, "没有问卷 \(id)") }
        guard !reason.isEmpty else { throw PageError(.unprocessableContent, "请填写\(what)的原因") }
        let closed = try await environment.store.entryClosures().contains { $0.questionnaire == id }
        guard closed == open else { throw PageError(.conflict, open ? "问卷 \(id) 正在录入中，无需恢复" : "问卷 \(id) 已截止录入") }
        do {
            _ = try await environment.store.setEntry(questionnaire: id, open: open, reason: reason, operator: session.user)
        } catch {
            guard error.kind != .database else { throw error }
            throw PageError(.conflict, "问卷 \(id) 的录入状态刚被他人更改，请刷新后再试")
        }
        return redirect("/admin/surveys?notice=" + "问卷 \(id) 已\(what)".addingPercentEncodingForPath)
    }

    func audit(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let entries = try await environment.store.auditEntries(AuditQuery(withoutCase: true, limit: 300))
        return AdminView.audit(entries, session: session).response(context: context)
    }
}
