import Foundation
import Formats
import Markup
public import Tables

/// One invitation of online self-completion: a case, its code, the link.
public struct Invitation: Sendable, Equatable {
    public let caseID: String
    public let questionnaire: String
    public let townID: String
    public let town: String
    /// Grouped as printed: `7KQ4-M2XD-9PH`.
    public let code: String
    public let link: String

    public init(caseID: String, questionnaire: String, townID: String, town: String, code: String, link: String) {
        self.caseID = caseID
        self.questionnaire = questionnaire
        self.townID = townID
        self.town = town
        self.code = code
        self.link = link
    }
}

/// Access codes for online self-completion: made, written (``Formats/InvitationsFormat``), read
/// back, and printed as letters (one A4 page per case, in Chinese, with the link's QR code) and
/// as SMS texts.
public enum InvitationLetters {
    /// A new code for each case: the codes in clear, and the hashes for the store.
    public static func make(_ cases: [(caseID: String, townID: String, town: String)], questionnaire: String, baseURL: String) -> [Invitation] {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return cases.map { c in
            let code = InvitationCode.make()
            return Invitation(caseID: c.caseID, questionnaire: questionnaire, townID: c.townID, town: c.town,
                              code: InvitationCode.grouped(code), link: "\(base)/s/\(code)")
        }
    }

    /// The hash the store keeps for an invitation's code.
    public static func hash(_ invitation: Invitation) -> String {
        guard case .code(let code) = InvitationCode.read(invitation.code) else { return "" }
        return InvitationCode.hash(code)
    }

    public static func csv(_ invitations: [Invitation]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(InvitationsFormat.header)
        for i in invitations {
            writer.writeRow([i.caseID, i.questionnaire, i.townID, i.town, i.code, i.link, InvitationsFormat.format.tag])
        }
        return writer.bytes
    }

    /// The invitations of a file, checked: its format, and each code's check symbol.
    public static func read(_ table: Table, file: String) throws(TablesError) -> [Invitation] {
        typealias F = InvitationsFormat
        try F.format.check(table)
        let ids = try table.column(F.caseID), qs = try table.column(F.questionnaire), towns = try table.column(F.townID)
        let names = try table.column(F.town), codes = try table.column(F.code), links = try table.column(F.link)
        var out: [Invitation] = []
        for r in 0..<table.rowCount {
            let code = codes.string(r) ?? ""
            guard case .code = InvitationCode.read(code) else {
                throw TablesError(.value, file: file, line: table.line(of: r), column: (table.index(of: F.code) ?? 0) + 1,
                                  message: "\(F.code) '\(code)' is not a valid access code", hint: "use the file as pingyi invitations make wrote it")
            }
            out.append(Invitation(caseID: ids.string(r) ?? "", questionnaire: qs.string(r) ?? "", townID: towns.string(r) ?? "",
                                  town: names.string(r) ?? "", code: code, link: links.string(r) ?? ""))
        }
        return out
    }

    /// What a letter says besides the code.
    public struct Wording: Sendable {
        public var from: String
        public var title: String
        public var deadline: String
        public var minutes: Int

        public init(from: String, title: String, deadline: String, minutes: Int) {
            self.from = from
            self.title = title
            self.deadline = deadline
            self.minutes = minutes
        }
    }

    /// Every letter in one HTML file, a page each, for A4.
    public static func letters(_ invitations: [Invitation], _ w: Wording) -> [UInt8] {
        let pages = invitations.map { i -> HTML in
            let qr = QRCode(i.link).map { HTML(trusted: $0.svg(size: 180)) } ?? .empty
            return """
                <section class="letter">
                <p class="ref">编号 \(i.caseID)</p>
                <h1>\(w.title)<br>网上填写邀请函</h1>
                <p>尊敬的受访者：</p>
                <p>\(w.from)正在开展公众评议（满意度调查），请您对政府部门的工作作出评价。您是按统计方法随机抽中的受访者，\
                您的意见代表着许多与您相似的群众，对改进工作十分重要。</p>
                <p>答卷约需 \(String(w.minutes)) 分钟。请在 <b>\(w.deadline)</b> 前用手机或电脑完成：扫描下方二维码，或在浏览器中打开网址并输入访问码。\
                答卷可分几次完成，已填的答案会自动保存。</p>
                <div class="access"><div class="qr">\(qr)</div>
                <div><p>网址：<span class="mono">\(i.link.components(separatedBy: "/s/").first ?? i.link)/s</span></p>
                <p>访问码：<span class="code">\(i.code)</span></p></div></div>
                <p><b>保密承诺：</b>您的回答受《中华人民共和国统计法》保护，只用于统计汇总，不会以任何形式公开您的个人信息，也不会提供给被评议的单位。\
                访问码只对应本份问卷，请勿转交他人。</p>
                <p class="sign">\(w.from)</p>
                </section>
                """
        }
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(w.title) 邀请函</title>
            <style>\(HTML(trusted: css))</style></head>
            <body>\(pages)</body></html>
            """
        return Array(page.text.utf8)
    }

    static let css = """
        @page{size:A4;margin:20mm}body{font:12pt/1.7 "Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;color:#000;margin:0}
        .letter{page-break-after:always;max-width:170mm;margin:0 auto}.letter:last-child{page-break-after:auto}
        h1{font-size:17pt;text-align:center;margin:8mm 0}.ref{text-align:right;color:#444;font-size:10pt}
        .access{display:flex;gap:8mm;align-items:center;border:1px solid #000;padding:4mm;margin:6mm 0}
        .code{font:bold 18pt monospace;letter-spacing:1px}.mono{font-family:monospace}.sign{text-align:right;margin-top:10mm}
        """

    /// One SMS text per case (`case_id, text`): the link, the code and the deadline.
    public static func sms(_ invitations: [Invitation], _ w: Wording) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(SMSFormat.header)
        for i in invitations {
            writer.writeRow([i.caseID, "【\(w.from)】您被随机抽中参加\(w.title)，请于\(w.deadline)前打开 \(i.link) 填写（约\(w.minutes)分钟，访问码 \(i.code)），回答严格保密。"])
        }
        return writer.bytes
    }
}
