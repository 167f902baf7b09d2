import Foundation
import Synchronization
import Testing
@testable import pingyi

/// The progress bar: drawn only on a terminal and only once the work has taken longer than the
/// delay; the line is ended when the work finishes.
@Suite("Progress")
struct ProgressTests {
    final class Capture: Sendable {
        let text = Mutex("")
        func append(_ s: String) { text.withLock { $0 += s } }
        var value: String { text.withLock { $0 } }
    }

    @Test func barText() {
        #expect(Progress.bar(label: "生成报告", done: 0, total: 4) == "生成报告 [░░░░░░░░░░░░░░░░░░░░]   0%  0/4")
        #expect(Progress.bar(label: "生成报告", done: 1, total: 4) == "生成报告 [█████░░░░░░░░░░░░░░░]  25%  1/4")
        #expect(Progress.bar(label: "x", done: 4, total: 4) == "x [████████████████████] 100%  4/4")
        #expect(Progress.bar(label: "x", done: 0, total: 0) == "x [████████████████████] 100%  0/0")
    }

    @Test func silentWhenNotATerminal() {
        let capture = Capture()
        let progress = Progress("x", total: 2, delay: .zero, isTerminal: false, output: capture.append)
        progress.advance()
        progress.advance()
        progress.finish()
        #expect(capture.value.isEmpty)
    }

    @Test func silentWhenQuick() {
        let capture = Capture()
        let progress = Progress("x", total: 2, delay: .seconds(60), isTerminal: true, output: capture.append)
        progress.update(1)
        progress.update(2)
        progress.finish()
        #expect(capture.value.isEmpty)
    }

    @Test func redrawnAfterTheInterval() {
        let capture = Capture()
        let progress = Progress("x", total: 2, delay: .zero, interval: .zero, isTerminal: true, output: capture.append)
        progress.update(1)
        progress.update(2)
        #expect(capture.value == "\rx [██████████░░░░░░░░░░]  50%  1/2\u{1B}[K\rx [████████████████████] 100%  2/2\u{1B}[K")
    }

    @Test func drawnOnATerminalAfterTheDelay() {
        let capture = Capture()
        let progress = Progress("x", total: 4, delay: .zero, interval: .seconds(60), isTerminal: true, output: capture.append)
        progress.advance()
        progress.advance(by: 2) // within the redraw interval: not redrawn
        progress.finish()
        progress.finish()
        #expect(capture.value == "\rx [█████░░░░░░░░░░░░░░░]  25%  1/4\u{1B}[K\rx [████████████████████] 100%  4/4\u{1B}[K\n")
    }
}
