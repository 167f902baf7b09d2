public import Composite
public import Formats
public import Questionnaire
public import Tables

/// What `pingyi report` was asked to do: its input files and the facts given on the command line.
public struct ReportRequest: Sendable {
    /// Score files: at most one without a by column (all respondents, or the groups combined),
    /// and any split by a column (one part of the report per respondent group).
    public var scores: [String]
    public var distribution: String?
    public var composite: String?
    public var scheme: String?
    public var rates: String?
    public var manifests: [String] = []
    public var units: String?
    /// The satisfaction scale, to colour tiers as satisfied, unsatisfied or special.
    public var scale: String?
    public var title = "公众评议结果报告"
    /// The date the report and feedback sheets are issued; the review deadline counts from it.
    public var issued: CivilDate?
    /// Working days a unit has to ask for a review (seed 004: 2).
    public var reviewDays = 2
    public var holidays: Set<CivilDate> = []
    public var workdays: Set<CivilDate> = []
    /// Who issues the feedback sheets (绩效考核办公室).
    public var issuer = "绩效考核办公室"
    /// Field dates, weighting: free text for the disclosure section.
    public var fieldwork: String?
    public var weighting: String?
    /// "pingyi 0.1.0", printed at the foot of the page.
    public var generator = "pingyi"
    public var csv = CSVOptions()

    public init(scores: [String]) {
        self.scores = scores
    }

    /// The review deadline: `reviewDays` working days after `issued`.
    public var reviewDeadline: CivilDate? {
        issued?.addingWorkingDays(reviewDays, holidays: holidays, workdays: workdays)
    }
}

/// Every input of a report, read and checked against each other: units of the scores, the
/// distribution and the composite result are in the units file, the distribution matches the
/// scores, RESULT.csv matches its scheme.
public struct ReportContent: Sendable {
    public let request: ReportRequest
    public let units: UnitDirectory
    public let scoreFiles: [ScoreFile]
    /// The parts of the report: the scores without a by column first, then each by value of each
    /// split file.
    public let scoreSets: [ScoreSet]
    public let distribution: DistributionFile?
    public let composite: CompositeTable?
    public let rates: RatesFile?
    public let surveys: [SurveyFacts]
    public let scale: Scale?

    /// Reads and checks all inputs; the first problem is thrown.
    public static func load(_ request: ReportRequest) throws(ReportError) -> ReportContent {
        if (request.composite == nil) != (request.scheme == nil) {
            throw ReportError(.usage, file: request.composite ?? request.scheme ?? "pingyi report",
                              message: "--composite and --scheme go together", hint: "give the RESULT.csv and the scheme it was computed with")
        }
        if request.composite != nil && request.issued == nil {
            throw ReportError(.usage, file: request.composite ?? "", message: "the feedback sheets need the date they are issued",
                              hint: "give --issued YYYY-MM-DD; the review deadline counts \(request.reviewDays) working days from it")
        }
        let units = try request.units.map { (path) throws(ReportError) in try UnitDirectory.read(path: path, options: request.csv) } ?? .idsOnly
        guard !request.scores.isEmpty else {
            throw ReportError(.usage, file: "pingyi report", message: "no scores were given", hint: "give --scores SCORES.csv (pingyi score output)")
        }
        var scoreFiles: [ScoreFile] = []
        for path in request.scores {
            let file = try ScoreFile.read(path: path, units: units, options: request.csv)
            if file.by == nil, let other = scoreFiles.first(where: { $0.by == nil }) {
                throw ReportError(.usage, file: file.file, message: "both this and \(other.file) have no by column",
                                  hint: "give one overall score file and any number split by a column (pingyi score --by group)")
            }
            if let by = file.by, let other = scoreFiles.first(where: { $0.by == by }) {
                throw ReportError(.usage, file: file.file, message: "both this and \(other.file) are split by '\(by)'",
                                  hint: "give one score file per by column")
            }
            scoreFiles.append(file)
        }
        let sets = scoreFiles.sorted { ($0.by == nil ? 0 : 1) < ($1.by == nil ? 0 : 1) }
            .flatMap { file in file.groups.map { ScoreSet(group: $0, scores: file.scores(in: $0)) } }
        let scored = Set(scoreFiles.flatMap { $0.scores.map(\.unit) + $0.unscored.map(\.unit) })
        let distribution = try request.distribution.map { (path) throws(ReportError) in
            try DistributionFile.read(path: path, units: units, scored: scored, options: request.csv)
        }
        var composite: CompositeTable?
        if let path = request.composite, let schemePath = request.scheme {
            let scheme = try Scheme.load(path: schemePath)
            composite = try CompositeTable.read(path: path, scheme: scheme, units: units, options: request.csv)
        }
        let rates = try request.rates.map { (path) throws(ReportError) in try RatesFile.read(path: path, options: request.csv) }
        var surveys: [SurveyFacts] = []
        for path in request.manifests {
            surveys.append(try SurveyFacts.read(manifest: path))
        }
        var scale: Scale?
        if let path = request.scale {
            do { scale = try Scale.load(path: path) } catch { throw ReportError(error) }
            if let distribution, let scale {
                for tier in distribution.tiers where scale.label(code: tier.code) == nil {
                    throw ReportError(file: distribution.file, message: "tier code \(tier.code) (\(tier.label)) is not on the scale \(scale.id)",
                                      hint: "give the --scale the answers were scored with (its codes are \(scale.codesDescription))")
                }
            }
        }
        return ReportContent(request: request, units: units, scoreFiles: scoreFiles, scoreSets: sets, distribution: distribution,
                             composite: composite, rates: rates, surveys: surveys, scale: scale)
    }

    /// The class of a unit: from the composite result, else the units file.
    func unitClass(_ unit: String) -> String? {
        composite?.row(unit: unit)?.unitClass ?? units[unit]?.unitClass
    }

    /// Chinese label of a class: the scheme's, else a name for the shipped classes, else the id.
    func classLabel(_ id: String) -> String {
        if let label = composite?.scheme.classLabel(id) { return label }
        switch id {
        case "department": return "部门"
        case "town": return "乡镇"
        default: return id
        }
    }

    /// Classes of the scored units in order of first appearance (for colours and legends).
    var scoredClasses: [String] {
        uniqued(allScores.compactMap { unitClass($0.unit) })
    }

    /// Every score of every part.
    var allScores: [PublicScore] {
        scoreSets.flatMap(\.scores)
    }

    /// The part without a by column, if any: the unit's overall result.
    var overall: ScoreSet? {
        scoreSets.first { $0.group == nil }
    }
}
