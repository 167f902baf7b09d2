import Formats
import Analytics
import ArgumentParser
import Exports
import Foundation
import Questionnaire
import Store
import Tables

extension AnalyticsError: ReportableError {
    var exitStatus: Int32 { isUsage ? 64 : 65 }
}

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Satisfaction score and rate per evaluated unit, with design-based standard errors (满意度测评).",
        subcommands: [Estimate.self, Combine.self, Show.self],
        defaultSubcommand: Estimate.self
    )

    struct Estimate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "estimate",
            abstract: "Score every unit from a long answer file (the default subcommand).",
            discussion: """
                Reproduces R survey's svyby(~score+satisfied, ~unit, subset(design, valid), svymean, deff=TRUE) \
                for svydesign(ids=~IDS, strata=~STRATA, fpc=~FPC, weights=~WEIGHT). Intervals: estimate ± t × SE \
                with Student t on df = PSUs − strata (the df column); with --rate-interval logit the rate's \
                interval is svyciprop's xlogit one on the same df. Don't-know answers are left out of the \
                denominator (--dont-know exclude) and reported as a weighted share; refused, not-applicable \
                and invalid answers are never scored. Defaults follow the long file's stage{k}_* columns.
                """
        )

        @Option(help: "The long answer file (pingyi responses export --format long); or the store's answers with --db or --postgres.")
        var responses: String?

        @OptionGroup(title: "The store, to score its counted forms instead of a long file")
        var store: StoreOptions

        @Option(help: "The tier scale (surveys/scales/*.yaml).")
        var scale: String

        @Option(help: "Where to write the scores (CSV).")
        var out: String

        @Option(help: "Also write each unit's weighted answer distribution (CSV).")
        var distribution: String?

        @Option(help: "Evaluated-unit column.") var unit = LongFormat.unit
        @Option(help: "Answer-code column.") var tier = LongFormat.tier
        @Option(help: "Weight column.") var weight = LongFormat.weight
        @Option(name: .customLong("case"), help: "Respondent column.") var caseColumn = LongFormat.caseID
        @Option(help: "Stage-1 strata column (default stage1_stratum when present).") var strata: String?
        @Option(help: "Cluster columns stage by stage, comma-separated (default stage1_unit,stage2_unit,…).") var ids: String?
        @Option(help: "Finite population corrections: probabilities (each stage's stage{k}_prob, the default: Brewer's approximation at a PPS stage), counts (stage{k}_N: pingyi's rule before, which understates a PPS stage), none (with replacement), or columns stage by stage.") var fpc: String?
        @Option(help: "Degrees of freedom of the intervals: domain (each unit's own PSUs minus strata, the default) or design (the whole design's, as pingyi did before).")
        var df: DegreesOfFreedom = .domain
        @Option(help: "A further column to score by (e.g. group).") var by: String?
        @Option(help: "Score only rows where COLUMN=VALUE (e.g. group=urban); repeat to narrow further.") var `where`: [String] = []

        @Option(help: "Don't-know answers: exclude them from the denominator, or count them as dissatisfied.")
        var dontKnow: TierScoring.DontKnowRule = .exclude

        @Option(help: "Strata with a single PSU (R's rules).")
        var lonelyPsu: LonelyRule = .fail

        @Option(help: "Variance: Taylor linearisation, JKn jackknife or Rao–Wu bootstrap.")
        var variance: VarianceChoice = .taylor

        @Option(help: "The rate's interval: wald (rate ± t·SE, R's confint) or logit (R's svyciprop method xlogit: stays inside 0–100 %).")
        var rateInterval: RateInterval = .wald

        @Option(help: "Bootstrap replicates (variance and ranks).")
        var replicates: Int = 500

        @Option(help: "Seed for bootstrap replicates, 1 to 4294967295.")
        var seed = Seed(20170401)

        @Flag(help: "Add ranks with 95 % intervals and the chance of being in the top quarter.")
        var ranks = false

        @Flag(help: "Centre replicate variances at the full-sample estimate (R's mse = TRUE).")
        var mse = false

        @Option(help: "Also write every unit's score under --replicates Rao–Wu bootstrap replicates of the whole design (seeded by --seed), for pingyi score combine and pingyi composite --replicates.")
        var replicatesOut: String?

        @OptionGroup(title: "Calibration") var calibrationOptions: CalibrationOptions

        @OptionGroup var input: InputOptions

        func validate() throws {
            guard replicates >= 2 && replicates <= 100_000 else { throw ValidationError("--replicates must be from 2 to 100000.") }
            guard (responses == nil) == store.isGiven else {
                throw ValidationError("give --responses FILE, or the store (--db FILE or --postgres URL): one of them.")
            }
            for condition in `where` where condition.split(separator: "=", maxSplits: 1).count != 2 {
                throw ValidationError("--where must be COLUMN=VALUE (got '\(condition)').")
            }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(scale, option: "--scale")
                if let responses { try requireFile(responses, option: "--responses") } else if store.postgres == nil { try requireFile(store.db, option: "--db") }
            }
            // From the store, the long table is handed over as it is built (no CSV in between).
            var storeTable: Table? = nil
            if responses == nil {
                storeTable = try await reportingErrors {
                    ResponseTables.longTable(try await store.open().snapshot(questionnaire: nil), name: store.name)
                }
            }
            try await reportingErrors {
                let scaleDefinition = try Scale.load(path: scale)
                let table = try storeTable ?? TableFile.read(path: responses ?? "", options: input.csvOptions)
                var request = ScoreJob.Request(scale: scaleDefinition, source: responses ?? store.name)
                request.conditions = `where`.map { condition in
                    let parts = condition.split(separator: "=", maxSplits: 1).map(String.init)
                    return (parts[0], parts[1])
                }
                request.caseColumn = caseColumn
                request.unit = unit
                request.tier = tier
                request.weight = weight
                request.strata = strata
                request.ids = ids
                request.fpc = fpc
                request.degreesOfFreedom = df
                request.by = by
                request.lonely = lonelyPsu
                request.calibration = try calibrationOptions.calibration()
                request.variance = switch variance {
                case .jackknife: .jackknife
                case .bootstrap: .bootstrap(replicates: replicates, seed: seed.value)
                case .taylor: .taylor
                }
                request.dontKnow = dontKnow
                request.rankReplicates = ranks ? replicates : nil
                request.replicateScores = replicatesOut != nil ? replicates : nil
                request.seed = seed.value
                request.mse = mse
                request.rateInterval = rateInterval
                request.distribution = distribution != nil
                // The number of units is known only once scoring starts: the bar counts in thousandths.
                let bar = Progress("测评", total: 1000)
                request.progress = { done, total in bar.update(total > 0 ? done * 1000 / total : 0) }
                let outcome = try ScoreJob.run(table, request)
                let results = outcome.results, design = outcome.design
                bar.finish()
                var files = AtomicFileSet()
                try files.add(outcome.scores, to: out)
                if let distribution, let bytes = outcome.distribution {
                    try files.add(bytes, to: distribution)
                }
                if let replicatesOut, let bytes = outcome.replicates {
                    try files.add(bytes, to: replicatesOut)
                }
                try files.commit()
                printSummary(results, design: design)
            }
        }

        private func printSummary(_ results: [UnitScore], design: SurveyDesign) {
            let dfs = results.filter { $0.n > 0 }.map(\.df)
            let dfText = dfs.isEmpty ? "0" : dfs.min() == dfs.max() ? String(dfs[0]) : "\(dfs.min() ?? 0)–\(dfs.max() ?? 0)（按单位）"
            print("满意度测评：\(results.count) 个单位，\(design.caseCountPublic) 名受访者，自由度 \(dfText)（\(variance.chineseName)）")
            var rows = [[by == nil ? "单位" : "单位 / \(by ?? "")", "n", "满意度", "95% 区间", "满意率", "不了解", ""]]
            for r in results {
                var notes: [String] = []
                if r.rate < ScoresFormat.lowRateBelow { notes.append("满意率低于60%") }
                if r.n > 0 && r.df < lowDegreesOfFreedom { notes.append("仅 \(r.psus) 个初级单位（自由度 \(r.df)），估计不稳定") }
                rows.append([r.unit + (r.by.map { " / \($0)" } ?? ""), String(r.n), fixed(r.score, 1),
                             "\(fixed(r.scoreLow, 1))–\(fixed(r.scoreHigh, 1))", fixed(r.rate * 100, 1) + "%",
                             fixed(r.dontKnow * 100, 1) + "%", notes.joined(separator: "；")])
            }
            print(TextTable(rows: rows, rightAligned: [1, 2, 3, 4, 5]).render(indent: "  "))
            let unstable = results.filter { $0.n > 0 && $0.df < lowDegreesOfFreedom }.count
            if unstable > 0 {
                print("注意  \(unstable) 个单位的自由度低于 \(lowDegreesOfFreedom)（初级单位太少）：其区间很宽，不宜据此评定等次；pingyi sample size --clusters 可算出所需的村（社区）数")
            }
            print("结果  \(out)")
        }
    }

    struct Combine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine independent score files (quarters, or respondent groups) with weights.",
            discussion: """
                score = Σ a_q score_q with a_q = w_q / Σ w; SE = √(Σ a_q² SE_q²); Student t with Satterthwaite's \
                degrees of freedom. Every file must score the same units.
                """
        )

        @Argument(help: "Score files written by pingyi score (one file with --across).")
        var files: [String]

        @Option(help: "Weights: one number per file (25,25,25,25), or NAME=NUMBER per value of --across.")
        var weights: String

        @Option(help: "Combine the groups of one file's by column (e.g. group) instead of several files.")
        var across: String?

        @Flag(help: "Combine a unit over the inputs that score it, rescaling their weights.")
        var partial = false

        @Option(help: "Where to write the combined scores.")
        var out: String

        @Option(help: "The combined rate's interval (as pingyi score --rate-interval).")
        var rateInterval: RateInterval = .wald

        @Option(help: "The replicate scores of each score file (pingyi score --replicates-out), in the same order; one with --across.")
        var replicates: [String] = []

        @Option(help: "Where to write the combined replicate scores (needs --replicates).")
        var replicatesOut: String?

        func validate() throws {
            if replicatesOut != nil && replicates.isEmpty { throw ValidationError("--replicates-out needs the inputs' --replicates.") }
            if !replicates.isEmpty && replicatesOut == nil { throw ValidationError("--replicates goes with --replicates-out (where to write the combined replicates).") }
            if !replicates.isEmpty && replicates.count != files.count {
                throw ValidationError("give one --replicates file per score file (\(files.count) score files, \(replicates.count) replicate files).")
            }
            if across == nil {
                guard files.count >= 2 else { throw ValidationError("give at least two score files to combine, or one with --across.") }
                let parsed = weights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parsed.count == files.count, parsed.allSatisfy({ $0 != nil }) else {
                    throw ValidationError("--weights must give one number per file (\(files.count) files).")
                }
            } else {
                guard files.count == 1 else { throw ValidationError("with --across give one score file.") }
                guard namedWeights != nil else { throw ValidationError("with --across, --weights must be NAME=NUMBER pairs (e.g. deputies=30,urban=20).") }
            }
        }

        private var namedWeights: [(String, Double)]? {
            let pairs = weights.split(separator: ",").map { $0.split(separator: "=").map { String($0).trimmingCharacters(in: .whitespaces) } }
            guard pairs.allSatisfy({ $0.count == 2 && Double($0[1]) != nil }) else { return nil }
            return pairs.map { ($0[0], Double($0[1]) ?? 0) }
        }

        func run() async throws {
            try await reportingErrors {
                for f in files { try requireFile(f, option: "FILES") }
                for f in replicates { try requireFile(f, option: "--replicates") }
                // Each score file read once: for the combination and to check its replicates against.
                let scoreFiles = try self.files.map { (f) throws -> (name: String, scores: [UnitScore], by: String?) in
                    let read = try ScoreTable.read(path: f)
                    return (f, read.scores, read.by)
                }
                var replicateInputs: [(name: String, replicates: ReplicateScores, by: String?)] = []
                for (f, scores) in zip(replicates, scoreFiles) {
                    let read = try ReplicateScores.read(path: f)
                    replicateInputs.append((f, read.replicates, read.by))
                    try read.replicates.check(against: scores.scores, scoresName: scores.name, name: f)
                }
                var files = AtomicFileSet()
                if let across, let named = namedWeights {
                    let combined = try ScoreJob.combine((scoreFiles[0].scores, scoreFiles[0].by), name: scoreFiles[0].name, across: across, weights: named,
                                                        partial: partial, rateInterval: rateInterval)
                    try files.add(ScoreTable.csv(combined, by: nil), to: out)
                    if let replicatesOut, let input = replicateInputs.first {
                        let merged = try ScoreJob.combine((input.replicates, input.by), name: input.name, across: across, weights: named, partial: partial)
                        try files.add(merged.csv(by: nil), to: replicatesOut)
                    }
                    try files.commit()
                    print("合并 \(named.count) 组（权重 \(weights)\(partial ? "，缺项按比例" : "")）：\(combined.count) 个单位 → \(out)")
                    return
                }
                let parsed = weights.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                let inputs = scoreFiles.map { ($0.name, $0.scores) }
                let by = scoreFiles.lazy.compactMap(\.by).first
                let combined = try ScoreCombiner.combine(inputs, weights: parsed, partial: partial, rateInterval: rateInterval)
                try files.add(ScoreTable.csv(combined, by: by), to: out)
                if let replicatesOut {
                    let merged = try ReplicateScores.combine(replicateInputs.map { ($0.name, $0.replicates) }, weights: parsed, partial: partial)
                    try files.add(merged.csv(by: by), to: replicatesOut)
                }
                try files.commit()
                print("合并 \(inputs.count) 组（权重 \(weights)\(partial ? "，缺项按比例" : "")）：\(combined.count) 个单位 → \(out)")
            }
        }
    }
}

