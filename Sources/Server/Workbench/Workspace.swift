import Foundation
import Sampling
import Tables

/// The workbench's folder (`pingyi serve --work DIR`): the files statisticians upload and the
/// files each step writes, kept beside the store so that every step can be repeated from the
/// command line on the same files.
///
///     DIR/frames/ID/frame.csv|frame.xlsx   an uploaded frame, as uploaded (ID: ``Workspace/frameID(sha256:sheet:)``)
///     DIR/frames/ID/meta.json              its original name, sheet, size, who and when
///
/// Every file is written to a temporary name in its folder and then renamed, so a reader never
/// sees half a file and a failed step leaves nothing.
struct Workspace: Sendable {
    let root: String

    init(root: String) {
        self.root = root
    }

    var framesFolder: String { root + "/frames" }

    /// An uploaded frame.
    struct Frame: Codable, Sendable, Equatable {
        /// The first 16 hex digits of the SHA-256 of the file's SHA-256 and the sheet (the folder's
        /// name): the same file read from another sheet is another frame.
        var id: String
        /// The file's name on the uploader's computer.
        var name: String
        /// The sheet read from a workbook (nil: the first sheet, or a CSV file).
        var sheet: String?
        var bytes: Int
        var sha256: String
        /// The stored file's name inside the frame's folder (`frame.csv` or `frame.xlsx`).
        var file: String
        var uploadedBy: String
        /// Unix seconds.
        var uploadedAt: Int64
    }

    /// Whether `id` has the shape of a frame id (so a path built from it stays in its folder).
    static func isID(_ id: String) -> Bool {
        id.utf8.count == 16 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The id of a frame: the file's SHA-256 with the sheet read from it, hashed, 16 hex digits.
    static func frameID(sha256: String, sheet: String?) -> String {
        String(sha256Hex(Array("\(sha256)\u{0}\(sheet ?? "")".utf8)).prefix(16))
    }

    /// The stored file of `frame`.
    func path(of frame: Frame) -> String { "\(framesFolder)/\(frame.id)/\(frame.file)" }

    /// The frames uploaded, newest first.
    func frames() -> [Frame] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: framesFolder)) ?? []
        return names.filter(Workspace.isID).compactMap(frame).sorted { ($0.uploadedAt, $0.id) > ($1.uploadedAt, $1.id) }
    }

    func frame(_ id: String) -> Frame? {
        guard Workspace.isID(id), let data = FileManager.default.contents(atPath: "\(framesFolder)/\(id)/meta.json") else { return nil }
        return try? JSONDecoder().decode(Frame.self, from: data)
    }

    /// A place for an upload before it is checked: a file in the frames folder that
    /// ``keepFrame`` renames into place or ``discard`` removes.
    func stage(_ bytes: [UInt8], suffix: String) throws -> String {
        try FileManager.default.createDirectory(atPath: framesFolder, withIntermediateDirectories: true)
        let path = "\(framesFolder)/.upload-\(Tokens.make())\(suffix)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw WorkspaceError("工作目录无法写入：请管理员检查 pingyi serve --work 的目录")
        }
        return path
    }

    func discard(_ staged: String) {
        try? FileManager.default.removeItem(atPath: staged)
    }

    /// Moves a checked upload into its own folder with its description; an identical file
    /// uploaded before is kept once (the earlier record stands).
    func keepFrame(staged: String, name: String, sheet: String?, sha256: String, bytes: Int, by user: String, at time: Int64) throws -> Frame {
        let id = Workspace.frameID(sha256: sha256, sheet: sheet)
        if let existing = frame(id) {
            discard(staged)
            return existing
        }
        let folder = "\(framesFolder)/\(id)"
        let file = staged.hasSuffix(".xlsx") ? "frame.xlsx" : "frame.csv"
        let record = Frame(id: id, name: name, sheet: sheet, bytes: bytes, sha256: sha256, file: file, uploadedBy: user, uploadedAt: time)
        let fm = FileManager.default
        let temporary = "\(framesFolder)/.frame-\(Tokens.make())"
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
            try fm.moveItem(atPath: staged, toPath: "\(temporary)/\(file)")
            try Data(Workspace.json(record)).write(to: URL(fileURLWithPath: "\(temporary)/meta.json"))
            if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }
            try fm.moveItem(atPath: temporary, toPath: folder)
        } catch {
            try? fm.removeItem(atPath: temporary)
            discard(staged)
            throw WorkspaceError("上传的文件未能保存到工作目录：请管理员检查 pingyi serve --work 的目录")
        }
        return record
    }
}

extension Workspace {
    var designsFolder: String { root + "/designs" }
    var drawsFolder: String { root + "/draws" }

    /// A design saved from the workbench's form: `designs/ID.yaml` (ID: 16 hex digits of the
    /// SHA-256 of the YAML, so saving the same design twice keeps one file) and `designs/ID.json`.
    struct SavedDesign: Codable, Sendable, Equatable {
        var id: String
        var name: String
        /// The shipped design it started from (`enterprises`), if any.
        var base: String?
        var savedBy: String
        var savedAt: Int64
    }

    func designPath(_ id: String) -> String { "\(designsFolder)/\(id).yaml" }

