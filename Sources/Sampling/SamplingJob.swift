import Dispatch
import Foundation
import Stats
public import Tables
import Formats

/// A draw from files to the bytes of a respondent list and its manifest, and the re-draw that
/// verifies a manifest. Nothing is written here: callers write both outputs atomically.
public enum SamplingJob {
    public struct Request: Sendable {
        public var designPath: String
        /// The frame; nil to use the design's `frame:` (relative to the design file).
        public var framePath: String?
        public var seed: UInt32
        public var replicates: Int
        public var listPath: String
        public var manifestPath: String
        public var csv: CSVOptions
        public var tool: String
        /// Called with the replicates drawn so far.
        public var progress: (@Sendable (Int) -> Void)?
        /// How errors name the frame (the workbench: the name the file had when uploaded); the path when nil.
        public var frameName: String?
        /// The rotation of a coordinated design (1 for the first quarter); required by such a design.
        public var rotation: Int?

        public init(designPath: String, framePath: String?, seed: UInt32, replicates: Int, listPath: String,
                    manifestPath: String, csv: CSVOptions = CSVOptions(), tool: String, progress: (@Sendable (Int) -> Void)? = nil) {
            self.progress = progress
            self.designPath = designPath
            self.framePath = framePath
            self.seed = seed
            self.replicates = replicates
            self.listPath = listPath
            self.manifestPath = manifestPath
            self.csv = csv
            self.tool = tool
        }
    }

    public struct Outcome: Sendable {
        /// The draw; its rows' `frameRow` number the rows of `frame`.
        public var draw: SampleDraw
        /// The frame's rows that the list holds, with all the frame's columns.
        public var frame: Table
        public var design: Design
        public var list: [UInt8]
        public var manifest: Manifest
        public var manifestBytes: [UInt8]
    }

    /// Reads the design and frame, checks them, draws, and prepares both outputs.
    public static func run(_ request: Request) throws(SamplingError) -> Outcome {
        let designFile = try Design.load(path: request.designPath)
        let framePath = try resolveFrame(request.framePath, design: designFile)
        // Hash the frame on a thread of its own while it is read on both cores and drawn from:
        // the hash fills the read's serial stretches and the draw. Only the columns the design
        // uses are read whole; the list's other cells are read for its rows.
        let hashing = Background { sha256Hex(file: framePath) }
        let table: Table
        do {
            var options = request.csv
            options.columns = Set(designFile.columns.map(\.column))
            table = try TableFile.read(path: framePath, name: request.frameName, options: options)
        } catch {
            throw .frame(error)
        }
        try check(designFile, against: table)
        var sampler = Sampler(design: designFile.design, table: table, designFile: request.designPath)
        var coordinationRecord: Manifest.CoordinationRecord? = nil
        if let spec = designFile.design.coordination {
            guard let rotation = request.rotation else {
                throw .usage(message: "the design \(request.designPath) draws coordinated rotations (coordination: in the design): give --rotation N, 1 for the first \(spec.rotate)")
            }
            guard rotation >= 1 else { throw .usage(message: "--rotation must be 1 or more (got \(rotation))") }
            guard request.replicates == 1 else {
                throw .usage(message: "a coordinated design draws one sample per rotation: leave out --replicates")
            }
            let registryPath = resolve(spec.registry, beside: request.designPath)
            guard FileManager.default.fileExists(atPath: registryPath) else {
                throw .missingInput(file: registryPath, what: "registry of permanent random numbers named by the design (make it with pingyi sample registry)")
            }
            let registry = try PRNRegistry.read(path: registryPath)
            sampler.coordination = Sampler.Coordination(registry: registry, file: registryPath, rotation: rotation - 1)
            let directory = (request.manifestPath as NSString).deletingLastPathComponent
            coordinationRecord = .init(registry: .init(file: relativePath(registryPath, from: directory.isEmpty ? "." : directory),
                                                       sha256: sha256Hex(file: registryPath) ?? "", rows: registry.entries.count),
                                       rotation: rotation, rotate: spec.rotate)
        } else if request.rotation != nil {
            throw .usage(message: "--rotation needs a coordinated design (coordination: {registry: FILE, rotate: quarter} in \(request.designPath))")
        }
        var draw = try sampler.draw(seed: request.seed, replicates: request.replicates, progress: request.progress)
        // The listed rows, each once, with every column of the frame.
        var listed: [Int] = []
        var position: [Int: Int] = [:]
        for i in draw.rows.indices {
            let row = draw.rows[i].frameRow
            if let p = position[row] {
                draw.rows[i].frameRow = p
            } else {
                position[row] = listed.count
                draw.rows[i].frameRow = listed.count
                listed.append(row)
            }
        }
        let frame = table.rows(listed)
        let list = SampleList.csv(draw, frame: frame, replicates: request.replicates)
        guard let frameHash = hashing.value else { throw .missingInput(file: framePath, what: "frame") }
        let directory = (request.manifestPath as NSString).deletingLastPathComponent
        let base = directory.isEmpty ? "." : directory
        let rng = (try? RandomSource(seed: request.seed).algorithm) ?? "mt19937"
        let manifest = Manifest(
            tool: request.tool,
            design: .init(file: relativePath(request.designPath, from: base), sha256: sha256Hex(file: request.designPath) ?? "", rows: nil),
            frame: .init(file: relativePath(framePath, from: base), sha256: frameHash, rows: table.rowCount),
            encoding: table.encoding.rawValue, seed: request.seed, rng: "\(rng) (GSL \(gslVersion))",
            replicates: request.replicates,
            list: .init(file: relativePath(request.listPath, from: base), sha256: sha256Hex(list), rows: draw.rows.count,
                        format: RespondentListFormat.manifestTag),
            strata: draw.strata, coordination: coordinationRecord)
        let bytes: [UInt8]
        do { bytes = try manifest.encoded() } catch {
            throw .verification(file: request.manifestPath, message: "cannot encode the manifest (\(error))", hint: "")
        }
        return Outcome(draw: draw, frame: frame, design: designFile.design, list: list, manifest: manifest, manifestBytes: bytes)
    }

