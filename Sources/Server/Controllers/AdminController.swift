import Hummingbird
import Questionnaire
import Store

/// Administration (管理员): users (add, unlock, password, API token), the questionnaires in the
/// store, and the record of sign-ins and user changes.
struct AdminController {
    let environment: ServerEnvironment
    var accounts: AccountRepository { AccountRepository(store: environment.store, settings: environment.settings) }

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("/users", use: users)
        group.post("/users", use: addUser)
        group.post("/users/unlock", use: unlock)
        group.post("/users/password", use: password)
        group.post("/users/token", use: token)
        group.get("/surveys", use: surveys)
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
        } catch let error as StoreError where error.kind == .data {
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
        } catch let error as StoreError where error.kind == .data {
            throw PageError(.notFound, "没有用户 \(name)")
        }
        return redirect("/admin/users?notice=" + "已为 \(name) 设置新密码".addingPercentEncodingForPath)
    }

    func token(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let name = try await fields(request, context)["name"] ?? ""
        let token = try await accounts.newAPIToken(for: name, by: session.user)
        return AdminView.token(name: name, token: token, session: session).response(context: context)
    }

    func surveys(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let all = try await environment.store.questionnaires(id: nil)
        let status = try await environment.store.status(questionnaire: nil)
        return AdminView.surveys(all, status: status, session: session).response(context: context)
    }

    func audit(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let entries = try await environment.store.auditEntries(AuditQuery(withoutCase: true, limit: 300))
        return AdminView.audit(entries, session: session).response(context: context)
    }
}
