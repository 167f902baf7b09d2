import Foundation
@testable import Store
import Testing

/// The PostgreSQL client tools (pg_dump, psql) run by backup and restore: their output and
/// their errors are read at once, so a tool that writes much to its error stream cannot block.
@Suite("Running a client tool")
struct ToolTests {
    @Test func aToolThatFillsItsErrorPipeDoesNotHang() async throws {
        // 200 KB of warnings before the output: more than a pipe holds (64 KB). Run under
        // timeout(1), so that a hang fails the test (the tool is killed, exit 124) rather than
        // stopping the suite.
        let output = try await PostgresStore.tool("timeout", ["30", "sh", "-c", "head -c 200000 /dev/zero | tr '\\0' w >&2; echo done"],
                                                  environment: [:], store: "test", secret: nil)
        #expect(output == "done\n")
        let failure = await StoreFixture.failure {
            _ = try await PostgresStore.tool("sh", ["-c", "echo 'FATAL: password s3cret refused' >&2; exit 2"], environment: [:], store: "test", secret: "s3cret")
        }
        #expect(failure?.message == "sh failed: FATAL: password *** refused")
    }
}