    func design(_ id: String) -> SavedDesign? {
        guard Workspace.isID(id), let data = FileManager.default.contents(atPath: "\(designsFolder)/\(id).json") else { return nil }
        return try? JSONDecoder().decode(SavedDesign.self, from: data)
    }

    func designs() -> [SavedDesign] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: designsFolder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { design(String($0.dropLast(5))) }
            .sorted { ($0.savedAt, $0.id) > ($1.savedAt, $1.id) }
    }

    /// Saves a design's YAML (the same text keeps its first record).
    func saveDesign(yaml: String, name: String, base: String?, by user: String, at time: Int64) throws -> SavedDesign {
        let id = String(sha256Hex(Array(yaml.utf8)).prefix(16))
        if let existing = design(id) { return existing }
        let record = SavedDesign(id: id, name: name, base: base, savedBy: user, savedAt: time)
        try write([(Array(yaml.utf8), designPath(id)), (try Workspace.json(record), "\(designsFolder)/\(id).json")], folder: designsFolder)
        return record
    }

    /// A draw made in the workbench: `draws/ID/list.csv`, `list.manifest.json` (as `pingyi sample`
    /// writes them) and `draw.json`. ID: 16 hex digits of the SHA-256 of design, frame and seed,
    /// so the same draw asked for again is the same folder.
    struct SavedDraw: Codable, Sendable, Equatable {
        var id: String
        var design: String
        var frame: String
        var seed: UInt32
        var drawnBy: String
        var drawnAt: Int64
        var sample: Int
        var reserves: Int
        var strata: [StratumCount]
    }

    static func drawID(design: String, frame: String, seed: UInt32) -> String {
        String(sha256Hex(Array("\(design)\u{0}\(frame)\u{0}\(seed)".utf8)).prefix(16))
    }

    func drawFolder(_ id: String) -> String { "\(drawsFolder)/\(id)" }
    func listPath(_ id: String) -> String { drawFolder(id) + "/list.csv" }
    func manifestPath(_ id: String) -> String { drawFolder(id) + "/list.manifest.json" }

    func draw(_ id: String) -> SavedDraw? {
        guard Workspace.isID(id), let data = FileManager.default.contents(atPath: drawFolder(id) + "/draw.json") else { return nil }
        return try? JSONDecoder().decode(SavedDraw.self, from: data)
    }

    func draws() -> [SavedDraw] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: drawsFolder)) ?? []
        return names.filter(Workspace.isID).compactMap(draw).sorted { ($0.drawnAt, $0.id) > ($1.drawnAt, $1.id) }
    }

    /// Writes a draw's three files together (``AtomicFileSet``: all or none).
    func saveDraw(_ record: SavedDraw, list: [UInt8], manifest: [UInt8]) throws {
        let folder = drawFolder(record.id)
        try write([(list, listPath(record.id)), (manifest, manifestPath(record.id)), (try Workspace.json(record), folder + "/draw.json")], folder: folder)
    }

    /// An analysis made in the workbench: `analyses/ID/` holds the files each step wrote
    /// (scores_by_group.csv, distribution.csv, scores.csv, then composite.csv, then report.zip)
    /// and `analysis.json`, this record. ID: 16 random hex digits.
    struct SavedAnalysis: Codable, Sendable, Equatable {
        var id: String
        var by: String
        var at: Int64
        /// The choices of the form, as the command line would spell them (`--dont-know exclude`).
        var options: [String]
        /// Group weights of the combined score (`deputies=30,…`), if combined.
        var weights: String?
        var forms: Int
        var units: Int
        /// The files written so far, by name.
        var files: [String]
        /// The scheme the composite was computed with (`dashiqiao`), once it was.
        var scheme: String?
    }

    var analysesFolder: String { root + "/analyses" }
    func analysisFolder(_ id: String) -> String { "\(analysesFolder)/\(id)" }

    func analysis(_ id: String) -> SavedAnalysis? {
        guard Workspace.isID(id), let data = FileManager.default.contents(atPath: analysisFolder(id) + "/analysis.json") else { return nil }
        return try? JSONDecoder().decode(SavedAnalysis.self, from: data)
    }

    func analyses() -> [SavedAnalysis] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: analysesFolder)) ?? []
        return names.filter(Workspace.isID).compactMap(analysis).sorted { ($0.at, $0.id) > ($1.at, $1.id) }
    }

    /// Writes an analysis's new files with its updated record, all or none.
    func saveAnalysis(_ record: SavedAnalysis, files: [(name: String, bytes: [UInt8])]) throws {
        let folder = analysisFolder(record.id)
        var record = record
        for file in files where !record.files.contains(file.name) { record.files.append(file.name) }
        try write(files.map { ($0.bytes, "\(folder)/\($0.name)") } + [(try Workspace.json(record), folder + "/analysis.json")], folder: folder)
    }

    /// A new random id.
    static func newID() -> String {
        (0..<16).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
    }

    /// Writes files all or none, in `folder` (made when missing).
    private func write(_ files: [([UInt8], String)], folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var set = AtomicFileSet()
            for (bytes, path) in files { try set.add(bytes, to: path) }
            try set.commit()
        } catch {
            throw WorkspaceError("工作目录无法写入：请管理员检查 pingyi serve --work 的目录")
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// The workspace folder could not be written: the server's problem, not the user's (503).
struct WorkspaceError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
