import Formats
import Questionnaire
import Store

/// The telephone pages' words: the store's reasons for refusing a call (``CallRefusal``) and
/// for handing out no case (``NoCall``), outcome and disposition names, Beijing times.
enum CallWording {
    static func chinese(_ refusal: CallRefusal, caseID id: String) -> String {
        switch refusal {
        case .notQueued: "编号 \(id) 不在电话拨打队列中（没有电话号码，或不是电话访问的问卷）"
        case .closed(let d): "编号 \(id) 已结束拨打（\(Disposition(rawValue: d)?.label ?? d)）：请取下一个案例"
        case .heldByOther(let who): "编号 \(id) 已分给访员 \(who)：每个案例同一时间只分给一名访员，请取下一个案例"
        case .notHeld: "编号 \(id) 不在您手上（可能已超时被收回）：请按「下一个」重新取案例"
        case .notByTelephone: "问卷没有电话访问规则（calls:）"
        case .noSuchNumber(let rank, let n): "编号 \(id) 没有第 \(rank) 个号码（共 \(n) 个）"
        case .endsBeforeStart: "通话结束时间早于开始时间"
        case .notAnInterview(let o): "「\(o.label)」不是访问结果：请用拨打结果按钮记录"
        case .needsInterview(let o): "「\(o.label)」需要访问答案：请在问卷中录入后保存"
        case .appointmentInPast: "预约时间已过：请填写将来的时间，或留空稍后再拨"
        case .emptyInterview: "访问没有任何回答：请记录为婉拒或明确拒访"
        case .unknownItem(let item): "问卷已更新，没有题目 \(item)：请刷新页面后重新访问"
        case .noCallback: "编号 \(id) 没有回访任务"
        case .callbackDone: "编号 \(id) 已回访过"
        case .callbackNotHeld: "编号 \(id) 的回访不在您手上：请按「下一个回访」重新领取"
        }
    }

    /// Why no case was handed out.
    static func chinese(_ none: NoCall) -> String {
        switch none {
        case .outsideWindow(let next?): "现在不是拨打时段；下一个时段 \(clock(next)) 开始"
        case .outsideWindow(nil): "现在不是拨打时段"
        case .nothingDue(let next?): "暂时没有可拨的案例（等待预约或重拨间隔）；最早 \(clock(next)) 再试"
        case .nothingDue(nil): "暂时没有可拨的案例：各镇（街道）已达到配额，余下的都在等待"
        case .finished: "本问卷的案例都已拨打完毕"
        case .notByTelephone: "本问卷不做电话访问，或已截止录入"
        }
    }

    /// `11月30日 19:05` (Beijing time).
    static func clock(_ unix: Int64) -> String {
        let t = CallRules.localTime(unix)
        let date = CivilDate(daysSinceEpoch: Int(t.day))
        return "\(date.month)月\(date.day)日 \(hm(t.minutes))"
    }

    /// `19:05`.
    static func hm(_ minutes: Int) -> String {
        "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
    }

    /// `2026-11-30T20:30` as a browser's date-time field gives it, read as Beijing time.
    static func beijing(_ text: String) -> Int64? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = CivilDate(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + m * 60) - CallRules.offsetSeconds
    }

    /// `2026-11-30T20:30`: a Unix time for a date-time field (Beijing time).
    static func field(_ unix: Int64) -> String {
        let t = CallRules.localTime(unix)
        return CivilDate(daysSinceEpoch: Int(t.day)).description + "T" + (t.minutes / 60 < 10 ? "0" : "") + hm(t.minutes)
    }

    /// `138 1234 5678` for reading out; other numbers as stored.
    static func spaced(_ number: String) -> String {
        guard number.count == 11, number.hasPrefix("1") else { return number }
        let c = Array(number)
        return String(c[0..<3]) + " " + String(c[3..<7]) + " " + String(c[7...])
    }
}
