/// The rule for user names and passwords, shared by the users page and `pingyi users`.
public enum Credentials {
    public enum Problem: Sendable, Equatable {
        case blankName, longName, controlInName, shortPassword, commonPassword, nameAsPassword

        /// For the command line.
        public var english: String {
            switch self {
            case .blankName: "NAME must not be empty or start or end with a space."
            case .longName: "NAME must have at most 32 characters."
            case .controlInName: "NAME must not hold control characters."
            case .shortPassword: "the password must have at least \(Credentials.minimumLength) characters"
            case .commonPassword: "the password is one of the most common ones (or a run of one or two characters); choose another"
            case .nameAsPassword: "the password is the user name; choose another"
            }
        }

        /// For the web pages.
        public var chinese: String {
            switch self {
            case .blankName: "用户名不能为空，首尾不能有空格"
            case .longName: "用户名最多 32 个字"
            case .controlInName: "用户名不能含控制字符"
            case .shortPassword: "密码至少 \(Credentials.minimumLength) 位"
            case .commonPassword: "密码过于常见（或只由一两个字符重复组成），请换一个"
            case .nameAsPassword: "密码不能是用户名，请换一个"
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

    /// The shortest password accepted.
    public static let minimumLength = 10

    /// Passwords of ten characters or more that lists of leaked passwords (and Chinese ones in
    /// particular) put at the top; compared in lower case.
    static let common: Set<String> = [
        "1234567890", "0123456789", "12345678910", "1234567890a", "a1234567890", "a123456789", "123456789a", "abc1234567",
        "abcd123456", "aa12345678", "qwertyuiop", "1q2w3e4r5t", "1qaz2wsx3edc", "qazwsxedc1", "qwerty1234", "qwerty12345",
        "qwer123456", "asdfghjkl1", "zxcvbnm123", "password12", "password123", "password1234", "passw0rd123", "p@ssw0rd12",
        "iloveyou12", "woaini1314", "woaini520", "5201314520", "1314520520", "9876543210", "12345678900", "147258369a",
        "1472583690", "123123123a", "1231231230", "admin12345", "admin123456", "administrator", "pingyi12345", "pingyi123456",
        "welcome123", "abcdefghij", "abcdefg123",
    ]

    /// A password: at least ``minimumLength`` characters, not among the most common ones, not
    /// one or two characters repeated, not the user name (letters compared in lower case,
    /// digits and signs around it ignored).
    public static func problem(password: String, name: String? = nil) -> Problem? {
        if password.count < minimumLength { return .shortPassword }
        let folded = password.lowercased()
        if common.contains(folded) || Set(folded).count <= 2 { return .commonPassword }
        if let name, !name.isEmpty {
            let letters = folded.filter { $0.isLetter }
            if folded == name.lowercased() || letters == name.lowercased() { return .nameAsPassword }
        }
        return nil
    }
}
