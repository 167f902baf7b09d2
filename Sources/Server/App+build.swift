public import Hummingbird
import Logging
public import Store

/// The web application of `pingyi serve` on `store`, listening at `settings.host:port`.
/// - Parameter onServerRunning: called once the server listens (with its bound port).
public func buildApplication(store: any ServerStore, settings: ServerSettings,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "pingyi.serve")
    logger.logLevel = .notice
    return Application(router: buildRouter(store: store, settings: settings),
                       configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "pingyi"),
                       onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
                       logger: logger)
}

/// The routes, by who may use them (while the first-start setup is pending, only `/setup/TOKEN`):
/// - anyone: `GET/POST /login`, `POST /api/forms` (API token), `/s…` (online respondents, by access code);
/// - every signed-in role (录入员 and up): `/`, `/entry…`, `/mine`, `POST /logout`;
/// - 督导 and up: `/supervise/…`;
/// - 统计人员 and 管理员: `/work/…` (the workbench);
/// - 管理员: `/admin/…`.
func buildRouter(store: any ServerStore, settings: ServerSettings) -> Router<AppContext> {
    let environment = ServerEnvironment(store: store, settings: settings)
    let router = Router(context: AppContext.self)
    // The security headers go on every response, error pages included; inside them the error
    // middleware catches what every other middleware and route throws (the session's too).
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: FirstStartMiddleware(environment: environment))
    router.add(middleware: SessionMiddleware(environment: environment))
    SetupController(environment: environment).addRoutes(to: router)
    let login = LoginController(environment: environment)
    login.addRoutes(to: router)
    APIController(environment: environment).addRoutes(to: router)
    OnlineController(environment: environment).addRoutes(to: router)
    login.addSessionRoutes(to: router.group().add(middleware: RequireSignIn()))
    EntryController(environment: environment).addRoutes(to: router.group().add(middleware: RequireSignIn(.keying)))
    CallsController(environment: environment).addRoutes(to: router.group("calls").add(middleware: RequireSignIn(.calling)))
    let supervision = SupervisionController(environment: environment)
    supervision.addRoutes(to: router.group("supervise").add(middleware: RequireSignIn(.supervising)))
    supervision.addFigureRoutes(to: router.group("supervise").add(middleware: RequireSignIn(.supervising, .analysing)))
    WorkbenchController(environment: environment).addRoutes(to: router.group("work").add(middleware: RequireSignIn(.workbench)))
    AdminController(environment: environment).addRoutes(to: router.group("admin").add(middleware: RequireSignIn(.administering)))
    return router
}
