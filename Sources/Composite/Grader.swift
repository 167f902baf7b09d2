/// A unit as the grading sees it: its published (rounded) score and what it may not get.
struct Contender {
    let unitID: String
    /// The rounded score in units of 10⁻ᵈ (d = the scheme's decimals), so ties are exact.
    let score: Int
    let withdrawn: [String: String]
    let assigned: (grade: String, reason: String)?
    let lastLastYear: Bool?
    let previousRank: (rank: Int, of: Int)?
}

/// Rank, grade and the reasons for one unit.
struct GradeOutcome: Equatable {
    var rank = 0
    var grade: String?
    var notes: [String] = []
}

/// Ranks the units of one class and gives their grades.
///
/// Ranking: by score, highest first; equal (rounded) scores share a rank and the next rank skips
/// (1, 2, 2, 4). Grading, in this order:
/// 1. a grade fixed by a veto (`assign`);
/// 2. the fail rule: a score below `fail.below`, or last this year and last year → `fail.grade`;
/// 3. the tiers from the best grade down, over the units left in rank order: a unit gets a tier's
///    grade when the grade was not withdrawn from it (veto, satisfaction rate), its score reaches
///    `min_score`, and the quota has a place. Quotas count places among all units of the class
///    (`share` rounded half up). Units passed over leave their place to the next unit.
///    Units tied on the score at the end of a quota: if all fit they all get the grade;
///    otherwise `ties: exclude` gives none of them the grade (the quota is never exceeded) and
///    `ties: include` gives all of them the grade (the quota is exceeded); either way each is
///    noted for a decision. A quota `count: {min, max}` that cannot be filled is noted.
/// 4. the last tier takes every unit left.
/// Flags add notes (`below`, `top`, `bottom`) without changing grades; a unit is among the
/// bottom N when its rank is above n − N (units tied across that line share the better rank).
///
/// - Complexity: O(n log n) for n units.
struct Grader {
    let grading: Grading?
    let flags: [Flag]
    let decimals: Int

    func run(_ units: [Contender], notes wanted: Bool) -> [GradeOutcome] {
        let n = units.count
        var out = [GradeOutcome](repeating: GradeOutcome(), count: n)
        let order = units.indices.sorted { units[$0].score != units[$1].score ? units[$0].score > units[$1].score : units[$0].unitID < units[$1].unitID }
        for (position, i) in order.enumerated() {
            out[i].rank = position > 0 && units[order[position - 1]].score == units[i].score ? out[order[position - 1]].rank : position + 1
        }
        let lastRank = order.last.map { out[$0].rank } ?? 0
        if let grading {
            grade(units, order: order, grading: grading, lastRank: lastRank, into: &out, notes: wanted)
        }
        if wanted {
            for i in units.indices {
                for flag in flags {
                    let low = flag.below.map { units[i].score < scaled($0) } ?? true
                    let top = flag.top.map { out[i].rank <= $0 } ?? true
                    let bottom = flag.bottom.map { out[i].rank > n - $0 } ?? true
                    if low && top && bottom { out[i].notes.append(flag.text) }
                }
            }
        }
        return out
    }

