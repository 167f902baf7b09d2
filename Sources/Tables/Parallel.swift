import Dispatch

/// Results written by parallel workers, each to its own slot.
private final class Slots<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: nil, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}

/// Computes `body(0) … body(count - 1)` on the machine's cores and returns the results in order.
/// Each call writes only its own slot, so no locking is needed.
public func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        slots.pointer[i] = body(i)
    }
    return (0..<count).map { slots.pointer[$0]! }
}
