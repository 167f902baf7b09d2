import Composite
public import Questionnaire
public import Tables

/// What `pingyi report` was asked to do: its input files and the facts given on the command line.
public struct ReportRequest: Sendable {
    public var scores: String
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

    public init(scores: String) {
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
    public let scores: ScoreFile
    public let distribution: TierDistribution?
    public let composite: CompositeTable?
    public let rates: ResponseRates?
    public let surveys: [SurveyFacts]
    public let scale: Scale?

    /// Reads and checks all inputs; the first problem is thrown.
    public static func load(_ request: ReportRequest) throws(ReportError) -> ReportContent {
        if (request.composite == nil) != (request.scheme == nil) {
            throw ReportError(.usage, file: request.composite ?? request.scheme ?? request.scores,
                              message: "--composite and --scheme go together", hint: "give the RESULT.csv and the scheme it was computed with")
        }
        if request.composite != nil && request.issued == nil {
            throw ReportError(.usage, file: request.composite ?? "", message: "the feedback sheets need the date they are issued",
                              hint: "give --issued YYYY-MM-DD; the review deadline counts \(request.reviewDays) working days from it")
        }
        let units = try request.units.map { (path) throws(ReportError) in try UnitDirectory.read(path: path, options: request.csv) } ?? .idsOnly
        let scores = try ScoreFile.read(path: request.scores, units: units, options: request.csv)
        let distribution = try request.distribution.map { (path) throws(ReportError) in
            try TierDistribution.read(path: path, scores: scores, options: request.csv)
        }
        var composite: CompositeTable?
        if let path = request.composite, let schemePath = request.scheme {
            let scheme: Scheme
            do { scheme = try Scheme.load(path: schemePath) } catch { throw ReportError(error) }
            composite = try CompositeTable.read(path: path, scheme: scheme, units: units, options: request.csv)
        }
        let rates = try request.rates.map { (path) throws(ReportError) in try ResponseRates.read(path: path, options: request.csv) }
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
        return ReportContent(request: request, units: units, scores: scores, distribution: distribution, composite: composite,
                             rates: rates, surveys: surveys, scale: scale)
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
        uniqued(scores.scores.compactMap { unitClass($0.unit) })
    }
}
