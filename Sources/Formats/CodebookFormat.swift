/// The codebook of a wide export (`pingyi responses export --format csv` writes NAME.codebook.csv;
/// the `xlsx` export holds it on sheet `变量`), for people and statistical packages, not read
/// back by pingyi, so without a format column. Columns `variable, label, type, versions, value,
/// value_label, missing`: one row per variable without codes, one per code otherwise; `type` is
/// `integer`, `decimal` or `text`, `versions` the questionnaire versions that have the variable
/// (space-separated), `missing` the Stata extended-missing letter of a special code (`.d`).
public enum CodebookFormat {
    public static let variable = "variable"
    public static let label = "label"
    public static let type = "type"
    public static let versions = "versions"
    public static let value = "value"
    public static let valueLabel = "value_label"
    public static let missing = "missing"

    public static let header = [variable, label, type, versions, value, valueLabel, missing]
}
