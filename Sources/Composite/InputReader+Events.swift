import Formats

/// Events, public scores, last year's result, and the final completeness check.
extension InputReader {
    /// The most points one bonus or penalty may carry: the whole 100-point scale.
    static let largestPoints = 100.0

    // MARK: Events (E.csv)

    mutating func readEvents(_ input: InputTable) throws(CompositeError) {
        var duplicates = DuplicateCheck()
        for row in 0..<input.rowCount {
            let u = try knownUnit(input, row)
            let unit = units[u].id
            let classID = units[u].classID
            let kindText = try input.required("kind", row)
            guard let kind = EventKind(rawValue: kindText) else {
                throw input.error(row, field: "kind", "'\(kindText)' is not bonus, penalty or veto (unit \(unit))")
            }
            let code = try input.required("code", row)
            let item = input.text("item", row)
            let given = try input.number("points", row)
            try duplicates.check([unit, kindText, code, item ?? ""], in: input, row: row,
                                 what: "unit \(unit), \(kindText) \(code)\(item.map { ", item \($0)" } ?? "")")
            switch kind {
            case .bonus, .penalty:
                guard let table = scheme.table(kind) else {
                    throw input.error(row, field: "kind", "scheme \(scheme.id) has no \(kindText) table (unit \(unit))")
                }
                guard let entry = table.code(code) else {
                    throw input.error(row, field: "code", "code '\(code)' is not in the \(kindText) table of scheme \(scheme.id) (unit \(unit))",
                                      hint: "the codes are \(table.codes.map(\.code).joined(separator: ", "))")
                }
                guard table.classes.isEmpty || table.classes.contains(classID) else {
                    throw input.rowError(row, "the \(kindText) table applies to \(table.classes.joined(separator: ", ")), not to class '\(classID)' (unit \(unit))")
                }
                try checkPoints(given, entry: entry, input: input, row: row, unit: unit)
            case .veto:
                guard let veto = scheme.vetoes.first(where: { $0.code == code }) else {
                    throw input.error(row, field: "code", "code '\(code)' is not a veto of scheme \(scheme.id) (unit \(unit))",
                                      hint: scheme.vetoes.isEmpty ? "the scheme has no vetoes" : "the vetoes are \(scheme.vetoes.map(\.code).joined(separator: ", "))")
                }
                guard veto.classes.isEmpty || veto.classes.contains(classID) else {
                    throw input.rowError(row, "veto '\(code)' applies to \(veto.classes.joined(separator: ", ")), not to class '\(classID)' (unit \(unit))")
                }
                if given != nil { throw input.error(row, field: "points", "a veto has no points (unit \(unit))", hint: "leave points empty") }
            }
            units[u].events.append(UnitEvent(kind: kind, code: code, item: item, points: given))
        }
    }

    func checkPoints(_ given: Double?, entry: PointsCode, input: InputTable, row: Int, unit: String) throws(CompositeError) {
        switch entry.points {
        case .fixed(let points):
            if let given, abs(given - points) > 1e-9 {
                throw input.error(row, field: "points", "code '\(entry.code)' is worth \(number(points)), found \(number(given)) (unit \(unit))",
                                  hint: "leave points empty for codes with fixed points")
            }
        case .range(let low, let high):
            guard let given else {
                throw input.error(row, field: "points", "is empty, but code '\(entry.code)' needs its points (unit \(unit))",
                                  hint: "write the points decided, \(high.map { "\(number(low))–\(number($0))" } ?? "at least \(number(low))")")
            }
            if given < low - 1e-9 || given > (high ?? .infinity) + 1e-9 {
                throw input.error(row, field: "points", "\(number(given)) is outside \(number(low))–\(high.map(number) ?? "∞") for code '\(entry.code)' (unit \(unit))")
            }
            // A code without a cap still scores on the 100-point basis.
            if high == nil && !(given <= InputReader.largestPoints) {
                throw input.error(row, field: "points", "\(number(given)) points for code '\(entry.code)' cannot be right on the 100-point basis (unit \(unit))",
                                  hint: "give the points decided, at most \(number(InputReader.largestPoints))")
            }
        }
    }

    // MARK: Public scores

