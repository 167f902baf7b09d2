import Foundation
@testable import Store
import Testing

/// ``SurveyStore/keyingWork()`` on both stores: forms, answers, characters, disagreements and
/// each pass's errors per operator, day (Beijing time) and pass.
@Suite("Keying work per operator and day")
struct KeyingWorkTests {
    @Test(arguments: Backend.enabled) func workAndErrorsAreCountedPerOperatorDayAndPass(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001", note: "路灯坏了"), StoreFixture.form("H-01-0002")], q: q, operator: "甲")
        _ = try await f.enter([StoreFixture.form("H-01-0001", ["1", "4", "3"], note: "路灯坏了"), StoreFixture.form("H-01-0002", ["9", "2", "3"])],
                              pass: .second, q: q, operator: "乙")
        _ = try await f.store.verify(questionnaire: nil, operator: "督导")
        // H-01-0001 D02: the paper says 2 (pass 2 was wrong); H-01-0002 D01: the paper says 9 (pass 1 was wrong).
        _ = try await f.store.resolve(ResolutionBatch(resolutions: [Resolution(caseID: "H-01-0001", item: "D02", value: "2"),
                                                                    Resolution(caseID: "H-01-0002", item: "D01", value: "9")],
                                                      operator: "督导", source: "test"))
        let work = try await f.store.keyingWork()
        // The day of the keying, in Beijing time (the test may run across midnight there).
        let beijing = DateFormatter()
        beijing.dateFormat = "yyyy-MM-dd"
        beijing.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let day = try #require(work.first?.day)
        #expect([beijing.string(from: Date()), beijing.string(from: Date().addingTimeInterval(-600))].contains(day))
        // Seven answers a form (D01–D03, own town, members, students; the note on one form):
        // 13 answers and 12 + 4 characters in each pass.
        #expect(work == [
            KeyingWork(operator: "甲", day: day, pass: 1, forms: 2, answers: 13, keystrokes: 16, disagreements: 2, errors: 1),
            KeyingWork(operator: "乙", day: day, pass: 2, forms: 2, answers: 13, keystrokes: 16, disagreements: 2, errors: 1),
        ])
    }
}
