import Formats
import Questionnaire

/// How the audit trail reads on pages: times in Beijing time (the store keeps UTC) and action
/// codes in Chinese (the code itself for one without a name, so nothing is hidden).
enum AuditWording {
    static let actions: [String: String] = [
        "load": "载入样本", "remove": "移除样本", "activate": "启用备选", "dispose": "记录处置", "enter": "录入",
        "replace": "更正", "replaced": "被更正", "correct": "督导更正", "void": "作废问卷", "release": "释放备选", "verify": "核对通过", "unverify": "撤销核对", "disagree": "两遍不一致",
        "resolve": "裁定", "call": "拨打", "callback": "回访核查", "entry-close": "截止录入", "entry-reopen": "恢复录入",
        "login": "登录", "login-failed": "登录失败", "lock": "锁定账户", "login-refused": "拒绝登录", "logout": "退出",
        "user-add": "添加用户", "user-password": "设置密码", "user-token": "生成 API 令牌", "user-unlock": "解锁",
        "user-role": "更改角色", "user-disable": "停用用户", "user-enable": "启用用户", "user-delete": "删除用户",
        "frame-upload": "上传抽样框", "design-save": "保存抽样设计", "sample-draw": "抽取样本", "sample-verify": "核验名单",
        "forms-upload": "上传录入文件", "score": "计算得分", "composite": "综合考评", "report": "生成报告",
    ]

    static func action(_ code: String) -> String { actions[code] ?? code }

    /// `2025-03-01T08:30:00Z` as Beijing time, `2025-03-01 16:30:00`; other text as it is.
    static func beijing(_ utc: String) -> String {
        let digits = utc.unicodeScalars.filter { ("0"..."9").contains($0) }.map { Int($0.value) - 48 }
        guard utc.count == 20, utc.hasSuffix("Z"), digits.count == 14 else { return utc }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        guard let date = CivilDate(String(utc.prefix(10))) else { return utc }
        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(number(8..<10) * 3600 + number(10..<12) * 60 + number(12..<14))
            + CallRules.offsetSeconds
        let local = CivilDate(daysSinceEpoch: Int(seconds / 86_400))
        let rest = Int(seconds % 86_400)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(local.year)-\(two(local.month))-\(two(local.day)) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
    }
}
