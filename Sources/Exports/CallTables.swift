import Formats
public import Store
import Tables

/// The attempt history as a file (``Formats/AttemptsFormat``).
public enum CallTables {
    /// The dials, oldest first; `numbers` (each case's numbers, rank 1 first) adds the number
    /// dialled, for an admin who asked for it; nil leaves the numbers out.
    public static func attempts(_ records: [CallAttemptRecord], numbers: [String: [String]]?) -> [UInt8] {
        typealias A = AttemptsFormat
        var writer = CSVWriter()
        writer.writeRow(A.header(numbers: numbers != nil))
        for a in records {
            var row = [String(a.attemptID), a.caseID, a.questionnaire, a.interviewer, String(a.phoneRank), A.beijingTime(a.startedAt),
                       A.beijingTime(a.endedAt), String(a.endedAt - a.startedAt), a.outcome.rawValue, a.appointmentAt.map(A.beijingTime) ?? "",
                       a.note ?? ""]
            if let numbers {
                let list = numbers[a.caseID] ?? []
                row.append(a.phoneRank >= 1 && a.phoneRank <= list.count ? list[a.phoneRank - 1] : "")
            }
            writer.writeRow(row + [A.format.tag])
        }
        return writer.bytes
    }
}
