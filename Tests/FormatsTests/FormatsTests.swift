import Formats
import Tables
import Testing

/// One definition per file format: the headers writers produce are pinned here, and the
/// `format` column check refuses a file of another format or version.
@Suite("File formats")
struct FormatsTests {
    @Test func headersAreTheDefinedOnes() {
        #expect(RespondentListFormat.addedColumns(stages: 2, replicates: 1).joined(separator: ",")
                == "stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,stage2_stratum,stage2_unit,stage2_prob,stage2_N,stage2_n,prob,weight,role,reserve_rank,reserve_group,reserve_prob,case_id")
        #expect(RespondentListFormat.addedColumns(stages: 1, replicates: 3).last == "replicate")
        #expect(LongFormat.header(stages: 1).joined(separator: ",")
                == "case_id,group,questionnaire,version,unit,tier,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,prob,weight,town_id,role,mode,format")
        #expect(CasesFormat.header(stages: 0).joined(separator: ",")
                == "case_id,group,role,reserve_rank,reserve_group,replaces,disposition,entered,town_id,prob,weight,format")
        #expect(ScoresFormat.header(by: "group", ranks: false).joined(separator: ",")
                == "unit,group,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff,df,psus,low_df,low_rate,format")
        #expect(ScoresFormat.header(by: nil, ranks: true).contains("p_top_quarter"))
        #expect(DistributionFormat.header(by: nil).joined(separator: ",") == "unit,tier,label,n,share,format")
        #expect(RatesFormat.header.joined(separator: ",")
                == "group,cases,I,P,R,NC,O,U,NE,e,RR1,RR2,RR3,RR4,RR5,RR6,COOP1,COOP2,COOP3,COOP4,REF1,REF2,REF3,CON1,CON2,CON3,format")
        #expect(CompositeResultFormat.header(components: ["indicators", "public"], deductions: ["inspection"], uncertainty: true).joined(separator: ",")
                == "unit,class,score,rank,grade,indicators,public,inspection,bonus,penalty,score_se,p_grade,notes,format")
        #expect(DisagreementsFile.header.joined(separator: ",") == "case_id,item,pass1,pass2,value,reason")
        // Files for people and other programs, without a format column.
        #expect(RemindersFormat.header.joined(separator: ",") == "case_id,town_id,town,state")
        #expect(SMSFormat.header.joined(separator: ",") == "case_id,text")
        #expect(TruthFormat.header.joined(separator: ",") == "unit,members,dont_know,score,rate")
        #expect(CodebookFormat.header.joined(separator: ",") == "variable,label,type,versions,value,value_label,missing")
    }

    @Test func byColumnsAreFoundByOneRule() {
        #expect(ScoresFormat.byColumn(in: ScoresFormat.header(by: "group", ranks: false)) == "group")
        #expect(ScoresFormat.byColumn(in: ScoresFormat.header(by: nil, ranks: true)) == nil)
        #expect(DistributionFormat.byColumn(in: DistributionFormat.header(by: "period")) == "period")
        #expect(DistributionFormat.byColumn(in: DistributionFormat.header(by: nil)) == nil)
    }

    @Test func designColumnsAreRecognised() {
        #expect(DesignColumns.stageCount(in: LongFormat.header(stages: 3)) == 3)
        #expect(DesignColumns.isStageColumn("stage12_N"))
        #expect(!DesignColumns.isStageColumn("stage_name"))
        #expect(!DesignColumns.isStageColumn("stagex_unit"))
        #expect(RespondentListFormat.isAdded("reserve_prob") && !RespondentListFormat.isAdded("household_id"))
    }

    @Test func theListVersionIsToldFromItsHeader() {
        let v2 = ["household_id"] + RespondentListFormat.addedColumns(stages: 2, replicates: 1)
        #expect(RespondentListFormat.version(ofHeader: v2) == 2)
        #expect(RespondentListFormat.version(ofHeader: v2.filter { $0 != RespondentListFormat.reserveProbability }) == 1)
        #expect(RespondentListFormat.version(ofHeader: ["household_id", "town"]) == nil)
        #expect(RespondentListFormat.manifestTag == "respondent-list/2")
    }

    @Test func aListOfAnOlderVersionIsRefused() throws {
        func list(_ names: [String]) throws -> Table {
            let row = Array(repeating: "1", count: names.count).joined(separator: ",")
            return try CSVReader.read(bytes: Array((names.joined(separator: ",") + "\n" + row + "\n").utf8), name: "list.csv")
        }
        let v2 = ["household_id"] + RespondentListFormat.addedColumns(stages: 2, replicates: 1)
        try RespondentListFormat.check(list(v2))
        // No respondent list at all: its reader names what is missing.
        try RespondentListFormat.check(list(["household_id", "town"]))
        #expect(throws: TablesError(.schema, file: "list.csv", line: 1,
                                    message: "the list is a respondent list of format version 1 (it has no reserve_prob column); this pingyi reads version 2",
                                    hint: RespondentListFormat.format.remedy)) {
            try RespondentListFormat.check(list(v2.filter { $0 != RespondentListFormat.reserveProbability }))
        }
        try RespondentListFormat.check(manifestFormat: nil, manifest: "list.manifest.json", list: "list.csv")
        try RespondentListFormat.check(manifestFormat: "respondent-list/2", manifest: "list.manifest.json", list: "list.csv")
        #expect(throws: TablesError(.schema, file: "list.csv",
                                    message: "its manifest list.manifest.json records a respondent list of format respondent-list/1; this pingyi reads respondent-list/2",
                                    hint: RespondentListFormat.format.remedy)) {
            try RespondentListFormat.check(manifestFormat: "respondent-list/1", manifest: "list.manifest.json", list: "list.csv")
        }
    }

    func table(_ text: String) throws -> Table {
        try CSVReader.read(bytes: Array(text.utf8), name: "scores.csv")
    }

    @Test func theFormatColumnIsChecked() throws {
        try ScoresFormat.format.check(table("unit,score,format\nD01,80,scores/2\n"))
        // No format column: a file made by hand or by R is read by its columns.
        try ScoresFormat.format.check(table("unit,score\nD01,80\n"))
        #expect(throws: TablesError(.schema, file: "scores.csv", line: 3, column: 3,
                                    message: "a score file (pingyi score) of format version 1 (scores/1); this pingyi reads version 2",
                                    hint: "score the long file again with this pingyi (pingyi score)")) {
            try ScoresFormat.format.check(table("unit,score,format\nD01,80,scores/2\nD02,70,scores/1\n"))
        }
        #expect(throws: TablesError(.schema, file: "scores.csv", line: 2, column: 3,
                                    message: "a score file (pingyi score) of format version 3 (scores/3); this pingyi reads version 2",
                                    hint: "use the pingyi that wrote it, or a newer one")) {
            try ScoresFormat.format.check(table("unit,score,format\nD01,80,scores/3\n"))
        }
        #expect(throws: TablesError(.schema, file: "scores.csv", line: 2, column: 3,
                                    message: "the file is a pingyi cases file (format cases/1), not a score file (pingyi score)",
                                    hint: "give a score file (pingyi score)")) {
            try ScoresFormat.format.check(table("unit,score,format\nD01,80,cases/1\n"))
        }
        #expect(throws: TablesError.self) { try LongFormat.format.check(table("case_id,format\nH1,long\n")) }
    }
}