    private func grade(_ units: [Contender], order: [Int], grading: Grading, lastRank: Int,
                       into out: inout [GradeOutcome], notes wanted: Bool) {
        let n = units.count
        // 1–2: grades fixed before the tiers.
        for i in order {
            if let assigned = units[i].assigned {
                out[i].grade = assigned.grade
                continue
            }
            guard let fail = grading.fail else { continue }
            if let below = fail.below, units[i].score < scaled(below) {
                out[i].grade = fail.grade
                if wanted { out[i].notes.append("得分\(show(units[i].score))低于\(number(below))分，评为\(fail.grade)") }
            } else if fail.lastTwoYears, out[i].rank == lastRank, units[i].lastLastYear == true {
                out[i].grade = fail.grade
                if wanted {
                    let before = units[i].previousRank.map { "上年第\($0.rank)名/共\($0.of)名，" } ?? ""
                    out[i].notes.append("连续两年排名最后（\(before)本年第\(out[i].rank)名/共\(n)名），评为\(fail.grade)")
                }
            }
        }
        // 3–4: the tiers.
        var remaining = order.filter { out[$0].grade == nil }
        var failure: [Int: String] = [:]
        var classNotes: [String] = []
        for (k, tier) in grading.grades.enumerated() {
            if k == grading.grades.count - 1 {
                for i in remaining {
                    out[i].grade = tier.grade
                    if wanted {
                        if let reason = failure[i] { out[i].notes.append(reason) }
                        out[i].notes.append("评为\(tier.grade)")
                    }
                }
                break
            }
            let places = tier.quota?.places(of: n)
            var awarded = 0
            var closed = false
            var next: [Int] = []
            var start = 0
            while start < remaining.count {
                var end = start + 1
                while end < remaining.count && units[remaining[end]].score == units[remaining[start]].score { end += 1 }
                let group = Array(remaining[start..<end])
                start = end
                let score = units[group[0]].score
                var eligible: [Int] = []
                for i in group {
                    if units[i].withdrawn[tier.grade] != nil {
                        failure[i] = nil
                    } else if let min = tier.minScore, score < scaled(min) {
                        if wanted { failure[i] = "得分\(show(score))低于\(tier.grade)最低分\(number(min))分" }
                    } else {
                        eligible.append(i)
                    }
                }
                var winners: [Int] = []
                if let places {
                    let left = places - awarded
                    if closed || left <= 0 {
                        for i in eligible where wanted { failure[i] = "排名第\(out[i].rank)名，超出\(tier.grade)名额（\(places)名）" }
                    } else if eligible.count <= left {
                        winners = eligible
                    } else {
                        closed = true
                        if grading.ties == .include { winners = eligible }
                        if wanted {
                            for i in eligible {
                                let others = eligible.filter { $0 != i }.map { units[$0].unitID }.joined(separator: "、")
                                let what = grading.ties == .include
                                    ? "按方案（ties: include）均评为\(tier.grade)，超出名额\(eligible.count - left)名，请研究确认"
                                    : "按方案（ties: exclude）均不评\(tier.grade)，请研究决定"
                                out[i].notes.append("与\(others)同分（\(show(score))）并列第\(out[i].rank)名，\(tier.grade)名额仅余\(left)名，\(what)")
                            }
                        }
                        for i in eligible { failure[i] = nil }
                    }
                } else {
                    winners = eligible
                }
                awarded += winners.count
                for i in winners {
                    out[i].grade = tier.grade
                    if wanted {
                        if let reason = failure[i] { out[i].notes.append(reason) }
                        out[i].notes.append(awardNote(tier, rank: out[i].rank, places: places))
                    }
                }
                next += group.filter { out[$0].grade == nil }
            }
            if wanted, case .count(let min, _) = tier.quota, awarded < min {
                classNotes.append("本类\(tier.grade)\(awarded)名，少于方案规定的\(min)名（符合条件的单位不足）")
            }
            remaining = next
        }
        for i in units.indices { out[i].notes += classNotes }
    }

    private func awardNote(_ tier: GradeTier, rank: Int, places: Int?) -> String {
        var conditions: [String] = []
        if let places { conditions.append("排名第\(rank)名，在名额（\(places)名）内") }
        if let min = tier.minScore { conditions.append("得分不低于\(number(min))分") }
        return conditions.isEmpty ? "评为\(tier.grade)" : "评为\(tier.grade)：\(conditions.joined(separator: "，"))"
    }

    /// A threshold in score units, rounded to the scheme's decimals.
    func scaled(_ value: Double) -> Int {
        ScoreRounding.units(value, decimals: decimals)
    }

    func show(_ units: Int) -> String {
        ScoreRounding.text(units: units, decimals: decimals)
    }
}

/// Rounding of published scores: half away from zero at `decimals` places, after snapping the
/// scaled value to 10⁻⁶ so that binary noise (89.99499999… for 89.995) does not change the result.
enum ScoreRounding {
    static func units(_ value: Double, decimals: Int) -> Int {
        let scaled = value * factor(decimals)
        let snapped = (scaled * 1e6).rounded() / 1e6
        return Int(snapped.rounded(.toNearestOrAwayFromZero))
    }

    static func value(units: Int, decimals: Int) -> Double {
        Double(units) / factor(decimals)
    }

    /// Fixed-point text of a rounded value: `units 9050, decimals 2` → "90.50".
    static func text(units: Int, decimals: Int) -> String {
        guard decimals > 0 else { return String(units) }
        let magnitude = units.magnitude
        let f = UInt(factor(decimals))
        var fraction = String(magnitude % f)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        return (units < 0 ? "-" : "") + "\(magnitude / f).\(fraction)"
    }

    /// `value` rounded and written with `decimals` places.
    static func text(_ value: Double, decimals: Int) -> String {
        text(units: units(value, decimals: decimals), decimals: decimals)
    }

    static func factor(_ decimals: Int) -> Double {
        var f = 1.0
        for _ in 0..<decimals { f *= 10 }
        return f
    }
}
