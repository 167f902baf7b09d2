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

/// The reminder list of `pingyi invitations remind` (reminders.csv, for the survey office; no
/// pingyi command reads it back, so it carries no format column): one row per invited case that
/// had not submitted by the day asked about. Columns `case_id, town_id, town, state`, `state` one
/// of ``notOpened`` (`not_opened`), ``opened`` (opened, nothing saved) and ``saved`` (answers
/// saved, not submitted).
public enum RemindersFormat {
    public static let caseID = InvitationsFormat.caseID
    public static let townID = InvitationsFormat.townID
    public static let town = InvitationsFormat.town
    public static let state = "state"
    public static let notOpened = "not_opened"
    public static let opened = "opened"
    public static let saved = "saved"

    public static let header = [caseID, townID, town, state]
}

/// The SMS texts of `pingyi invitations print` and `remind` (sms.csv, for the texting service;
/// no format column, as no pingyi command reads it back): `case_id, text`, one row per case.
public enum SMSFormat {
    public static let caseID = InvitationsFormat.caseID
    public static let text = "text"

    public static let header = [caseID, text]
}
