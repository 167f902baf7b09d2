import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

/// The first start of `pingyi serve` on a store without users: the one-time setup link.
@Suite("First-start setup")
struct FirstStartTests {
    let store: SQLiteStore
    let clock = TestClock()
    let settings: ServerSettings
    static let token = "first-start-token-for-the-test-0123456789ab"

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("new.sqlite").path, create: true)
        let clock = self.clock
        var settings = ServerSettings(sessionSeconds: 3600, hasher: PasswordHasher(iterations: 1000), now: { clock.now })
        settings.firstStart = FirstStart(token: FirstStartTests.token, expires: clock.now + 1800)
        self.settings = settings
    }

    func test<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        try await buildApplication(store: store, settings: settings).test(.router) { client in try await body(Client(client: client)) }
    }

    static let link = "/setup/\(token)"
    static let admin = [("name", "chen"), ("password", "a long pass phrase 7"), ("again", "a long pass phrase 7")]

    @Test func nothingButTheLinkIsReachableBeforeTheSetup() async throws {
        try await test { client in
            for path in ["/", "/login", "/entry", "/admin/users", "/work", "/s"] {
                let response = try await client.get(path)
                #expect(response.status == .forbidden, "\(path)")
                #expect(response.text.contains("尚未完成首次设置：请用 pingyi serve 启动时打印的设置链接创建第一个管理员"), "\(path)")
            }
            let api = try await client.api("{}", token: "x")
            let apiError = try api.json()["error"] as? String
            #expect(api.status == .forbidden && apiError?.hasPrefix("尚未完成首次设置") == true)
            #expect(try await client.get("/setup/not-the-token").status == .notFound)
            #expect(try await client.post("/setup/not-the-token", nil, FirstStartTests.admin).status == .notFound)
            #expect(try await client.get(FirstStartTests.link).status == .ok)
        }
        #expect(try await store.users().isEmpty)
    }

    @Test func theLinkMakesOneAdminWhoIsSignedInAndThenItIsGone() async throws {
        try await test { client in
            let form = try await client.get(FirstStartTests.link)
            #expect(form.text.contains("创建管理员并登录") && form.text.contains("action=\"\(FirstStartTests.link)\""))
            // A refused form keeps the name and makes nobody.
            let mismatch = try await client.post(FirstStartTests.link, nil, [("name", "chen"), ("password", "a long pass phrase 7"),
                                                                             ("again", "a long pass phrase 8")])
            #expect(mismatch.status == .unprocessableContent && mismatch.text.contains("两次输入的密码不一致"))
            #expect(mismatch.text.contains("value=\"chen\""))
            let short = try await client.post(FirstStartTests.link, nil, [("name", "chen"), ("password", "short"), ("again", "short")])
            #expect(short.status == .unprocessableContent)
            #expect(try await store.users().isEmpty)

            let made = try await client.post(FirstStartTests.link, nil, FirstStartTests.admin)
            #expect(made.status == .seeOther && made.headers[.location] == "/")
            let cookie = try #require(made.cookie("pingyi_session"))
            let home = try await client.get("/", Session(cookie: cookie, csrf: ""))
            #expect(home.status == .ok && home.text.contains("chen（管理员）的工作"))

            // Used once: the link is gone, for a look and for a second admin.
            let again = try await client.get(FirstStartTests.link)
            #expect(again.status == .gone && again.text.contains("首次设置已完成，此链接不再有效：请登录"))
            let second = try await client.post(FirstStartTests.link, nil, [("name", "wang"), ("password", "another pass phrase 9"),
                                                                           ("again", "another pass phrase 9")])
            #expect(second.status == .gone)
            #expect(try await client.get("/login").status == .ok)
        }
        let users = try await store.users()
        #expect(users.map(\.name) == ["chen"] && users.first?.role == .admin)
        let audit = try await store.auditEntries(AuditQuery())
        #expect(audit.contains { $0.action == "user-add" && $0.item == "chen" && $0.operator.hasPrefix("first-start setup") })
    }

    @Test func theLinkExpires() async throws {
        try await test { client in
            clock.advance(1800)
            let late = try await client.get(FirstStartTests.link)
            #expect(late.status == .gone && late.text.contains("设置链接已过期：重新启动 pingyi serve 会打印新的链接"))
            #expect(try await client.post(FirstStartTests.link, nil, FirstStartTests.admin).status == .gone)
        }
        #expect(try await store.users().isEmpty)
    }

    /// A user made another way (`pingyi users add`, another server process) ends the setup.
    @Test func aUserMadeElsewhereClosesTheSetup() async throws {
        try await test { client in
            try await store.addUser(name: "li", role: .admin, passwordHash: try settings.hasher.hash("pass phrase for li 3"), by: "cli")
            #expect(try await client.get("/login").status == .ok)
            #expect(try await client.get(FirstStartTests.link).status == .gone)
            #expect(try await client.post(FirstStartTests.link, nil, FirstStartTests.admin).status == .gone)
        }
        #expect(try await store.users().map(\.name) == ["li"])
    }

    /// The store refuses a first admin once there is a user, whichever server asks.
    @Test func theStoreMakesOnlyAFirstAdmin() async throws {
        try await store.addFirstAdmin(name: "a", passwordHash: "h", by: "t")
        await #expect(throws: StoreError.self) { try await store.addFirstAdmin(name: "b", passwordHash: "h", by: "t") }
        #expect(try await store.users().map(\.name) == ["a"])
    }
}
