import Questionnaire
import Store
import Markup

/// The administration pages.
enum AdminView {
    static func users(_ users: [UserAccount], now: Int64, session: SessionRecord, notice: String?) -> Page {
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\">"
        let rows = users.map { u -> HTML in
            let name: HTML = "<input type=\"hidden\" name=\"name\" value=\"\(u.name)\">"
            let state = u.disabled ? "已停用" : u.isLocked(at: now) ? "已锁定至 \(isoTime(u.lockedUntil ?? 0))" : (u.failedLogins > 0 ? "连续失败 \(u.failedLogins) 次" : "正常")
            let choices = UserRole.allCases.map { HTML("<option value=\"\($0.rawValue)\"\($0 == u.role ? " selected" : "")>\($0.label)</option>") }
            let toggle: HTML = u.disabled
                ? "<form class=\"inline\" method=\"post\" action=\"/admin/users/enable\">\(csrf)\(name)<button type=\"submit\">启用</button></form>"
                : "<form class=\"inline\" method=\"post\" action=\"/admin/users/disable\">\(csrf)\(name)<button type=\"submit\">停用</button></form>"
            return """
                <tr><td>\(u.name)</td><td>\(u.role.label)</td><td>\(state)</td><td>\(u.hasAPIToken ? "有" : "无")</td><td>\(u.createdAt)</td><td>
                <form class="inline" method="post" action="/admin/users/unlock">\(csrf)\(name)<button type="submit">解锁</button></form>
                <form class="inline" method="post" action="/admin/users/token">\(csrf)\(name)\(u.hasAPIToken ? HTML("<label class=\"small\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required>作废旧令牌</label>") : HTML.empty)<button type="submit">\(u.hasAPIToken ? "换新 API 令牌" : "生成 API 令牌")</button></form>
                <form class="inline" method="post" action="/admin/users/password">\(csrf)\(name)<input type="password" name="password" size="10" placeholder="新密码" aria-label="新密码" autocomplete="new-password"><button type="submit">改密码</button></form>
                <form class="inline" method="post" action="/admin/users/role">\(csrf)\(name)<select name="role" aria-label="\(u.name) 的角色">\(choices)</select><button type="submit">改角色</button></form>
                \(toggle)
                <form class="inline" method="post" action="/admin/users/delete">\(csrf)\(name)<label class="small"><input type="checkbox" name="confirm" value="yes" required>确认</label><button type="submit">删除</button></form>
                </td></tr>
                """
        }
        let roles = UserRole.allCases.map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") }
        let body: HTML = """
            <table><tr><th>用户</th><th>角色</th><th>状态</th><th>API 令牌</th><th>添加时间（UTC）</th><th>操作</th></tr>\(rows)</table>
            <h2>添加用户</h2>
            <form class="card" method="post" action="/admin/users">\(csrf)
            <label class="field">用户名 <input type="text" name="name" required maxlength="32"></label>
            <label class="field">角色 <select name="role">\(roles)</select></label>
            <label class="field">初始密码（至少 10 位）<input type="password" name="password" required minlength="10" autocomplete="new-password"></label>
            <button type="submit">添加</button></form>
            <p class="muted small">录入员：录入问卷、查看本人录入；督导：另可核对裁定、记录处置、启用备选、查看进度和审计；管理员：另可管理用户。改角色、停用和删除立即结束该用户已登录的会话；停用的用户不能登录，其 API 令牌失效；删除用户不删除其录入的问卷和审计记录。</p>
            """
        return Page(title: "用户", session: session, body: body, notice: notice)
    }

    static func token(name: String, token: String, session: SessionRecord) -> Page {
        Page(title: "API 令牌", session: session, body: """
            <div class="card"><p>用户 \(name) 的新 API 令牌（只显示这一次，旧令牌已作废）：</p>
            <p><code id="token">\(token)</code></p>
            <p class="muted">调用 POST /api/forms 时放在请求头：Authorization: Bearer 令牌</p></div>
            <p><a href="/admin/users">返回用户列表</a></p>
            """)
    }

    static func surveys(_ questionnaires: [Questionnaire], status: StatusReport, closures: [EntryClosure], session: SessionRecord,
                        notice: String?) -> Page {
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\">"
        var seen: Set<String> = []
        let rows = questionnaires.map { q -> HTML in
            let g = status.groups.first { $0.group == q.group }
            // The entry state and its switch once per questionnaire id (on its first version's row).
            var state: HTML = ""
            if seen.insert(q.id).inserted {
                let id: HTML = "<input type=\"hidden\" name=\"questionnaire\" value=\"\(q.id)\">"
                if let c = closures.first(where: { $0.questionnaire == q.id }) {
                    state = """
                        已截止录入<br><span class="muted small">\(c.closedAt) \(c.closedBy)：\(c.reason)</span>
                        <form class="inline" method="post" action="/admin/surveys/reopen">\(csrf)\(id)<input type="text" name="reason" size="10" required placeholder="恢复原因" aria-label="恢复录入的原因"><button type="submit">恢复录入</button></form>
                        """
                } else {
                    state = """
                        录入中
                        <form class="inline" method="post" action="/admin/surveys/close">\(csrf)\(id)<input type="text" name="reason" size="10" required placeholder="截止原因" aria-label="截止录入的原因"><button type="submit">截止录入</button></form>
                        """
                }
            }
            return """
                <tr><td>\(q.id)</td><td class="n">\(q.version)</td><td>\(q.title)</td><td>\(q.group.label)</td><td>\(q.entry == .double ? "两遍" : "一遍")</td>\
                <td class="n">\(q.units.count)</td><td class="n">\(q.items.count)</td><td class="n">\(g?.sampled ?? 0)</td><td class="n">\(g?.verified ?? 0)</td><td>\(state)</td></tr>
                """
        }
        return Page(title: "问卷", session: session, body: """
            <table><tr><th>编号</th><th>版本</th><th>标题</th><th>对象</th><th>录入</th><th>被评单位</th><th>题目</th><th>样本</th><th>已核实</th><th>录入状态</th></tr>\(rows)</table>
            <p class="muted">截止录入后，该问卷的表不再接受录入（网页、API 和 pingyi responses import 都拒收），核对与裁定照常；截止与恢复都记入审计。</p>
            <p class="muted">载入问卷和样本名单：pingyi cases load --list 名单.csv --survey 问卷.yaml（--db 或 --postgres 指向本服务器的库）。</p>
            """, notice: notice)
    }

    static func audit(_ entries: [AuditEntry], session: SessionRecord) -> Page {
        let rows = entries.map { e -> HTML in
            "<tr><td>\(AuditWording.beijing(e.at))</td><td>\(e.operator)</td><td>\(AuditWording.action(e.action))</td><td>\(e.item)</td><td>\(e.newValue)</td><td>\(e.reason)</td><td>\(e.source)</td></tr>"
        }
        return Page(title: "登录与用户记录", session: session, body: """
            <table><tr><th>时间（北京时间）</th><th>用户</th><th>操作</th><th>对象</th><th>内容</th><th>原因</th><th>来源</th></tr>\(rows)</table>
            """)
    }
}
