import Formats

/// A questionnaire (测评表/问卷调查表) of one respondent group: the evaluated units it asks
/// about, rated on a satisfaction ``Scale``, and further items.
///
/// Read from `surveys/questionnaires/*.yaml` (see ``Questionnaire/load(path:name:)``). The
/// decoded value is self-contained (units with their names, the scale inline) and `Codable`,
/// so a store keeps the exact definition of every version it has seen.
///
/// The variables, in the order of entry files and exports: one item per evaluated unit (named
/// by the unit id, `D01`…), the own-town item (`own_town`) when there is one, then the further
/// items.
public struct Questionnaire: Sendable, Codable, Equatable, Hashable {
    /// The identifier, stable across versions (`urban`).
    public let id: String
    /// The version, a positive whole number; raise it whenever the items change.
    public let version: Int
    /// The Chinese title printed on the form.
    public let title: String
    public let group: RespondentGroup
    public let scale: Scale
    /// Single or double entry (default double).
    public let entry: EntryMode
    /// The evaluated units rated by every respondent.
    public let units: [EvaluatedUnit]
    /// The item rating the respondent's own town, for household questionnaires.
    public let ownTown: OwnTown?
    /// Every variable in column order: unit items, `own_town`, further items.
    public let items: [Item]
    /// Columns a respondent list must have to be loaded for this questionnaire (the frame's
    /// identifier, and `town_id` when there is an own-town item).
    public let listColumns: [String]
    /// `second-pass-operator:` as written (nil: not written, which means ``SecondPassOperator/different``).
    let secondPass: SecondPassOperator?
    /// `complete-above:` as written: a counted form makes its case complete only when it answers
    /// more than this share of its applicable items, else partial (AAPOR's 80 %, say); nil: every
    /// counted form is complete.
    public let completeAbove: Double?
    /// How the questionnaire is fielded by telephone (`calls:`), or nil when it is not.
    public let calls: CallRules?
    /// How the questionnaire is answered online (`online:`), or nil for the defaults (one
    /// scrolling page; saved answers not submitted are not counted).
    public let online: OnlineRules?

    public init(id: String, version: Int, title: String, group: RespondentGroup, scale: Scale, entry: EntryMode = .double,
                units: [EvaluatedUnit], ownTown: OwnTown? = nil, further: [Item], listColumns: [String]? = nil,
                secondPassOperator: SecondPassOperator? = nil, completeAbove: Double? = nil, calls: CallRules? = nil, online: OnlineRules? = nil) {
        self.id = id
        self.version = version
        self.title = title
        self.group = group
        self.scale = scale
        self.entry = entry
        self.units = units
        self.ownTown = ownTown
        var items = units.map { Item(name: $0.id, label: $0.name, kind: .unit(id: $0.id)) }
        if let ownTown { items.append(Item(name: Questionnaire.ownTownName, label: ownTown.label, kind: .ownTown)) }
        items += further
        self.items = items
        var columns = listColumns ?? [group.frameIdentifier]
        if ownTown != nil && !columns.contains(RespondentListFormat.townID) { columns.append(RespondentListFormat.townID) }
        for phone in calls?.phones ?? [] where !columns.contains(phone) { columns.append(phone) }
        self.listColumns = columns
        self.secondPass = secondPassOperator
        self.completeAbove = completeAbove
        self.calls = calls
        self.online = online
    }

    /// Who may key pass 2 (default ``SecondPassOperator/different``).
    public var secondPassOperator: SecondPassOperator { secondPass ?? .different }

    /// The variable name of the own-town item.
    public static let ownTownName = "own_town"

    /// Names that items may not take, because entry files or exports use them: the fixed columns
    /// of the long and case files (``Formats/LongFormat``, ``Formats/CasesFormat``), `pass` and
    /// `operator`.
    public static let reservedNames: Set<String> = Set(LongFormat.header(stages: 0) + CasesFormat.header(stages: 0) + ["pass", "operator"])

    /// The index of the item called `name`, or nil.
    public func index(of name: String) -> Int? {
        items.firstIndex { $0.name == name }
    }

    /// The item called `name`, or nil.
    public func item(_ name: String) -> Item? {
        index(of: name).map { items[$0] }
    }

    /// The items that rate evaluated units (the long export's rows), in column order.
    public var unitItems: [Item] { items.filter(\.isUnitRating) }

    /// The further items (neither units nor the own town).
    public var furtherItems: [Item] { items.filter { !$0.isUnitRating } }

    /// The Chinese name of an evaluated unit id (a listed unit or a town of the own-town item).
    public func unitName(_ id: String) -> String? {
        units.first { $0.id == id }?.name ?? ownTown?.town(id: id)?.name
    }

    /// `urban v2` for messages.
    public var reference: String { "\(id) v\(version)" }
}
