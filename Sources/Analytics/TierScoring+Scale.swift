public import Questionnaire

extension TierScoring {
    /// The scoring a scale file defines: its tiers' scores and satisfied flags, its don't-know
    /// codes; refused, not-applicable and invalid codes are never scored; any other code is an
    /// error.
    public init(scale: Scale, dontKnowRule: DontKnowRule = .exclude) {
        self.init(scores: Dictionary(uniqueKeysWithValues: scale.tiers.map { ($0.code, $0.score) }),
                  satisfied: Set(scale.tiers.filter(\.satisfied).map(\.code)),
                  dontKnow: Set(scale.specials.filter { $0.role == .dontKnow }.map(\.code)),
                  dontKnowRule: dontKnowRule, codes: Set(scale.codes))
    }
}
