extension UnitResult {
    /// A result line as read back from RESULT.csv (the report reads it with the scheme); the
    /// labels follow RESULT.csv's columns.
    public init(unit: String, class unitClass: String, score: Double, rank: Int, grade: String?, contributions: [String: Double],
                deductions: [String: Double], bonus: Double, penalty: Double, scoreSE: Double?, pGrade: Double?, notes: [String]) {
        self.unit = unit
        self.unitClass = unitClass
        self.score = score
        self.rank = rank
        self.grade = grade
        self.contributions = contributions
        self.deductions = deductions
        self.bonus = bonus
        self.penalty = penalty
        self.scoreSE = scoreSE
        self.pGrade = pGrade
        self.notes = notes
    }
}
