import Foundation
import Hummingbird
import NIOCore
import Store
import Markup

/// A page of the server: the frame (title, menu for the user's role, sign-out), the body, and
/// an optional inline script. Everything is inline: no file or font from anywhere else.
struct Page {
    var title: String
    var session: SessionRecord?
    var body: HTML
    /// JavaScript run at the end of the page (trusted text written in this module).
    var script: String?
    /// A one-line notice above the body (a saved form, a recorded disposition).
    var notice: String?

    func response(context: AppContext, status: HTTPResponse.Status = .ok) -> Response {
        let scriptTag: HTML = script.map { HTML(trusted: "<script nonce=\"\(context.nonce)\">\($0)</script>") } ?? .empty
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>\(title) · 公众评议录入</title>
            <style nonce="\(context.nonce)">\(HTML(trusted: Page.css))</style>
            </head>
            <body>
            <header><a class="brand" href="/">公众评议 · 问卷录入与督导</a>\(menu)</header>
            <main>
            <h1>\(title)</h1>
            \(notice.map { HTML("<p class=\"notice\" role=\"status\">\($0)</p>") } ?? .empty)
            \(body)
            </main>
            \(scriptTag)
            </body>
            </html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    private var menu: HTML {
        guard let session else { return .empty }
        let items = Page.links(for: session.role).map { HTML("<a href=\"\($0.path)\">\($0.label)</a>") }
        return """
            <nav>\(items)</nav>
            <form class="who" method="post" action="/logout"><input type="hidden" name="csrf" value="\(session.csrf)">\
            <span>\(session.user)（\(session.role.label)）</span> <button type="submit">退出</button></form>
            """
    }

    /// The pages of the menu a role may open, in menu order.
    static func links(for role: UserRole) -> [(path: String, label: String, permission: Permission)] {
        let all: [(String, String, Permission)] = [
            ("/entry", "录入", .keying), ("/mine", "我的录入", .keying), ("/calls", "电话访问", .calling),
            ("/supervise/disagreements", "核对与裁定", .supervising), ("/supervise/cases", "处置与备选", .supervising),
            ("/supervise/calls", "电话督导", .supervising), ("/supervise/work", "录入工作量", .supervising), ("/supervise/forms", "问卷更正", .supervising), ("/supervise/progress", "进度", .analysing),
            ("/supervise/units", "单位分布", .analysing), ("/work", "工作台", .workbench), ("/work/analysis", "分析与结果", .workbench), ("/supervise/audit", "审计", .supervising),
            ("/admin/users", "用户", .administering), ("/admin/surveys", "问卷", .administering), ("/admin/audit", "登录记录", .administering),
        ]
        return all.filter { role.may($0.2) }.map { (path: $0.0, label: $0.1, permission: $0.2) }
    }

    static let css = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f4f6f8}
        header{display:flex;flex-wrap:wrap;align-items:center;gap:12px;background:#123a5a;color:#fff;padding:8px 16px}
        header a{color:#fff;text-decoration:none}.brand{font-weight:bold;margin-right:12px}nav{display:flex;flex-wrap:wrap;gap:10px;flex:1}
        nav a{padding:2px 6px;border-radius:3px}nav a:hover{background:#2a5b84}.who{margin:0;display:flex;gap:8px;align-items:center}
        main{max-width:1180px;margin:0 auto;padding:12px 16px}h1{font-size:20px;margin:8px 0 12px}h2{font-size:17px;margin:18px 0 8px}
        table{border-collapse:collapse;background:#fff;margin:6px 0 14px}th,td{border:1px solid #d5dbe1;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#e8edf2}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .notice{background:#e3f4e6;border:1px solid #9ccca5;padding:6px 10px}.error{background:#fbe6e6;border:1px solid #e0a1a1;padding:6px 10px}td.differ{background:#fff3cd}.save-bar{position:sticky;bottom:0;background:#fff;padding:8px 0;border-top:1px solid #ccc}
        button,input,select{font:inherit}button{padding:3px 10px;cursor:pointer}input[type=text],input[type=password],select{padding:3px 6px}
        .card{background:#fff;border:1px solid #d5dbe1;padding:12px 16px;margin:8px 0}.muted{color:#66727f}.small{font-size:13px}
        form.inline{display:inline;margin:0}label.field{display:block;margin:6px 0}
        .keying{display:grid;grid-template-columns:minmax(0,1fr) 260px;gap:16px}.items{background:#fff;border:1px solid #d5dbe1;padding:8px 12px;columns:2 360px;column-gap:24px}
        .item{display:grid;grid-template-columns:190px 52px 1fr;gap:6px;align-items:center;padding:1px 4px;border-bottom:1px dotted #e2e6ea;break-inside:avoid}
        .item .label{overflow-wrap:anywhere}.item .name{color:#7b8794;font-size:12px;margin-left:4px}
        .item input{width:48px;text-align:center;font-size:17px}.item input.wide{width:100%;text-align:left;font-size:15px}
        .item.text{grid-template-columns:190px 1fr;column-span:all}.item.skipped{opacity:.35}.item.current{background:#fff5cc}.item.bad input{background:#f8c9c9}
        .meaning{color:#1f6f3a}.town-name{font-weight:bold;color:#123a5a}.case{font-size:20px;width:200px}.case-info{margin:6px 0;min-height:24px}
        .legend code{background:#e8edf2;padding:0 4px;margin-right:2px}.legend div{margin:3px 0}
        html{scroll-padding-bottom:72px}#status{position:fixed;left:0;right:0;bottom:0;z-index:20;margin:0;padding:8px 16px;font-size:16px;box-shadow:0 -2px 6px rgba(0,0,0,.15)}#status:empty{display:none}        body:has(#status){padding-bottom:64px}
        @media (max-width:720px){.keying{grid-template-columns:minmax(0,1fr)}.items{columns:1}.item{grid-template-columns:minmax(0,1fr) 52px 56px}        .item.text{grid-template-columns:minmax(0,1fr)}.case{width:100%;max-width:240px}header{padding:6px 10px}main{padding:8px 10px}}.bar rect:hover{opacity:.8}tr.current{outline:2px solid #e0b400}
        .waiting{opacity:.5}.read{font-size:19px;min-height:2.4em;margin:0 0 8px}#outcomes button{margin:2px 2px}.phone{margin-right:14px;font-size:17px}
        """
}

/// The page of a request that cannot be served.
enum ErrorView {
    /// - Parameter back: the page of this server the user came from (a path), linked as the way
    ///   back; the start page when unknown.
    static func page(_ error: PageError, session: SessionRecord?, back: String? = nil) -> Page {
        let details = error.details.map { HTML("<li>\($0)</li>") }
        let back: HTML = error.status == .unauthorized ? "<p><a href=\"/login\">登录</a></p>"
            : back.map { HTML("<p><a href=\"\($0)\">返回上一页</a> · <a href=\"/\">首页</a></p>") } ?? "<p><a href=\"/\">返回首页</a></p>"
        return Page(title: "无法完成（\(error.status.code)）", session: session, body: """
            <p class="error">\(error.message)</p>
            \(details.isEmpty ? HTML.empty : HTML("<ul>\(details)</ul>"))
            \(back)
            """)
    }

    /// The page of this server that sent the request (its `Referer`, when that names this
    /// host), as a path with its query: where the error page's link goes back to.
    static func back(_ request: Request) -> String? {
        guard let referer = request.headers[.referer], let url = URL(string: referer), let host = url.host,
              let ours = request.head.authority?.split(separator: ":").first, host == String(ours) else { return nil }
        // As sent (still percent-encoded), and refused when a browser could read it as another
        // host (`//x`, `/\x`), as the sign-in page's `next` is.
        let path = url.path(percentEncoded: true).isEmpty ? "/" : url.path(percentEncoded: true)
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), !path.lowercased().contains("%5c"),
              !path.hasPrefix("/login") else { return nil }
        return path + (url.query(percentEncoded: true).map { "?" + $0 } ?? "")
    }
}
