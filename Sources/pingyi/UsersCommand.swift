import ArgumentParser
import Foundation
import Server
import Store

#if canImport(Glibc)
import Glibc
#endif

/// `pingyi users`: the people who sign in to `pingyi serve`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the users of pingyi serve: add, list, password, unlock, API token.",
        subcommands: [Add.self, List.self, Password.self, Unlock.self, Token.self, Role.self, Disable.self, Enable.self, Delete.self]
    )

    /// The password: the first line of --password-file, or read from the terminal (twice, not echoed),
    /// or one line of standard input when it is not a terminal.
    struct PasswordInput: ParsableArguments {
        @Option(help: "Read the password from the first line of this file (instead of a prompt).")
        var passwordFile: String?

        func read(for name: String) throws -> String {
            let password: String
            if let passwordFile {
                try requireFile(passwordFile, option: "--password-file")
                let text = try String(contentsOfFile: passwordFile, encoding: .utf8)
                password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            } else if isatty(0) == 1 {
                let first = prompt("\(name) 的密码: ")
                guard prompt("再输入一次: ") == first else { throw UsageError(description: "the two passwords differ; run the command again") }
                password = first
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            if let problem = Credentials.problem(password: password, name: name) {
                throw UsageError(description: problem == .shortPassword ? "\(problem.english) (it has \(password.count)); choose a longer one" : problem.english)
            }
            return password
        }

        /// Reads one line from the terminal without echoing it.
        private func prompt(_ text: String) -> String {
            writeStandardError(text)
            var settings = termios()
            tcgetattr(0, &settings)
            let saved = settings
            settings.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &settings)
            defer {
                var restore = saved
                tcsetattr(0, TCSANOW, &restore)
                writeStandardError("\n")
            }
            return readLine(strippingNewline: true) ?? ""
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role: admin (管理员), supervisor (督导), statistician (统计人员), operator (录入员) or interviewer (访员).")

        @Argument(help: "The user's name (what they type to sign in).")
        var name: String

        @Option(help: "admin, supervisor, statistician, operator or interviewer.")
        var role: UserRole

        @OptionGroup var password: PasswordInput
        @OptionGroup var store: StoreOptions
        @OptionGroup var by: OperatorOption

        func validate() throws {
            if let problem = problem(name) { throw ValidationError(problem) }
        }

        func run() async throws {
            try await reportingErrors {
                let secret = try password.read(for: name)
                let hash = try PasswordHasher().hash(secret)
                let s = try await store.open(create: true)
                try await s.addUser(name: name, role: role, passwordHash: hash, by: by.resolved)
                print("已添加用户  \(name)（\(role.label)）→ \(store.name)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, their roles and whether they are locked out.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let s = try await store.open()
                let now = Int64(Date().timeIntervalSince1970)
                var rows = [["用户", "角色", "状态", "API 令牌", "添加时间"]]
                for u in try await s.users() {
                    let state = u.disabled ? "已停用" : u.isLocked(at: now) ? "锁定至 \(isoTime(u.lockedUntil ?? 0))" : (u.failedLogins > 0 ? "失败 \(u.failedLogins) 次" : "正常")
                    rows.append([u.name, u.role.label, state, u.hasAPIToken ? "有" : "无", u.createdAt])
                }
                print(TextTable(rows: rows).render())
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (and clear a lock-out).")
        @Argument(help: "The user.") var name: String
        @OptionGroup var password: PasswordInput
        @OptionGroup var store: StoreOptions
        @OptionGroup var by: OperatorOption

        func run() async throws {
            try await reportingErrors {
                let secret = try password.read(for: name)
                let s = try await store.open()
                try await s.setPassword(name: name, passwordHash: try PasswordHasher().hash(secret), by: by.resolved)
                print("已设置密码  \(name)")
            }
        }
    }

    /// What a change to one user takes: the user, the store and who does it; `apply` makes the
    /// change and prints `done` with the user's name.
    struct UserChange: ParsableArguments {
        @Argument(help: "The user.") var name: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var by: OperatorOption

        func apply(_ done: String, _ change: (any ServerStore, String, String) async throws -> Void) async throws {
            try await reportingErrors {
                try await change(try await store.open(), name, by.resolved)
                print("\(done)  \(name)")
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear a user's failed sign-ins and lock-out.")
        @OptionGroup var user: UserChange

        func run() async throws {
            try await user.apply("已解锁") { store, name, by in try await store.unlock(name: name, by: by) }
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's role; their sessions end (they sign in again with the new role).")
        @OptionGroup var user: UserChange
        @Option(help: "The new role.") var role: UserRole

        func run() async throws {
            try await user.apply("已改为\(role.label)") { store, name, by in try await store.setRole(name: name, role: role, by: by) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no sign-in, their sessions end, their API token stops working.")
        @OptionGroup var user: UserChange

        func run() async throws {
            try await user.apply("已停用") { store, name, by in try await store.setDisabled(name: name, disabled: true, by: by) }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again (their old API token works again).")
        @OptionGroup var user: UserChange

        func run() async throws {
            try await user.apply("已启用") { store, name, by in try await store.setDisabled(name: name, disabled: false, by: by) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user; what they keyed stays, under their name, with its audit trail.")
        @OptionGroup var user: UserChange

        func run() async throws {
            try await user.apply("已删除") { store, name, by in try await store.deleteUser(name: name, by: by) }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new API token for a user (for POST /api/forms) and print it; any earlier token stops working.")
        @Argument(help: "The user.") var name: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var by: OperatorOption

        func run() async throws {
            try await reportingErrors {
                let token = Tokens.make()
                try await store.open().setAPIToken(name: name, tokenHash: Tokens.hash(token), by: by.resolved)
                print(token)
            }
        }
    }
}

/// Why a user name cannot be used, or nil.
private func problem(_ name: String) -> String? {
    Credentials.problem(name: name)?.english
}
