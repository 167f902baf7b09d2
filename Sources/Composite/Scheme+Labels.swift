/// A component of a class as reports show it: id, Chinese label, share of the score, and the
/// components below it.
public struct ComponentLabel: Sendable, Equatable {
    public let id: String
    public let label: String
    /// Its share of the whole score in points out of 100.
    public let points: Double
    /// How the scheme writes its weight ("80%", "60分").
    public let written: String
    public let children: [ComponentLabel]
}

/// What a report needs to know about one RESULT.csv column that is not a component: a deduction,
/// the bonus or the penalty, with its label and cap.
public struct DeductionLabel: Sendable, Equatable {
    public let id: String
    public let label: String
    public let cap: Double?
}

extension Scheme {
    /// The top-level components of a class, in scheme order, each with its sub-components; empty
    /// for an unknown class. Their ids are RESULT.csv's contribution columns.
    public func componentLabels(ofClass id: String) -> [ComponentLabel] {
        unitClass(id)?.components.map(ComponentLabel.init) ?? []
    }

    /// The deductions (察访核验…) in scheme order; their ids are RESULT.csv's deduction columns.
    public var deductionLabels: [DeductionLabel] {
        deductions.map { DeductionLabel(id: $0.id, label: $0.label, cap: $0.cap) }
    }

    /// Whether a deduction applies to a class.
    public func deduction(_ id: String, appliesTo classID: String) -> Bool {
        deductions.contains { $0.id == id && ($0.classes.isEmpty || $0.classes.contains(classID)) }
    }

    /// The labels of the bonus and penalty tables (加分, 减分), nil when the scheme has none.
    public var bonusLabel: String? { bonus?.label }
    public var penaltyLabel: String? { penalty?.label }
}

extension ComponentLabel {
    init(_ component: Component) {
        self.init(id: component.id, label: component.label, points: component.points, written: component.written,
                  children: component.children.map(ComponentLabel.init))
    }
}