    /// Reads the public scores; returns whether every file carries standard errors.
    mutating func readPublic(_ files: [PublicScores]) throws(CompositeError) -> Bool {
        var origins: [String: String] = [:]
        var allHaveErrors = true
        for file in files {
            let input = try InputTable(file.table, role: "public scores (pingyi score output)", required: [ScoresFormat.unit, ScoresFormat.score],
                                       format: ScoresFormat.format)
            if let by = ScoresFormat.byColumn(in: file.table.names), by != ScoresFormat.period {
                throw CompositeError(file: input.file, line: 1, message: "the scores are split by '\(by)'; the public component needs one score per unit (and period)",
                                     hint: "run pingyi score without --by, or with --by period")
            }
            if file.period != nil && input.has(ScoresFormat.period) {
                throw CompositeError(.usage, file: input.file, line: 1, message: "the file has a period column and was also given for period \(file.period ?? "")",
                                     hint: "give --public FILE for a file with a period column")
            }
            allHaveErrors = allHaveErrors && input.has(ScoresFormat.scoreSE)
            publicFiles[file.period ?? ""] = input.file
            for row in 0..<input.rowCount {
                let u = try knownUnit(input, row)
                let unit = units[u].id
                guard let unitClass = scheme.unitClass(units[u].classID), let leaf = unitClass.publicLeaf else {
                    throw input.error(row, field: "unit", "unit \(unit) is in class '\(units[u].classID)', which has no public component in scheme \(scheme.id)",
                                      hint: "remove its row, or check the unit's class")
                }
                let period = file.period ?? input.text(ScoresFormat.period, row) ?? ""
                try checkPeriod(period, of: leaf, input: input, row: row, unit: unit)
                let key = unit + "\u{1F}" + period
                if let first = origins[key] {
                    throw input.rowError(row, "duplicate public score for unit \(unit)\(period.isEmpty ? "" : ", period \(period)") (also \(first))",
                                         hint: "keep one of them")
                }
                origins[key] = "\(input.file):\(input.line(row))"
                let score = try input.requiredNumber(ScoresFormat.score, row)
                if !(0...100).contains(score) {
                    throw input.error(row, field: ScoresFormat.score, "\(number(score)) is outside 0–100 (unit \(unit))", hint: "the public score is on the 100-point basis")
                }
                var se: Double?
                if input.has(ScoresFormat.scoreSE) {
                    se = try input.requiredNumber(ScoresFormat.scoreSE, row)
                    if let s = se, !(s >= 0) { throw input.error(row, field: ScoresFormat.scoreSE, "must not be negative (unit \(unit))") }
                    if let s = se, !(s <= 100) {
                        throw input.error(row, field: ScoresFormat.scoreSE, "\(number(s)) cannot be the standard error of a score on the 100-point basis (unit \(unit))",
                                          hint: "use pingyi score output")
                    }
                }
                let rate = try input.number(ScoresFormat.rate, row)
                if let rate, !(0...1).contains(rate) {
                    throw input.error(row, field: ScoresFormat.rate, "\(number(rate)) is outside 0–1 (unit \(unit))", hint: "the satisfaction rate is a share, e.g. 0.85")
                }
                if rate == nil, let rule = scheme.rateRule, rule.classes.isEmpty || rule.classes.contains(unitClass.id) {
                    throw input.error(row, field: ScoresFormat.rate, "is missing, but the scheme's rule “\(rule.label)” needs the satisfaction rate (unit \(unit))",
                                      hint: "use pingyi score output, which has a rate column")
                }
                units[u].publicScores[period] = PublicCell(score: score, se: se, rate: rate)
            }
        }
        return allHaveErrors
    }

    // MARK: Replicates of the public scores

