import Foundation
import GRDB

/// Generated respondent lists and keyed forms for the urban questionnaire (50 items), and a
/// store dump to show that a rejected command wrote nothing.
enum Households {
    static let departments = (1...44).map { String(format: "D%02d", $0) }
    static let items = departments + ["own_town", "members", "q_students", "q_education", "q_safety", "q_suggest"]

    /// `villages` communities (one per town T01…), each with `sample` sampled households and
    /// `reserves` reserves; case ids `H-TT-NNNN`.
    static func list(villages: Int, sample: Int, reserves: Int) -> (csv: String, sampled: [String], reserves: [String]) {
        var lines = ["household_id,town_id,town,village_id,village,urban,head,members,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,"
                     + "stage2_stratum,stage2_unit,stage2_prob,stage2_N,stage2_n,prob,weight,role,reserve_rank,reserve_group,reserve_prob,case_id"]
        var sampled: [String] = [], spare: [String] = []
        for v in 1...villages {
            let town = String(format: "T%02d", v), village = town + "C01"
            for h in 1...(sample + reserves) {
                let id = String(format: "H-%02d-%04d", v, h)
                let reserve = h > sample
                lines.append("\(v * 1000 + h),\(town),镇\(v),\(village),社区\(v),城镇,户主\(h),\(1 + h % 5),\(town),\(village),0.5,4,2,"
                             + "\(village),\(v * 1000 + h),0.1,300,30,0.05,20,\(reserve ? "reserve" : "sample"),\(reserve ? String(h - sample) : ""),\(village),\(reserve ? "0.01" : ""),\(id)")
                if reserve { spare.append(id) } else { sampled.append(id) }
            }
        }
        return (lines.joined(separator: "\n") + "\n", sampled, spare)
    }

    /// One form's answers, deterministic in `seed`.
    static func answers(_ seed: Int) -> [String] {
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let codes = ["1", "2", "3", "4", "1", "2", "7"]
        var values = departments.map { _ in codes[next(codes.count)] }
        let students = next(2) == 0 ? "1" : "2"
        values += [codes[next(4)], String(1 + next(6)), students, students == "1" ? codes[next(4)] : "", codes[next(codes.count)],
                   next(5) == 0 ? "\"路灯不亮，请修\"" : ""]
        return values
    }

    /// A forms file: `case_id` and the items; `changes[case] = (item index, value)` alters answers.
    static func forms(_ ids: [String], changes: [String: (Int, String)] = [:]) -> String {
        var lines = [(["case_id"] + items).joined(separator: ",")]
        for (n, id) in ids.enumerated() {
            var values = answers(n)
            if let (i, v) = changes[id] { values[i] = v }
            lines.append(([id] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Every row of every table of a store, as text.
/// - Parameter withoutTimes: leave out the columns that hold the time of writing (`at`,
///   `…_at`), which differ between two runs of one command, and order rows by every column.
func dumpStore(_ path: String, withoutTimes: Bool = false) throws -> String {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
        var out = ""
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            out += "# \(table)\n"
            var sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            if withoutTimes {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
                    .filter { $0 != "at" && !$0.hasSuffix("_at") }.map { "\"\($0)\"" }.joined(separator: ", ")
                sql = "SELECT \(columns) FROM \(table) ORDER BY \(columns)"
            }
            for row in try Row.fetchAll(db, sql: sql) { out += row.description + "\n" }
        }
        return out
    }
}

extension URL {
    func write(_ text: String, to name: String) throws -> String {
        let url = appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
