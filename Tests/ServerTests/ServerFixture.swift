import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Questionnaire
@testable import Server
import Store
import Synchronization
import Tables
import Testing

/// A test clock (Unix seconds) that tests move forward.
final class TestClock: Sendable {
    private let time = Mutex<Int64>(1_750_000_000)
    var now: Int64 { time.withLock { $0 } }
    func advance(_ seconds: Int64) { time.withLock { $0 += seconds } }
}

/// A server on a fresh SQLite store holding the small test questionnaire (Tests/Fixtures/store)
/// and its urban list, with one user of each role (password `password-<name>`).
struct ServerFixture {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store")
    static let users: [(String, UserRole)] = [
        ("admin", .admin), ("supervisor", .supervisor), ("operator", .operator), ("interviewer", .interviewer), ("statistician", .statistician),
    ]

    /// The repository (the shipped designs, questionnaires and frames).
    static let root = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let store: SQLiteStore
    let clock = TestClock()
    let settings: ServerSettings
    let questionnaire: Questionnaire

    /// - Parameters: the questionnaire file and list of Tests/Fixtures/store (`phone` and
    ///   `urban-phone` for the telephone pages).
    init(questionnaire name: String = "small-v1", list: String = "urban") async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path, create: true)
        let clock = self.clock
        var settings = ServerSettings(sessionSeconds: 3600, lockout: LockoutPolicy(maxFailures: 3, lockSeconds: 600),
                                      hasher: PasswordHasher(iterations: 1000), now: { clock.now })
        settings.workspace = directory.appendingPathComponent("work").path
        settings.surveys = ServerFixture.root.appendingPathComponent("surveys").path
        settings.tool = "pingyi test"
        self.settings = settings
        questionnaire = try Questionnaire.load(path: ServerFixture.fixtures.appendingPathComponent("questionnaires/\(name).yaml").path)
        let list = try RespondentList(table: CSVReader.read(path: ServerFixture.fixtures.appendingPathComponent("lists/\(list).csv").path),
                                      for: questionnaire)
        _ = try await store.loadCases(list, for: questionnaire, replace: false, operator: "载入员")
        for (name, role) in ServerFixture.users {
            try await store.addUser(name: name, role: role, passwordHash: try settings.hasher.hash("password-\(name)"), by: "setup")
        }
    }

    /// Runs `test` against the application driven without a socket.
    func test<T: Sendable>(_ test: @Sendable (Client) async throws -> T) async throws -> T {
        let app = buildApplication(store: store, settings: settings)
        return try await app.test(.router) { client in try await test(Client(client: client)) }
    }

    /// Every row of every table, as text: equal dumps mean an unchanged store.
    func dump() async throws -> String {
        var out = ""
        for q in try await store.questionnaires(id: nil) { out += "\(q.reference)\n" }
        let snapshot = try await store.snapshot(questionnaire: nil)
        for c in snapshot.cases { out += "\(c)\n" }
        // (Answers sorted: a dictionary's order differs between two reads of the same form.)
        for f in snapshot.forms { out += "\(f.caseID) \(f.questionnaire) v\(f.version) \(f.mode) \(f.answers.sorted { $0.key < $1.key })\n" }
        out += "\(try await store.disagreements(questionnaire: nil))\n"
        out += "\(try await store.users())\n"
        for id in snapshot.cases.map(\.caseID) { out += "\(try await store.auditTrail(caseID: id).count) " }
        return out
    }
}

/// A signed-in browser: its session cookie and CSRF token.
struct Session: Sendable {
    let cookie: String
    let csrf: String
}

/// The test client with helpers for forms, cookies and JSON.
struct Client: Sendable {
    let client: any TestClientProtocol

    func get(_ uri: String, _ session: Session? = nil, json: Bool = false) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let session { headers[.cookie] = "pingyi_session=\(session.cookie)" }
        if json { headers[.accept] = "application/json" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// Posts form fields (with the session's CSRF token unless `csrf` says otherwise).
    func post(_ uri: String, _ session: Session?, _ fields: [(String, String)], csrf: String? = nil, json: Bool = false,
              cookies: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        var cookie = cookies ?? ""
        if let session { cookie += (cookie.isEmpty ? "" : "; ") + "pingyi_session=\(session.cookie)" }
        if !cookie.isEmpty { headers[.cookie] = cookie }
        if json { headers[.accept] = "application/json" }
        let token = csrf ?? session?.csrf
        let all = (token.map { [("csrf", $0)] } ?? []) + fields
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: Client.encode(all)))
    }

    /// Posts a `multipart/form-data` body as a browser's file upload does: the fields (with the
    /// session's CSRF token) and one file part `file`.
    func upload(_ uri: String, _ session: Session?, _ fields: [(String, String)], file: (name: String, bytes: [UInt8])?,
                fileField: String = "file", csrf: String? = nil) async throws -> TestResponse {
        let boundary = "----pingyiTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        let token = csrf ?? session?.csrf
        for (name, value) in (token.map { [("csrf", $0)] } ?? []) + fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if let session { headers[.cookie] = "pingyi_session=\(session.cookie)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// Posts JSON to the API with a bearer token.
    func api(_ body: String, token: String?, scheme: String = "Bearer") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "\(scheme) \(token)" }
        return try await client.execute(uri: "/api/forms", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func encode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    /// Signs in through the sign-in page, as a browser does.
    func login(_ name: String, password: String? = nil) async throws -> Session {
        let (loginCookie, csrf) = try await loginForm()
        let response = try await post("/login", nil, [("name", name), ("password", password ?? "password-\(name)"), ("next", "/")],
                                      csrf: csrf, cookies: "pingyi_login=\(loginCookie)")
        #expect(response.status == .seeOther, "sign-in of \(name): \(response.text)")
        let cookie = try #require(response.cookie("pingyi_session"))
        let home = try await get("/", Session(cookie: cookie, csrf: ""))
        return Session(cookie: cookie, csrf: try #require(home.hiddenCSRF))
    }

    /// A sign-in through the sign-in page whose outcome the test checks (a refusal's page).
    func loginAttempt(_ name: String, password: String) async throws -> TestResponse {
        let (loginCookie, csrf) = try await loginForm()
        return try await post("/login", nil, [("name", name), ("password", password), ("next", "/")], csrf: csrf, cookies: "pingyi_login=\(loginCookie)")
    }

    /// The sign-in page's cookie and its matching form token.
    func loginForm() async throws -> (cookie: String, csrf: String) {
        let page = try await get("/login")
        return (try #require(page.cookie("pingyi_login")), try #require(page.hiddenCSRF))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The value of a cookie the response sets.
    func cookie(_ name: String) -> String? {
        setCookie(name).flatMap { $0.split(separator: ";").first }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// The whole Set-Cookie header of a cookie.
    func setCookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// The first hidden `csrf` field of the page.
    var hiddenCSRF: String? {
        guard let range = text.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }
}
