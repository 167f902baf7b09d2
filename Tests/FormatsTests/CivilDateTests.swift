import Testing
@testable import Formats

/// Dates and the review deadline: 2 working days after the feedback sheet is issued, weekends
/// and holidays skipped, 调休 workdays counted.
@Suite("CivilDate")
struct CivilDateTests {
    @Test(arguments: ["2018-01-05", "2016-02-29", "2000-02-29", "1999-12-31"])
    func parsesValidDates(_ text: String) throws {
        let date = try #require(CivilDate(text))
        #expect(date.description == text)
    }

    @Test(arguments: ["2017-02-29", "1900-02-29", "2018-13-01", "2018-04-31", "2018-1-5", "20180105", "", "2018-01-05x", "２０１８-01-05"])
    func rejectsInvalidDates(_ text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test func weekdaysOfKnownDates() throws {
        // 1970-01-01 Thursday, 2018-01-05 Friday, 2000-02-29 Tuesday, 2024-12-29 Sunday.
        #expect(try #require(CivilDate("1970-01-01")).weekday == 4)
        #expect(try #require(CivilDate("2018-01-05")).weekday == 5)
        #expect(try #require(CivilDate("2000-02-29")).weekday == 2)
        #expect(try #require(CivilDate("2024-12-29")).weekday == 7)
        #expect(try #require(CivilDate("1969-12-31")).weekday == 3)
    }

    @Test func daysSinceEpochRoundTrips() throws {
        #expect(try #require(CivilDate("1970-01-01")).daysSinceEpoch == 0)
        #expect(try #require(CivilDate("2000-03-01")).daysSinceEpoch == 11017)
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(daysSinceEpoch: 11016).description == "2000-02-29")
    }

    @Test(arguments: [
        ("2018-01-05", "2018-01-09"), // Friday → Tuesday: the weekend is skipped
        ("2018-01-04", "2018-01-08"), // Thursday → Monday
        ("2018-01-06", "2018-01-09"), // issued on a Saturday → Tuesday
        ("2018-01-07", "2018-01-09"), // Sunday → Tuesday
        ("2018-01-08", "2018-01-10"), // Monday → Wednesday
        ("2017-12-29", "2018-01-02"), // over a weekend and a year end
    ])
    func reviewDeadlineSkipsWeekends(_ issued: String, _ due: String) throws {
        let date = try #require(CivilDate(issued))
        #expect(date.addingWorkingDays(2).description == due)
    }

    @Test func holidaysAreSkippedAndExchangedWeekendsWorked() throws {
        // 2018 Spring Festival: 15–21 February off; Sunday 11 and Saturday 24 February worked.
        let holidays = Set((15...21).compactMap { CivilDate("2018-02-\($0)") })
        let workdays = Set(["2018-02-11", "2018-02-24"].compactMap(CivilDate.init))
        let feb9 = try #require(CivilDate("2018-02-09"))
        #expect(feb9.addingWorkingDays(2, holidays: holidays, workdays: workdays).description == "2018-02-12")
        let feb14 = try #require(CivilDate("2018-02-14"))
        #expect(feb14.addingWorkingDays(2, holidays: holidays, workdays: workdays).description == "2018-02-23")
        #expect(feb14.addingWorkingDays(3, holidays: holidays, workdays: workdays).description == "2018-02-24")
        #expect(feb14.addingWorkingDays(2).description == "2018-02-16")
    }

    @Test func chineseForm() throws {
        #expect(try #require(CivilDate("2018-01-09")).chinese == "2018年1月9日（星期二）")
        #expect(try #require(CivilDate("2018-01-07")).chinese == "2018年1月7日（星期日）")
    }
}
