import Formats

/// Chinese names of the shipped frames' columns, of respondent groups and of the list columns
/// pingyi adds, for headers people read. Unknown names are shown as they are.
enum ColumnNames {
    static let chinese: [String: String] = [
        // frames (datasets/)
        "household_id": "户编号", "town_id": "乡镇代码", "town": "乡镇", "village_id": "村（社区）代码", "village": "村（社区）",
        "urban": "城乡", "head": "户主", "members": "人口", "address": "地址", "phone": "电话",
        "person_id": "人员编号", "body": "类别", "level": "级别", "sector": "界别", "name": "姓名", "gender": "性别",
        "enterprise_id": "企业编号", "enterprise": "企业名称", "industry": "行业", "size_class": "规模", "employees": "从业人员",
        "manager": "负责人", "enumerator": "访问员",
        // added by pingyi sample
        RespondentListFormat.caseID: "问卷编号", RespondentListFormat.role: "类别", RespondentListFormat.reserveRank: "备用顺序",
        RespondentListFormat.reserveGroup: "替补范围", RespondentListFormat.weight: "权数", RespondentListFormat.prob: "入样概率",
    ]

    /// The Chinese name of a column, or the name itself.
    static func label(_ name: String) -> String {
        chinese[name] ?? name
    }

    /// The respondent groups of the shipped designs, and the periods of quarterly evaluation.
    static let groups: [String: String] = [
        "all": "合计", "deputies": "人大代表和政协委员", "enterprises": "企业经营者", "urban": "城镇居民户", "rural": "农村居民户",
        "Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度", "H1": "上半年", "Y": "全年",
    ]

    static func group(_ id: String) -> String {
        groups[id] ?? id
    }

    /// What a sampling unit is called, by its id column.
    static let units: [String: String] = [
        "village_id": "村（社区）", "household_id": "户", "person_id": "人", "enterprise_id": "企业", "town_id": "乡镇",
    ]
}