    /// The population a design draws from: its frame (the one given, or the design's own) and the
    /// rows its filter keeps, with the design.
    public static func population(designPath: String, framePath: String? = nil,
                                  csv: CSVOptions = CSVOptions()) throws(SamplingError) -> (design: Design, frame: Table, rows: [Int]) {
        let designFile = try Design.load(path: designPath)
        let path = try resolveFrame(framePath, design: designFile)
        let table: Table
        do { table = try TableFile.read(path: path, options: csv) } catch { throw .frame(error) }
        try check(designFile, against: table)
        let rows = try Sampler(design: designFile.design, table: table, designFile: designPath).participatingRows()
        return (designFile.design, table, rows)
    }

    /// The first stage's allocation of a design on a frame, without drawing (``Sampler/allocation()``):
    /// `pingyi sample allocate` and the workbench's preview.
    public static func allocation(designPath: String, framePath: String? = nil, frameName: String? = nil,
                                  csv: CSVOptions = CSVOptions()) throws(SamplingError) -> (design: Design, strata: [StratumCount]) {
        let designFile = try Design.load(path: designPath)
        let path = try resolveFrame(framePath, design: designFile)
        let table: Table
        do { table = try TableFile.read(path: path, name: frameName, options: csv) } catch { throw .frame(error) }
        try check(designFile, against: table)
        return (designFile.design, try Sampler(design: designFile.design, table: table, designFile: designPath).allocation())
    }

    /// A list about to be loaded must be the one its manifest records, when the manifest lies
    /// beside it (`pingyi cases load`, the workbench): of this pingyi's list format and with the
    /// SHA-256 the draw wrote.
    public static func checkList(_ list: String, manifest manifestPath: String) throws(SamplingError) {
        guard FileManager.default.fileExists(atPath: manifestPath) else { return }
        let manifest = try Manifest.decode(path: manifestPath)
        do { try RespondentListFormat.check(manifestFormat: manifest.list.format, manifest: manifestPath, list: list) } catch {
            throw .frame(error)
        }
        guard let hash = sha256Hex(file: list), hash != manifest.list.sha256 else { return }
        throw .verification(file: list, message: "the list is not the one its manifest \(manifestPath) records (SHA-256 \(hash.prefix(12))…, the manifest has \(manifest.list.sha256.prefix(12))…): it was edited after the draw or comes from another draw",
                            hint: "load the list as pingyi sample wrote it; pingyi sample verify --manifest \(manifestPath) shows the first difference")
    }

    /// A path named in a design file, relative to it.
    static func resolve(_ path: String, beside designPath: String) -> String {
        let directory = (designPath as NSString).deletingLastPathComponent
        return path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
    }

    /// The frame to read: the one given, or the design's own.
    static func resolveFrame(_ given: String?, design: DesignFile) throws(SamplingError) -> String {
        if let given {
            guard FileManager.default.fileExists(atPath: given) else { throw .missingInput(file: given, what: "frame") }
            return given
        }
        guard let own = design.design.frame else {
            throw .design(.init(file: design.path, message: "no frame given", hint: "pass --frame FILE, or add frame: FILE to the design"))
        }
        let directory = (design.path as NSString).deletingLastPathComponent
        let path = own.hasPrefix("/") ? own : (directory.isEmpty ? own : directory + "/" + own)
        guard FileManager.default.fileExists(atPath: path) else { throw .missingInput(file: path, what: "frame named by the design") }
        return path
    }

    /// Every column the design names must be in the frame, and the frame must not already hold
    /// a column the list adds.
    public static func check(_ design: DesignFile, against table: Table) throws(SamplingError) {
        let names = table.fileNames
        for ref in design.columns where !names.contains(ref.column) {
            throw .design(.init(file: design.path, line: ref.line, column: ref.position,
                                message: "\(ref.path.isEmpty ? "" : ref.path + ": ")no column '\(ref.column)' in the frame \(table.source)",
                                hint: names.count == 1 ? table.columnsHint : "the frame's columns are \(names.joined(separator: ", "))"))
        }
        let added = Set(RespondentListFormat.addedColumns(stages: design.design.stages.count, replicates: 2))
        if let clash = names.first(where: added.contains) {
            throw .frame(TablesError(.schema, file: table.source, line: 1, message: "the frame already has a column '\(clash)', which the list adds",
                                     hint: "rename that column in the frame"))
        }
    }

