import Questionnaire
import Store
import Synchronization

/// The questionnaires the store holds, as the server keys them: the latest version of each id.
///
/// Read from the store and kept for ``refreshSeconds`` (a stored version never changes, so a
/// cached one is never wrong; a new version loaded by another process shows within that time,
/// or at once when a request names it).
final class QuestionnaireCatalog: Sendable {
    let store: any SurveyStore
    let now: @Sendable () -> Int64
    static let refreshSeconds: Int64 = 10

    private struct State {
        /// When the store was last read (nil: never).
        var readAt: Int64?
        var latest: [String: Questionnaire] = [:]
        var versions: [String: Questionnaire] = [:]
    }

    private let state = Mutex(State())

    init(store: any SurveyStore, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.now = now
    }

    /// Every questionnaire id's latest version, in group order then id.
    func all() async throws -> [Questionnaire] {
        try await refresh(force: false)
        return state.withLock { $0.latest.values.sorted { ($0.group, $0.id) < ($1.group, $1.id) } }
    }

    /// Forgets what was read, so the next request reads the store (after this process stored a
    /// questionnaire: the workbench's loading of a list).
    func invalidate() {
        state.withLock { $0.readAt = nil }
    }

    /// The latest version of `id` (or version `version`), or nil when the store has none.
    func questionnaire(_ id: String, version: Int? = nil) async throws -> Questionnaire? {
        if let found = lookup(id, version) { return found }
        try await refresh(force: true)
        return lookup(id, version)
    }

    private func lookup(_ id: String, _ version: Int?) -> Questionnaire? {
        let stale = isStale(now())
        return state.withLock { s in
            if let version { return s.versions["\(id) \(version)"] }
            return stale ? nil : s.latest[id]
        }
    }

    private func isStale(_ time: Int64) -> Bool {
        guard let readAt = state.withLock(\.readAt) else { return true }
        return time - readAt >= QuestionnaireCatalog.refreshSeconds || time < readAt
    }

    private func refresh(force: Bool) async throws {
        let time = now()
        if !force, !isStale(time) { return }
        let stored = try await store.questionnaires(id: nil)
        state.withLock { s in
            s.readAt = time
            for q in stored {
                s.versions["\(q.id) \(q.version)"] = q
                if (s.latest[q.id]?.version ?? 0) <= q.version { s.latest[q.id] = q }
            }
        }
    }
}
