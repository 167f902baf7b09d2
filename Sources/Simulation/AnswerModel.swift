import Formats
import Questionnaire
import Stats
import Tables

/// How simulated respondents answer: a latent satisfaction per unit (a quality drawn once per
/// unit), shifted by the respondent's leniency and their cluster's, cut into the scale's tiers.
struct AnswerModel {
    let questionnaire: Questionnaire
    let list: Table
    let rng: RandomSource
    /// Latent quality of each unit, and its chance of a don't-know answer.
    private let quality: [String: Double]
    private let unknownShare: [String: Double]
    private let clusterEffect: [String: Double]
    private let clusterColumn: Column?
    private let townColumn: Column?
    private let membersColumn: Column?
    /// A population in which every member's ratings are fixed (a coverage study's truth); nil:
    /// ratings drawn from the model below.
    private let population: PopulationModel?
    private let populationMember: Column?
    private let populationCluster: Column?

    /// Units that most respondents cannot judge (a don't-know share of 20–30 %).
    static let littleKnown: Set<String> = ["市地震局", "市老龄委办", "市征收办", "市粮食总公司", "基镁园", "市农机局", "市信息中心", "市金融办"]

    init(questionnaire: Questionnaire, list: Table, rng: RandomSource, population: PopulationModel? = nil) {
        self.questionnaire = questionnaire
        self.list = list
        self.rng = rng
        self.population = population
        populationMember = population.flatMap { list.index(of: $0.memberColumn) }.map { list.columns[$0] }
        populationCluster = population.flatMap { list.index(of: $0.clusterColumn) }.map { list.columns[$0] }
        // A unit's quality depends only on its id (the same in every group's survey): a stable
        // hash, not the random stream, so every questionnaire sees the same units.
        var quality: [String: Double] = [:]
        var unknown: [String: Double] = [:]
        let towns = questionnaire.ownTown?.towns ?? []
        for unit in questionnaire.units + towns {
            let h = stableHash(unit.id)
            // Most units between "比较满意" and "满意"; about one in seven clearly weaker.
            quality[unit.id] = -0.55 + 1.9 * Double(h % 1000) / 1000 - (h % 7 == 0 ? 1.1 : 0)
            unknown[unit.id] = Self.littleKnown.contains(unit.name) ? 0.2 + Double(h % 100) / 1000 : 0.03 + Double(h % 50) / 1000
        }
        self.quality = quality
        self.unknownShare = unknown
        clusterColumn = list.index(of: DesignColumns.unit(1)).map { list.columns[$0] }
        townColumn = list.index(of: RespondentListFormat.townID).map { list.columns[$0] }
        membersColumn = list.index(of: "members").map { list.columns[$0] }
        var effects: [String: Double] = [:]
        if let clusterColumn {
            for r in 0..<list.rowCount {
                let key = clusterColumn.string(r) ?? ""
                if effects[key] == nil { effects[key] = 0.35 * rng.normal() }
            }
        }
        clusterEffect = effects
    }

    /// The answers of the respondent on list row `row`, in the questionnaire's item order.
    func form(for row: Int) -> [String?] {
        let leniency = 0.5 * rng.normal() + (clusterColumn.flatMap { clusterEffect[$0.string(row) ?? ""] } ?? 0)
        var answers: [String?] = []
        var byName: [String: String] = [:]
        for item in questionnaire.items {
            var answer: String?
            if let when = item.when, !when.holds({ byName[$0] }) {
                answer = nil
            } else {
                switch item.kind {
                case .unit(let id):
                    answer = fixedRating(unit: id, row: row) ?? rating(unit: id, leniency: leniency)
                case .ownTown:
                    let town = townColumn?.string(row) ?? ""
                    answer = fixedRating(unit: town, row: row) ?? rating(unit: town, leniency: leniency)
                case .tier:
                    answer = rating(unit: item.name, leniency: leniency)
                case .single(let choices):
                    answer = choices.isEmpty ? nil : String(choices[rng.integer(below: choices.count)].code)
                case .number(let minimum, let maximum, let decimals):
                    answer = number(item: item, minimum: minimum, maximum: maximum, decimals: decimals, row: row)
                case .text:
                    answer = rng.uniform() < 0.08 ? Self.suggestions[rng.integer(below: Self.suggestions.count)] : nil
                }
            }
            if !item.required && answer == nil {
                answers.append(nil)
                continue
            }
            answers.append(answer)
            if let answer { byName[item.name] = answer }
        }
        return answers
    }

    /// The member's rating in the population, when there is one.
    private func fixedRating(unit: String, row: Int) -> String? {
        guard let population, let member = populationMember?.string(row) else { return nil }
        return String(population.answer(member: member, cluster: populationCluster?.string(row) ?? "", unit: unit, scale: questionnaire.scale))
    }

    /// A tier code: don't know with the unit's share, else the latent value cut into tiers.
    private func rating(unit: String, leniency: Double) -> String {
        let scale = questionnaire.scale
        if let dontKnow = scale.special(role: .dontKnow), rng.uniform() < (unknownShare[unit] ?? 0.05) {
            return String(dontKnow.code)
        }
        if let refused = scale.special(role: .refused), rng.uniform() < 0.004 { return String(refused.code) }
        let latent = (quality[unit] ?? Double(stableHash(unit) % 1000) / 700) + leniency + 0.8 * rng.normal()
        // Tiers are best first: the higher the latent value, the earlier the tier.
        let tiers = scale.tiers
        let cuts = (1..<tiers.count).map { 1.6 - 1.1 * Double($0) }
        for (i, cut) in cuts.enumerated() where latent > cut { return String(tiers[i].code) }
        return String(tiers[tiers.count - 1].code)
    }

    private func number(item: Item, minimum: Double?, maximum: Double?, decimals: Int, row: Int) -> String? {
        if item.name == "members", let m = membersColumn?.integer(row) { return String(m) }
        let lo = minimum ?? 0
        let hi = maximum ?? lo + 100
        let value = lo + (hi - lo) * rng.uniform() * rng.uniform()
        if decimals == 0 { return String(Int(value.rounded(.down))) }
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        return formatDecimal((value * p).rounded(.down) / p)
    }

    static let suggestions = ["希望加快审批速度", "办事窗口服务态度有待提高", "建议加强环境整治", "希望多公开政策信息",
                              "道路维修不及时", "总体满意，继续努力", "建议改善农村饮水条件", "希望减少重复提交材料"]
}

/// FNV-1a of a string's UTF-8, stable across runs and machines.
func stableHash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
