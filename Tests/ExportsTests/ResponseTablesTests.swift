import Exports
import Foundation
import Questionnaire
import Store
import Tables
import Testing

@Suite("Export tables from the store")
struct ResponseTablesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store")

    /// A store where H-01-0001 was keyed with version 1 and H-01-0002 with version 2, both
    /// verified; H-01-0003 refused and replaced by the reserve H-01-0004.
    static func twoVersions() async throws -> SQLiteStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent("s.sqlite").path, create: true)
        let v1 = try Questionnaire.load(path: fixtures.appendingPathComponent("questionnaires/small-v1.yaml").path)
        let v2 = try Questionnaire.load(path: fixtures.appendingPathComponent("questionnaires/small-v2.yaml").path)
        let list = try RespondentList(table: CSVReader.read(path: fixtures.appendingPathComponent("lists/urban.csv").path), for: v1)
        _ = try await store.loadCases(list, for: v1, replace: false, operator: "t")
        _ = try await store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-01-0003", disposition: .refusal)],
                                                                operator: "t", source: "d"))
        // v1: D01 D02 D03 own_town members q_students q_education q_note
        let form1 = FormInput(caseID: "H-01-0001", answers: ["1", "7", "4", "2", "3", "1", "9", "第一版备注"])
        // v2: D01 D02 D03 own_town members q_students q_education q_safety
        let form2 = FormInput(caseID: "H-01-0002", answers: ["3", "2", "8", "1", "2", "2", nil, "3"])
        for pass in [Pass.first, .second] {
            _ = try await store.enterForms(FormBatch(questionnaire: v1, pass: pass, operator: "t\(pass.rawValue)", source: "v1.csv", forms: [form1]))
            _ = try await store.enterForms(FormBatch(questionnaire: v2, pass: pass, operator: "t\(pass.rawValue)", source: "v2.csv", forms: [form2]))
        }
        let report = try await store.verify(questionnaire: nil, operator: "t")
        #expect(report.verified == 2)
        return store
    }

    @Test func wideKeepsEveryColumnOfEveryVersion() async throws {
        let store = try await ResponseTablesTests.twoVersions()
        let dataset = try ResponseTables.wide(try await store.snapshot(questionnaire: "small"), questionnaire: "small", file: "w.csv")
        #expect(dataset.variables.map(\.name) == ["case_id", "group", "questionnaire", "version", "town_id", "mode",
                                                  "D01", "D02", "D03", "own_town", "members", "q_students", "q_education", "q_safety", "q_note"])
        #expect(dataset.rows == [
            ["H-01-0001", "urban", "small", "1", "T01", "paper", "1", "7", "4", "2", "3", "1", "9", nil, "第一版备注"],
            ["H-01-0002", "urban", "small", "2", "T01", "paper", "3", "2", "8", "1", "2", "2", nil, "3", nil],
        ])
        #expect(dataset.variables.first { $0.name == "q_note" }?.versions == [1])
        #expect(dataset.variables.first { $0.name == "q_safety" }?.versions == [2])
        #expect(dataset.variables.first { $0.name == "D01" }?.versions == [1, 2])
        #expect(dataset.variables.first { $0.name == "q_safety" }?.label == "对社区治安状况的评价")
        #expect(dataset.title == "测试问卷（第二版）（small v1, v2）")
        let codebook = String(decoding: CSVExport.codebook(dataset), as: UTF8.self)
        #expect(codebook.contains("q_note,意见和建议,text,1,,,\n"))
        #expect(codebook.contains("own_town,对所在镇（街道）的评价,integer,1 2,7,不了解/说不清,.d\n"))
        #expect(codebook.contains("q_students,家中是否有在读学生,integer,1 2,2,没有,\n"))
        let csv = String(decoding: CSVExport.data(dataset), as: UTF8.self)
        #expect(csv == """
            case_id,group,questionnaire,version,town_id,mode,D01,D02,D03,own_town,members,q_students,q_education,q_safety,q_note
            H-01-0001,urban,small,1,T01,paper,1,7,4,2,3,1,9,,第一版备注
            H-01-0002,urban,small,2,T01,paper,3,2,8,1,2,2,,3,

            """)
    }

    @Test func longFileHasOneRowPerFormAndUnit() async throws {
        let store = try await ResponseTablesTests.twoVersions()
        let long = String(decoding: ResponseTables.long(try await store.snapshot(questionnaire: nil)), as: UTF8.self)
        let design = "T01,T01C01,0.5,4,2,T01C01,%@,0.04,75,3,0.02,50,T01,sample,paper,long/2"
        let d1 = design.replacingOccurrences(of: "%@", with: "101"), d2 = design.replacingOccurrences(of: "%@", with: "102")
        #expect(long == """
            case_id,group,questionnaire,version,unit,tier,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,stage2_stratum,stage2_unit,stage2_prob,stage2_N,stage2_n,prob,weight,town_id,role,mode,format
            H-01-0001,urban,small,1,D01,1,\(d1)
            H-01-0001,urban,small,1,D02,7,\(d1)
            H-01-0001,urban,small,1,D03,4,\(d1)
            H-01-0001,urban,small,1,T01,2,\(d1)
            H-01-0002,urban,small,2,D01,3,\(d2)
            H-01-0002,urban,small,2,D02,2,\(d2)
            H-01-0002,urban,small,2,D03,8,\(d2)
            H-01-0002,urban,small,2,T01,1,\(d2)

            """)
    }

    @Test func casesFileHasTheSampleAndActivatedReserves() async throws {
        let store = try await ResponseTablesTests.twoVersions()
        let cases = String(decoding: ResponseTables.cases(try await store.snapshot(questionnaire: nil)), as: UTF8.self)
        let lines = cases.split(separator: "\n").map(String.init)
        #expect(lines[0] == "case_id,group,role,reserve_rank,reserve_group,replaces,disposition,entered,town_id,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,stage2_stratum,stage2_unit,stage2_prob,stage2_N,stage2_n,prob,weight,format")
        #expect(lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(9).joined(separator: ",") }.dropFirst() == [
            // Counted forms made their cases complete.
            "H-01-0001,urban,sample,,T01C01,,complete,yes,T01",
            "H-01-0002,urban,sample,,T01C01,,complete,yes,T01",
            "H-01-0003,urban,sample,,T01C01,,refusal,no,T01",
            "H-01-0004,urban,reserve,1,T01C01,H-01-0003,pending,no,T01",
            "H-02-0001,urban,sample,,T02C03,,pending,no,T02",
            "H-02-0002,urban,sample,,T02C03,,pending,no,T02",
            "H-02-0003,urban,sample,,T02C03,,pending,no,T02",
        ])
        #expect(lines[4].hasSuffix(",T01,T01C01,0.5,4,2,T01C01,104,0.04,75,3,0.02,50,cases/1"))
    }
}
