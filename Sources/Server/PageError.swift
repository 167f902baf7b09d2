import Hummingbird
import Markup

/// A request that cannot be served: the status and a Chinese message for people. Rendered as
/// an HTML page, or as JSON (`{"error": "…"}`) for API and `fetch` requests, by
/// ``ErrorMiddleware``.
struct PageError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    /// Further lines (each problem of a rejected form).
    var details: [String] = []
    /// The names of the form's items at fault, in order (the page puts the focus on the first).
    var items: [String] = []

    init(_ status: HTTPResponse.Status, _ message: String, details: [String] = [], items: [String] = []) {
        self.status = status
        self.message = message
        self.details = details
        self.items = items
    }
}

