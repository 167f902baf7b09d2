public import Composite
public import Sampling

/// What the AAPOR disclosure list asks about one survey, from the manifest `pingyi sample`
/// wrote beside the list and the design it names: the population and frame, the design in
/// words, the sample sizes and the seed.
public struct SurveyFacts: Sendable {
    public let manifestFile: String
    public let manifest: Manifest
    public let design: Design

    /// Respondents in the sample, and reserves.
    public var sample: Int { manifest.strata.reduce(0) { $0 + $1.sample } }
    public var reserves: Int { manifest.strata.reduce(0) { $0 + $1.reserves } }

    /// Reads a manifest and the design it names (relative to the manifest's folder). The design
    /// must be the one drawn with: its SHA-256 must match the manifest's.
    public static func read(manifest path: String) throws(ReportError) -> SurveyFacts {
        let manifest: Manifest
        do { manifest = try Manifest.decode(path: path) } catch { throw ReportError(error) }
        let folder = directoryPart(of: path)
        let designPath = manifest.design.file.hasPrefix("/") ? manifest.design.file : (folder.isEmpty ? "." : folder) + "/" + manifest.design.file
        guard let digest = sha256Hex(file: designPath) else {
            throw ReportError(file: path, message: "cannot read the design \(designPath) that the manifest names",
                              hint: "keep the design where it was when the list was drawn (paths are relative to the manifest)")
        }
        guard digest == manifest.design.sha256 else {
            throw ReportError(file: path, message: "the design \(designPath) has changed since the list was drawn (SHA-256 differs)",
                              hint: "restore the design the list was drawn with; pingyi sample verify checks the whole draw")
        }
        let design: Design
        do { design = try Design.load(path: designPath).design } catch { throw ReportError(error) }
        return SurveyFacts(manifestFile: path, manifest: manifest, design: design)
    }

    /// The design in Chinese, one sentence per stage:
    /// "第1阶段：按乡镇代码、乡镇分层，在层内按村（社区）代码排序后按规模（户数）成比例等距抽取村（社区），每层3个。"
    public var stageDescriptions: [String] {
        design.stages.enumerated().map { k, stage in
            var parts: [String] = []
            if !stage.strata.isEmpty { parts.append("按\(stage.strata.map(ColumnNames.label).joined(separator: "、"))分层") }
            var how = ""
            if !stage.order.isEmpty {
                how += "按\(stage.order.map(ColumnNames.label).joined(separator: "、"))排序\(stage.serpentine ? "（蛇形）" : "")后"
            }
            let unit = ColumnNames.units[stage.unit] ?? stage.unit
            switch stage.method {
            case .srs: how += "简单随机抽取\(unit)"
            case .systematic: how += "等距随机抽取\(unit)"
            case .ppsSystematic:
                let size: String
                switch stage.size {
                case .count: size = "户数（框中行数）"
                case .column(let c): size = ColumnNames.label(c)
                }
                how += "按\(size)成比例（PPS）等距抽取\(unit)"
            }
            parts.append(k == 0 ? "在层内" + how : "在上一阶段每个抽中单位内" + how)
            parts.append(allocation(stage.allocation))
            if let certainty = stage.certainty {
                parts.append("\(ColumnNames.label(certainty.column))不少于\(formatted(certainty.minimum))的必选")
            }
            if stage.reserve > 0 {
                parts.append("另按顺序抽取备用\(stage.reserve)个\(k == 0 ? "（每层）" : "（每个上级单位）")")
            }
            return "第\(k + 1)阶段：" + parts.joined(separator: "，") + "。"
        }
    }

    private func allocation(_ allocation: Allocation) -> String {
        switch allocation {
        case .perStratum(let n): return "每层\(n)个"
        case .perUnit(let n): return "每个单位\(n)个"
        case .explicit(let sizes): return "按层指定样本量（共\(sizes.values.reduce(0, +))个）"
        case let .total(n, rule, minimum, _):
            let how: String
            switch rule {
            case .proportional: how = "按比例分配"
            case .equal: how = "等额分配"
            case .neyman: how = "按奈曼（Neyman）最优分配"
            }
            return "共\(n)个，\(how)，每层至少\(minimum)个"
        }
    }

    private func formatted(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
