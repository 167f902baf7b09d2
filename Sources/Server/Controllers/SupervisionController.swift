import Foundation
import Hummingbird
import Questionnaire
import Store
import Markup

/// Supervision (督导 and 管理员): double-entry verification and one-key resolution,
/// dispositions and reserve activation, telephone quotas, interviewers and callbacks, the audit
/// trail of a case; and the figures statisticians see too: progress and each unit's tier
/// distribution.
struct SupervisionController {
    let environment: ServerEnvironment
    var store: any ServerStore { environment.store }

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("/disagreements", use: disagreements)
        group.post("/verify", use: verify)
        group.post("/resolve", use: resolve)
        group.get("/cases", use: cases)
        group.post("/dispositions", use: dispose)
        group.post("/dispositions/bulk", use: disposeMany)
        group.get("/calls", use: calls)
        group.get("/audit", use: audit)
        group.get("/work", use: work)
        group.get("/forms", use: forms)
        group.post("/forms/correct", use: correct)
        group.post("/forms/void", use: voidForm)
    }

    /// Keying work and errors per operator and day: forms, characters keyed, disagreements and
    /// this pass's errors (what temporary keying staff are paid by).
    func work(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        return SupervisionView.work(try await store.keyingWork(), session: session).response(context: context)
    }

    /// The pages without personal data, for supervisors and statisticians.
    func addFigureRoutes(to group: RouterGroup<AppContext>) {
        group.get("/progress", use: progress)
        group.get("/units", use: units)
    }

    // MARK: Double entry

    func disagreements(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let open = try await store.disagreements(questionnaire: nil)
        var definitions: [String: Questionnaire] = [:]
        for id in Set(open.map(\.questionnaire)) { definitions[id] = try await environment.catalog.questionnaire(id) }
        let page = SupervisionView.disagreements(open, definitions: definitions, session: session,
                                                 notice: request.uri.queryParameters["notice"].map(String.init))
        return page.response(context: context)
    }

    func verify(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let report = try await store.verify(questionnaire: nil, operator: session.user)
        let notice = "核对完成：新核实 \(report.verified) 份，新发现分歧 \(report.disagreeing) 份，待裁定 \(report.open.count) 处，待第 2 遍 \(report.awaitingPass) 份"
        return redirect("/supervise/disagreements?notice=" + notice.addingPercentEncodingForPath)
    }

    func resolve(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let caseID = fields["case_id"] ?? "", item = fields["item"] ?? ""
        guard let open = try await store.disagreements(questionnaire: nil).first(where: { $0.caseID == caseID && $0.item == item }) else {
            throw PageError(.conflict, "编号 \(caseID) 的 \(item) 没有待裁定的分歧（可能已由他人裁定）")
        }
        let value: String?
        switch fields["choice"] {
        case "1": value = open.pass1
        case "2": value = open.pass2
        default: value = (fields["value"] ?? "").isEmpty ? nil : fields["value"]
        }
        let reason = fields["choice"] == "1" || fields["choice"] == "2" ? "采用第 \(fields["choice"] ?? "") 遍" : "另定"
        do {
            let summary = try await store.resolve(ResolutionBatch(resolutions: [Resolution(caseID: caseID, item: item, value: value, reason: reason)],
                                                                  operator: session.user, source: context.source))
            let done = summary.verified.isEmpty ? "" : "；\(caseID) 已核实"
            return redirect("/supervise/disagreements?notice=" + "已裁定 \(caseID) \(item) = \(value ?? "（空）")\(done)".addingPercentEncodingForPath)
        } catch {
            throw PageError(.unprocessableContent, "裁定未保存：\(caseID) \(item)", details: error.problems.map(\.message))
        }
    }

    // MARK: Correcting and voiding forms

    /// The case a number names (as the keying page reads it) with its questionnaire, or 404.
    private func formsCase(_ text: String) async throws -> (CaseRecord, Questionnaire) {
        let id = try await EntryRepository(store: store, writer: environment.writer).resolvedCaseID(text)
        guard !id.isEmpty, let c = try await store.caseRecord(id) else { throw PageError(.notFound, "没有编号为 \(id) 的案例：请核对编号") }
        guard let q = try await environment.catalog.questionnaire(c.questionnaire) else { throw PageError(.notFound, "没有问卷 \(c.questionnaire)") }
        return (c, q)
    }

    /// A case's stored forms side by side, to correct its answers or void a form.
    func forms(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let text = request.uri.queryParameters["case"].map(String.init) ?? ""
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            let body: HTML = """
                <form method="get" action="/supervise/forms" class="card"><label>问卷编号 <input type="text" name="case" autofocus></label> \
                <button type="submit">打开</button></form>
                """
            return Page(title: "问卷更正与作废", session: session, body: body).response(context: context)
        }
        let (c, q) = try await formsCase(text)
        return FormsView.page(c, q, forms: try await store.forms(caseID: c.caseID), session: session,
                              notice: request.uri.queryParameters["notice"].map(String.init)).response(context: context)
    }

    /// Gives the case's forms the corrected answers (``SurveyStore/correct(_:)``); refused, the
    /// page again filled in as sent, with the reasons.
    func correct(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let (c, q) = try await formsCase(fields["case_id"] ?? "")
        var forms = try await store.forms(caseID: c.caseID)
        // Two passes from files not yet compared: compared first, so that the correction
        // resolves what they disagree on.
        let kinds = Set(forms.map(\.kind))
        if q.entry == .double && kinds.isSuperset(of: [.pass1, .pass2]) && !kinds.contains(.final) {
            _ = try await store.verify(caseID: c.caseID, operator: session.user)
            forms = try await store.forms(caseID: c.caseID)
        }
        var values: [String: String] = [:]
        for item in q.items { values[item.name] = fields["item:\(item.name)"] ?? "" }
        let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        func refused(_ error: PageError) -> Response {
            FormsView.page(c, q, forms: forms, session: session, notice: nil, refill: .init(values: values, reason: reason, error: error))
                .response(context: context, status: error.status)
        }
        var answers: [String?] = q.items.map { item in values[item.name].flatMap { $0.isEmpty ? nil : $0 } }
        let problems = FieldMessages.problems(q, answers: &answers, allowingMissing: forms.contains { $0.mode != .paper })
        if !problems.isEmpty {
            return refused(PageError(.unprocessableContent, "编号 \(c.caseID) 有 \(problems.count) 处需要更正，未保存",
                                     details: problems.map(\.message), items: problems.map(\.item)))
        }
        let summary: CorrectionSummary
        do {
            summary = try await store.correct(FormCorrection(caseID: c.caseID, questionnaire: q, answers: answers, reason: reason,
                                                             operator: session.user, source: context.source))
        } catch {
            return refused(try await changeRefusal(error, q, what: "更正"))
        }
        let notice = summary.changedAnswers == 0 && !summary.verified ? "\(c.caseID) 的答案与所存相同，未改动"
            : "已更正 \(c.caseID)：\(summary.forms) 份问卷共改动 \(summary.changedAnswers) 处\(summary.verified ? "；该案例已核实" : "")"
        return redirect(FormsView.path(c.caseID) + "&notice=" + notice.addingPercentEncodingForPath)
    }

    /// Withdraws one of the case's forms (``SurveyStore/voidForm(_:)``).
    func voidForm(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let (c, q) = try await formsCase(fields["case_id"] ?? "")
        guard let kind = FormKind(rawValue: fields["kind"] ?? "") else { throw PageError(.unprocessableContent, "请选择要作废的问卷") }
        let mode = try await store.forms(caseID: c.caseID).first { $0.kind == kind }?.mode ?? .paper
        let summary: VoidSummary
        do {
            summary = try await store.voidForm(FormVoid(caseID: c.caseID, kind: kind, reason: (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces),
                                                        operator: session.user, source: context.source))
        } catch {
            throw try await changeRefusal(error, q, what: "作废")
        }
        var notice = "已作废 \(c.caseID) 的\(kind.label(mode))"
        if summary.unverified { notice += "；已撤销该案例的核实，请重新录入该遍" }
        if let restored = summary.restored { notice += "；处置由「\(restored.label)」恢复为「待定」" }
        return redirect(FormsView.path(c.caseID) + "&notice=" + notice.addingPercentEncodingForPath)
    }

    /// The store's refusal of a correction or a void, in Chinese.
    private func changeRefusal(_ error: StoreError, _ q: Questionnaire, what: String) async throws -> PageError {
        if let closure = try await store.entryClosures().first(where: { $0.questionnaire == q.id }) {
            return PageError(.conflict, "\(what)未保存：" + EntryWording.closed(closure))
        }
        switch error.kind {
        case .usage: return PageError(.unprocessableContent, "\(what)未保存：请填写原因（记入审计）")
        case .database: return PageError(.serviceUnavailable, "数据库暂时无法写入，\(what)未保存：请稍后重试")
        case .data:
            // The answers are checked on the page first: a refusal here is a change made meanwhile.
            return PageError(.conflict, "\(what)未保存：该案例的问卷与本页所示不符（可能刚被改动），请刷新本页后重试")
        }
    }

    // MARK: Dispositions

    func cases(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        guard let picked = try await chosen(request) else {
            return Page(title: "处置与备选", session: session, body: "<p>库中还没有问卷。</p>").response(context: context)
        }
        let (q, questionnaires) = picked
        let all = try await store.cases(questionnaire: q.id)
        let towns = Array(Set(all.map { $0.townID ?? "" })).sorted()
        let town = request.uri.queryParameters["town"].map(String.init) ?? towns.first ?? ""
        let find = EntryRepository.normalisedCaseID(request.uri.queryParameters["find"].map(String.init) ?? "")
        let found = find.isEmpty ? nil : SupervisionController.find(find, in: all)
        let page = SupervisionView.cases(q, questionnaires: questionnaires, cases: all.filter { ($0.townID ?? "") == town }, towns: towns,
                                         town: town, find: find, found: found, session: session, notice: request.uri.queryParameters["notice"].map(String.init))
        return page.response(context: context)
    }

    /// The cases whose number, or a column of the list (the head's name, the address, the
    /// village…), holds `text` (case-insensitive), with what matched. Phone numbers are not
    /// searched: they are shown to the interviewer who calls only.
    static func find(_ text: String, in cases: [CaseRecord]) -> [(CaseRecord, String)] {
        cases.compactMap { c -> (CaseRecord, String)? in
            if c.caseID.range(of: text, options: [.caseInsensitive]) != nil { return (c, "编号 \(c.caseID)") }
            guard let attributes = try? JSONSerialization.jsonObject(with: Data(c.attributes.utf8)) as? [String: Any] else { return nil }
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
                let lower = key.lowercased()
                if lower.contains("phone") || lower.contains("tel") || lower.contains("mobile") { continue }
                let shown = "\(value)"
                if shown.range(of: text, options: [.caseInsensitive]) != nil { return (c, "\(key) \(shown)") }
            }
            return nil
        }
    }

    /// What a batch did to the reserves, for the notice after it: activated, exhausted, released,
    /// still in use beside a case that responds after all (with what to do).
    static func reserveNotice(_ summary: DispositionSummary) -> String {
        var notice = ""
        for a in summary.activations { notice += "；已启用备选 \(a.reserve)（第 \(a.rank) 备选）替代 \(a.replaces)" }
        for e in summary.exhausted { notice += "；\(e.caseID) 所在组 \(e.reserveGroup ?? "") 的备选已用完" }
        for r in summary.released { notice += "；已释放备选 \(r.reserve)（\(r.replaced) 已应答）" }
        for r in summary.stillInUse {
            notice += r.keyed ? "；备选 \(r.reserve) 已录入问卷，保留（\(r.replaced) 与它都计入）"
                : r.contacted ? "；备选 \(r.reserve) 已有处置，保留"
                : "；备选 \(r.reserve) 仍替代已应答的 \(r.replaced)：如不再需要，请在下表中按「释放备选」"
        }
        return notice
    }

    /// One disposition for every ticked case (`pick:CASE` fields), in one batch: all recorded, or
    /// none with every problem listed (the store's rules, as for one case).
    func disposeMany(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let ids = fields.keys.filter { $0.hasPrefix("pick:") }.map { String($0.dropFirst(5)) }.sorted()
        guard !ids.isEmpty else { throw PageError(.unprocessableContent, "请先勾选要记录处置的案例") }
        guard let disposition = Disposition(rawValue: fields["disposition"] ?? "") else { throw PageError(.unprocessableContent, "请选择处置") }
        let note = (fields["note"] ?? "").isEmpty ? nil : fields["note"]
        let summary: DispositionSummary
        do {
            summary = try await store.recordDispositions(DispositionBatch(updates: ids.map { DispositionUpdate(caseID: $0, disposition: disposition, note: note) },
                                                                          operator: session.user, source: context.source))
        } catch {
            throw PageError(.unprocessableContent, "处置未记录：所勾选的 \(ids.count) 个案例都未改变", details: error.problems.map(\.message))
        }
        var notice = "已记录 \(summary.changed) 个案例：\(disposition.label)\(summary.unchanged > 0 ? "（\(summary.unchanged) 个本已如此）" : "")"
        notice += SupervisionController.reserveNotice(summary)
        var back = "/supervise/cases?notice=" + notice.addingPercentEncodingForPath
        if let q = fields["q"] { back += "&q=" + q.addingPercentEncodingForPath }
        if let town = fields["town"] { back += "&town=" + town.addingPercentEncodingForPath }
        return redirect(back)
    }

    func dispose(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        var request = request
        let fields = try await FormBody.read(&request, context: context)
        let caseID = fields["case_id"] ?? ""
        guard let disposition = Disposition(rawValue: fields["disposition"] ?? "") else { throw PageError(.unprocessableContent, "请选择处置") }
        let note = (fields["note"] ?? "").isEmpty ? nil : fields["note"]
        let release = fields["release"] == "1"
        let summary: DispositionSummary
        do {
            summary = try await store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: caseID, disposition: disposition, note: note)],
                                                                          operator: session.user, source: context.source, releaseReserves: release))
        } catch {
            throw PageError(.unprocessableContent, "处置未记录：\(caseID)", details: error.problems.map(\.message))
        }
        var notice = summary.changed == 0 ? "\(caseID) 的处置本已是「\(disposition.label)」" : "已记录 \(caseID)：\(disposition.label)"
        notice += SupervisionController.reserveNotice(summary)
        let record = try await store.caseRecord(caseID)
        var back = "/supervise/cases?notice=" + notice.addingPercentEncodingForPath
        if let record { back += "&q=" + record.questionnaire.addingPercentEncodingForPath + "&town=" + (record.townID ?? "").addingPercentEncodingForPath }
        return redirect(back)
    }

    // MARK: Progress and distributions

    /// The questionnaire the page is about (`?q=`, else the first) and every questionnaire; nil
    /// when the store has none.
    private func chosen(_ request: Request) async throws -> (Questionnaire, [Questionnaire])? {
        let questionnaires = try await environment.catalog.all()
        let id = request.uri.queryParameters["q"].map(String.init) ?? questionnaires.first?.id
        guard let q = questionnaires.first(where: { $0.id == id }) else {
            if questionnaires.isEmpty { return nil }
            throw PageError(.notFound, "没有问卷 \(id ?? "")")
        }
        return (q, questionnaires)
    }

    func progress(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let report = try await store.status(questionnaire: nil)
        var online: [(Questionnaire, [InvitationCount])] = []
        for q in try await environment.catalog.all() {
            let counts = try await store.invitationCounts(questionnaire: q.id)
            if !counts.isEmpty { online.append((q, counts)) }
        }
        return SupervisionView.progress(report, online: online, session: session).response(context: context)
    }

    func units(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        guard let picked = try await chosen(request) else {
            return Page(title: "各单位评价分布", session: session, body: "<p>库中还没有问卷。</p>").response(context: context)
        }
        let (q, questionnaires) = picked
        let countedOnly = request.uri.queryParameters["keyed"] == nil
        let counts = try await store.answerCounts(questionnaire: q.id, countedOnly: countedOnly)
        return SupervisionView.units(q, questionnaires: questionnaires, counts: counts, countedOnly: countedOnly, session: session)
            .response(context: context)
    }

    /// Telephone fieldwork: the quota table, interviewers by evening, callbacks that disagreed.
    func calls(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let telephone = try await environment.catalog.all().filter { $0.calls != nil }
        let id = request.uri.queryParameters["q"].map(String.init) ?? telephone.first?.id
        let q = telephone.first { $0.id == id }
        if id != nil && q == nil { throw PageError(.notFound, "没有电话访问的问卷 \(id ?? "")") }
        let t = environment.settings.now()
        guard let q else {
            return CallsView.supervision(nil, questionnaires: [], quotas: [], towns: [:], evenings: [], flagged: [], session: session)
                .response(context: context)
        }
        var towns: [String: String] = [:]
        for row in try await store.status(questionnaire: q.id).towns { if let id = row.townID, let name = row.townName { towns[id] = name } }
        return CallsView.supervision(q, questionnaires: telephone, quotas: try await store.callQuotas(questionnaire: q.id, now: t), towns: towns,
                                     evenings: try await store.interviewerEvenings(questionnaire: q.id),
                                     flagged: try await store.flaggedCallbacks(questionnaire: q.id), session: session)
            .response(context: context)
    }

    func audit(_ request: Request, context: AppContext) async throws -> Response {
        let session = try context.user()
        let caseID = request.uri.queryParameters["case"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let trail = caseID.isEmpty ? [] : try await store.auditTrail(caseID: caseID)
        return SupervisionView.audit(caseID: caseID, trail: trail, session: session).response(context: context)
    }
}
