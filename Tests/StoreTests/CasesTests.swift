import Foundation
import Questionnaire
import Store
import Tables
import Testing

@Suite("Loading respondent lists")
struct CasesTests {
    @Test(arguments: Backend.enabled) func loadsEveryRowWithItsDesign(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        let summary = try await f.load(q)
        #expect(summary == LoadSummary(questionnaire: "small", version: 1, sampled: 6, reserves: 4, stages: 2, removed: 0))
        let c = try #require(try await f.store.caseRecord("H-02-0002"))
        #expect(c.group == .urban)
        #expect(c.role == .sample)
        #expect(c.reserveGroup == "T02C03")
        #expect(c.townID == "T02")
        #expect(c.stages == [DesignStage(stratum: "T02", unit: "T02C03", prob: 0.25, population: 8, selected: 2),
                             DesignStage(stratum: "T02C03", unit: "202", prob: 0.05, population: 60, selected: 3)])
        #expect(abs(c.prob - 0.0125) < 1e-12)
        #expect(abs(c.weight - 80) < 1e-12)
        #expect(c.disposition == .pending)
        #expect(c.attributes == #"{"household_id":202,"town_id":"T02","town":"东城街道","village_id":"T02C03","village":"北关社区","urban":"城镇","head":"钱进","members":5}"#)
        let reserve = try #require(try await f.store.caseRecord("H-01-0005"))
        #expect(reserve.role == .reserve && reserve.reserveRank == 2 && !reserve.activated && !reserve.inUse)
        #expect(reserve.attributes.contains(#""head":"李 \"小\" 明""#))
        let trail = try await f.store.auditTrail(caseID: "H-01-0004")
        #expect(trail.map(\.action) == ["load"])
        #expect(trail.first?.newValue == "reserve 1 of T01C01")
        #expect(trail.first?.operator == "载入员")
    }

    @Test(arguments: Backend.enabled) func secondLoadIsRefusedUnlessReplaced(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let before = try await f.dump()
        let error = await StoreFixture.failure { try await f.load(q) }
        #expect(error?.description.hasPrefix("\(StoreFixture.path("lists/urban.csv")): questionnaire small already has a list in \(f.location) (\(StoreFixture.path("lists/urban.csv")), 10 cases, loaded ") == true)
        #expect(error?.description.hasSuffix("; to load this list instead, add --replace (allowed while none of its cases has a form or a disposition)") == true)
        #expect(try await f.dump() == before)
        let replaced = try await f.store.loadCases(StoreFixture.list(for: q), for: q, replace: true, operator: "载入员")
        #expect(replaced.removed == 10 && replaced.sampled == 6)
        #expect(try await f.store.auditTrail(caseID: "H-01-0001").map(\.action) == ["load", "remove", "load"])
        // Once a form is keyed, the list stays.
        _ = try await f.enter([StoreFixture.form("H-01-0001")], q: q)
        let afterForm = try await f.dump()
        let refused = await StoreFixture.failure { _ = try await f.store.loadCases(StoreFixture.list(for: q), for: q, replace: true, operator: "x") }
        #expect(refused?.message == "cannot replace the list of questionnaire small: 1 forms and 0 dispositions are recorded for its cases")
        #expect(try await f.dump() == afterForm)
    }

    @Test func listOfAnotherGroupOrFrame() throws {
        let q = try StoreFixture.questionnaire()
        let table = try CSVReader.read(path: StoreFixture.path("lists/deputies.csv"))
        #expect(throws: StoreError.self) { try RespondentList(table: table, for: q) }
        do { _ = try RespondentList(table: table, for: q) } catch {
            #expect(error.description == "\(StoreFixture.path("lists/deputies.csv")):1: the list has no column household_id: it looks like a list of 人大代表和政协委员 (it has person_id), but questionnaire small is for 城镇居民户; load it with the deputies questionnaire, or load the urban list with this one")
        }
        let noTown = try CSVReader.read(path: StoreFixture.path("lists/no-town.csv"))
        do { _ = try RespondentList(table: noTown, for: q); Issue.record("accepted") } catch {
            #expect(error.description == "\(StoreFixture.path("lists/no-town.csv")):1: the list has no column town_id, which questionnaire small needs for its own-town item (own_town); load a list drawn from the 城镇居民户 frame, or a questionnaire that fits this list")
        }
        let replicates = try CSVReader.read(path: StoreFixture.path("lists/replicates.csv"))
        do { _ = try RespondentList(table: replicates, for: q); Issue.record("accepted") } catch {
            #expect(error.description == "\(StoreFixture.path("lists/replicates.csv")):1: the list holds 2 replicates (replicate 2, 1); load one replicate: keep the rows of one replicate value in a file of their own")
        }
    }

    @Test func everyBadValueIsListed() throws {
        let q = try StoreFixture.questionnaire()
        let table = try CSVReader.read(path: StoreFixture.path("lists/bad-values.csv"))
        do { _ = try RespondentList(table: table, for: q); Issue.record("accepted") } catch {
            let file = StoreFixture.path("lists/bad-values.csv")
            #expect(error.description == "\(file): 4 problems in 4 rows; nothing was loaded; correct the file and run the command again")
            #expect(error.problems.map(\.description) == [
                "\(file):3:25: case H-01-0001 appears twice (also on line 2); give every row its own case_id",
                "\(file):4:19: prob = '1.5' is not a probability in (0, 1]; keep the value pingyi sample wrote",
                "\(file):7:22: a sampled case has reserve_rank 2; leave reserve_rank empty for the sample",
                "\(file):8:2: town_id T09 is not a town of the own-town item (T01, T02); check the frame's town_id, or the questionnaire's own_town units",
            ])
        }
    }

    @Test func aRuralListIsNotAnUrbanOne() throws {
        let q = try StoreFixture.questionnaire()
        let text = try String(contentsOfFile: StoreFixture.path("lists/urban.csv"), encoding: .utf8).replacingOccurrences(of: ",城镇,", with: ",农村,")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rural-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let table = try CSVReader.read(path: path)
        do { _ = try RespondentList(table: table, for: q); Issue.record("accepted") } catch {
            #expect(error.description == "\(path):2:6: urban = 农村: this is not a list of 城镇居民户, which questionnaire small is for; load it with the rural questionnaire")
        }
    }

    @Test(arguments: Backend.enabled) func aChangedDefinitionNeedsANewVersion(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let before = try await f.dump()
        let changed = Questionnaire(id: q.id, version: 1, title: q.title, group: q.group, scale: q.scale, units: q.units, ownTown: q.ownTown,
                                    further: Array(q.furtherItems.dropLast()))
        let error = await StoreFixture.failure { _ = try await f.enter([], q: changed) }
        #expect(error?.description == "\(f.location): questionnaire small version 1 is stored with a different definition (items dropped: q_note); raise version: in the questionnaire file whenever it changes, so both versions stay on record")
        #expect(try await f.dump() == before)
    }
}