extension ScoreCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a score file ranked, with unit names, intervals and the 60 % flag."
        )

        @Argument(help: "A score file written by pingyi score.")
        var file: String

        @Option(help: "Unit names: a CSV with unit_id and unit columns (datasets/units.csv).")
        var units: String?

        @Option(help: "Show only the first and last N units.")
        var top: Int?

        func run() async throws {
            try await reportingErrors {
                try requireFile(file, option: "FILE")
                let (scores, by) = try ScoreTable.read(path: file)
                var names: [String: String] = [:]
                if let units {
                    let table = try TableFile.read(path: units)
                    let id = try table.column(UnitsFormat.unitID), name = try table.column(UnitsFormat.unit)
                    for r in 0..<table.rowCount { names[id.string(r) ?? ""] = name.string(r) }
                }
                let scored = scores.filter { $0.n > 0 }
                var ranked = scored.indices.sorted { scored[$0].score > scored[$1].score }
                if let top, ranked.count > 2 * top { ranked = Array(ranked.prefix(top)) + [-1] + Array(ranked.suffix(top)) }
                var rows = [["名次", "单位", by ?? "", "满意度", "95% 区间", "满意率", ""]]
                for (position, i) in ranked.enumerated() {
                    if i < 0 {
                        rows.append(["…", "", "", "", "", "", ""])
                        continue
                    }
                    let s = scored[i]
                    let rank = top.map { t in position < t ? position + 1 : scored.count - (ranked.count - 1 - position) } ?? position + 1
                    rows.append([String(rank), names[s.unit].map { "\($0)（\(s.unit)）" } ?? s.unit, s.by ?? "", fixed(s.score, 1),
                                 "\(fixed(s.scoreLow, 1))–\(fixed(s.scoreHigh, 1))", fixed(s.rate * 100, 1) + "%",
                                 s.rate < ScoresFormat.lowRateBelow ? "满意率低于60%" : ""])
                }
                if by == nil { rows = rows.map { row in row.enumerated().filter { $0.offset != 2 }.map(\.element) } }
                print(TextTable(rows: rows, rightAligned: by == nil ? [0, 2, 3, 4] : [0, 3, 4, 5]).render(indent: "  "))
            }
        }
    }
}

/// `x` with `digits` decimals, for people.
func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "—" }
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
        s += "." + String(repeating: "0", count: digits)
    }
    return s
}
