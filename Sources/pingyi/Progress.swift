import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on standard error for work that takes a while:
/// `生成报告 [██████████░░░░░░░░░░]  52%  29/56`.
///
/// It draws only when standard error is a terminal (`isatty(2)`) and the work has already taken
/// longer than `delay` (about a second), so short runs, pipes, files and CI logs see nothing.
/// Redraws are throttled to ten a second; ``finish()`` ends the line if anything was drawn.
/// Safe to call from several threads (e.g. inside `parallelMap`).
final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let delay: Duration
    private let interval: Duration
    private let enabled: Bool
    private let output: @Sendable (String) -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let lock = NSLock()
    private var done = 0
    private var lastDraw: ContinuousClock.Instant?
    private var finished = false

    /// - Parameters:
    ///   - delay: how long the work must have run before the bar appears.
    ///   - interval: the least time between two redraws.
    ///   - isTerminal: whether standard error is a terminal (tests pass true).
    ///   - output: where the bar goes (standard error unless a test captures it).
    init(_ label: String, total: Int, delay: Duration = .seconds(1), interval: Duration = .milliseconds(100),
         isTerminal: Bool = isatty(2) == 1, output: @escaping @Sendable (String) -> Void = { writeStandardError($0) }) {
        self.label = label
        self.total = max(total, 0)
        self.delay = delay
        self.interval = interval
        self.enabled = isTerminal
        self.output = output
        self.start = clock.now
    }

    /// Adds `n` units of finished work.
    func advance(by n: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done = min(done + n, total)
        draw()
    }

    /// Sets the finished work to `count`.
    func update(_ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        done = min(max(count, 0), total)
        draw()
    }

    /// Draws the full bar and ends the line, if the bar was shown at all.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        if lastDraw != nil {
            done = total
            output("\r" + Progress.bar(label: label, done: done, total: total) + "\u{1B}[K\n")
        }
    }

    /// Call with the lock held.
    private func draw() {
        guard enabled, !finished else { return }
        let now = clock.now
        guard now - start >= delay else { return }
        if let lastDraw, now - lastDraw < interval { return }
        lastDraw = now
        output("\r" + Progress.bar(label: label, done: done, total: total) + "\u{1B}[K")
    }

    /// The bar's text: label, 20 cells, percentage, counts.
    static func bar(label: String, done: Int, total: Int, width: Int = 20) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let percent = Int((fraction * 100).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let padded = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
        return "\(label) [\(bar)] \(padded)  \(done)/\(total)"
    }
}
