/// The true values of a simulated population (`pingyi simulate population` writes truth.csv,
/// the ground truth a coverage study compares intervals with; no pingyi command reads it back,
/// so it carries no format column): one row per evaluated unit, columns `unit, members,
/// dont_know, score, rate` — the members with an opinion, the don't-know share among all
/// members asked, the mean tier score and the share satisfied, don't-know answers left out as
/// `pingyi score` leaves them out. The columns it shares with the score file are named as there
/// (``ScoresFormat``), so the two join on `unit` and compare column by column.
public enum TruthFormat {
    public static let unit = ScoresFormat.unit
    public static let members = "members"
    public static let dontKnow = ScoresFormat.dontKnow
    public static let score = ScoresFormat.score
    public static let rate = ScoresFormat.rate

    public static let header = [unit, members, dontKnow, score, rate]
}
