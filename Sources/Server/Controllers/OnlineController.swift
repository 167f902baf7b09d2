import Foundation
import Hummingbird
import Questionnaire
import Store

/// Online self-completion (网上自填) for respondents, without sign-in: `/s` (type the code),
/// `/s/CODE` (the questionnaire, resumed with the answers saved), `POST /s/CODE/save` (answers
/// as they are given; JSON for the page's script, a redirect without it) and
/// `POST /s/CODE/submit`. The code is the key: it is read as ``InvitationCode`` does (a
/// mistyped one is told apart by its check symbol), looked up by its hash only while the
/// ``GuessLimiter`` allows, and never written to a log. Every decision is the store's
/// (``InvitationStore``); this face words it in Chinese.
struct OnlineController {
    let environment: ServerEnvironment
    var store: any ServerStore { environment.store }
    var now: Int64 { environment.settings.now() }
    static let title = "公众评议网上问卷"

    func addRoutes(to router: Router<AppContext>) {
        router.get("/s", use: start)
        router.post("/s", use: typed)
        router.get("/s/:code", use: show)
        router.post("/s/:code/save", use: save)
        router.post("/s/:code/submit", use: submit)
    }

    func start(_ request: Request, context: AppContext) async throws -> Response {
        OnlineView.page(Self.title, OnlineView.codeForm(), context: context)
    }

    func typed(_ request: Request, context: AppContext) async throws -> Response {
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let text = fields["code"] ?? ""
        switch InvitationCode.read(text) {
        case .code(let code): return redirect("/s/\(code)")
        case .mistyped:
            return OnlineView.page(Self.title, OnlineView.codeForm(error: "访问码有一位输错了（校验不符），请对照邀请函再输入一次", typed: text),
                                   context: context, status: .unprocessableContent)
        case .malformed:
            return OnlineView.page(Self.title, OnlineView.codeForm(error: "这不是访问码：访问码是 11 位字母和数字，如 7KQ4-M2XD-9PH", typed: text),
                                   context: context, status: .unprocessableContent)
        }
    }

    enum Opened {
        case page(Response)
        case code(String, InvitationState)
    }

    /// The code of the path, read and checked against the limiter; a refusal as a page.
    private func opened(_ context: AppContext) async throws -> Opened {
        let raw = context.parameters.get("code") ?? ""
        let code: String
        switch InvitationCode.read(raw) {
        case .code(let c): code = c
        case .mistyped:
            return .page(OnlineView.page(Self.title, OnlineView.codeForm(error: "访问码有一位输错了（校验不符），请对照邀请函再输入一次"),
                                            context: context, status: .notFound))
        case .malformed:
            return .page(OnlineView.page(Self.title, OnlineView.codeForm(error: "链接中的访问码不完整，请对照邀请函输入访问码"), context: context, status: .notFound))
        }
        let t = now
        if case .refused(let until) = environment.guesses.verdict(context.source, now: t) {
            return .page(tooMany(until: until, context: context))
        }
        let state = try await store.invitation(hash: InvitationCode.hash(code), now: t)
        if state == .unknown {
            if environment.guesses.wrong(context.source, now: t) {
                context.logger.notice("online: \(environment.guesses.policy.perAddress) wrong access codes from \(context.source) within \(environment.guesses.policy.windowSeconds / 60) minutes; refused until the window passes")
            }
            try? await Task.sleep(for: .milliseconds(environment.settings.wrongCodeDelayMilliseconds))
            return .page(OnlineView.page(Self.title, OnlineView.codeForm(error: "没有这个访问码：请对照邀请函核对"), context: context, status: .notFound))
        }
        return .code(code, state)
    }

    private func tooMany(until: Int64, context: AppContext) -> Response {
        let minutes = max(1, (until - now + 59) / 60)
        var response = OnlineView.page(Self.title, OnlineView.done("输错访问码的次数过多，请 \(minutes) 分钟后再试。"), context: context,
                                       status: .tooManyRequests)
        response.headers[.retryAfter] = String(max(1, until - now))
        return response
    }

    /// A page for a code that does not open a questionnaire.
    private func ended(_ state: InvitationState, context: AppContext) -> Response {
        let text: String
        switch state {
        case .open, .unknown: text = "没有这个访问码：请对照邀请函核对"
        case .revoked: text = "这个访问码已作废，已给您寄发新的访问码：请用新邀请函上的访问码。"
        case .submitted: text = "您的问卷已经提交，谢谢您的支持！每个访问码只能提交一次。"
        case .closed: text = "本次调查已经结束，问卷不再接收答卷。谢谢您的关注！"
        case .keyed, .finished: text = "您的问卷已由其他方式完成（如电话访问或纸质问卷），无需再填。谢谢您的支持！"
        }
        return OnlineView.page(Self.title, OnlineView.done(text), context: context, status: state == .unknown ? .notFound : .gone)
    }

    private func townName(_ c: OnlineCase) -> String? { listAttribute(c.attributes, "town") }

