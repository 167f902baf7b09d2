import Definitions

/// How a questionnaire is answered online (`online:` in its file): the layout of the
/// respondent's page and what becomes of answers saved but never submitted.
///
/// ```yaml
/// online:
///   layout: one-per-screen   # page (default): a short scrolling page | one-per-screen: one item at a time
///   partial-above: 50%       # optional: at the deadline, saved answers covering more than 50 % of the
///                            # applicable items are counted as a partial form; the rest stay pending
/// ```
public struct OnlineRules: Sendable, Codable, Hashable {
    public enum Layout: String, Sendable, Codable, Hashable, CaseIterable {
        /// Every item on one scrolling page.
        case page
        /// One item per screen, with 上一题 and 下一题.
        case onePerScreen = "one-per-screen"
    }

    public let layout: Layout
    /// When entry closes (the deadline, `pingyi survey close`), answers saved but not submitted
    /// that cover more than this share of the applicable items become a form of mode online,
    /// whose case is then partial (or complete, by `complete-above`); nil: they are not counted.
    public let partialAbove: Double?

    public init(layout: Layout = .page, partialAbove: Double? = nil) {
        self.layout = layout
        self.partialAbove = partialAbove
    }

    static let keys = ["layout", "partial-above"]

    init(yaml: YAMLValue) throws(DefinitionError) {
        let map = try yaml.mapping()
        try map.allowOnly(OnlineRules.keys)
        var layout = Layout.page
        if let node = map["layout"] {
            let text = try node.string()
            guard let l = Layout(rawValue: text) else {
                throw node.error("unknown layout '\(text)'", hint: "write page (one scrolling page) or one-per-screen")
            }
            layout = l
        }
        var partial: Double?
        if let node = map["partial-above"] {
            let share = try node.double()
            guard share >= 0 && share < 1 else {
                throw node.error("partial-above \(share) is not a share from 0 up to 1",
                                 hint: "write e.g. 50%: saved answers covering more than half the applicable items count as a partial form at the deadline")
            }
            partial = share
        }
        self.init(layout: layout, partialAbove: partial)
    }
}
