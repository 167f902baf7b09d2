import Foundation
import Hummingbird
import NIOCore
import Store
import Markup

/// Adds the security headers to every response: a content security policy that allows only
/// this server's own inline styles and scripts (with the request's nonce) and requests to the
/// server itself, no framing, no MIME sniffing, the referrer to this server only (an error page's way back), no caching of pages.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        context.nonce = Tokens.make()
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = """
            default-src 'none'; script-src 'nonce-\(context.nonce)'; style-src 'nonce-\(context.nonce)'; img-src 'self' data:; \
            connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'
            """
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrer = FieldName("Referrer-Policy") { response.headers[referrer] = "same-origin" }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Turns ``PageError`` and Hummingbird's `HTTPError` into a Chinese HTML page, or JSON for
/// requests that want it (``Request/wantsJSON``).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        do {
            do {
                return try await next(request, context)
            } catch let wrapped as SignedInFailure {
                // Thrown below the session middleware: the page keeps the user's menu.
                context.session = wrapped.session
                throw wrapped.error
            }
        } catch let error as PageError {
            return respond(error, request, context)
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "没有这个页面" : (error.body ?? error.status.reasonPhrase)
            return respond(PageError(error.status, message), request, context)
        } catch let error as StoreError {
            // The details (the store's path, the database's words) stay in the server's log.
            context.logger.error("\(error.description)")
            let message = error.kind == .database ? "数据库暂时无法完成操作：请稍后重试；如仍不行，请联系管理员" : "数据库未能完成操作：请核对后重试"
            return respond(PageError(error.kind == .database ? .serviceUnavailable : .unprocessableContent, message), request, context)
        } catch {
            context.logger.error("unexpected error: \(String(describing: type(of: error)))")
            return respond(PageError(.internalServerError, "服务器内部错误：请稍后重试；如仍不行，请联系管理员"), request, context)
        }
    }

    private func respond(_ error: PageError, _ request: Request, _ context: AppContext) -> Response {
        if request.wantsJSON {
            return jsonResponse(ErrorBody(error: error.message, problems: error.details.isEmpty ? nil : error.details,
                                          items: error.items.isEmpty ? nil : error.items), status: error.status)
        }
        let page = ErrorView.page(error, session: context.session, back: ErrorView.back(request))
        return page.response(context: context, status: error.status)
    }

    struct ErrorBody: Encodable {
        let error: String
        let problems: [String]?
        let items: [String]?
    }
}

/// Reads the session cookie and puts the valid session into the context.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppContext
    static let cookie = "pingyi_session"
    let environment: ServerEnvironment

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[SessionMiddleware.cookie]?.value, !token.isEmpty {
            context.hadSessionCookie = true
            context.session = try await environment.store.session(tokenHash: Tokens.hash(token), now: environment.settings.now())
        }
        do {
            return try await next(request, context)
        } catch {
            guard let session = context.session else { throw error }
            throw SignedInFailure(error: error, session: session)
        }
    }
}

/// An error of a signed-in request, with its session for the error page (``ErrorMiddleware``
/// sits outside ``SessionMiddleware``).
struct SignedInFailure: Error {
    let error: any Error
    let session: SessionRecord
}

/// Lets a request through only with a session whose role may do one of `permissions` (any
/// signed-in user when it is empty): without a session, pages redirect to the sign-in page
/// (JSON requests get 401); a role without the permission gets 403. Every POST must also carry
/// the session's CSRF token (form field `csrf`, in a urlencoded or multipart body, or header
/// `X-CSRF-Token`), else 403.
struct RequireSignIn: RouterMiddleware {
    typealias Context = AppContext
    let permissions: [Permission]

    init(_ permissions: Permission...) {
        self.permissions = permissions
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let session = context.session else {
            let message = context.hadSessionCookie ? "登录已过期，请重新登录" : "请先登录"
            if request.wantsJSON || request.method != .get { throw PageError(.unauthorized, message) }
            let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
            return redirect("/login?next=\(next)\(context.hadSessionCookie ? "&expired=1" : "")")
        }
        guard permissions.isEmpty || permissions.contains(where: session.role.may) else {
            let needed = permissions.map { "「\($0.label)」" }.joined(separator: "或")
            throw PageError(.forbidden, "权限不足：此页面需要\(needed)权限，您的角色是\(session.role.label)")
        }
        if request.method == .post {
            var request = request
            let token: String
            if let header = FieldName("X-CSRF-Token").flatMap({ request.headers[$0] }) {
                token = header
            } else if MultipartBody.boundary(contentType: request.headers[.contentType]) != nil {
                token = try await MultipartBody.read(&request, context: context)[field: "csrf"] ?? ""
            } else {
                token = try await FormBody.read(&request, context: context)["csrf"] ?? ""
            }
            guard constantTimeEqual(token, session.csrf) else {
                throw PageError(.forbidden, "表单已失效（CSRF 令牌不符），请刷新页面后重试")
            }
            return try await next(request, context)
        }
        return try await next(request, context)
    }
}

extension Request {
    /// Whether the response should be JSON: an API path, or a `fetch` that accepts JSON.
    var wantsJSON: Bool {
        uri.path.hasPrefix("/api/") || (headers[.accept]?.contains("application/json") ?? false)
    }
}

/// A header name (HTTPTypes' `HTTPField.Name`, which Hummingbird does not export by name).
typealias FieldName = HTTPFields.Element.Name

/// A 303 redirect to `location` (a path on this server).
func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// A JSON response.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
