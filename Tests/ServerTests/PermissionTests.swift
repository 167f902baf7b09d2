import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

@Suite("Who may use which page")
struct PermissionTests {
    /// Every page (GET) and the permissions that open it (any one of them).
    static let pages: [(String, [Permission])] = [
        ("/", []), ("/entry", [.keying]), ("/entry/small/1", [.keying]), ("/entry/small/2", [.keying]),
        ("/entry/small/1/case?id=H-01-0001", [.keying]), ("/mine", [.keying]), ("/calls", [.calling]),
        ("/supervise/disagreements", [.supervising]), ("/supervise/cases", [.supervising]), ("/supervise/cases?q=small&town=T02", [.supervising]),
        ("/supervise/calls", [.supervising]),
        ("/supervise/progress", [.supervising, .analysing]), ("/supervise/units?q=small", [.supervising, .analysing]),
        ("/supervise/units?q=small&keyed=1", [.supervising, .analysing]),
        ("/supervise/audit?case=H-01-0001", [.supervising]),
        ("/admin/users", [.administering]), ("/admin/surveys", [.administering]), ("/admin/audit", [.administering]),
        ("/work", [.workbench]), ("/work/designs/new?from=enterprises", [.workbench]), ("/work/analysis", [.workbench]),
    ]

    /// Every write (POST) and the permission it needs.
    static let writes: [(String, Permission)] = [
        ("/entry/small/1", .keying), ("/calls/small/next", .calling), ("/calls/small/attempt", .calling), ("/calls/small/interview", .calling),
        ("/supervise/verify", .supervising), ("/supervise/resolve", .supervising),
        ("/supervise/dispositions", .supervising), ("/admin/users", .administering), ("/admin/users/unlock", .administering),
        ("/admin/users/password", .administering), ("/admin/users/token", .administering), ("/admin/users/role", .administering),
        ("/admin/users/disable", .administering), ("/admin/users/enable", .administering), ("/admin/users/delete", .administering), ("/admin/surveys/close", .administering),
        ("/admin/surveys/reopen", .administering),
        ("/work/frames", .workbench), ("/work/designs", .workbench), ("/work/draws", .workbench), ("/work/analysis", .workbench),
        ("/work/answers", .workbench),
    ]

    static func opens(_ role: UserRole, _ needed: [Permission]) -> Bool {
        needed.isEmpty || needed.contains(where: role.may)
    }

    @Test(arguments: UserRole.allCases) func everyPageIsOpenToItsRolesAndForbiddenToTheOthers(_ role: UserRole) async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login(role.rawValue)
            for (path, needed) in PermissionTests.pages {
                let response = try await client.get(path, session)
                if PermissionTests.opens(role, needed) {
                    #expect(response.status == .ok, "\(role) \(path): \(response.status)")
                } else {
                    #expect(response.status == .forbidden, "\(role) \(path): \(response.status)")
                    let words = needed.map { "「\($0.label)」" }.joined(separator: "或")
                    #expect(response.text.contains("权限不足：此页面需要\(words)权限，您的角色是\(role.label)"))
                }
            }
            let before = try await f.dump()
            for (path, needed) in PermissionTests.writes where !role.may(needed) {
                let response = try await client.post(path, session, [("case_id", "H-01-0001"), ("name", "operator"), ("disposition", "refusal"),
                                                                     ("questionnaire", "small"), ("reason", "r"), ("outcome", "busy")])
                #expect(response.status == .forbidden, "\(role) POST \(path): \(response.status)")
            }
            #expect(try await f.dump() == before)
            // The menu offers exactly the pages the role may open.
            let home = try await client.get("/", session).text
            for (path, needed) in PermissionTests.pages where path != "/" && !path.contains("?") && path.split(separator: "/").count == 2 {
                #expect(home.contains("href=\"\(path)\"") == PermissionTests.opens(role, needed), "\(role) menu \(path)")
            }
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
