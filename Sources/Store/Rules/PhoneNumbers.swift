/// Phone numbers: read from a list cell, shown masked to everyone but the interviewer holding the
/// case during a call.
public enum PhoneNumbers {
    /// The numbers in a cell: several may be separated by `;`, `/`, `,`, `、` or `，`; each
    /// keeps its digits and a leading `+` (`138-1234-5678` and `138 1234 5678` → `13812345678`).
    /// Parts with fewer than three digits give none.
    public static func split(_ cell: String) -> [String] {
        var numbers: [String] = []
        for part in cell.split(whereSeparator: { ";/、，,；".contains($0) }) {
            var digits = ""
            for c in part.trimmingPrefix(while: \.isWhitespace) where c.isASCII && (c.isNumber || (c == "+" && digits.isEmpty)) { digits.append(c) }
            if digits.count(where: \.isNumber) >= 3 && !numbers.contains(digits) { numbers.append(digits) }
        }
        return numbers
    }

    /// `13812345678` → `138****5678`: the first three and last four digits; shorter numbers
    /// keep their last two.
    public static func mask(_ number: String) -> String {
        let chars = Array(number)
        if chars.count >= 8 { return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4)) }
        if chars.count > 2 { return String(repeating: "*", count: chars.count - 2) + String(chars.suffix(2)) }
        return String(repeating: "*", count: chars.count)
    }
}
