import Foundation
import Synchronization

/// Slows and then refuses guessing of access codes: wrong codes are counted per client address
/// and in all over a sliding window; past `perAddress` wrong codes from one address, or `overall`
/// from everyone, codes are refused without being looked up until the window has passed. A
/// well-formed code is only looked up when allowed, so a guesser learns nothing once refused.
final class GuessLimiter: Sendable {
    struct Policy: Sendable {
        var perAddress = 10
        var overall = 300
        var windowSeconds: Int64 = 600
    }

    enum Verdict: Equatable {
        case allowed
        /// Refused until this time (Unix seconds).
        case refused(until: Int64)
    }

    let policy: Policy
    private struct State {
        var byAddress: [String: [Int64]] = [:]
        var all: [Int64] = []
        /// Addresses already logged in this window.
        var logged: Set<String> = []
    }
    private let state = Mutex(State())

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    func verdict(_ address: String, now: Int64) -> Verdict {
        state.withLock { s in
            prune(&s, now: now)
            let mine = s.byAddress[address] ?? []
            if mine.count >= policy.perAddress, let first = mine.first { return .refused(until: first + policy.windowSeconds) }
            if s.all.count >= policy.overall, let first = s.all.first { return .refused(until: first + policy.windowSeconds) }
            return .allowed
        }
    }

    /// Counts a wrong code; returns true the first time in a window an address reaches its limit
    /// (to log it once).
    func wrong(_ address: String, now: Int64) -> Bool {
        state.withLock { s in
            prune(&s, now: now)
            s.byAddress[address, default: []].append(now)
            s.all.append(now)
            if s.byAddress[address]!.count >= policy.perAddress && !s.logged.contains(address) {
                s.logged.insert(address)
                return true
            }
            return false
        }
    }

    private func prune(_ s: inout State, now: Int64) {
        let start = now - policy.windowSeconds
        s.all.removeAll { $0 <= start }
        for (address, times) in s.byAddress {
            let kept = times.filter { $0 > start }
            if kept.isEmpty {
                s.byAddress[address] = nil
                s.logged.remove(address)
            } else if kept.count != times.count {
                s.byAddress[address] = kept
            }
        }
    }
}
