import Formats
import ArgumentParser
import Foundation
import Questionnaire
import Sampling
import Server
import Simulation
import Store
import Tables

extension SimulationError: ReportableError {
    var exitStatus: Int32 { 65 }
}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "模拟数据（演示与测试用）: simulated fieldwork and keying, for demonstrations and tests only.",
        discussion: """
            Nothing this command writes is real data. It lets the main job run end to end on the shipped \
            county: dispositions with realistic non-response (activating reserves as pingyi cases dispose \
            will), the paper forms of the completed interviews, two keyed passes with a few keying slips, \
            and a supervisor's adjudication of the disagreements against the paper forms.
            """,
        subcommands: [Field.self, Population.self, Adjudicate.self, Calls.self, Online.self]
    )

    struct Field: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a field period: dispositions.csv, forms.csv, pass1.csv and pass2.csv in --out."
        )

        @Option(help: "The respondent list (pingyi sample).")
        var list: String

        @Option(help: "The questionnaire (surveys/questionnaires/*.yaml).")
        var survey: String

        @Option(help: "Seed of the simulation, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "Folder to write the simulated files to (created if missing).")
        var out: String

        @Option(help: "Share of sampled cases that complete the interview (default: typical for the group).")
        var responseRate: Double?

        @Option(help: "A simulated population (pingyi simulate population): respondents rate the units as its members do.")
        var population: String?

        func validate() throws {
            if let responseRate, !(0...1).contains(responseRate) { throw ValidationError("--response-rate must be between 0 and 1.") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(list, option: "--list")
                try requireFile(survey, option: "--survey")
                let questionnaire = try Questionnaire.load(path: survey)
                try checkListFormat(list, manifest: nil)
                let table = try TableFile.read(path: list)
                var settings = FieldSimulation.Settings.typical(for: questionnaire.group)
                if let responseRate { settings.responseRate = responseRate }
                var model: PopulationModel? = nil
                if let population {
                    try requireFile(population, option: "--population")
                    model = try PopulationModel.read(path: population)
                }
                let output = try FieldSimulation(questionnaire: questionnaire, list: table, seed: seed.value, settings: settings,
                                                 population: model).run()
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                var files = AtomicFileSet()
                var d = CSVWriter()
                d.writeRow([DispositionsFile.caseID, DispositionsFile.disposition])
                for row in output.dispositions { d.writeRow([row.caseID, row.disposition.rawValue]) }
                try files.add(d.bytes, to: "\(out)/dispositions.csv")
                for (name, forms) in [("forms", output.forms), ("pass1", output.pass1), ("pass2", output.pass2)] {
                    var w = CSVWriter()
                    w.writeRow([FormsFile.caseID] + output.items)
                    for form in forms { w.writeRow([form.caseID] + form.answers) }
                    try files.add(w.bytes, to: "\(out)/\(name).csv")
                }
                try files.commit()
                var counts: [Disposition: Int] = [:]
                for row in output.dispositions { counts[row.disposition, default: 0] += 1 }
                let summary = [Disposition.complete, .refusal, .nonContact, .other, .unknown, .notEligible]
                    .map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: "，")
                print("模拟数据（演示用，非真实调查）：\(questionnaire.title)")
                print("  结果 \(output.dispositions.count) 个个案：\(summary)")
                print("  问卷 \(output.forms.count) 份，两遍录入不一致 \(output.disagreements) 处")
                print("  文件 \(out)/dispositions.csv, forms.csv, pass1.csv, pass2.csv")
            }
        }
    }

    struct Population: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every member of a design's population a fixed opinion of every unit, and write each unit's true score.",
            discussion: """
                A testing aid for coverage studies (SIMULATED, not real data). Writes population.json (the model: \
                seed, the member and cluster columns; simulate field --population uses it to answer as the sampled \
                members would) and truth.csv (unit, members, dont_know, score, rate over the whole population the \
                design draws from: departments over every member, a town's own-town item over its members).
                """
        )

        @Option(help: "The design whose population is simulated (its frame and filter).")
        var design: String

        @Option(help: "The questionnaire (its units and own-town item).")
        var survey: String

        @Option(help: "Seed of the population, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "Folder to write population.json and truth.csv to (created if missing).")
        var out: String

        @Option(help: "The cluster column (default: the design's first-stage unit).")
        var cluster: String?

        @Option(help: "Share of don't-know answers.")
        var dontKnow: Double = 0.07

        func validate() throws {
            guard (0..<1).contains(dontKnow) else { throw ValidationError("--dont-know must be from 0 to less than 1.") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(design, option: "--design")
                try requireFile(survey, option: "--survey")
                let questionnaire = try Questionnaire.load(path: survey)
                let (plan, frame, rows) = try SamplingJob.population(designPath: design)
                let model = PopulationModel(seed: seed.value, memberColumn: plan.id, clusterColumn: cluster ?? plan.stages[0].unit,
                                            dontKnowShare: dontKnow)
                let truth = try model.truth(frame: frame, rows: rows, questionnaire: questionnaire)
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                var files = AtomicFileSet()
                try files.add(try model.encoded(), to: "\(out)/population.json")
                try files.add(PopulationModel.csv(truth), to: "\(out)/truth.csv")
                try files.commit()
                print("模拟总体（演示与检验用，非真实调查）：\(plan.name) \(rows.count) 户/人，\(truth.count) 个单位的真值")
                print("  文件 \(out)/population.json, truth.csv")
            }
        }
    }

    struct Calls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate telephone evenings in a store: interviewers take cases from the scheduler and record what simulated respondents do.",
            discussion: """
                Writes real dials, interviews (telephone forms) and callbacks into the store through the same rules as \
                pingyi serve, on a simulated clock: the attempt history, final dispositions and activated reserves come \
                from the call rules, so pingyi rates and the non-response weights can be shown on them. Demonstration \
                and testing only: never on a store of a real survey.
                """
        )

        @Option(help: "The questionnaire id (fielded by telephone: its file has a calls: section).")
        var questionnaire: String

        @Option(help: "The respondent list the cases were loaded from (the simulated answers follow its households).")
        var list: String

        @Option(help: "Seed of the simulation, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "How many interviewers call at once.")
        var interviewers = 6

        @Option(help: "How many days (evenings) they call.")
        var evenings = 3

        @Option(help: "The first day, YYYY-MM-DD (Beijing).")
        var start: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if CivilDate(start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD (got \(start)).") }
            if !(1...500).contains(interviewers) { throw ValidationError("--interviewers must be between 1 and 500.") }
            if !(1...60).contains(evenings) { throw ValidationError("--evenings must be between 1 and 60.") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(list, option: "--list")
                let s = try await store.open()
                guard let q = try await s.questionnaires(id: questionnaire).last else {
                    throw SimulationError(message: "\(store.name) has no questionnaire \(questionnaire); load its list with pingyi cases load first")
                }
                let settings = CallSimulation.Settings(interviewers: interviewers, evenings: evenings, start: CivilDate(start) ?? CivilDate(daysSinceEpoch: 0))
                let simulation = try CallSimulation(questionnaire: q, list: try TableFile.read(path: list), seed: seed.value, settings: settings)
                let summary = try await simulation.run(on: s) { print("  " + $0) }
                print("模拟电话访问（演示与检验用，非真实调查）：\(interviewers) 名访员 \(evenings) 天，拨打 \(summary.dials) 次，访问 \(summary.interviews) 次，完成 \(summary.completes)，结束 \(summary.closed) 个案例，启用备选 \(summary.reserves) 个，回访 \(summary.callbacks) 次（不一致 \(summary.callbacksDiffering)）")
            }
        }
    }

    struct Online: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate invited respondents answering online: each opens the letter's code, saves item by item, and submits or stops part-way.",
            discussion: """
                Drives the store's online channel (the same rules as /s/CODE of pingyi serve) with the codes of pingyi \
                invitations make, on a simulated clock. Demonstration and testing only: never on a store of a real survey.
                """
        )

        @Option(help: "The codes file of pingyi invitations make.")
        var invitations: String

        @Option(help: "The respondent list the cases were loaded from (the simulated answers follow its rows).")
        var list: String

        @Option(help: "Seed of the simulation, 1 to 4294967295.")
        var seed: Seed

        @Option(help: "Share of the invited who open the link, 0 to 1.")
        var open = 0.75

        @Option(help: "Share of those who open who submit, 0 to 1 (the rest stop part-way).")
        var submit = 0.85

        @Option(help: "The first day, YYYY-MM-DD (Beijing).")
        var start: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if CivilDate(start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD (got \(start)).") }
            if !(0...1).contains(open) { throw ValidationError("--open must be a share from 0 to 1 (got \(open)).") }
            if !(0...1).contains(submit) { throw ValidationError("--submit must be a share from 0 to 1 (got \(submit)).") }
        }

        func run() async throws {
            try await reportingErrors {
                try requireFile(invitations, option: "--invitations")
                try requireFile(list, option: "--list")
                let codes = try InvitationLetters.read(try TableFile.read(path: invitations), file: invitations)
                guard let id = codes.first?.questionnaire else {
                    throw SimulationError(message: "\(invitations) holds no invitation; make codes with pingyi invitations make")
                }
                let s = try await store.open()
                guard let q = try await s.questionnaires(id: id).last else {
                    throw SimulationError(message: "\(store.name) has no questionnaire \(id); load its list with pingyi cases load first")
                }
                let day = CivilDate(start) ?? CivilDate(daysSinceEpoch: 0)
                // 09:00 Beijing on the first day.
                let settings = OnlineSimulation.Settings(open: open, submit: submit, start: Int64(day.daysSinceEpoch) * 86_400 - CallRules.offsetSeconds + 9 * 3_600)
                let simulation = OnlineSimulation(questionnaire: q, list: try TableFile.read(path: list), seed: seed.value, settings: settings)
                let summary = try await simulation.run(on: s, codes: codes.map { IssuedCode(caseID: $0.caseID, hash: InvitationLetters.hash($0)) })
                print("模拟网上自填（演示与检验用，非真实调查）：邀请 \(summary.invited) 人，打开 \(summary.opened)，保存 \(summary.saves) 次，提交 \(summary.submitted)，中途停止 \(summary.brokenOff)")
            }
        }
    }

    struct Adjudicate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill the value column of a disagreements file from the simulated paper forms."
        )

        @Option(help: "Disagreements written by pingyi responses verify --out.")
        var disagreements: String

        @Option(help: "The simulated paper forms (forms.csv from simulate field); repeat for several surveys.")
        var forms: [String]

        @Option(help: "Where to write the resolutions.")
        var out: String

        func run() async throws {
            try await reportingErrors {
                let open = try TableFile.read(path: disagreements)
                var rowOf: [String: (table: Table, row: Int)] = [:]
                for path in forms {
                    let paper = try TableFile.read(path: path)
                    let caseColumn = try paper.column(FormsFile.caseID)
                    for r in 0..<paper.rowCount { rowOf[caseColumn.string(r) ?? ""] = (paper, r) }
                }
                let cases = try open.column(DisagreementsFile.caseID), items = try open.column(DisagreementsFile.item)
                var writer = CSVWriter()
                writer.writeRow([DisagreementsFile.caseID, DisagreementsFile.item, DisagreementsFile.value, DisagreementsFile.reason])
                for r in 0..<open.rowCount {
                    let id = cases.string(r) ?? "", item = items.string(r) ?? ""
                    guard let (paper, row) = rowOf[id] else {
                        throw TablesError(.value, file: disagreements, line: open.line(of: r), message: "case \(id) has no paper form",
                                          hint: "give the forms.csv of the same simulation")
                    }
                    let value = try paper.column(item, purpose: "an item of the form").string(row)
                    writer.writeRow([id, item, value ?? "", "核对纸质问卷（模拟）"])
                }
                try writeAtomically(writer.bytes, to: out)
                print("模拟审核：\(open.rowCount) 处不一致按纸质问卷裁定 → \(out)")
            }
        }
    }
}
