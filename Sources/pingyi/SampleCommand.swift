import ArgumentParser
import Foundation
import Sampling
import Stats
import Tables

extension SamplingError: ReportableError {
    var exitStatus: Int32 { isUsage ? 64 : 65 }
}

extension StatsError: ReportableError {
    var exitStatus: Int32 { 65 }
}

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw respondent lists (抽取样本名单), verify a drawn list, compute sample sizes.",
        subcommands: [Draw.self, Allocate.self, Verify.self, Size.self, Registry.self, Overlap.self],
        defaultSubcommand: Draw.self
    )

    struct Draw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "draw",
            abstract: "Draw a respondent list from a frame by a design (the default subcommand).",
            discussion: """
                Writes the list (the frame's columns, stage{k}_* columns, prob, weight, role, reserve_rank, \
                reserve_group, reserve_prob, case_id) and a manifest beside it recording the design, the \
                frame's SHA-256, the seed and the counts per stratum. Same inputs and seed give \
                byte-identical files. On any error nothing is written.
                """
        )

        @Option(help: "The sampling frame (CSV). Defaults to the design's frame: entry.")
        var frame: String?

        @Option(help: "The design (YAML), e.g. surveys/designs/rural.yaml.")
        var design: String

        @Option(help: "Seed of the random number generator, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "The respondent list to write (CSV).")
        var out: String

        @Option(help: "Where to write the manifest (default: OUT with .manifest.json).")
        var manifest: String?

        @Option(help: "Draw this many independent samples (a replicate column is added).")
        var reps: Int = 1

        @Option(help: "Also count the list by this frame column (default: town, when the frame has it).")
        var by: String?

        @Option(help: "A coordinated design's rotation: 1 for the first quarter (or month, year), 2 for the next, …")
        var rotation: Int?

        @OptionGroup var input: InputOptions

        func validate() throws {
            guard reps >= 1 && reps <= 100_000 else { throw ValidationError("--reps must be from 1 to 100000.") }
            if let rotation, rotation < 1 || rotation > 10_000 { throw ValidationError("--rotation must be from 1 to 10000 (got \(rotation)).") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(design, option: "--design")
                let manifestPath = manifest ?? manifestName(for: out)
                let bar = Progress("抽样", total: reps)
                var request = SamplingJob.Request(designPath: design, framePath: frame, seed: seed.value, replicates: reps,
                                                  listPath: out, manifestPath: manifestPath, csv: input.csvOptions,
                                                  tool: "pingyi \(Pingyi.version)", progress: { bar.update($0) })
                request.rotation = rotation
                let outcome = try SamplingJob.run(request)
                bar.finish()
                var files = AtomicFileSet()
                try files.add(outcome.list, to: out)
                try files.add(outcome.manifestBytes, to: manifestPath)
                try files.commit()
                printSummary(outcome, manifestPath: manifestPath)
            }
        }

        private func printSummary(_ outcome: SamplingJob.Outcome, manifestPath: String) {
            let rows = outcome.draw.rows.filter { $0.replicate == 1 }
            let sample = rows.filter { $0.role == .sample }.count
            print("\(outcome.design.name)：抽中 \(sample) 户/人，备用 \(rows.count - sample)，种子 \(seed)\(reps > 1 ? "，重复 \(reps) 次" : "")"
                  + (outcome.manifest.coordination.map { "，协调抽样第 \($0.rotation) 轮（永久随机数 \($0.registry.file)）" } ?? ""))
            var table = [["层", "单位数", "抽中单位", "样本", "备用"]]
            for s in outcome.draw.strata {
                table.append([s.stratum, String(s.units), String(s.drawn), String(s.sample), String(s.reserves)])
            }
            print(TextTable(rows: table, rightAligned: [1, 2, 3, 4]).render(indent: "  "))
            let byColumn = by ?? (outcome.frame.index(of: "town") != nil ? "town" : nil)
            if let byColumn, let column = try? outcome.frame.column(byColumn) {
                var counts: [String: (Int, Int)] = [:]
                var order: [String] = []
                for row in rows {
                    let key = column.string(row.frameRow) ?? "（空）"
                    if counts[key] == nil { order.append(key) }
                    var c = counts[key] ?? (0, 0)
                    if row.role == .sample { c.0 += 1 } else { c.1 += 1 }
                    counts[key] = c
                }
                var byTable = [[byColumn, "样本", "备用"]]
                for key in order { byTable.append([key, String(counts[key]?.0 ?? 0), String(counts[key]?.1 ?? 0)]) }
                print(TextTable(rows: byTable, rightAligned: [1, 2]).render(indent: "  "))
            }
            print("名单  \(out)")
            print("清单  \(manifestPath)")
        }
    }

    struct Registry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every unit of a design's stages a permanent random number (永久随机数), for coordinated draws.",
            discussion: """
                Writes column,unit,prn,format: one uniform number in (0, 1) per unit of each stage (villages, \
                households, deputies…), drawn once with --seed. With --update OLD the numbers of OLD are kept and \
                only units new to the frame get numbers, so quarters drawn before and after stay coordinated. \
                A design uses it with coordination: {registry: FILE, rotate: quarter}; pingyi sample --rotation N \
                then draws rotation N.
                """
        )

        @Option(help: "The design (YAML) whose stages get numbers.")
        var design: String

        @Option(help: "The sampling frame. Defaults to the design's frame: entry.")
        var frame: String?

        @Option(help: "Seed of the numbers, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "An earlier registry whose numbers are kept.")
        var update: String?

        @Option(help: "The registry to write (CSV).")
        var out: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(design, option: "--design")
                if let update { try requireFile(update, option: "--update") }
                let population = try SamplingJob.population(designPath: design, framePath: frame, csv: input.csvOptions)
                let previous = try update.map { try PRNRegistry.read(path: $0) }
                let made = try PRNRegistry.make(design: population.design, table: population.frame, seed: seed.value, previous: previous)
                try writeAtomically(made.registry.csv(), to: out)
                print("永久随机数：\(made.registry.entries.count) 个单位（新增 \(made.added)，保留 \(made.kept)）→ \(out)")
            }
        }
    }

    struct Overlap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find people who are on several respondent lists (a deputy who also runs an enterprise).",
            discussion: """
                Matches by id_number when both lists have it, else by name and phone, normalised (full-width \
                characters and spaces folded, the phone's last 11 digits). The name is the first of the columns \
                name, manager, head, respondent. Prints each person found and what to do; --out writes them.
                """
        )

        @Argument(help: "Respondent lists written by pingyi sample.")
        var lists: [String]

        @Option(help: "Write the matches (CSV).")
        var out: String?

        @OptionGroup var input: InputOptions

        func validate() throws {
            guard lists.count >= 2 else { throw ValidationError("give at least two lists.") }
        }

        func run() async throws {
            try await reportingErrors {
                for list in lists { try requireFile(list, option: "LISTS") }
                let tables = try lists.map { try TableFile.read(path: $0, options: input.csvOptions) }
                let matches = try ListOverlap.find(tables)
                if let out { try writeAtomically(ListOverlap.csv(matches), to: out) }
                guard !matches.isEmpty else {
                    print("\(lists.count) 份名单之间没有重复的人（按身份证号，或姓名加电话）")
                    return
                }
                var rows = [["依据", "名单", "编号", "姓名", "名单", "编号"]]
                for m in matches {
                    rows.append([m.key == .idNumber ? "身份证号" : "姓名+电话", m.first.list, m.first.caseID, m.name, m.second.list, m.second.caseID])
                }
                print("\(matches.count) 人同时在两份名单上：")
                print(TextTable(rows: rows).render(indent: "  "))
                printNote("处理：从其中一份名单删去此人，并按该层的无回答调整其余样本的权数（pingyi cases dispose 记为不合格 NE）；或两份都保留，在报告中注明同一人回答了两份问卷")
            }
        }
    }

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the first stage's allocation (units and sample per stratum) without drawing.",
            discussion: "The design and frame get every check a draw makes before its first random number; nothing is written."
        )

        @Option(help: "The sampling frame (CSV or .xlsx). Defaults to the design's frame: entry.")
        var frame: String?

        @Option(help: "The design (YAML), e.g. surveys/designs/rural.yaml.")
        var design: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                try requireFile(design, option: "--design")
                let (d, strata) = try SamplingJob.allocation(designPath: design, framePath: frame, csv: input.csvOptions)
                let single = d.stages.count == 1
                print("\(d.name)：第一阶段 \(strata.count) 层，抽取 \(strata.reduce(0) { $0 + $1.drawn }) 个单位（共 \(strata.reduce(0) { $0 + $1.units }) 个）")
                var table = [["层", "单位数", "抽取"] + (single ? ["备用"] : [])]
                for s in strata {
                    table.append([s.stratum, String(s.units), String(s.drawn)] + (single ? [String(s.reserves)] : []))
                }
                print(TextTable(rows: table, rightAligned: single ? [1, 2, 3] : [1, 2]).render(indent: "  "))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-draw a list from its manifest and confirm it, or show the first difference."
        )

        @Option(help: "The manifest written beside the list.")
        var manifest: String

        @OptionGroup var input: InputOptions

        func run() async throws {
            try await reportingErrors {
                let result = try SamplingJob.verify(manifestPath: manifest, csv: input.csvOptions, tool: "pingyi \(Pingyi.version)")
                let m = result.manifest
                print("一致：名单 \(m.list.file) 与重新抽样结果逐字节相同（\(result.rows) 行；框 \(m.frame.file) SHA-256 \(m.frame.sha256.prefix(16))…；种子 \(m.seed)）")
            }
        }
    }

    struct Size: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Respondents needed for a margin of error on a proportion or a mean score.",
            discussion: """
                n0 = z^2 V / e^2 (V = p(1-p), or sd^2 for a mean); n1 = deff x n0; with --population N: \
                n2 = n1 / (1 + (n1-1)/N); completes = n2 rounded up; to draw = completes / response rate, rounded up. \
                With --per-cluster m (a domain in one stratum, e.g. a town rated by the households of its sampled \
                villages): the fewest clusters k with t(k-1) x sqrt(V (1+(m-1) icc) / (k m)) <= e.
                """
        )

        @Option(help: "Expected proportion (default 0.5, the worst case).")
        var proportion: Double?

        @Option(help: "Standard deviation of the score, for a mean (e.g. 25 points).")
        var sd: Double?

        @Option(help: "Margin of error: a proportion (0.05) or score points with --sd (5).")
        var margin: Double

        @Option(help: "Confidence level.")
        var confidence: Double = 0.95

        @Option(help: "Design effect of the design against simple random sampling.")
        var deff: Double = 1

        @Option(help: "Expected response rate, in (0, 1].")
        var responseRate: Double = 1

        @Option(help: "Population size (units in the frame) for the finite population correction.")
        var population: Int?

        @Option(help: "Clusters instead: completed interviews per cluster (e.g. 15 households per village), for a domain in one stratum such as a town's own-town score; gives the clusters needed.")
        var perCluster: Int?

        @Option(help: "With --per-cluster: the intraclass correlation of answers within a cluster.")
        var icc: Double = 0.05

        func validate() throws {
            if proportion != nil && sd != nil { throw ValidationError("give --proportion or --sd, not both.") }
            guard confidence > 0 && confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1.") }
            guard margin > 0 else { throw ValidationError("--margin must be positive.") }
        }

        func run() async throws {
            try await reportingErrors {
                let target: SampleSize.Target = sd.map { .mean(standardDeviation: $0) } ?? .proportion(proportion ?? 0.5)
                if let perCluster {
                    let r = try ClusterSampleSize(target: target, margin: margin, perCluster: perCluster, icc: icc, confidence: confidence,
                                                  responseRate: responseRate).compute()
                    print(TextTable(rows: [
                        ["设计效应 1+(m−1)ρ", format(r.designEffect)],
                        ["需抽取的群（村/社区）数", String(r.clusters)],
                        ["区间自由度（群数 − 1）", String(r.degreesOfFreedom)],
                        ["t 分位数", format(r.t)],
                        ["达到的半宽", format(r.halfWidth)],
                        ["需完成问卷", String(r.completes)],
                        ["需抽取（÷应答率）", String(r.draws)],
                    ], rightAligned: [1]).render())
                    return
                }
                let result = try SampleSize(target: target, margin: margin, confidence: confidence, designEffect: deff,
                                            responseRate: responseRate, population: population).compute()
                let rows = [
                    ["z", format(result.z)],
                    ["简单随机抽样 n0", format(result.simple)],
                    ["乘设计效应 n1", format(result.withDesignEffect)],
                    ["有限总体校正 n2", format(result.corrected)],
                    ["需完成问卷", String(result.completes)],
                    ["需抽取（÷应答率）", String(result.draws)],
                ]
                print(TextTable(rows: rows, rightAligned: [1]).render())
            }
        }

        private func format(_ x: Double) -> String {
            String(Double((x * 100).rounded()) / 100)
        }
    }
}

/// `list.csv` → `list.manifest.json`.
func manifestName(for list: String) -> String {
    (list.hasSuffix(".csv") ? String(list.dropLast(4)) : list) + ".manifest.json"
}
