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
}
