import Foundation
import Tables
import Testing

/// Online invitations from the command line: codes for the sampled deputies, letters whose QR
/// code a real decoder (zbar's zbarimg, in the test only) reads back to the link and the code.
@Suite("Online invitations")
struct InvitationsCommandTests {
    static let deputies = Command.root.appendingPathComponent("surveys/questionnaires/deputies.yaml").path

    static let zbarimg: String? = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The letter's QR code drawn from its SVG path (`Mx yhNv1h-Nz` runs) as a PGM image.
    static func pgm(fromSVG svg: String, scale: Int = 4) throws -> Data {
        let viewBox = try #require(svg.firstMatch(of: /viewBox="0 0 (\d+) (\d+)"/))
        let side = Int(viewBox.1)!
        var dark = Array(repeating: false, count: side * side)
        for run in svg.matches(of: /M(\d+) (\d+)h(\d+)v1h-\d+z/) {
            let (x, y, n) = (Int(run.1)!, Int(run.2)!, Int(run.3)!)
            for k in 0..<n { dark[y * side + x + k] = true }
        }
        var out = Data("P5\n\(side * scale) \(side * scale)\n255\n".utf8)
        for py in 0..<(side * scale) {
            for px in 0..<(side * scale) { out.append(dark[(py / scale) * side + px / scale] ? 0 : 255) }
        }
        return out
    }

