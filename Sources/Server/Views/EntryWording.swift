import Questionnaire
import Store

/// The store's reasons for refusing a form (``Store/EntryRefusal``), in Chinese, as the keying
/// page, the interview screen and the respondent's page say them.
enum EntryWording {
    static func chinese(_ refusal: EntryRefusal, caseID id: String, questionnaire q: Questionnaire) -> String {
        switch refusal {
        case .closed(let c): closed(c)
        case .noCaseID: "请输入问卷编号"
        case .repeated: "编号 \(id) 在同一批中出现了两次"
        case .notInSample: "样本中没有编号 \(id)：请核对问卷上印的编号"
        case .otherQuestionnaire(let owner): "编号 \(id) 属于问卷 \(owner)，不是本问卷（\(q.id)）"
        case .unusedReserve: "编号 \(id) 是未启用的备选样本：先由督导记录它所替代样本的处置"
        case .disposition(let d): "编号 \(id) 的处置为「\(d.label)」，不能录入问卷"
        case .townNotRated(let town?): "编号 \(id) 的所在镇（街道）\(town) 不在本问卷评议的镇（街道）之列：请联系督导核对名单"
        case .townNotRated(nil): "编号 \(id) 在名单中没有所在镇（街道）：请联系督导核对名单"
        case .alreadyKeyed(let pass, _, _): "编号 \(id) 的第 \(pass.rawValue) 遍已录入：如需更正请联系督导"
        case .nothingToReplace(let pass): "编号 \(id) 还没有第 \(pass.rawValue) 遍，无可更正"
        case .sameOperator(_, let other): "编号 \(id) 的第 \(other.rawValue) 遍是您录入的：第 \(3 - other.rawValue) 遍须由另一名录入员独立录入"
        case let .alreadyCounted(mode, _, _): "编号 \(id) 已有计入的问卷（\(mode.label)）：每个样本只访问一次，如需更正请联系督导"
        }
    }

    static func closed(_ c: EntryClosure) -> String {
        "问卷 \(c.questionnaire) 已截止录入（\(c.closedAt) 由 \(c.closedBy) 截止：\(c.reason)）；如需补录，请联系管理员恢复录入"
    }
}
