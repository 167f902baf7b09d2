import CQRencode

/// A QR code (Debian's libqrencode, error correction level M), as a square of modules and as
/// SVG for a printed letter.
struct QRCode: Sendable, Equatable {
    /// Modules per side.
    let width: Int
    /// Row by row, true for a dark module.
    let modules: [Bool]

    /// nil when the text does not fit a QR code.
    init?(_ text: String) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        self.width = width
        // Bit 0 of each byte: dark (1) or light (0).
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    func dark(_ x: Int, _ y: Int) -> Bool { modules[y * width + x] }

    /// An SVG of `size` pixels with the quiet zone of four modules: one path of unit squares.
    func svg(size: Int = 160) -> String {
        let side = width + 8
        var path = ""
        for y in 0..<width {
            var x = 0
            while x < width {
                guard dark(x, y) else { x += 1; continue }
                var run = 1
                while x + run < width && dark(x + run, y) { run += 1 }
                path += "M\(x + 4) \(y + 4)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(size)" height="\(size)" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// A binary PGM image (`scale` pixels per module, quiet zone included): for decoders.
    func pgm(scale: Int = 4) -> [UInt8] {
        let side = (width + 8) * scale
        var out = Array("P5\n\(side) \(side)\n255\n".utf8)
        for py in 0..<side {
            for px in 0..<side {
                let x = px / scale - 4, y = py / scale - 4
                out.append(x >= 0 && y >= 0 && x < width && y < width && dark(x, y) ? 0 : 255)
            }
        }
        return out
    }
}
