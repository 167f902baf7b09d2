import PostgresNIO

extension SQLValue {
    func append(to binds: inout PostgresBindings) {
        switch self {
        case .text(let v): binds.append(v)
        case .int(let v): binds.append(v)
        case .double(let v): binds.append(v)
        case .bool(let v): binds.append(v)
        }
    }
}

extension PostgresStore {
    /// Runs `sql` with `$1`, `$2`, … bound to `values`.
    func query(_ db: PostgresConnection, _ sql: String, _ values: [SQLValue]) async throws -> PostgresRowSequence {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { value.append(to: &binds) }
        return try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    /// Inserts rows with multi-row `VALUES`, as many rows per statement as PostgreSQL's limit of
    /// 65,535 parameters allows (at most 1,000).
    /// - Parameter returning: a column to return for every row (in row order), or nil.
    /// - Returns: the returned column's values, when asked for.
    @discardableResult
    func insertRows(_ db: PostgresConnection, _ table: String, _ columns: [String], _ rows: [[SQLValue]],
                    returning: String? = nil) async throws -> [Int64] {
        var out: [Int64] = []
        guard !rows.isEmpty else { return out }
        let perStatement = max(1, min(1000, 65_535 / columns.count))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var binds = PostgresBindings(capacity: chunk.count * columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            for row in chunk {
                let first = binds.count
                for value in row { value.append(to: &binds) }
                tuples.append("(" + (1...row.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
            if let returning { sql += " RETURNING \(returning)" }
            let result = try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            if returning != nil {
                for try await id in result.decode(Int64.self) { out.append(id) }
            }
            start += perStatement
        }
        return out
    }
}