    /// Reads the public scores' replicates (`pingyi score --replicates-out`, one file per public
    /// file, the same periods): every unit with a public score needs replicates 0…R with
    /// replicate 0 equal to its score, and every file the same R. Returns R.
    mutating func readReplicates(_ files: [PublicScores]) throws(CompositeError) -> Int {
        typealias F = ReplicatesFormat
        var count: Int? = nil
        var found: [String: [Double]] = [:]
        var origins: [String: String] = [:]
        for file in files {
            let input = try InputTable(file.table, role: "replicate scores (pingyi score --replicates-out)",
                                       required: [F.unit, F.replicate, F.score], format: F.format)
            if let by = F.byColumn(in: file.table.names), by != ScoresFormat.period {
                throw CompositeError(file: input.file, line: 1, message: "the replicates are split by '\(by)'; the public component needs one score per unit (and period)",
                                     hint: "write them with pingyi score combine --replicates-out, as the public scores")
            }
            var row = 0
            while row < input.rowCount {
                let u = try knownUnit(input, row)
                let unit = units[u].id
                let period = file.period ?? input.text(ScoresFormat.period, row) ?? ""
                let key = unit + "\u{1F}" + period
                if let first = origins[key] {
                    throw input.rowError(row, "unit \(unit)\(period.isEmpty ? "" : ", period \(period)") has replicates twice (also from \(first))",
                                         hint: "give each unit's replicates 0…R once")
                }
                origins[key] = "\(input.file):\(input.line(row))"
                var values: [Double] = []
                while row < input.rowCount, input.text(F.unit, row) == unit, (file.period ?? input.text(ScoresFormat.period, row) ?? "") == period {
                    guard let r = try input.number(F.replicate, row), r == Double(values.count) else {
                        throw input.error(row, field: F.replicate, "'\(input.text(F.replicate, row) ?? "")' where replicate \(values.count) of unit \(unit) belongs",
                                          hint: "give each unit's replicates 0…R in order, as pingyi score --replicates-out writes them")
                    }
                    let value = try input.number(F.score, row) ?? .nan
                    if !value.isNaN && !(0...100).contains(value) {
                        throw input.error(row, field: F.score, "\(number(value)) is outside 0–100 (unit \(unit))", hint: "give pingyi score --replicates-out output")
                    }
                    values.append(value)
                    row += 1
                }
                let replicates = values.count - 1
                if let count, count != replicates {
                    throw input.error(row - 1, field: F.replicate, "unit \(unit) has \(replicates) replicates, the units before it \(count)",
                                      hint: "give the replicates of one scoring")
                }
                guard replicates >= 1 else {
                    throw input.error(row - 1, field: F.replicate, "unit \(unit) has no replicate beyond the estimate (replicate 0)",
                                      hint: "give pingyi score --replicates-out output")
                }
                count = replicates
                guard let cell = units[u].publicScores[period] else {
                    throw input.error(row - 1, field: F.unit, "unit \(unit)\(period.isEmpty ? "" : ", period \(period)") has replicates but no public score",
                                      hint: "give the replicates of the --public scores")
                }
                guard abs(values[0] - cell.score) <= 1e-9 * max(1, abs(cell.score)) else {
                    throw input.error(row - 1, field: F.score,
                                      "unit \(unit)'s replicate 0 is \(number(values[0])) but its public score is \(number(cell.score))",
                                      hint: "give the replicate file written with the public scores (pingyi score or score combine --replicates-out)")
                }
                found[key] = Array(values.dropFirst())
            }
        }
        for u in units.indices {
            for (period, cell) in units[u].publicScores {
                guard let values = found[units[u].id + "\u{1F}" + period] else {
                    throw CompositeError(file: files.first?.table.source ?? "", line: nil,
                                         message: "unit \(units[u].id)\(period.isEmpty ? "" : ", period \(period)") has a public score but no replicates",
                                         hint: "give the replicate file written with the public scores (pingyi score or score combine --replicates-out)")
                }
                units[u].publicScores[period] = PublicCell(score: cell.score, se: cell.se, rate: cell.rate, replicates: values)
            }
        }
        return count ?? 0
    }

    // MARK: Previous year

    mutating func readPrevious(_ input: InputTable) throws(CompositeError) {
        var duplicates = DuplicateCheck()
        var ranks: [(unit: Int, rank: Int, group: String)] = []
        for row in 0..<input.rowCount {
            let u = try knownUnit(input, row)
            try duplicates.check([units[u].id], in: input, row: row, what: "unit \(units[u].id)")
            let rank = try input.requiredNumber(CompositeResultFormat.rank, row)
            guard rank >= 1, rank == rank.rounded() else {
                throw input.error(row, field: CompositeResultFormat.rank, "\(number(rank)) is not a rank (unit \(units[u].id))", hint: "ranks are whole numbers from 1")
            }
            ranks.append((u, Int(rank), input.text(CompositeResultFormat.unitClass, row) ?? units[u].classID))
        }
        var worst: [String: Int] = [:]
        for r in ranks { worst[r.group] = max(worst[r.group] ?? 0, r.rank) }
        for r in ranks {
            units[r.unit].lastLastYear = r.rank == worst[r.group]
            units[r.unit].previousRank = (r.rank, worst[r.group] ?? r.rank)
        }
    }

    // MARK: Completeness

    /// Every unit has a value for every leaf and period of its class.
    func checkComplete(publicGiven: Bool, components file: String) throws(CompositeError) {
        for unit in units {
            guard let unitClass = scheme.unitClass(unit.classID) else { continue }
            for leaf in unitClass.leaves {
                let periods = leaf.periodIDs.isEmpty ? [""] : leaf.periodIDs
                for period in periods {
                    let which = "component \(leaf.id) (\(leaf.label))\(period.isEmpty ? "" : ", period \(period)")"
                    if leaf.source == .public {
                        guard publicGiven else {
                            throw CompositeError(.usage, file: scheme.file, message: "class '\(unitClass.id)' has a public component, \(leaf.id) (\(leaf.label)), but no public scores were given",
                                                 hint: "give --public SCORES.csv (pingyi score output)")
                        }
                        if unit.publicScores[period] == nil {
                            let source = publicFiles[period] ?? publicFiles[""] ?? publicFiles.values.sorted().first ?? file
                            throw CompositeError(file: source, message: "unit \(unit.id) has no public score for \(which)",
                                                 hint: "the public scores must cover every unit of class '\(unitClass.id)'\(period.isEmpty ? "" : " in every period")")
                        }
                    } else if unit.values[ValueKey(component: leaf.id, period: period)] == nil {
                        throw CompositeError(file: file, line: unit.line, message: "unit \(unit.id) (\(unitClass.id)) has no value for \(which)",
                                             hint: leaf.source == .indicators ? "add its indicators to the indicators file, or its score here"
                                                 : "add a row \(unit.id),\(unitClass.id),\(leaf.id),\(period),VALUE")
                    }
                }
            }
        }
    }
}
