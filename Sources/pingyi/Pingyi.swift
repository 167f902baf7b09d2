import ArgumentParser
import Stats

@main
struct Pingyi: AsyncParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "pingyi",
        abstract: "公众评议统计工具 — draw respondent lists, enter questionnaires, score evaluated units.",
        discussion: """
            pingyi serves statistics bureaus that run the public evaluation (公众评议) of government
            performance: stratified multi-stage systematic samples from sampling frames, keyed
            questionnaire results, and design-based satisfaction scores that feed composite scores.

            Exit status: 0 success, 64 bad usage, 65 bad data, 74 an output could not be written.
            """,
        version: "pingyi \(version) (commit \(buildCommit); GSL \(gslVersion))",
        subcommands: [FrameCommand.self, SampleCommand.self, ScoreCommand.self, WeightsCommand.self, RatesCommand.self, SurveyCommand.self, CasesCommand.self, ResponsesCommand.self, AuditCommand.self, SimulateCommand.self, CompositeCommand.self, SchemeCommand.self, ReportCommand.self, ListCommand.self, ServeCommand.self, UsersCommand.self, CallsCommand.self, InvitationsCommand.self, BackupCommand.self, RestoreCommand.self, StoreCommand.self, DemoCommand.self]
    )
}
