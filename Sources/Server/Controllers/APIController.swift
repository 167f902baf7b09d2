import Foundation
import Hummingbird
import Questionnaire
import Store

/// The JSON API for telephone-interview systems and other tools: `POST /api/forms` with
/// `Authorization: Bearer TOKEN` (a user's API token, made on the users page or with
/// `pingyi users token`). The forms go through the same checks as a file import or the keying
/// page, all or nothing.
///
/// Request: `{"questionnaire": "urban", "version": 1, "pass": 1, "forms": [{"case_id": "U-01-0001",
/// "answers": {"D01": "1", "members": 3, …}}]}` (`version` optional: the latest; answers as
/// text or numbers; an item left out is empty). Replies: 201 `{"stored": N, "counted": M}`;
/// 401 without a valid token; 422 `{"error": "…", "problems": ["…"]}` with every problem, and
/// nothing stored.
struct APIController {
    let environment: ServerEnvironment
    /// The most forms one request may carry.
    static let maximumForms = 1000

    func addRoutes(to router: Router<AppContext>) {
        router.post("/api/forms", use: postForms)
    }

    struct FormsRequest: Decodable {
        let questionnaire: String
        let version: Int?
        let pass: Int
        let forms: [APIForm]
    }

    struct APIForm: Decodable {
        let caseID: String
        let answers: [String: AnswerValue]

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id"
            case answers
        }
    }

    /// An answer as JSON text, number or null.
    struct AnswerValue: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                text = nil
            } else if let s = try? c.decode(String.self) {
                text = s
            } else if let i = try? c.decode(Int.self) {
                text = String(i)
            } else {
                text = formatNumber(try c.decode(Double.self))
            }
        }
    }

    struct Stored: Encodable {
        let stored: Int
        let counted: Int
    }

    func postForms(_ request: Request, context: AppContext) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let user = try await user(tokenHash: Tokens.hash(String(header.dropFirst(7)))) else {
            var response = jsonResponse(["error": "a valid API token is needed: Authorization: Bearer TOKEN"], status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        var request = request
        let body = try await request.collectBody(upTo: 8 * 1024 * 1024)
        let input: FormsRequest
        do {
            input = try JSONDecoder().decode(FormsRequest.self, from: Data(buffer: body))
        } catch {
            throw PageError(.badRequest, "the body is not a forms request: \(describe(error))")
        }
        guard let pass = Pass(rawValue: input.pass) else { throw PageError(.unprocessableContent, "pass must be 1 or 2 (got \(input.pass))") }
        guard let q = try await environment.catalog.questionnaire(input.questionnaire, version: input.version) else {
            throw PageError(.unprocessableContent, "the store has no questionnaire \(input.questionnaire)\(input.version.map { " version \($0)" } ?? "")")
        }
        guard !input.forms.isEmpty, input.forms.count <= APIController.maximumForms else {
            throw PageError(.unprocessableContent, "send 1 to \(APIController.maximumForms) forms per request (got \(input.forms.count))")
        }
        var problems: [String] = []
        let names = Set(q.items.map(\.name))
        let forms = input.forms.enumerated().map { i, form -> FormInput in
            for unknown in form.answers.keys.sorted() where !names.contains(unknown) {
                problems.append("forms[\(i)] (case \(form.caseID)): \(q.reference) has no item \(unknown)")
            }
            return FormInput(caseID: form.caseID, answers: q.items.map { form.answers[$0.name]?.text }, line: i)
        }
        if !problems.isEmpty { throw PageError(.unprocessableContent, "\(problems.count) problems; nothing was stored", details: problems) }
        do {
            let summary = try await environment.writer.enter(FormBatch(questionnaire: q, pass: pass, operator: user.name,
                                                                           source: "api \(context.source.dropFirst(4))", forms: forms))
            return jsonResponse(Stored(stored: summary.stored, counted: summary.counted), status: .created)
        } catch let error as StoreError where error.kind != .database {
            throw PageError(.unprocessableContent, error.problems.isEmpty ? error.description : error.message,
                            details: error.problems.map { "forms[\($0.line ?? 0)]: \($0.message); \($0.hint)" })
        }
    }

    /// The user of an API token (cached for a few seconds).
    private func user(tokenHash: String) async throws -> UserAccount? {
        let now = environment.settings.now()
        if let user = environment.tokens.user(tokenHash, now: now) { return user }
        guard let user = try await environment.store.user(apiTokenHash: tokenHash) else { return nil }
        environment.tokens.remember(tokenHash, user, now: now)
        return user
    }

    private func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): "no \((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let c): c.debugDescription
        default: "not JSON"
        }
    }
}