    func show(_ request: Request, context: AppContext) async throws -> Response {
        switch try await opened(context) {
        case .page(let page): return page
        case .code(let code, let state):
            guard case .open(let c) = state else { return ended(state, context: context) }
            let notice = request.uri.queryParameters["saved"] != nil ? "已保存" : nil
            return OnlineView.page(c.questionnaire.title, OnlineView.form(c, code: code, town: townName(c), notice: notice), context: context,
                                   script: OnlineView.script(c, code: code))
        }
    }

    /// The answers of a request: every item the form sent (an empty value clears it).
    private func answers(_ request: inout Request, context: AppContext, _ q: Questionnaire) async throws -> [String: String] {
        let fields = try await FormBody.read(&request, context: context)
        var out: [String: String] = [:]
        for item in q.items { if let v = fields[item.name] { out[item.name] = v } }
        return out
    }

    private func wantsJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/json") == true
    }

    struct Saved: Encodable {
        let saved: Int
        let error: String?
        let details: [String]
    }

    /// The respondent's wording of a store refusal of answers.
    private func problems(_ error: StoreError, _ q: Questionnaire, _ answers: [String: String]) -> [String] {
        var list: [String?] = q.items.map { answers[$0.name].flatMap { $0.isEmpty ? nil : $0 } }
        let found = FieldMessages.problems(q, answers: &list).map { $0.message.replacingOccurrences(of: "未录入", with: "尚未回答") }
        return found.isEmpty ? [error.message] : found
    }

    func save(_ request: Request, context: AppContext) async throws -> Response {
        switch try await opened(context) {
        case .page(let page): return page
        case .code(let code, let state):
            guard case .open(let c) = state else { return wantsJSON(request) ? jsonResponse(Saved(saved: 0, error: "问卷不能再修改", details: []), status: .gone) : ended(state, context: context) }
            var request = request
            let given = try await answers(&request, context: context, c.questionnaire)
            do throws(StoreError) {
                let saved = try await store.saveOnline(hash: InvitationCode.hash(code), answers: given, now: now)
                if wantsJSON(request) { return jsonResponse(Saved(saved: saved.answers.count, error: nil, details: [])) }
                return redirect("/s/\(code)?saved=1")
            } catch {
                if let state = error.invitation { return ended(state, context: context) }
                let shown = Self.shown(c, given)
                let merged = shown.answers
                var list: [String?] = c.questionnaire.items.map { merged[$0.name] }
                let details = FieldMessages.problems(c.questionnaire, answers: &list, allowingMissing: true).map(\.message)
                if wantsJSON(request) {
                    return jsonResponse(Saved(saved: 0, error: "未保存", details: details.isEmpty ? [error.message] : details), status: .unprocessableContent)
                }
                return OnlineView.page(c.questionnaire.title, OnlineView.form(shown, code: code, town: townName(c), error: "未保存，请更正：", details: details),
                                       context: context, script: OnlineView.script(shown, code: code), status: .unprocessableContent)
            }
        }
    }

    /// The case with the answers just given over the saved ones (an empty value clears its
    /// item), to show the form again after a refusal.
    static func shown(_ c: OnlineCase, _ given: [String: String]) -> OnlineCase {
        var answers = c.answers
        for (k, v) in given { answers[k] = v.trimmingCharacters(in: .whitespaces).isEmpty ? nil : v }
        return OnlineCase(caseID: c.caseID, questionnaire: c.questionnaire, townID: c.townID, attributes: c.attributes, answers: answers,
                          openedAt: c.openedAt, savedAt: c.savedAt)
    }

    func submit(_ request: Request, context: AppContext) async throws -> Response {
        switch try await opened(context) {
        case .page(let page): return page
        case .code(let code, let state):
            guard case .open(let c) = state else { return ended(state, context: context) }
            var request = request
            let given = try await answers(&request, context: context, c.questionnaire)
            do throws(StoreError) {
                _ = try await store.submitOnline(hash: InvitationCode.hash(code), answers: given, now: now)
                return OnlineView.page(Self.title, OnlineView.done("问卷已提交，衷心感谢您的支持！您的回答将严格保密，只用于统计。"), context: context)
            } catch {
                if let state = error.invitation { return ended(state, context: context) }
                if error.kind == .database { throw PageError(.serviceUnavailable, "暂时无法保存，请稍后再提交；已填的答案没有丢失") }
                let shown = Self.shown(c, given)
                // What was answered is kept even though the submission was refused.
                _ = try? await store.saveOnline(hash: InvitationCode.hash(code), answers: given, now: now)
                return OnlineView.page(c.questionnaire.title,
                                       OnlineView.form(shown, code: code, town: townName(c), error: "还不能提交，请先完成：", details: problems(error, c.questionnaire, shown.answers)),
                                       context: context, script: OnlineView.script(shown, code: code), status: .unprocessableContent)
            }
        }
    }
}
