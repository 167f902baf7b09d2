import Foundation
import Hummingbird
import Questionnaire
import Store
import Synchronization

/// Telephone interviewing (访员, and 督导 and 管理员): the next case from the store's scheduler,
/// the dial's outcome, the interview (a telephone form through the store's entry rules), giving
/// a case back, and callback checks. Every decision is the store's (``CallStore``); this face
/// words it in Chinese. The numbers appear only on the call screen of the interviewer holding
/// the case.
struct CallsController {
    let environment: ServerEnvironment
    var store: any ServerStore { environment.store }
    var now: Int64 { environment.settings.now() }
    /// The start page's progress per questionnaire (it counts every case, and the page is shown
    /// after every dial).
    let progress = CallProgress()

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("", use: index)
        group.post("/:questionnaire/next", use: next)
        group.post("/:questionnaire/attempt", use: attempt)
        group.post("/:questionnaire/interview", use: interview)
        group.post("/:questionnaire/release", use: release)
        group.post("/:questionnaire/callback", use: callback)
        group.post("/:questionnaire/callback/save", use: saveCallback)
    }

    /// The telephone questionnaires (with call rules), in catalog order.
    func telephoneQuestionnaires() async throws -> [(Questionnaire, CallRules)] {
        try await environment.catalog.all().compactMap { q in q.calls.map { (q, $0) } }
    }

    /// The questionnaire of the path, fielded by telephone, or 404.
    private func target(_ context: AppContext) async throws -> (Questionnaire, CallRules) {
        guard let id = context.parameters.get("questionnaire"), let q = try await environment.catalog.questionnaire(id), let rules = q.calls else {
            throw PageError(.notFound, "没有这份电话访问的问卷：请从电话访问页选择")
        }
        return (q, rules)
    }

    func index(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let t = now
        let today = CallsView.day(t)
        var lines: [CallsView.Line] = []
        // The interviewer's own dials since the start of today (Beijing time), from the index.
        let midnight = t - (t + CallRules.offsetSeconds) % 86_400
        for (q, rules) in try await telephoneQuestionnaires() {
            let evening = try await store.interviewerEvenings(questionnaire: q.id, interviewer: session.user, since: midnight)
                .first { $0.interviewer == session.user && $0.day == today }
            let totals = try await progress.totals(q.id, now: t) {
                let quotas = try await store.callQuotas(questionnaire: q.id, now: t)
                return (quotas.map(\.target).reduce(0, +), quotas.map(\.completes).reduce(0, +))
            }
            lines.append(CallsView.Line(questionnaire: q, rules: rules, target: totals.target, completes: totals.completes, evening: evening))
        }
        let query = request.uri.queryParameters
        return CallsView.index(lines, now: t, session: session, notice: query["notice"].map(String.init), error: query["error"].map(String.init))
            .response(context: context)
    }

    /// Back to the start page with a notice (or an error line).
    private func back(notice: String? = nil, error: String? = nil) -> Response {
        if let error { return redirect("/calls?error=" + error.addingPercentEncodingForPath) }
        return redirect("/calls" + (notice.map { "?notice=" + $0.addingPercentEncodingForPath } ?? ""))
    }

    func next(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, rules) = try await target(context)
        let t = now
        switch try await store.nextCall(questionnaire: q.id, interviewer: session.user, now: t) {
        case .call(let a):
            return CallsView.call(a, q, rules: rules, now: t, startedAt: t, session: session).response(context: context)
        case .none(let reason):
            return back(error: CallWording.chinese(reason))
        }
    }

    /// The dial the fields describe, ended now.
    private func attemptInput(_ fields: [String: String], interviewer: String, outcome: CallOutcome) throws -> CallAttemptInput {
        let caseID = (fields["case_id"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !caseID.isEmpty else { throw PageError(.unprocessableContent, "缺少案例编号") }
        let t = now
        let started = fields["started_at"].flatMap { Int64($0) }.map { min($0, t) } ?? t
        let appointment = outcome == .callBack ? (fields["appointment"]).flatMap { $0.isEmpty ? nil : CallWording.beijing($0) } : nil
        if outcome == .callBack, let text = fields["appointment"], !text.isEmpty, appointment == nil {
            throw PageError(.unprocessableContent, "预约时间「\(text)」看不懂：请按 年-月-日 时:分 填写")
        }
        let note = (fields["note"] ?? "").trimmingCharacters(in: .whitespaces)
        return CallAttemptInput(caseID: caseID, interviewer: interviewer, phoneRank: fields["phone_rank"].flatMap { Int($0) } ?? 1,
                                startedAt: started, endedAt: t, outcome: outcome, appointmentAt: appointment, note: note.isEmpty ? nil : note)
    }

    /// A store refusal in Chinese (a database failure as such).
    private func refused(_ error: StoreError, caseID: String) -> PageError {
        if let r = error.callRefusal { return PageError(.conflict, "未记录：" + CallWording.chinese(r, caseID: caseID)) }
        if error.kind == .database { return PageError(.serviceUnavailable, "数据库暂时无法写入，未记录：请稍后重试") }
        return PageError(.conflict, "未记录：\(error.message)")
    }

    func attempt(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        _ = try await target(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        guard let outcome = CallOutcome(rawValue: fields["outcome"] ?? ""), outcome != .complete, outcome != .breakOff else {
            throw PageError(.unprocessableContent, "请选择拨打结果")
        }
        let input = try attemptInput(fields, interviewer: session.user, outcome: outcome)
        let result: CallAttemptResult
        do {
            result = try await store.recordAttempt(input, now: now)
        } catch {
            throw refused(error, caseID: input.caseID)
        }
        return back(notice: CallsView.recorded(input, result))
    }

    func interview(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, rules) = try await target(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let outcome: CallOutcome = fields["outcome"] == CallOutcome.breakOff.rawValue ? .breakOff : .complete
        let input = try attemptInput(fields, interviewer: session.user, outcome: outcome)
        var answers: [String: String] = [:]
        for item in q.items {
            if let v = fields[item.name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { answers[item.name] = v }
        }
        // The answers checked first, in Chinese; a break-off may leave items unanswered.
        var list: [String?] = q.items.map { answers[$0.name] }
        let problems = FieldMessages.problems(q, answers: &list, allowingMissing: outcome == .breakOff)
        if !problems.isEmpty || (outcome == .breakOff && answers.isEmpty) {
            return try await again(q, rules, session: session, caseID: input.caseID, startedAt: input.startedAt, answers: answers,
                                   error: answers.isEmpty ? CallWording.chinese(.emptyInterview, caseID: input.caseID)
                                       : "有 \(problems.count) 处需要更正，访问未保存", details: problems.map(\.message), context: context)
        }
        let result: CallAttemptResult
        do {
            result = try await store.recordInterview(input, answers: answers, now: now)
        } catch {
            if let refusal = error.problems.compactMap(\.refusal).first {
                throw PageError(.conflict, "未保存：" + EntryWording.chinese(refusal, caseID: input.caseID, questionnaire: q))
            }
            throw refused(error, caseID: input.caseID)
        }
        return back(notice: CallsView.recorded(input, result))
    }

    /// The call screen again with the answers given and what to correct (422).
    private func again(_ q: Questionnaire, _ rules: CallRules, session: SessionRecord, caseID: String, startedAt: Int64,
                       answers: [String: String], error: String, details: [String], context: AppContext) async throws -> Response {
        guard case .call(let a) = try await store.nextCall(questionnaire: q.id, interviewer: session.user, now: now), a.caseID == caseID else {
            throw PageError(.conflict, "未保存：" + CallWording.chinese(.notHeld, caseID: caseID))
        }
        return CallsView.call(a, q, rules: rules, now: now, startedAt: startedAt, session: session, values: answers, error: error, details: details)
            .response(context: context, status: .unprocessableContent)
    }

    func release(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        _ = try await target(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let caseID = (fields["case_id"] ?? "").trimmingCharacters(in: .whitespaces)
        try await store.releaseCall(caseID: caseID, interviewer: session.user)
        return back(notice: "已放回 \(caseID)，未记录拨打")
    }

    func callback(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, _) = try await target(context)
        guard let c = try await store.nextCallback(questionnaire: q.id, checker: session.user, now: now) else {
            return back(error: "暂时没有待您回访的问卷（回访只分给原访员以外的人，并在拨打时段内进行）")
        }
        return CallsView.callback(c, q, session: session).response(context: context)
    }

    func saveCallback(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let (q, rules) = try await target(context)
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let caseID = (fields["case_id"] ?? "").trimmingCharacters(in: .whitespaces)
        var answers: [String: String] = [:]
        for item in rules.callbackItems { if let v = fields[item], !v.isEmpty { answers[item] = v } }
        let result: CallbackResult
        do {
            result = try await store.recordCallback(caseID: caseID, checker: session.user, answers: answers, now: now)
        } catch {
            throw refused(error, caseID: caseID)
        }
        let labels = result.differences.map { q.item($0.item)?.label ?? $0.item }.joined(separator: "、")
        return back(notice: result.agreed ? "回访 \(caseID)：与访问一致" : "回访 \(caseID)：\(labels) 与访问不一致，已报督导")
    }
}

/// Sampled cases and completes per telephone questionnaire, counted again when older than a few
/// seconds: 50 interviewers see their start page after every dial, and counting 20,000 cases
/// each time cost more than the dial itself.
final class CallProgress: Sendable {
    static let seconds: Int64 = 5
    private let known = Mutex<[String: (at: Int64, target: Int, completes: Int)]>([:])

    func totals(_ questionnaire: String, now: Int64,
                count: () async throws -> (Int, Int)) async throws -> (target: Int, completes: Int) {
        if let k = known.withLock({ $0[questionnaire] }), now - k.at < Self.seconds, now >= k.at { return (k.target, k.completes) }
        let (target, completes) = try await count()
        known.withLock { $0[questionnaire] = (now, target, completes) }
        return (target, completes)
    }
}
