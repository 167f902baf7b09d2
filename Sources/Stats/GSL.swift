internal import CGSL

/// An error reported by the GNU Scientific Library, or a precondition of ours that would have
/// made GSL fail.
///
/// GSL's default error handler calls `abort()`. ``GSL/prepare()`` turns it off once per process,
/// so every GSL status is returned to the caller and turned into this error, carrying
/// `gsl_strerror`'s text.
public struct StatsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The GSL status code, or `nil` when the argument was rejected before calling GSL.
    public let status: Int?
    /// What failed, in words a user can act on.
    public let message: String

    public init(status: Int? = nil, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

/// The process-wide GSL set-up, done once: the abort-on-error handler is switched off.
enum GSL {
    /// Swift initialises globals lazily and exactly once, even across threads.
    private static let handlerOff: Void = {
        _ = gsl_set_error_handler_off()
    }()

    /// Call before any GSL function; cheap after the first call.
    @inline(__always)
    static func prepare() {
        _ = handlerOff
    }

    /// Turns a GSL status into a Swift error carrying GSL's own message.
    static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(StatsError) {
        guard status != Int32(GSL_SUCCESS) else { return }
        let text = String(cString: gsl_strerror(status))
        throw StatsError(status: Int(status), message: "\(operation()): \(text)")
    }

    /// The version of the linked GSL, e.g. "2.7.1".
    static var version: String {
        String(cString: cgsl_version())
    }
}

/// The version string of the GNU Scientific Library this build links.
public let gslVersion: String = GSL.version
