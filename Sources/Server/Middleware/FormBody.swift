import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body.
enum FormBody {
    /// The largest form accepted (a keyed form is a few kilobytes).
    static let limit = 256 * 1024

    /// Reads the request's form fields, keeping the body readable for the handler.
    static func read(_ request: inout Request, context: AppContext) async throws -> [String: String] {
        let buffer = try await request.collectBody(upTo: limit)
        return parse(String(buffer: buffer))
    }

    /// Parses `a=1&b=x+y%20z`: `+` is a space, percent-escapes are UTF-8; a repeated name keeps
    /// its last value.
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
