/// The access codes of online self-completion (`pingyi invitations make`): one row per case
/// given a code, the only place the codes exist in clear (the store keeps their hashes). Columns
/// `case_id, questionnaire, town_id, town, code, link`, then `format` (`invitations/1`). `code`
/// is grouped as printed (`7KQ4-M2XD-9PH`); `link` opens the case's questionnaire with the code
/// in it. Keep the file as the letters: whoever holds a code can answer for its case.
public enum InvitationsFormat {
    public static let format = FileFormat(name: "invitations", version: 1, what: "online access codes (pingyi invitations make)",
                                          remedy: "make the codes with this pingyi (pingyi invitations make, or --replace CASE for one case)")
    public static let caseID = "case_id"
    public static let questionnaire = "questionnaire"
    public static let townID = "town_id"
    public static let town = "town"
    public static let code = "code"
    public static let link = "link"

    public static let header = [caseID, questionnaire, townID, town, code, link].withFormat()
}
