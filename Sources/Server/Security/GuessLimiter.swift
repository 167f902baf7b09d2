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

/// Failed sign-ins per user name and client address, in this process: past the limit an address
/// is refused for that name (without its password being checked) until the oldest failure is a
/// window old. Unlike the store's account lock, which every address shares, this one leaves the
/// name's owner free to sign in from their own computer while a stranger guesses elsewhere.
final class SignInGuesses: Sendable {
    private let failures = Mutex<[String: [Int64]]>([:])

    private static func key(_ name: String, _ source: String) -> String { name + "\u{1F}" + source }

    /// Until when `source` is refused for `name`, or nil when it may try.
    func refusedUntil(name: String, source: String, limit: Int, window: Int64, now: Int64) -> Int64? {
        failures.withLock { f in
            let key = Self.key(name, source)
            let recent = (f[key] ?? []).filter { $0 > now - window }
            f[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let first = recent.first else { return nil }
            return first + window
        }
    }

    func failed(name: String, source: String, now: Int64) {
        failures.withLock { f in
            if f.count > 100_000 { f.removeAll() }
            f[Self.key(name, source), default: []].append(now)
        }
    }

    func succeeded(name: String, source: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.key(name, source)) }
    }
}

