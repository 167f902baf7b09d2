/// The rule for user names and passwords, shared by the users page and `pingyi users`.
public enum Credentials {
    public enum Problem: Sendable, Equatable {
        case blankName, longName, controlInName, shortPassword

        /// For the command line.
        public var english: String {
            switch self {
            case .blankName: "NAME must not be empty or start or end with a space."
            case .longName: "NAME must have at most 32 characters."
            case .controlInName: "NAME must not hold control characters."
            case .shortPassword: "the password must have at least 8 characters"
            }
        }

        /// For the web pages.
        public var chinese: String {
            switch self {
            case .blankName: "用户名不能为空，首尾不能有空格"
            case .longName: "用户名最多 32 个字"
            case .controlInName: "用户名不能含控制字符"
            case .shortPassword: "密码至少 8 位"
            }
        }
    }

    /// A name: 1–32 characters, no control characters, no space at either end.
    public static func problem(name: String) -> Problem? {
        if name.isEmpty || name.first?.isWhitespace == true || name.last?.isWhitespace == true { return .blankName }
        if name.count > 32 { return .longName }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return .controlInName }
        return nil
    }

    /// A password: at least 8 characters.
    public static func problem(password: String) -> Problem? {
        password.count < 8 ? .shortPassword : nil
    }
}
