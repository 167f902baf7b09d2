import Hummingbird
import Markup
import Store
import Synchronization

/// The one-time link of a first start: `pingyi serve` on a store without users prints
/// `http://HOST:PORT/setup/TOKEN`, where the first admin is made. The token is random and
/// lasts `expires`; by default only a client on this machine (loopback) may open it.
public struct FirstStart: Sendable {
    public let token: String
    /// Unix seconds after which the link is refused.
    public let expires: Int64
    /// Whether a client on another machine may open the link (`pingyi serve --remote-setup`).
    public let remote: Bool

    public init(token: String = Tokens.make(), expires: Int64, remote: Bool = false) {
        self.token = token
        self.expires = expires
        self.remote = remote
    }

    /// The link's path on the server.
    public var path: String { "/setup/\(token)" }
}

/// Whether the first-start setup is still to be done: while it is, every page but the setup
/// link answers that the server is not set up yet. Closed by the setup, or as soon as the
/// store is found to have users (made by `pingyi users add`, or by another server process).
final class SetupGate: Sendable {
    private let pending: Mutex<FirstStart?>

    init(_ firstStart: FirstStart?) {
        pending = Mutex(firstStart)
    }

    var link: FirstStart? { pending.withLock { $0 } }

    func close() { pending.withLock { $0 = nil } }
}

/// Refuses every request but the setup link's while the setup is pending (``SetupGate``).
struct FirstStartMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let environment: ServerEnvironment

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        if environment.setup.link != nil, !request.uri.path.hasPrefix("/setup/") {
            guard try await environment.store.users().isEmpty else {
                environment.setup.close()
                return try await next(request, context)
            }
            throw PageError(.forbidden, "尚未完成首次设置：请用 pingyi serve 启动时打印的设置链接创建第一个管理员")
        }
        return try await next(request, context)
    }
}

/// `GET/POST /setup/TOKEN`: the form that makes the first admin, who is then signed in.
struct SetupController {
    let environment: ServerEnvironment

    var accounts: AccountRepository { AccountRepository(store: environment.store, settings: environment.settings) }

    func addRoutes(to router: Router<AppContext>) {
        router.get("/setup/:token", use: form)
        router.post("/setup/:token", use: create)
    }

    /// The pending setup whose link the request opened, or the page that says why not.
    private func check(_ context: AppContext) throws -> FirstStart {
        let token = context.parameters.get("token") ?? ""
        guard let link = environment.setup.link else {
            throw PageError(.gone, "首次设置已完成，此链接不再有效：请登录")
        }
        guard constantTimeEqual(token, link.token) else { throw PageError(.notFound, "没有这个页面") }
        guard environment.settings.now() < link.expires else {
            throw PageError(.gone, "设置链接已过期：重新启动 pingyi serve 会打印新的链接")
        }
        guard link.remote || context.isLoopback else {
            throw PageError(.forbidden, "设置链接只能在运行 pingyi serve 的这台计算机上打开（或用 --remote-setup 启动）")
        }
        return link
    }

    func form(_ request: Request, context: AppContext) async throws -> Response {
        let link = try check(context)
        return page(context: context, link: link, name: "", error: nil)
    }

    private func page(context: AppContext, link: FirstStart, name: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let body: HTML = """
            <p>这是新的数据库。请创建第一个管理员账户；之后用它在“用户”页添加录入员、访员、督导和统计人员。</p>
            \(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty)
            <form class="card" method="post" action="\(link.path)">
            <label class="field">用户名 <input type="text" name="name" value="\(name)" autofocus autocomplete="username" required></label>
            <label class="field">密码 <input type="password" name="password" autocomplete="new-password" required></label>
            <label class="field">再输一遍密码 <input type="password" name="again" autocomplete="new-password" required></label>
            <button type="submit">创建管理员并登录</button>
            </form>
            """
        return Page(title: "首次设置", session: nil, body: body).response(context: context, status: status)
    }

    func create(_ request: Request, context: AppContext) async throws -> Response {
        let link = try check(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let name = fields["name"] ?? "", password = fields["password"] ?? ""
        if let problem = AccountRepository.problem(name: name, password: password) {
            return page(context: context, link: link, name: name, error: problem, status: .unprocessableContent)
        }
        guard password == fields["again"] else {
            return page(context: context, link: link, name: name, error: "两次输入的密码不一致", status: .unprocessableContent)
        }
        let hasher = environment.settings.hasher
        let hash = try await Task.detached { try hasher.hash(password) }.value
        do {
            try await environment.store.addFirstAdmin(name: name, passwordHash: hash, by: "first-start setup (\(context.source))")
        } catch {
            guard error.kind == .data else { throw error }
            environment.setup.close()
            throw PageError(.gone, "首次设置已完成，此链接不再有效：请登录")
        }
        environment.setup.close()
        guard case .signedIn(let token, _) = try await accounts.startSession(user: name, role: .admin) else { return redirect("/login") }
        var response = redirect("/")
        response.setCookie(Cookie(name: SessionMiddleware.cookie, value: token, path: "/",
                                  secure: environment.settings.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
