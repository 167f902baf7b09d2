import Hummingbird
import Store
import Markup

/// Sign-in and sign-out. The sign-in form carries its own CSRF token (a cookie that must match
/// the hidden field), since there is no session yet.
struct LoginController {
    let environment: ServerEnvironment
    static let loginCookie = "pingyi_login"

    var accounts: AccountRepository { AccountRepository(store: environment.store, settings: environment.settings) }

    func addRoutes(to router: Router<AppContext>) {
        router.get("/login", use: form)
        router.post("/login", use: signIn)
    }

    /// Routes that need a session, whatever its role (added behind ``RequireSignIn``).
    func addSessionRoutes(to group: RouterGroup<AppContext>) {
        group.get("/", use: home)
        group.get("/session", use: sessionInfo)
        group.post("/logout", use: signOut)
    }

    /// Who is signed in and the session's CSRF token, as JSON: a page whose session expired
    /// takes the new session's token after its user signs in again in another tab, so the form
    /// kept on the page can still be sent (same origin only: no page elsewhere can read it).
    func sessionInfo(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var response = jsonResponse(SessionInfo(user: session.user, role: session.role.rawValue, csrf: session.csrf))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct SessionInfo: Encodable {
        let user: String
        let role: String
        let csrf: String
    }

    /// The start page: the work the role may do.
    func home(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let what: [Permission: String] = [
            .keying: "录入纸质问卷（两遍独立录入）", .calling: "电话访问：取下一个案例、记录拨打结果、访问和回访",
            .supervising: "核对与裁定、处置与备选、电话督导、审计", .analysing: "进度和各单位的满意度分布",
            .workbench: "工作台：上传抽样框、设计、抽样、加载名单", .administering: "用户、问卷截止录入和登录记录",
        ]
        var seen: Set<Permission> = []
        let cards = Page.links(for: session.role).compactMap { link -> HTML? in
            guard seen.insert(link.permission).inserted else { return nil }
            return "<li><a href=\"\(link.path)\">\(link.permission.label)</a>：\(what[link.permission] ?? "")</li>"
        }
        let body: HTML = "<ul class=\"card\">\(cards)</ul>"
        return Page(title: "\(session.user)（\(session.role.label)）的工作", session: session, body: body).response(context: context)
    }

    func form(_ request: Request, context: AppContext) async throws -> Response {
        let expired = request.uri.queryParameters["expired"] != nil
        return page(context: context, next: request.uri.queryParameters["next"].map(String.init) ?? "/",
                    error: expired ? "登录已过期，请重新登录" : nil, name: "")
    }

    private func page(context: AppContext, next: String, error: String?, name: String, status: HTTPResponse.Status = .ok) -> Response {
        let token = Tokens.make()
        let body: HTML = """
            \(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty)
            <form class="card" method="post" action="/login">
            <input type="hidden" name="csrf" value="\(token)">
            <input type="hidden" name="next" value="\(next)">
            <label class="field">用户名 <input type="text" name="name" value="\(name)" autofocus autocomplete="username" required></label>
            <label class="field">密码 <input type="password" name="password" autocomplete="current-password" required></label>
            <button type="submit">登录</button>
            </form>
            """
        var response = Page(title: "登录", session: nil, body: body).response(context: context, status: status)
        response.setCookie(Cookie(name: LoginController.loginCookie, value: token, path: "/login",
                                  secure: environment.settings.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, context: AppContext) async throws -> Response {
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let expected = request.cookies[LoginController.loginCookie]?.value ?? ""
        guard !expected.isEmpty, constantTimeEqual(fields["csrf"] ?? "", expected) else {
            throw PageError(.forbidden, "登录表单已失效（CSRF 令牌不符），请重新打开登录页")
        }
        let name = fields["name"] ?? ""
        var next = fields["next"] ?? "/"
        // Only a path on this server (not `//host` or `/\host`, which browsers read as another site).
        if !next.hasPrefix("/") || next.hasPrefix("//") || next.contains("\\") || next.hasPrefix("/login") { next = "/" }
        switch try await accounts.login(name: name, password: fields["password"] ?? "", source: context.source) {
        case .refused(let message):
            return page(context: context, next: next, error: message, name: name, status: .unauthorized)
        case .signedIn(let token, _):
            var response = redirect(next)
            response.setCookie(Cookie(name: SessionMiddleware.cookie, value: token, path: "/",
                                      secure: environment.settings.secureCookies, httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: LoginController.loginCookie, value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    func signOut(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        try await environment.store.endSession(tokenHash: session.tokenHash, user: session.user, source: context.source)
        var response = redirect("/login")
        response.setCookie(Cookie(name: SessionMiddleware.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }
}
