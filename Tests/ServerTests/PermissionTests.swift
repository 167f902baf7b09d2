import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

@Suite("Who may use which page")
struct PermissionTests {
    /// Every page (GET) and the least role that may see it.
    static let pages: [(String, UserRole)] = [
        ("/", .operator), ("/entry", .operator), ("/entry/small/1", .operator), ("/entry/small/2", .operator),
        ("/entry/small/1/case?id=H-01-0001", .operator), ("/mine", .operator),
        ("/supervise/disagreements", .supervisor), ("/supervise/cases", .supervisor), ("/supervise/cases?q=small&town=T02", .supervisor),
        ("/supervise/progress", .supervisor), ("/supervise/units?q=small", .supervisor), ("/supervise/units?q=small&keyed=1", .supervisor),
        ("/supervise/audit?case=H-01-0001", .supervisor),
        ("/admin/users", .admin), ("/admin/surveys", .admin), ("/admin/audit", .admin),
    ]

    /// Every write (POST) and the least role that may do it.
    static let writes: [(String, UserRole)] = [
        ("/entry/small/1", .operator), ("/supervise/verify", .supervisor), ("/supervise/resolve", .supervisor),
        ("/supervise/dispositions", .supervisor), ("/admin/users", .admin), ("/admin/users/unlock", .admin),
        ("/admin/users/password", .admin), ("/admin/users/token", .admin), ("/admin/surveys/close", .admin),
        ("/admin/surveys/reopen", .admin),
    ]

    @Test(arguments: UserRole.allCases) func everyPageIsOpenToItsRolesAndForbiddenToTheOthers(_ role: UserRole) async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login(role.rawValue)
            for (path, needed) in PermissionTests.pages {
                let response = try await client.get(path, session)
                if role.includes(needed) {
                    #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                } else {
                    #expect(response.status == .forbidden, "\(role) \(path): \(response.status)")
                    #expect(response.text.contains("权限不足：此页面需要\(needed.label)权限，您的角色是\(role.label)"))
                }
            }
            let before = try await f.dump()
            for (path, needed) in PermissionTests.writes where !role.includes(needed) {
                let response = try await client.post(path, session, [("case_id", "H-01-0001"), ("name", "operator"), ("disposition", "refusal"),
                                                                     ("questionnaire", "small"), ("reason", "r")])
                #expect(response.status == .forbidden, "\(role) POST \(path): \(response.status)")
            }
            #expect(try await f.dump() == before)
        }
    }

    @Test func withoutSignInEveryPageLeadsToTheSignInPage() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            for (path, _) in PermissionTests.pages {
                let response = try await client.get(path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/login?next=") == true)
            }
            for (path, _) in PermissionTests.writes {
                #expect(try await client.post(path, nil, [("name", "x")], csrf: "x").status == .unauthorized, "\(path)")
            }
            #expect(try await client.get("/nothing-here").status == .notFound)
        }
    }

    /// Every write checks the CSRF token: a missing or forged token is refused and nothing changes.
    @Test func everyWriteNeedsTheSessionsCSRFToken() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("admin")
            let before = try await f.dump()
            for (path, _) in PermissionTests.writes {
                for token in ["", "forged", session.csrf + "x"] {
                    let response = try await client.post(path, session, [("case_id", "H-01-0001"), ("D01", "1"), ("name", "operator"),
                                                                          ("role", "admin"), ("password", "long-enough-1"), ("disposition", "refusal")],
                                                         csrf: token)
                    #expect(response.status == .forbidden, "\(path) with '\(token)'")
                    #expect(response.text.contains("表单已失效（CSRF 令牌不符），请刷新页面后重试"))
                }
            }
            #expect(try await f.dump() == before)
            // The token also works as a header (for scripts), and a wrong one is refused there too.
            var headers: HTTPFields = [.cookie: "pingyi_session=\(session.cookie)", .contentType: "application/x-www-form-urlencoded"]
            headers[FieldName("X-CSRF-Token")!] = "forged"
            let response = try await client.client.execute(uri: "/supervise/verify", method: .post, headers: headers)
            #expect(response.status == .forbidden)
        }
    }
}
