import Foundation
import Questionnaire
import Store

/// What the keying page learns about a case number as soon as it is typed.
struct CaseCheck: Encodable, Sendable, Equatable {
    let ok: Bool
    /// Chinese, for the operator: what is wrong, or who the respondent is.
    let message: String
    let caseID: String
    let townID: String?
    let town: String?
    let group: String?
    /// 样本, or 备选（替代 H-01-0002）.
    let role: String?
}

/// Keying forms from the web: the case check, the answers checked with Chinese messages, and
/// the store's write (the same ``SurveyStore/enterForms(_:)`` as a file import).
struct EntryRepository: Sendable {
    let store: any SurveyStore
    let writer: FormWriter

    /// Checks that `caseID` may be keyed in `pass` of `q` by `operator`: the store's decision
    /// (``SurveyStore/entryRefusal(caseID:questionnaire:pass:operator:)``, the same rules as every
    /// other channel), worded in Chinese; when it may, who the respondent is.
    func check(_ q: Questionnaire, pass: Pass, caseID: String, operator: String) async throws -> CaseCheck {
        let id = try await resolvedCaseID(caseID)
        if let refusal = try await store.entryRefusal(caseID: id, questionnaire: q, pass: pass, operator: `operator`) {
            return self.refusal(id, EntryWording.chinese(refusal, caseID: id, questionnaire: q))
        }
        guard let c = try await store.caseRecord(id) else { return refusal(id, EntryWording.chinese(.notInSample(questionnaire: q.id), caseID: id, questionnaire: q)) }
        let town = townName(c.attributes)
        let role = c.role == .sample ? "样本" : "备选（替代 \(c.replaces ?? "")）"
        let place = [town, c.townID.map { "（\($0)）" }].compactMap { $0 }.joined()
        return CaseCheck(ok: true, message: "\(id)：\(place.isEmpty ? "" : place + " · ")\(c.group.label) · \(role)", caseID: id,
                         townID: c.townID, town: town, group: c.group.label, role: role)
    }

    /// A case number as typed, trimmed, with full-width letters, digits and signs made
    /// ASCII (`Ｕ－０１` is `U-01`, as an input method types it).
    static func normalisedCaseID(_ text: String) -> String {
        halfWidth(text).trimmingCharacters(in: .whitespaces)
    }

    /// The case number as the store has it: as typed (normalised), or in capitals when only
    /// that is a case (`u-01-0003` is `U-01-0003`).
    func resolvedCaseID(_ text: String) async throws -> String {
        let id = EntryRepository.normalisedCaseID(text)
        let upper = id.uppercased()
        guard upper != id, try await store.caseRecord(id) == nil, try await store.caseRecord(upper) != nil else { return id }
        return upper
    }

    static func closedMessage(_ c: EntryClosure) -> String {
        EntryWording.closed(c)
    }

    private func refusal(_ id: String, _ message: String) -> CaseCheck {
        CaseCheck(ok: false, message: message, caseID: id, townID: nil, town: nil, group: nil, role: nil)
    }

    /// Stores one keyed form from the page's fields (item name → keyed text).
    /// - Throws: ``PageError`` 422 with a Chinese line per problem (nothing stored), or 409 when
    ///   the case cannot be keyed (already keyed, not in the sample…).
    /// - Returns: the case number as stored (``resolvedCaseID(_:)``).
    @discardableResult
    func save(_ q: Questionnaire, pass: Pass, caseID: String, fields: [String: String], operator: String, source: String) async throws -> String {
        let check = try await check(q, pass: pass, caseID: caseID, operator: `operator`)
        let id = check.caseID
        guard check.ok else { throw PageError(.conflict, check.message) }
        // (Full-width digits are read as digits by the store's answer checks.)
        var answers: [String?] = q.items.map { item in fields[item.name].flatMap { $0.isEmpty ? nil : $0 } }
        let problems = FieldMessages.problems(q, answers: &answers)
        if !problems.isEmpty {
            throw PageError(.unprocessableContent, "编号 \(id) 有 \(problems.count) 处需要更正，未保存", details: problems.map(\.message),
                            items: problems.map(\.item))
        }
        do {
            _ = try await writer.enter(FormBatch(questionnaire: q, pass: pass, operator: `operator`, source: source,
                                                     forms: [FormInput(caseID: id, answers: answers)]))
        } catch let error as StoreError {
            // Another operator or process got there first: the store's reason, in Chinese.
            if let refusal = error.problems.compactMap(\.refusal).first {
                throw PageError(.conflict, "未保存：" + EntryWording.chinese(refusal, caseID: id, questionnaire: q))
            }
            if error.kind == .database { throw PageError(.serviceUnavailable, "数据库暂时无法写入，未保存：请稍后重试") }
            throw PageError(.conflict, "未保存：编号 \(id) 的问卷未能保存，请核对后重试")
        }
        // A second pass keyed on the page is compared with the first at once (the store's
        // verification of this case only, audited as done by this operator), instead of waiting
        // for a supervisor's button; a failure here leaves the form saved and the comparison to
        // the next run.
        if pass == .second { _ = try? await store.verify(caseID: id, operator: `operator`) }
        return id
    }
}

