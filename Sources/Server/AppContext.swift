import Hummingbird
import NIOCore
import Store

/// The request context: the signed-in session (set by ``SessionMiddleware``) and the client's
/// address (for the audit trail).
struct AppContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The session of the request's cookie, when valid.
    var session: SessionRecord?
    /// Whether the request carried a session cookie (so a missing session means it expired).
    var hadSessionCookie = false
    /// The client's address, `web 127.0.0.1` style, for the audit trail.
    let source: String
    /// Whether the client is this machine (a loopback address; a test's in-process client too).
    let isLoopback: Bool
    /// The nonce of this response's inline script and style (see ``SecurityHeadersMiddleware``).
    var nonce = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let address = source.channel.remoteAddress?.ipAddress ?? "local"
        self.source = "web \(address)"
        isLoopback = address == "local" || address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    /// The signed-in user; controllers behind ``RequireRole`` may rely on it.
    func user() throws -> SessionRecord {
        guard let session else { throw PageError(.unauthorized, "请先登录") }
        return session
    }
}
