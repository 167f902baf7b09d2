import Foundation
import Questionnaire

/// Progress counts (``StatusReport``) from the case records, shared by every store.
enum StatusRules {
    static func report(_ cases: [CaseRecord]) -> StatusReport {
        var groups: [RespondentGroup: StatusRow] = [:]
        var towns: [String: StatusRow] = [:]
        for c in cases {
            let key = c.group.rawValue + "\u{1F}" + (c.townID ?? "")
            var town = towns[key] ?? StatusRow(group: c.group, townID: c.townID, townName: townName(c.attributes))
            count(c, into: &town)
            towns[key] = town
            var group = groups[c.group] ?? StatusRow(group: c.group, townID: nil, townName: nil)
            count(c, into: &group)
            groups[c.group] = group
        }
        let groupRows = groups.values.sorted { $0.group < $1.group }
        let townRows = towns.values.sorted { ($0.group, $0.townID ?? "") < ($1.group, $1.townID ?? "") }
        return StatusReport(groups: groupRows, towns: townRows)
    }
}

/// Adds one case to a status row.
private func count(_ c: CaseRecord, into row: inout StatusRow) {
    switch c.role {
    case .sample: row.sampled += 1
    case .reserve:
        if c.activated { row.reservesUsed += 1 } else { row.reservesLeft += 1 }
    }
    if c.hasPass1 { row.pass1 += 1 }
    if c.hasPass2 { row.pass2 += 1 }
    if c.counted { row.verified += 1 }
    if c.openDisagreements > 0 { row.disagreeing += 1 }
    if c.inUse { row.dispositions[c.disposition, default: 0] += 1 }
}

/// The `town` attribute of a case (the frame's town name), if any.
private func townName(_ attributes: String) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(attributes.utf8)) as? [String: Any] else { return nil }
    return object["town"] as? String
}
