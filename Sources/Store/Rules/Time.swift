#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The current UTC time as ISO 8601 text, to the second.
func timestamp() -> String {
    isoTime(Int64(time(nil)))
}

/// A Unix time as ISO 8601 UTC text, to the second (`2025-03-01T08:30:00Z`).
public func isoTime(_ unix: Int64) -> String {
    var seconds = time_t(unix)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}
