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

    struct FormsRequest {
        let questionnaire: String
        let version: Int?
        let pass: Int
        let forms: [APIForm]

        /// Reads a request body; the error names the member that is missing or of the wrong type
        /// (`forms.0.case_id`), or where the text stops being JSON.
        static func read(_ body: [UInt8]) throws(RequestError) -> FormsRequest {
            let root: JSONValue
            do { root = try JSONValue.parse(body) } catch { throw RequestError(message: error.description) }
            let members = try RequestError.object(root, at: [])
            guard case .array(let items)? = RequestError.member("forms", of: members) else {
                throw RequestError.missingOrWrong("forms", members)
            }
            var forms: [APIForm] = []
            forms.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                let path = ["forms", String(i)]
                let form = try RequestError.object(item, at: path)
                guard case .string(let caseID)? = RequestError.member("case_id", of: form) else {
                    throw RequestError.missingOrWrong("case_id", form, at: path)
                }
                guard case .object(let given)? = RequestError.member("answers", of: form) else {
                    throw RequestError.missingOrWrong("answers", form, at: path)
                }
                var answers: [String: AnswerValue] = [:]
                answers.reserveCapacity(given.count)
                for (key, value) in given {
                    switch value {
                    case .null: answers[key] = AnswerValue(text: nil)
                    case .string(let text): answers[key] = AnswerValue(text: text)
                    case .number(let literal): answers[key] = AnswerValue(text: AnswerValue.text(ofNumber: literal))
                    default: throw RequestError(message: "wrong type at \((path + ["answers", key]).joined(separator: "."))")
                    }
                }
                forms.append(APIForm(caseID: caseID, answers: answers))
            }
            guard case .string(let questionnaire)? = RequestError.member("questionnaire", of: members) else {
                throw RequestError.missingOrWrong("questionnaire", members)
            }
            guard case .number(let passText)? = RequestError.member("pass", of: members), let pass = Int(passText) else {
                throw RequestError.missingOrWrong("pass", members)
            }
            var version: Int? = nil
            switch RequestError.member("version", of: members) {
            case nil, .null?: break
            case .number(let text)?:
                guard let v = Int(text) else { throw RequestError(message: "wrong type at version") }
                version = v
            default: throw RequestError(message: "wrong type at version")
            }
            return FormsRequest(questionnaire: questionnaire, version: version, pass: pass, forms: forms)
        }
    }

    /// What is wrong with a request body, for the 400 reply.
    struct RequestError: Error {
        let message: String

        /// The last member of that name (as a decoder would keep it).
        static func member(_ name: String, of members: [(key: String, value: JSONValue)]) -> JSONValue? {
            members.last { $0.key == name }?.value
        }

        static func object(_ value: JSONValue, at path: [String]) throws(RequestError) -> [(key: String, value: JSONValue)] {
            guard case .object(let members) = value else {
                throw RequestError(message: path.isEmpty ? "the body is not a JSON object" : "wrong type at \(path.joined(separator: "."))")
            }
            return members
        }

        static func missingOrWrong(_ name: String, _ members: [(key: String, value: JSONValue)], at path: [String] = []) -> RequestError {
            let full = (path + [name]).joined(separator: ".")
            return RequestError(message: member(name, of: members) == nil ? "no \(full)" : "wrong type at \(full)")
        }
    }

    struct APIForm {
        let caseID: String
        let answers: [String: AnswerValue]
    }

    /// An answer as JSON text, number or null.
    struct AnswerValue {
        let text: String?

        /// A number's answer text: an integral value as an integer (`3`, also for `3.0` or
        /// `3e0`), any other as pingyi writes decimals.
        static func text(ofNumber literal: String) -> String {
            if let i = Int(literal) { return String(i) }
            let d = Double(literal) ?? .nan
            if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int(d)) }
            return formatNumber(d)
        }
    }

    struct Stored: Encodable {
        let stored: Int
        let counted: Int
    }

    func postForms(_ request: Request, context: AppContext) async throws -> Response {
        // The scheme in any case (RFC 9110: `bearer` is `Bearer`).
        guard let header = request.headers[.authorization], header.prefix(7).lowercased() == "bearer ",
              let user = try await user(tokenHash: Tokens.hash(header.dropFirst(7).trimmingCharacters(in: .whitespaces))) else {
            var response = jsonResponse(["error": "a valid API token is needed: Authorization: Bearer TOKEN"], status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        var request = request
        let body = try await request.collectBody(upTo: 8 * 1024 * 1024)
        let input: FormsRequest
        do {
            input = try FormsRequest.read(Array(body.readableBytesView))
        } catch {
            throw PageError(.badRequest, "the body is not a forms request: \(error.message)")
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
            for unknown in form.answers.keys.filter({ !names.contains($0) }).sorted() {
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
}
