import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C interface, for the bulk paths
/// (a million answers): no argument arrays, no per-row allocation beyond SQLite's own.
struct RawStatement {
    enum Value {
        case integer(Int64)
        case text(String)
        case null
    }

    let statement: Statement

    /// A statement compiled once per connection (GRDB's statement cache).
    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds `values` to the parameters 1, 2, … and runs the statement once.
    func run(_ db: Database, _ values: [Value]) throws {
        let s = statement.sqliteStatement
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .integer(let v): sqlite3_bind_int64(s, index, v)
            case .text(let t): bindText(s, index, t)
            case .null: sqlite3_bind_null(s, index)
            }
        }
        try step(db, s)
    }

    /// Runs the statement once with an integer and two texts (the answers' shape).
    func run(_ db: Database, _ a: Int64, _ b: String, _ c: String) throws {
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, a)
        bindText(s, 2, b)
        bindText(s, 3, c)
        try step(db, s)
    }

    private func step(_ db: Database, _ s: OpaquePointer) throws {
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    private func bindText(_ s: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress, bytes.count > 0 {
                _ = sqlite3_bind_text(s, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), sqliteTransient)
            } else {
                _ = sqlite3_bind_text(s, index, "", 0, sqliteTransient)
            }
        }
    }
}

/// Inserts answers (form, item, value) through a ``RawStatement``.
struct AnswerInserter {
    let statement: RawStatement

    init(_ db: Database) throws {
        statement = try RawStatement(db, "INSERT INTO answers (form_id, item, value) VALUES (?, ?, ?)")
    }

    func insert(_ db: Database, formID: Int64, item: String, value: String) throws {
        try statement.run(db, formID, item, value)
    }
}

/// SQLite's "copy the bytes now" destructor.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