    @Test func codesLettersAndTheirQRCodes() throws {
        let dir = try Command.temporaryDirectory()
        #expect(try Command.run(["sample", "--design", Command.root.appendingPathComponent("surveys/designs/deputies.yaml").path, "--seed", "7",
                                 "--out", "deputies.csv"], in: dir).status == 0)
        let load = try Command.run(["cases", "load", "--list", "deputies.csv", "--survey", InvitationsCommandTests.deputies], in: dir)
        #expect(load.status == 0, "\(load.stderr)")
        let make = try Command.run(["invitations", "make", "--questionnaire", "deputies", "--base-url", "https://pingyi.example.gov.cn/",
                                    "--out", "codes.csv"], in: dir)
        #expect(make.status == 0, "\(make.stderr)")
        #expect(make.stdout.contains("访问码  150 个（deputies）"))
        let codes = try CSVReader.read(path: dir.appendingPathComponent("codes.csv").path)
        #expect(codes.names == ["case_id", "questionnaire", "town_id", "town", "code", "link", "format"] && codes.rowCount == 150)
        let code = try codes.column("code").string(0)!, link = try codes.column("link").string(0)!
        #expect(link == "https://pingyi.example.gov.cn/s/" + code.replacingOccurrences(of: "-", with: ""))
        // Again: no case without a code, so none made; the store holds no code in clear.
        let again = try Command.run(["invitations", "make", "--questionnaire", "deputies", "--base-url", "https://x", "--out", "more.csv"], in: dir)
        #expect(again.stdout.contains("访问码  0 个"))
        let store = try String(contentsOf: dir.appendingPathComponent("pingyi.sqlite"), encoding: .isoLatin1)
        #expect(!store.contains(code) && !store.contains(code.replacingOccurrences(of: "-", with: "")))
        let bad = try Command.run(["invitations", "make", "--questionnaire", "deputies", "--base-url", "pingyi", "--out", "x.csv"], in: dir)
        #expect(bad.status == 64 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
        // A codes file of another version is refused by every reader, before anything is written.
        let oldCodes = try FormatContractTests.older(dir.appendingPathComponent("codes.csv").path, "invitations", in: dir)
        for command in ["print", "remind"] {
            let refused = try Command.run(["invitations", command, "--invitations", oldCodes, "--from", "某某县统计局", "--deadline", "2026年12月20日",
                                           "--out", "old"], in: dir)
            #expect(refused.status == 65, "\(command)")
            #expect(refused.stderr.contains(":2:7: online access codes (pingyi invitations make) of format version 0 (invitations/0); this pingyi reads version 1; make the codes with this pingyi"),
                    "\(command): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("old").path))

        let noMinutes = try Command.run(["invitations", "print", "--invitations", "codes.csv", "--from", "某某县统计局", "--deadline", "12月20日",
                                         "--minutes", "0", "--out", "bad"], in: dir)
        #expect(noMinutes.status == 64 && noMinutes.stderr.contains("--minutes")
                && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path))
        let print = try Command.run(["invitations", "print", "--invitations", "codes.csv", "--from", "某某县统计局", "--deadline", "2026年12月20日",
                                     "--out", "letters"], in: dir)
        #expect(print.status == 0, "\(print.stderr)")
        let letters = try String(contentsOf: dir.appendingPathComponent("letters/letters.html"), encoding: .utf8)
        #expect(letters.components(separatedBy: "<section class=\"letter\">").count == 151)
        #expect(letters.contains(code) && letters.contains("保密承诺") && letters.contains("2026年12月20日"))
        let sms = try CSVReader.read(path: dir.appendingPathComponent("letters/sms.csv").path)
        let text = try sms.column("text").string(0) ?? ""
        #expect(sms.rowCount == 150 && text.contains(link))

        guard let zbarimg = InvitationsCommandTests.zbarimg else {
            Issue.record("zbarimg is missing (scripts/setup.sh installs zbar-tools): the QR code was not read back")
            return
        }
        let first = try #require(letters.range(of: "<svg").map { letters[$0.lowerBound...] }.flatMap { s in s.range(of: "</svg>").map { String(s[..<$0.upperBound]) } })
        let image = dir.appendingPathComponent("qr.pgm")
        try InvitationsCommandTests.pgm(fromSVG: first).write(to: image)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbarimg)
        process.arguments = ["--quiet", "--raw", image.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let decoded = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == link)
    }

    /// The deputies invited by group, simulated respondents answering through the store's online
    /// channel, reminders for those who did not submit by a date, and the answers in the long
    /// file and the scores marked with their mode.
    @Test func respondentsOnlineRemindersAndScoresByMode() throws {
        let dir = try Command.temporaryDirectory()
        #expect(try Command.run(["sample", "--design", Command.root.appendingPathComponent("surveys/designs/deputies.yaml").path, "--seed", "7",
                                 "--out", "deputies.csv"], in: dir).status == 0)
        #expect(try Command.run(["cases", "load", "--list", "deputies.csv", "--survey", InvitationsCommandTests.deputies], in: dir).status == 0)
        let wrongGroup = try Command.run(["invitations", "make", "--questionnaire", "deputies", "--group", "urban", "--base-url", "https://x",
                                          "--out", "x.csv"], in: dir)
        #expect(wrongGroup.status == 64 && wrongGroup.stderr.contains("is of group deputies, not urban"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
        #expect(try Command.run(["invitations", "make", "--group", "enterprises", "--base-url", "https://x", "--out", "x.csv"], in: dir).status == 64)
        let unknownGroup = try Command.run(["invitations", "make", "--group", "households", "--base-url", "https://x", "--out", "x.csv"], in: dir)
        #expect(unknownGroup.status == 64)
        #expect(unknownGroup.stderr.contains("Error: The value 'households' is invalid for '--group <group>'. Please provide one of 'deputies', 'enterprises', 'urban' or 'rural'."))
        let make = try Command.run(["invitations", "make", "--group", "deputies", "--base-url", "https://x", "--out", "codes.csv"], in: dir)
        #expect(make.stdout.contains("访问码  150 个（deputies）"), "\(make.stderr)")

        let simulate = try Command.run(["simulate", "online", "--invitations", "codes.csv", "--list", "deputies.csv", "--seed", "7",
                                        "--start", "2026-11-02"], in: dir)
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let figures = try #require(simulate.stdout.firstMatch(of: /邀请 150 人，打开 (\d+)，保存 \d+ 次，提交 (\d+)，中途停止 (\d+)/))
        let (opened, submitted, stopped) = (Int(figures.1)!, Int(figures.2)!, Int(figures.3)!)
        #expect(opened == submitted + stopped && submitted > 60 && stopped > 5)
        // Same seed, fresh store: the same respondents.
        let status = try Command.run(["invitations", "status", "--group", "deputies"], in: dir)
        let towns = status.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").compactMap { Int($0) } }
        #expect(towns.map { $0[0] }.reduce(0, +) == 150 && towns.map { $0[1] }.reduce(0, +) == opened)
        #expect(towns.map { $0[2] }.reduce(0, +) == stopped && towns.map { $0[3] }.reduce(0, +) == submitted)

        func remind(by day: String) throws -> [[String]] {
            let run = try Command.run(["invitations", "remind", "--invitations", "codes.csv", "--by", day, "--from", "某某县统计局",
                                       "--deadline", "2026年11月30日", "--out", "remind-\(day)"], in: dir)
            #expect(run.status == 0, "\(run.stderr)")
            let text = try String(contentsOf: dir.appendingPathComponent("remind-\(day)/reminders.csv"), encoding: .utf8)
            return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        // Before anyone answered every code is reminded; after, only those who did not submit.
        #expect(try remind(by: "2026-11-01").count == 150)
        let late = try remind(by: "2026-11-30")
        #expect(late.count == 150 - submitted && late.filter { $0[3] == "saved" }.count == stopped)
        let letters = try String(contentsOf: dir.appendingPathComponent("remind-2026-11-30/letters.html"), encoding: .utf8)
        #expect(letters.components(separatedBy: "<section class=\"letter\">").count == late.count + 1)
        #expect(try Command.run(["invitations", "remind", "--invitations", "codes.csv", "--by", "11月30日", "--from", "x", "--deadline", "x",
                                 "--out", "bad"], in: dir).status == 64)

        // The deadline: answers saved over half the items (deputies.yaml: partial-above 50%) count as partial forms.
        let close = try Command.run(["survey", "close", "deputies", "--reason", "网上自填截止", "--operator", "管理员"], in: dir)
        let closing = try #require(close.stdout.firstMatch(of: /已作答未提交 (\d+) 份，按问卷的部分完成规则计入 (\d+) 份/), "\(close.stdout)")
        let counted = Int(closing.2)!
        #expect(Int(closing.1)! == stopped && counted > 0 && counted < stopped)
        #expect(try Command.run(["responses", "export", "--format", "cases", "--out", "cases.csv"], in: dir).status == 0)
        let dispositions = try CSVReader.read(path: dir.appendingPathComponent("cases.csv").path).column("disposition")
        #expect((0..<dispositions.count).filter { dispositions.string($0) == "partial" }.count == counted)
        #expect((0..<dispositions.count).filter { dispositions.string($0) == "complete" }.count == submitted)

        #expect(try Command.run(["responses", "export", "--format", "long", "--out", "long.csv"], in: dir).status == 0)
        let long = try CSVReader.read(path: dir.appendingPathComponent("long.csv").path)
        let modes = try long.column("mode"), cases = try long.column("case_id")
        #expect(Set((0..<long.rowCount).map { modes.string($0) }) == ["online"])
        #expect(Set((0..<long.rowCount).map { cases.string($0) }).count == submitted + counted)
        let scale = Command.root.appendingPathComponent("surveys/scales/four-tier.yaml").path
        let score = try Command.run(["score", "--responses", "long.csv", "--scale", scale, "--by", "mode", "--lonely-psu", "certainty",
                                     "--out", "scores.csv"], in: dir)
        #expect(score.status == 0, "\(score.stderr)")
        let scores = try CSVReader.read(path: dir.appendingPathComponent("scores.csv").path)
        let by = try scores.column("mode"), n = try scores.column("n")
        #expect(scores.rowCount == 44 && (0..<scores.rowCount).allSatisfy { by.string($0) == "online" && (n.integer($0) ?? 0) <= submitted + counted })
    }
}
