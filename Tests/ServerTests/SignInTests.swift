import Hummingbird
import HummingbirdTesting
import Server
import Store
import Testing

@Suite("Sign-in, sessions and lock-out")
struct SignInTests {
    @Test func signInSetsAStrictHttpOnlySessionCookie() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let page = try await client.get("/login")
            #expect(page.status == .ok)
            #expect(page.text.contains("<title>登录 · 公众评议录入</title>"))
            let loginCookie = try #require(page.setCookie("pingyi_login"))
            #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict") && loginCookie.contains("Path=/login"))
            let (cookie, csrf) = try await client.loginForm()
            let response = try await client.post("/login", nil, [("name", "operator"), ("password", "password-operator"), ("next", "/entry/small/1")],
                                                 csrf: csrf, cookies: "pingyi_login=\(cookie)")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/entry/small/1")
            let session = try #require(response.setCookie("pingyi_session"))
            #expect(session.contains("Path=/") && session.contains("HttpOnly") && session.contains("SameSite=Strict"))
            #expect(!session.contains("Secure"))
            // Only the token's hash is stored.
            let token = try #require(response.cookie("pingyi_session"))
            #expect(try await f.store.session(tokenHash: Tokens.hash(token), now: f.clock.now)?.user == "operator")
            #expect(try await f.store.session(tokenHash: token, now: f.clock.now) == nil)
            let audit = try await f.store.auditEntries(AuditQuery(actions: ["login"]))
            #expect(audit.map(\.operator) == ["operator"])
            // After sign-in the browser goes only to a page of this server.
            for next in ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/login?next=/"] {
                let (cookie, csrf) = try await client.loginForm()
                let r = try await client.post("/login", nil, [("name", "operator"), ("password", "password-operator"), ("next", next)],
                                              csrf: csrf, cookies: "pingyi_login=\(cookie)")
                #expect(r.headers[.location] == "/", "\(next)")
            }
        }
    }

    @Test func signInWithoutTheFormsTokenIsRefused() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let (cookie, _) = try await client.loginForm()
            for (csrf, cookies) in [("forged", "pingyi_login=\(cookie)"), (cookie, "")] {
                let response = try await client.post("/login", nil, [("name", "operator"), ("password", "password-operator")],
                                                     csrf: csrf, cookies: cookies)
                #expect(response.status == .forbidden)
                #expect(response.text.contains("登录表单已失效（CSRF 令牌不符），请重新打开登录页"))
                #expect(response.setCookie("pingyi_session") == nil)
            }
            #expect(try await f.store.auditEntries(AuditQuery(withoutCase: true)).allSatisfy { $0.action == "user-add" })
        }
    }

    @Test func repeatedWrongPasswordsLockTheAccount() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            func attempt(_ password: String, name: String = "operator") async throws -> TestResponse {
                let (cookie, csrf) = try await client.loginForm()
                return try await client.post("/login", nil, [("name", name), ("password", password)], csrf: csrf, cookies: "pingyi_login=\(cookie)")
            }
            let first = try await attempt("wrong-1")
            #expect(first.status == .unauthorized)
            #expect(first.text.contains("用户名或密码错误；再错 2 次，账户将锁定 10 分钟"))
            #expect(first.text.contains("value=\"operator\""))
            #expect(try await attempt("wrong-2").text.contains("再错 1 次"))
            #expect(try await attempt("wrong-3").text.contains("连续 3 次密码错误，账户已锁定：请 10 分钟后再试，或请管理员解锁"))
            // The right password is refused while locked…
            let locked = try await attempt("password-operator")
            #expect(locked.status == .unauthorized && locked.setCookie("pingyi_session") == nil)
            #expect(locked.text.contains("账户已锁定：请 10 分钟后再试"))
            // …and accepted once the lock ends.
            f.clock.advance(600)
            #expect(try await attempt("password-operator").status == .seeOther)
            // An unknown name gets the same answer as a wrong password, without a lock warning.
            let unknown = try await attempt("password-operator", name: "nobody")
            #expect(unknown.text.contains("用户名或密码错误") && !unknown.text.contains("再错"))
            let actions = try await f.store.auditEntries(AuditQuery(operator: "operator")).reversed().map(\.action)
            #expect(actions == ["login-failed", "login-failed", "login-failed", "lock", "login-refused", "login"])
        }
    }

    @Test func anExpiredSessionLeadsBackToSignIn() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            #expect(try await client.get("/entry/small/1", session).status == .ok)
            f.clock.advance(3600)
            let page = try await client.get("/entry/small/1", session)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?next=/entry/small/1&expired=1")
            #expect(try await client.get("/login?next=/entry/small/1&expired=1").text.contains("登录已过期，请重新登录"))
            // A fetch or a form post gets 401 instead of a redirect, and stores nothing.
            let check = try await client.get("/entry/small/1/case?id=H-01-0001", session, json: true)
            #expect(check.status == .unauthorized)
            #expect(try check.json()["error"] as? String == "登录已过期，请重新登录")
            let before = try await f.dump()
            let save = try await client.post("/entry/small/1", session, [("case_id", "H-01-0001")])
            #expect(save.status == .unauthorized)
            #expect(try await f.dump() == before)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("supervisor")
            let forged = try await client.post("/logout", session, [], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(try await client.get("/mine", session).status == .ok)
            let out = try await client.post("/logout", session, [])
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(out.setCookie("pingyi_session")?.contains("Max-Age=0") == true)
            #expect(try await client.get("/mine", session).status == .seeOther)
            #expect(try await f.store.auditEntries(AuditQuery(actions: ["logout"])).first?.operator == "supervisor")
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let page = try await client.get("/entry/small/1", session)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            let nonce = try #require(policy.split(separator: "'").first { $0.hasPrefix("nonce-") }).dropFirst(6)
            #expect(policy.hasPrefix("default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)';"))
            #expect(page.text.contains("<script nonce=\"\(nonce)\">") && page.text.contains("<style nonce=\"\(nonce)\">"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.cacheControl] == "no-store")
            // Nothing is loaded from elsewhere.
            #expect(!page.text.contains("http://") && !page.text.contains("https://") && !page.text.contains("src=\""))
            let other = try await client.get("/login")
            #expect(other.headers[.contentSecurityPolicy] != policy)
        }
    }
}
