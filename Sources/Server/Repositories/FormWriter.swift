import Store
import Synchronization

/// Stores the forms that arrive at the same moment (API requests, keying pages) together: the
/// first request to find the writer idle writes its batch and every batch that arrived
/// meanwhile with one ``SurveyStore/enterBatches(_:)`` call, then the next group, until none is
/// waiting (group commit). Each batch still succeeds or fails on its own, with the answer it
/// would get alone; an idle server writes a lone request at once, without waiting.
///
/// On SQLite, which has one writer, this turns many small transactions into a few larger ones:
/// one commit and one hop to the writer for up to ``maximumGroup`` forms. On PostgreSQL several
/// groups are written at once (``writers``), each on its own connection.
final class FormWriter: Sendable {
    let store: any SurveyStore
    /// How many groups may be written at the same time.
    let writers: Int
    /// The most batches written in one transaction.
    static let maximumGroup = 256

    private typealias Waiting = (batch: FormBatch, continuation: CheckedContinuation<Result<EntrySummary, StoreError>, any Error>)

    private struct State {
        var waiting: [Waiting] = []
        var writing = 0
    }

    private let state = Mutex(State())

    init(store: any SurveyStore, writers: Int) {
        self.store = store
        self.writers = max(1, writers)
    }

    /// Stores `batch` (in a group with others), as ``SurveyStore/enterForms(_:)`` would.
    func enter(_ batch: FormBatch) async throws -> EntrySummary {
        let outcome = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result<EntrySummary, StoreError>, any Error>) in
            let writers = self.writers
            let leads = state.withLock { s -> Bool in
                s.waiting.append((batch, continuation))
                if s.writing >= writers { return false }
                s.writing += 1
                return true
            }
            if leads { Task { await self.drain() } }
        }
        return try outcome.get()
    }

    /// Writes the waiting batches, a group at a time, until none is left.
    private func drain() async {
        while true {
            let group = state.withLock { s -> [Waiting] in
                let group = Array(s.waiting.prefix(FormWriter.maximumGroup))
                s.waiting.removeFirst(group.count)
                if group.isEmpty { s.writing -= 1 }
                return group
            }
            if group.isEmpty { return }
            do {
                let outcomes = try await store.enterBatches(group.map(\.batch))
                for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(returning: outcome) }
            } catch {
                for waiting in group { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}

/// The users of recently seen API tokens, kept for a few seconds so that a busy client does not
/// cost a database read per request (a new or withdrawn token takes effect within that time).
final class TokenCache: Sendable {
    static let seconds: Int64 = 5
    static let maximumEntries = 1000
    private let entries = Mutex<[String: (user: UserAccount, until: Int64)]>([:])

    func user(_ hash: String, now: Int64) -> UserAccount? {
        entries.withLock { e in
            guard let hit = e[hash], hit.until > now else { return nil }
            return hit.user
        }
    }

    /// Drops a user's cached tokens (their role changed, they were disabled or deleted): the
    /// next request reads the store. Another server process forgets within ``seconds``.
    func forget(user name: String) {
        entries.withLock { e in e = e.filter { $0.value.user.name != name } }
    }

    func remember(_ hash: String, _ user: UserAccount, now: Int64) {
        entries.withLock { e in
            if e.count >= TokenCache.maximumEntries { e.removeAll() }
            e[hash] = (user, now + TokenCache.seconds)
        }
    }
}
