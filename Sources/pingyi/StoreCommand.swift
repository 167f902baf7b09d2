import ArgumentParser
import Foundation
import Store

/// Backups, restores and schema upgrades of a store.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up a store into one file (备份), while pingyi serve goes on writing.",
        discussion: """
            SQLite: a consistent snapshot made with SQLite's online backup API. PostgreSQL: pg_dump \
            (PostgreSQL's client tools on the PATH) of one snapshot. The file starts with a line of \
            JSON (format pingyi-backup/1, the schema version, the payload's size and SHA-256, the \
            rows it holds); pingyi restore checks all of it. Written whole, then renamed: a failed \
            backup leaves the previous file as it was.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The backup file to write, e.g. backups/pingyi-2026-12-03.backup.")
    var out: String

    func run() async throws {
        try await reportingErrors {
            let header: StoreBackup.Header
            if let url = store.postgres {
                // Opened as it is (not upgraded), so that the backup can go back to the version that made it.
                let s = try await PostgresStore(url: url, upgrade: false)
                defer { s.close() }
                header = try await s.backup(url: url, to: out)
            } else {
                header = try SQLiteStore.backup(storeAt: store.db, to: out)
            }
            print("已备份  \(store.name) → \(out)（\(Self.describe(header))）")
            print("SHA-256  \(header.sha256)")
        }
    }

    static func describe(_ h: StoreBackup.Header) -> String {
        let c = h.counts
        return "\(h.kind == .sqlite ? "SQLite" : "PostgreSQL") 库结构第 \(h.schemaVersion) 版，\(h.bytes) 字节；案例 \(c["cases"] ?? 0)，"
            + "问卷 \(c["forms"] ?? 0)，答案 \(c["answers"] ?? 0)，审计记录 \(c["audit"] ?? 0)，用户 \(c["users"] ?? 0)；快照时间 \(h.takenAt)"
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a store from a pingyi backup file (恢复).",
        discussion: """
            The backup's size, SHA-256 and schema version are checked first, and (SQLite) its \
            database passes PRAGMA integrity_check before it takes the store's place; nothing is \
            changed otherwise. An existing store is replaced only with --replace: stop pingyi serve \
            first. A backup of an older schema is upgraded as it is opened.
            """
    )

    @Argument(help: "The backup file (written by pingyi backup).")
    var file: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Replace the store that is there.")
    var replace = false

    func run() async throws {
        try await reportingErrors {
            try requireFile(file, option: "FILE")
            let backup = try StoreBackup.read(file)
            let counts: [String: Int]
            if let url = store.postgres {
                counts = try await PostgresStore.restore(backup, from: file, url: url, replace: replace)
            } else {
                counts = try SQLiteStore.restore(backup, from: file, to: store.db, replace: replace)
            }
            print("已恢复  \(file) → \(store.name)（\(BackupCommand.describe(backup.header))）")
            let expected = backup.header.counts
            let same = StoreBackup.countedTables.allSatisfy { (counts[$0] ?? 0) == (expected[$0] ?? 0) }
            print("核对  \(same ? "各表行数与备份一致" : "行数与备份不同：\(counts)")")
            if backup.header.schemaVersion < StoreBackup.currentSchema {
                print("库结构  第 \(backup.header.schemaVersion) 版已升级为第 \(StoreBackup.currentSchema) 版")
            }
        }
    }
}

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Look after a store: upgrade its schema.",
        subcommands: [Upgrade.self]
    )

    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade a store made by an earlier pingyi to this version's schema (in one transaction).",
            discussion: "Every command also upgrades a store it opens; this one does only that and says what it did. Back up first (pingyi backup)."
        )

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let before: Int?
                if let url = store.postgres {
                    before = await PostgresStore.schemaVersion(url: url)
                    let s = try await PostgresStore(url: url)
                    s.close()
                } else {
                    try requireFile(store.db, option: "--db")
                    before = SQLiteStore.schemaVersion(at: store.db)
                    _ = try SQLiteStore(path: store.db)
                }
                let now = StoreBackup.currentSchema
                switch before {
                case .some(let v) where v < now: print("已升级  \(store.name)：库结构第 \(v) 版 → 第 \(now) 版")
                case .some: print("无需升级  \(store.name)：库结构已是第 \(now) 版")
                case .none: print("已检查  \(store.name)：库结构现为第 \(now) 版（升级前的版本未能读出）")
                }
            }
        }
    }
}