    /// The result of re-drawing a manifest.
    public struct Verification: Sendable {
        public var manifest: Manifest
        public var rows: Int
    }

    /// Re-draws from the manifest's design, frame and seed and compares with its list.
    /// - Throws: ``SamplingError/verification(file:message:hint:)`` naming the first difference.
    public static func verify(manifestPath: String, csv: CSVOptions = CSVOptions(), tool: String) throws(SamplingError) -> Verification {
        let manifest = try Manifest.decode(path: manifestPath)
        let directory = (manifestPath as NSString).deletingLastPathComponent
        // Paths are relative to the manifest; an auditor who was sent the files in one folder
        // finds them beside it (the SHA-256 checks below still hold them to the draw's files).
        func resolve(_ file: String) -> String {
            let path = file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file
            if FileManager.default.fileExists(atPath: path) { return path }
            let name = (file as NSString).lastPathComponent
            let beside = directory.isEmpty ? name : directory + "/" + name
            return FileManager.default.fileExists(atPath: beside) ? beside : path
        }
        let designPath = resolve(manifest.design.file)
        let framePath = resolve(manifest.frame.file)
        let listPath = resolve(manifest.list.file)
        for (path, what) in [(designPath, "design"), (framePath, "frame"), (listPath, "list")]
        where !FileManager.default.fileExists(atPath: path) {
            throw .missingInput(file: path, what: "\(what) named by the manifest")
        }
        if let hash = sha256Hex(file: framePath), hash != manifest.frame.sha256 {
            throw .verification(file: framePath, message: "the frame has changed since the draw (SHA-256 \(hash.prefix(12))…, the manifest records \(manifest.frame.sha256.prefix(12))…)",
                                hint: "verify against the frame the list was drawn from")
        }
        if let hash = sha256Hex(file: designPath), hash != manifest.design.sha256 {
            throw .verification(file: designPath, message: "the design has changed since the draw (SHA-256 \(hash.prefix(12))…, the manifest records \(manifest.design.sha256.prefix(12))…)",
                                hint: "verify with the design the list was drawn with")
        }
        if let coordination = manifest.coordination {
            let registryPath = resolve(coordination.registry.file)
            if let hash = sha256Hex(file: registryPath), hash != coordination.registry.sha256 {
                throw .verification(file: registryPath, message: "the registry of permanent random numbers has changed since the draw (SHA-256 \(hash.prefix(12))…, the manifest records \(coordination.registry.sha256.prefix(12))…)",
                                    hint: "verify with the registry the list was drawn with")
            }
        }
        var request = Request(designPath: designPath, framePath: framePath, seed: manifest.seed,
                              replicates: manifest.replicates, listPath: listPath, manifestPath: manifestPath,
                              csv: csv, tool: tool)
        request.rotation = manifest.coordination?.rotation
        let outcome = try run(request)
        guard let data = FileManager.default.contents(atPath: listPath) else { throw .missingInput(file: listPath, what: "list") }
        let listed = Array(data)
        if listed != outcome.list {
            let (line, found, expected) = firstDifference(listed, outcome.list)
            throw .verification(file: "\(listPath):\(line)",
                                message: "the list differs from a re-draw with seed \(manifest.seed): the list has '\(found)', the re-draw gives '\(expected)'",
                                hint: "the list was edited, or drawn with another seed, design or frame")
        }
        if sha256Hex(listed) != manifest.list.sha256 {
            throw .verification(file: manifestPath, message: "the list matches a re-draw but not the SHA-256 the manifest records",
                                hint: "the manifest was edited")
        }
        return Verification(manifest: manifest, rows: outcome.draw.rows.count)
    }

    /// The 1-based line and texts of the first line where two CSV byte strings differ.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> (Int, String, String) {
        let linesA = a.split(separator: 0x0A, omittingEmptySubsequences: false)
        let linesB = b.split(separator: 0x0A, omittingEmptySubsequences: false)
        for i in 0..<max(linesA.count, linesB.count) {
            let x = i < linesA.count ? String(decoding: linesA[i], as: UTF8.self) : "(end of file)"
            let y = i < linesB.count ? String(decoding: linesB[i], as: UTF8.self) : "(end of file)"
            if x != y { return (i + 1, x, y) }
        }
        return (1, "", "")
    }
}

/// A value computed on a thread of its own (not one of the dispatch pool's, which the reader's
/// parallel loops use); `value` waits for it.
final class Background<T: Sendable>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> T) {
        let thread = Thread {
            self.result = work()
            self.done.signal()
        }
        thread.start()
    }

    var value: T {
        done.wait()
        done.signal()
        return result!
    }
}
