import Foundation
import Testing

/// pingyi backup, restore and store upgrade on SQLite stores (the PostgreSQL ones, and a backup
/// taken under load, in scripts/faults-serve.py).
@Suite("Backup and restore")
struct BackupCommandTests {
    static func store() throws -> URL {
        let dir = try Command.temporaryDirectory()
        let (csv, sampled, _) = Households.list(villages: 3, sample: 10, reserves: 2)
        #expect(try Command.run(["cases", "load", "--list", try dir.write(csv, to: "list.csv"), "--survey", StoreCommandTests.urban], in: dir).status == 0)
        #expect(try Command.run(["responses", "import", try dir.write(Households.forms(sampled), to: "forms.csv"), "--survey", StoreCommandTests.urban,
                                 "--pass", "1", "--operator", "王芳"], in: dir).status == 0)
        return dir
    }

    @Test func aBackupRestoresToTheSameStore() throws {
        let dir = try Self.store()
        let store = dir.appendingPathComponent("pingyi.sqlite").path
        let backup = try Command.run(["backup", "--out", "b.backup"], in: dir)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("已备份  pingyi.sqlite → b.backup（SQLite 库结构第 7 版，"))
        #expect(backup.stdout.contains("案例 36，问卷 30，答案 1460，审计记录 66，用户 0"), "\(backup.stdout)")
        let bytes = try Data(contentsOf: dir.appendingPathComponent("b.backup"))
        let header = try JSONSerialization.jsonObject(with: bytes.prefix(while: { $0 != 0x0A })) as? [String: Any]
        #expect(header?["format"] as? String == "pingyi-backup/1" && header?["kind"] as? String == "sqlite" && header?["schema_version"] as? Int == 7)
        let restored = try Command.run(["restore", "b.backup", "--db", "restored.sqlite"], in: dir)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("核对  各表行数与备份一致"))
        #expect(try dumpStore(dir.appendingPathComponent("restored.sqlite").path) == (try dumpStore(store)))
        // The restored store works: the audit trail of a case is there.
        let audit = try Command.run(["audit", "--case", "H-01-0001", "--db", "restored.sqlite"], in: dir)
        #expect(audit.status == 0 && audit.stdout.contains("王芳"))
        #expect(!files(in: dir).contains { $0.contains(".tmp-") })
    }

    @Test func badBackupsAndTargetsAreRefusedChangingNothing() throws {
        let dir = try Self.store()
        #expect(try Command.run(["backup", "--out", "b.backup"], in: dir).status == 0)
        let store = dir.appendingPathComponent("pingyi.sqlite").path
        let before = try dumpStore(store)
        // The store itself as the output; an existing store as the target without --replace.
        let over = try Command.run(["backup", "--out", "pingyi.sqlite"], in: dir)
        #expect(over.status == 64 && over.stderr.contains("is also an input of this command"))
        let existing = try Command.run(["restore", "b.backup"], in: dir)
        #expect(existing.status == 64)
        #expect(existing.stderr == "pingyi: error: pingyi.sqlite: a store is already there; restoring would replace it; stop pingyi serve, then add --replace to replace it, or name another file with --db\n")
        // A damaged byte, a cut-off file, a file that is no backup, a backup of a newer schema.
        var bytes = try Data(contentsOf: dir.appendingPathComponent("b.backup"))
        bytes[bytes.count - 100] ^= 0xFF
        try bytes.write(to: dir.appendingPathComponent("damaged.backup"))
        let damaged = try Command.run(["restore", "damaged.backup", "--db", "x.sqlite"], in: dir)
        #expect(damaged.status == 65 && damaged.stderr.contains("damaged.backup: the backup is damaged: its SHA-256 is "), "\(damaged.stderr)")
        try bytes.prefix(bytes.count / 2).write(to: dir.appendingPathComponent("cut.backup"))
        let cut = try Command.run(["restore", "cut.backup", "--db", "x.sqlite"], in: dir)
        #expect(cut.status == 65 && cut.stderr.contains("the backup is cut short or padded"), "\(cut.stderr)")
        let notBackup = try Command.run(["restore", "list.csv", "--db", "x.sqlite"], in: dir)
        #expect(notBackup.status == 65 && notBackup.stderr.contains("list.csv:1: is not a pingyi backup"), "\(notBackup.stderr)")
        var newer = try Data(contentsOf: dir.appendingPathComponent("b.backup"))
        let headerEnd = try #require(newer.firstIndex(of: 0x0A))
        let header = String(decoding: newer[..<headerEnd], as: UTF8.self).replacingOccurrences(of: "\"schema_version\":7", with: "\"schema_version\":99")
        newer.replaceSubrange(..<headerEnd, with: Data(header.utf8))
        try newer.write(to: dir.appendingPathComponent("newer.backup"))
        let future = try Command.run(["restore", "newer.backup", "--db", "x.sqlite"], in: dir)
        #expect(future.status == 64 && future.stderr.contains("the backup is of store schema 99, newer than this pingyi's 7"), "\(future.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.sqlite").path))
        #expect(try dumpStore(store) == before)
        // --replace puts the backup in the store's place.
        #expect(try Command.run(["survey", "close", "urban", "--reason", "测试"], in: dir).status == 0)
        let replaced = try Command.run(["restore", "b.backup", "--replace"], in: dir)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try dumpStore(store) == before)
        #expect(try Command.run(["store", "upgrade"], in: dir).stdout == "无需升级  pingyi.sqlite：库结构已是第 7 版\n")
    }
}
