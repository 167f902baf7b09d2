/// The attempt history of telephone interviewing (`pingyi calls export`): one row per dial,
/// oldest first. Columns `attempt_id, case_id, questionnaire, interviewer, phone_rank,
/// started_at, ended_at, seconds, outcome, appointment_at, note`, then `phone` (the number
/// dialled, only when an admin asks for the numbers), then `format` (`attempts/1`). Times are
/// Beijing time, ISO 8601 with the offset (`2017-11-06T19:05:00+08:00`); `outcome` takes the
/// call outcome codes of the questionnaire's call rules (`no-answer`, `hard-refusal`…).
public enum AttemptsFormat {
    public static let format = FileFormat(name: "attempts", version: 1, what: "an attempt history (pingyi calls export)",
                                          remedy: "export the attempts again with this pingyi (pingyi calls export)")
    public static let attemptID = "attempt_id"
    public static let caseID = "case_id"
    public static let questionnaire = "questionnaire"
    public static let interviewer = "interviewer"
    public static let phoneRank = "phone_rank"
    public static let startedAt = "started_at"
    public static let endedAt = "ended_at"
    public static let seconds = "seconds"
    public static let outcome = "outcome"
    public static let appointmentAt = "appointment_at"
    public static let note = "note"
    public static let phone = "phone"

    public static func header(numbers: Bool) -> [String] {
        ([attemptID, caseID, questionnaire, interviewer, phoneRank, startedAt, endedAt, seconds, outcome, appointmentAt, note]
            + (numbers ? [phone] : [])).withFormat()
    }

    /// `2017-11-06T19:05:00+08:00`: a Unix time in Beijing time.
    public static func beijingTime(_ unix: Int64) -> String {
        let local = unix + 8 * 3600
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let s = Int(local - day * 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return CivilDate(daysSinceEpoch: Int(day)).description + "T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))+08:00"
    }
}
