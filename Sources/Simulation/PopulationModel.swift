public import Formats
import Foundation
public import Questionnaire
public import Tables

/// A simulated population in which every member (household, deputy, enterprise) has a fixed
/// opinion of every evaluated unit, so that each unit's true score is known exactly: the ground
/// truth of a coverage study (do the intervals cover what they claim?). Clearly not real data.
///
/// A member's latent satisfaction with unit u is μ_u + σ_c·z_cu + σ_m·z_mu: the unit's mean, an
/// effect of the member's cluster (village or community: neighbours judge alike) and the
/// member's own, all standard normals drawn from a hash of the seed and the ids — not from a
/// random stream — so the same member always gives the same answer, whichever sample takes it.
/// The latent value is cut into the scale's tiers at 1.0, 0.2, −0.6 (four tiers; evenly spread
/// for other scales); a member answers "don't know" with probability ``dontKnowShare``, also by
/// hash. A town's own-town item is answered by its own members only.
public struct PopulationModel: Codable, Sendable, Equatable {
    public var seed: UInt32
    /// The frame columns: the member's id, their cluster's, their town's.
    public var memberColumn: String
    public var clusterColumn: String
    public var townColumn: String
    public var dontKnowShare: Double
    public var clusterSD: Double
    public var memberSD: Double

    public init(seed: UInt32, memberColumn: String, clusterColumn: String, townColumn: String = RespondentListFormat.townID,
                dontKnowShare: Double = 0.07, clusterSD: Double = 0.35, memberSD: Double = 1.0) {
        self.seed = seed
        self.memberColumn = memberColumn
        self.clusterColumn = clusterColumn
        self.townColumn = townColumn
        self.dontKnowShare = dontKnowShare
        self.clusterSD = clusterSD
        self.memberSD = memberSD
    }

    /// The unit's mean latent satisfaction: spread over −0.3…1.3, so that some units are mostly
    /// satisfied and a few clearly weaker.
    func mean(of unit: String) -> Double {
        -0.3 + 1.6 * uniform(key(unit, "mean"))
    }

    /// The code a member answers for a unit (a tier, or the scale's don't-know code).
    public func answer(member: String, cluster: String, unit: String, scale: Scale) -> Int {
        if let dontKnow = scale.special(role: .dontKnow), uniform(key(unit, "dk", member)) < dontKnowShare {
            return dontKnow.code
        }
        let latent = mean(of: unit) + clusterSD * normal(key(unit, "cluster", cluster)) + memberSD * normal(key(unit, "member", member))
        let tiers = scale.tiers
        let cuts = tiers.count == 4 ? [1.0, 0.2, -0.6] : (1..<tiers.count).map { 1.4 - 2.8 * Double($0) / Double(tiers.count) }
        for (i, cut) in cuts.enumerated() where latent > cut { return tiers[i].code }
        return tiers[tiers.count - 1].code
    }

    /// One unit's value in the whole population: members with an opinion, the don't-know share,
    /// the score (mean tier score) and the rate (share satisfied), don't-know answers left out
    /// of both as `pingyi score` leaves them out.
    public struct Truth: Sendable, Equatable {
        public var unit: String
        public var members: Int
        public var dontKnow: Double
        public var score: Double
        public var rate: Double
    }

    /// The true value of every unit the questionnaire asks about, over the frame rows `rows`:
    /// departments over every member, each town's own-town item over the town's members.
    public func truth(frame: Table, rows: [Int], questionnaire q: Questionnaire) throws(TablesError) -> [Truth] {
        let members = try frame.column(memberColumn, purpose: "the member id of the population model")
        let clusters = try frame.column(clusterColumn, purpose: "the cluster of the population model")
        let towns = q.ownTown == nil ? nil : try frame.column(townColumn, purpose: "the town of the own-town item")
        let scale = q.scale
        var sums: [String: (members: Int, dk: Int, score: Double, satisfied: Int)] = [:]
        for r in rows {
            let member = members.string(r) ?? "", cluster = clusters.string(r) ?? ""
            var rated = q.units.map(\.id)
            if let town = towns?.string(r) { rated.append(town) }
            for unit in rated {
                let code = answer(member: member, cluster: cluster, unit: unit, scale: scale)
                var s = sums[unit] ?? (0, 0, 0, 0)
                if let tier = scale.tier(code: code) {
                    s.members += 1
                    s.score += tier.score
                    if tier.satisfied { s.satisfied += 1 }
                } else {
                    s.dk += 1
                }
                sums[unit] = s
            }
        }
        let order = q.units.map(\.id) + (q.ownTown?.towns.map(\.id) ?? [])
        return order.compactMap { unit in
            guard let s = sums[unit], s.members > 0 else { return nil }
            return Truth(unit: unit, members: s.members, dontKnow: Double(s.dk) / Double(s.members + s.dk),
                         score: s.score / Double(s.members), rate: Double(s.satisfied) / Double(s.members))
        }
    }

    /// truth.csv (``Formats/TruthFormat``): `unit,members,dont_know,score,rate` (the truth a
    /// coverage study compares with).
    public static func csv(_ truth: [Truth]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(TruthFormat.header)
        for t in truth { writer.writeRow([t.unit, String(t.members), formatDecimal(t.dontKnow), formatDecimal(t.score), formatDecimal(t.rate)]) }
        return writer.bytes
    }

    // MARK: Hashed draws

    private func key(_ parts: String...) -> UInt64 {
        var h = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        for part in parts {
            h = mix(h ^ stableHash(part))
            h = mix(h &+ 0x2545_F491_4F6C_DD1D)
        }
        return h
    }

    /// SplitMix64's finaliser.
    private func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform in (0, 1) from a key.
    private func uniform(_ key: UInt64) -> Double {
        (Double(mix(key) >> 11) + 0.5) / 9_007_199_254_740_992
    }

    /// A standard normal from a key (Box–Muller).
    private func normal(_ key: UInt64) -> Double {
        let u = uniform(key), v = uniform(mix(key ^ 0x5851_F42D_4C95_7F2D))
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

extension PopulationModel {
    /// The model as pretty JSON with sorted keys (population.json).
    public func encoded() throws(SimulationError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { return Array(try encoder.encode(self)) + [0x0A] } catch {
            throw SimulationError(message: "cannot encode the population model (\(error))")
        }
    }

    /// Reads population.json.
    public static func read(path: String) throws(SimulationError) -> PopulationModel {
        do {
            return try JSONDecoder().decode(PopulationModel.self, from: Data(try readTextFile(path: path).utf8))
        } catch let error as TablesError {
            throw SimulationError(message: error.description)
        } catch {
            throw SimulationError(message: "\(path): not a population model written by pingyi simulate population (\(error))")
        }
    }
}