/// The town name of a case (the list's `town` column), if any.
func townName(_ attributes: String) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(attributes.utf8)) as? [String: Any] else { return nil }
    return object["town"] as? String
}

/// A problem of one keyed answer, in Chinese.
struct FieldProblem: Sendable, Equatable, Encodable {
    let item: String
    let message: String
}

/// The answer checks of ``FormChecker`` with messages for the operator, in Chinese.
enum FieldMessages {
    /// Checks (and normalises) `answers`, in item order; one problem per item at most.
    /// - Parameter allowingMissing: unanswered required items are no problem (an interview
    ///   broken off keeps the answers given).
    static func problems(_ q: Questionnaire, answers: inout [String?], allowingMissing: Bool = false) -> [FieldProblem] {
        let raw = answers
        let found = FormChecker(q).check(&answers)
        var seen: Set<Int> = []
        return found.compactMap { p in
            if allowingMissing && p.isMissing { return nil }
            guard seen.insert(p.item).inserted else { return nil }
            let item = q.items[p.item]
            let name = "\(item.label)（\(item.name)）"
            guard let value = raw[p.item]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return FieldProblem(item: item.name, message: "\(name)未录入")
            }
            let asked = item.when.map { c in c.holds { n in q.index(of: n).flatMap { answers[$0] } } } ?? true
            if !asked {
                return FieldProblem(item: item.name, message: "\(name)按跳答规则（\(item.when?.source ?? "")）应留空，录入的是「\(value)」")
            }
            switch item.kind {
            case .unit, .ownTown, .tier, .single:
                return FieldProblem(item: item.name, message: "\(name)的代码「\(value)」无效；可用：\(codeList(q, item))")
            case .number(let minimum, let maximum, let decimals):
                let range = [minimum.map(formatNumber), maximum.map(formatNumber)].compactMap { $0 }.joined(separator: "–")
                let places = decimals == 0 ? "整数" : "最多 \(decimals) 位小数"
                return FieldProblem(item: item.name, message: "\(name)应为\(range.isEmpty ? "" : " \(range) 之间的")\(places)，录入的是「\(value)」")
            case .text(let maxLength):
                return FieldProblem(item: item.name, message: "\(name)超过 \(maxLength ?? 0) 字")
            }
        }
    }

    /// `1 满意、2 比较满意…` for an item that takes codes.
    static func codeList(_ q: Questionnaire, _ item: Item) -> String {
        codes(q, item).map { "\($0.code) \($0.label)" }.joined(separator: "、")
    }

    /// The codes an item takes, with their labels, in the order of the form.
    static func codes(_ q: Questionnaire, _ item: Item) -> [(code: Int, label: String)] {
        switch item.kind {
        case .unit, .ownTown, .tier:
            return q.scale.tiers.map { ($0.code, $0.label) } + q.scale.specials.map { ($0.code, $0.label) }
        case .single(let choices):
            return choices.map { ($0.code, $0.label) }
        case .number, .text:
            return []
        }
    }
}

/// A number without a needless `.0`.
func formatNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
