import Foundation
import Hummingbird
import NIOCore
import Questionnaire
import Store
import Markup

/// The respondent's pages of online self-completion (网上自填): no sign-in, no staff menu,
/// made for a phone (375 pixels wide) and the keyboard. Tiers are big buttons; 不了解 and 不适用
/// are offered, the keying-only codes (拒答, 无效) are not; skipped items are hidden as the
/// respondent answers (the keying page's item logic, ``KeyingScript/items``).
enum OnlineView {
    /// A respondent page: the frame without the staff header.
    static func page(_ title: String, _ body: HTML, context: AppContext, script: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let scriptTag: HTML = script.map { HTML(trusted: "<script nonce=\"\(context.nonce)\">\($0)</script>") } ?? .empty
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <link rel="icon" href="data:,">
            <title>\(title)</title>
            <style nonce="\(context.nonce)">\(HTML(trusted: css))</style>
            </head>
            <body>
            <main>
            <h1>\(title)</h1>
            \(body)
            </main>
            \(scriptTag)
            </body>
            </html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    static let css = """
        *{box-sizing:border-box}body{margin:0;font:17px/1.6 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f4f6f8}
        main{max-width:720px;margin:0 auto;padding:12px}h1{font-size:20px;margin:8px 0 12px}
        .card{background:#fff;border:1px solid #d5dde5;border-radius:8px;padding:12px;margin:0 0 12px}
        .q{margin:0 0 8px;font-weight:bold}.hint{color:#5b6b7a;font-size:14px}
        .choices{display:flex;flex-wrap:wrap;gap:8px}.choices label{flex:1 1 40%;min-width:130px}
        .choices input{position:absolute;opacity:0;width:1px;height:1px}
        .choices span{display:block;text-align:center;padding:12px 6px;border:2px solid #9fb3c8;border-radius:8px;background:#fff;cursor:pointer}
        .choices input:checked+span{background:#123a5a;color:#fff;border-color:#123a5a}
        .choices input:focus-visible+span{outline:3px solid #f0a500}
        .choices .special span{border-style:dashed;color:#5b6b7a}
        input[type=text],textarea{width:100%;font:inherit;padding:10px;border:2px solid #9fb3c8;border-radius:8px}
        button{font:inherit;padding:12px 18px;border-radius:8px;border:0;background:#123a5a;color:#fff;cursor:pointer}
        button.secondary{background:#e4eaf0;color:#123a5a}
        .item.skipped,.item.away{display:none}#nav{display:flex;gap:8px;align-items:center;margin:0 0 12px}#nav .count{flex:1;text-align:center;color:#5b6b7a}.error{color:#a61b1b;font-weight:bold}.notice{color:#17643a}
        #status{position:sticky;bottom:0;background:#f4f6f8;padding:8px 0;min-height:2.4em}
        .code{font:bold 22px monospace;letter-spacing:2px;text-transform:uppercase}
        """

    /// The box to type the code in.
    static func codeForm(error: String? = nil, typed: String = "") -> HTML {
        """
        <div class="card">
        <p>请输入邀请函上的访问码（11 位字母和数字，大小写不限，可不输入短横线）。</p>
        \(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty)
        <form method="post" action="/s" autocomplete="off">
        <p><input class="code" type="text" name="code" value="\(typed)" autofocus autocapitalize="characters" spellcheck="false" aria-label="访问码"></p>
        <p><button type="submit">开始答卷</button></p>
        </form>
        </div>
        """
    }

    /// The codes offered to a respondent for an item: tiers or choices, 不了解 and 不适用.
    static func choices(_ q: Questionnaire, _ item: Item) -> [(code: Int, label: String, special: Bool)] {
        switch item.kind {
        case .unit, .ownTown, .tier:
            return q.scale.tiers.map { ($0.code, $0.label, false) }
                + q.scale.specials.filter { $0.role == .dontKnow || $0.role == .notApplicable }.map { ($0.code, $0.label, true) }
        case .single(let choices):
            return choices.map { ($0.code, $0.label, false) }
        case .number, .text:
            return []
        }
    }

    /// The questionnaire for one respondent, with the answers saved so far.
    static func form(_ c: OnlineCase, code: String, town: String?, error: String? = nil, details: [String] = [], notice: String? = nil) -> HTML {
        let q = c.questionnaire
        let rows = q.items.map { item -> HTML in
            let value = c.answers[item.name] ?? ""
            let label = item.kind == .ownTown && town != nil ? "\(item.label)（\(town!)）" : item.label
            let field: HTML
            switch item.kind {
            case .unit, .ownTown, .tier, .single:
                let buttons = choices(q, item).map { ch -> HTML in
                    let checked: HTML = value == String(ch.code) ? " checked" : .empty
                    return """
                        <label\(ch.special ? HTML(" class=\"special\"") : .empty)><input type="radio" name="\(item.name)" value="\(String(ch.code))"\(checked)>\
                        <span>\(ch.label)</span></label>
                        """
                }
                field = "<div class=\"choices\" role=\"radiogroup\" aria-label=\"\(label)\">\(buttons)</div>"
            case .number(let lo, let hi, _):
                let range = [lo.map(formatNumber), hi.map(formatNumber)].compactMap { $0 }.joined(separator: "–")
                field = """
                    <input type="text" inputmode="decimal" name="\(item.name)" value="\(value)" aria-label="\(label)" autocomplete="off">\
                    \(range.isEmpty ? HTML.empty : HTML("<span class=\"hint\">（\(range)）</span>"))
                    """
            case .text(let length):
                field = "<textarea name=\"\(item.name)\" rows=\"3\" maxlength=\"\(String(length ?? 500))\" aria-label=\"\(label)\">\(value)</textarea>"
            }
            return """
                <div class="card item" data-name="\(item.name)"><p class="q">\(label)\(item.required ? HTML.empty : HTML("<span class=\"hint\">（选答）</span>"))</p>\
                <input type="hidden" id="f-\(item.name)" value="\(value)">\(field)</div>
                """
        }
        // One item per screen: the script shows one item at a time with 上一题 and 下一题; without
        // the script every item stays on the page.
        let one = q.online?.layout == .onePerScreen
        let nav: HTML = one ? """
            <div id="nav" hidden><button type="button" class="secondary" id="prev">上一题</button><span class="count" id="count"></span>\
            <button type="button" class="secondary" id="next">下一题</button></div>
            """ : .empty
        let problems: HTML = details.isEmpty ? .empty : HTML("<ul class=\"error\">\(details.map { HTML("<li>\($0)</li>") })</ul>")
        return """
            <div class="card"><p>\(q.title)</p><p class="hint">您的回答随填随存：关闭页面后用同一访问码再打开，可以接着填写。\
            \(one ? "全部填完后请在最后一题下方按「提交问卷」。" : "全部填完后请按页面最下方的「提交问卷」。")我们对您的回答严格保密，只用于统计。</p></div>
            \(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty)\(problems)
            <form id="form" method="post" action="/s/\(code)/save" autocomplete="off" data-layout="\((q.online?.layout ?? .page).rawValue)">
            \(nav)\(rows)
            <p><button type="submit" class="secondary" id="save">保存</button>
            <button type="submit" formaction="/s/\(code)/submit" id="submit">提交问卷</button></p>
            </form>
            <div id="status" role="status">\(notice ?? "")</div>
            """
    }

    /// The page's script: skips as the respondent answers (the keying page's logic), each
    /// answer saved at once.
    static func script(_ c: OnlineCase, code: String) -> String {
        "const Q = \(EntryView.script(c.questionnaire, pass: 1, checkURL: "", saveURL: "/s/\(code)/save"));\n" + KeyingScript.items + source
    }

    static let source = #"""
    (function () {
      'use strict';
      const form = document.getElementById('form'), status = document.getElementById('status');
      const items = pingyiItems(Q, { enabled: function () { return true; }, say: function () {}, complete: function () {},
                                     beforeFirst: function () {}, end: function () {} });
      function current(name) {
        const checked = form.querySelector('input[type=radio][name="' + name + '"]:checked');
        if (checked) return checked.value;
        const other = form.querySelector('input[type=text][name="' + name + '"],textarea[name="' + name + '"]');
        return other ? other.value.trim() : '';
      }
      function sync() {
        Q.items.forEach(function (it) { document.getElementById('f-' + it.name).value = current(it.name); });
        items.refresh();
        // An item skipped now loses its answer, on the page and in the store.
        document.querySelectorAll('.item.skipped').forEach(function (row) {
          row.querySelectorAll('input[type=radio]').forEach(function (r) { r.checked = false; });
          row.querySelectorAll('input[type=text],textarea').forEach(function (t) { t.value = ''; });
        });
      }
      let pending = null;
      function save(names) {
        const body = new URLSearchParams();
        names.forEach(function (n) { body.append(n, current(n)); });
        document.querySelectorAll('.item.skipped').forEach(function (row) { body.append(row.dataset.name, ''); });
        status.textContent = '正在保存…';
        pending = fetch(form.action, { method: 'POST', body: body, headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
          .then(function (x) {
            if (x[0] === 200) { status.textContent = '已保存'; status.className = 'notice'; }
            else { status.textContent = x[1].error + (x[1].details && x[1].details.length ? '：' + x[1].details.join('；') : ''); status.className = 'error'; }
          })
          .catch(function () { status.textContent = '网络中断，答案未保存；请稍后再试'; status.className = 'error'; });
      }
      // One item per screen: the asked items one at a time, from the first unanswered.
      const one = form.dataset.layout === 'one-per-screen';
      const nav = document.getElementById('nav'), submit = document.getElementById('submit');
      let at = 0;
      function asked() { return Array.prototype.slice.call(document.querySelectorAll('.item:not(.skipped)')); }
      function show(i) {
        const rows = asked();
        at = Math.max(0, Math.min(i, rows.length - 1));
        document.querySelectorAll('.item').forEach(function (r) { r.classList.add('away'); });
        rows[at].classList.remove('away');
        document.getElementById('count').textContent = '第 ' + (at + 1) + ' / ' + rows.length + ' 题';
        document.getElementById('prev').disabled = at === 0;
        document.getElementById('next').hidden = at === rows.length - 1;
        submit.hidden = at !== rows.length - 1;
        const field = rows[at].querySelector('input:not([type=hidden]),textarea');
        if (field) field.focus({ preventScroll: false });
      }
      function position(name) { return asked().findIndex(function (r) { return r.dataset.name === name; }); }
      form.addEventListener('change', function (ev) {
        const name = ev.target.name;
        if (!name) return;
        sync();
        save([name]);
        if (one) {
          if (ev.target.type === 'radio') { const i = position(name); setTimeout(function () { show(i + 1); }, 200); }
          return;
        }
        // A tier chosen: on to the next asked item.
        if (ev.target.type === 'radio') {
          const rows = Array.prototype.slice.call(document.querySelectorAll('.item:not(.skipped)'));
          const i = rows.findIndex(function (r) { return r.dataset.name === name; });
          const next = rows[i + 1] && rows[i + 1].querySelector('input:not([type=hidden]),textarea');
          if (next) next.focus({ preventScroll: false });
        }
      });
      sync();
      if (one) {
        nav.hidden = false;
        document.getElementById('save').hidden = true;
        document.getElementById('prev').addEventListener('click', function () { show(at - 1); });
        document.getElementById('next').addEventListener('click', function () { show(at + 1); });
        const rows = asked(), first = rows.findIndex(function (r) { return current(r.dataset.name) === ''; });
        show(first < 0 ? rows.length - 1 : first);
      }
    })();
    """#

    static func done(_ text: String) -> HTML {
        "<div class=\"card\"><p>\(text)</p></div>"
    }
}
