internal import CGSL

/// A dense row-major matrix of doubles, the exchange format for ``LinearAlgebra``.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Elements in row-major order.
    public var elements: [Double]

    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "element count does not match the shape")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }
}

/// Owns a `gsl_matrix` and frees it when released.
private final class OwnedMatrix {
    let pointer: UnsafeMutablePointer<gsl_matrix>

    init(_ matrix: Matrix) throws(StatsError) {
        guard let pointer = gsl_matrix_alloc(matrix.rows, matrix.columns) else {
            throw StatsError(message: "could not allocate a \(matrix.rows)×\(matrix.columns) matrix")
        }
        self.pointer = pointer
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns {
                gsl_matrix_set(pointer, r, c, matrix[r, c])
            }
        }
    }

    deinit { gsl_matrix_free(pointer) }
}

/// Owns a `gsl_vector` and frees it when released.
private final class OwnedVector {
    let pointer: UnsafeMutablePointer<gsl_vector>

    init(count: Int) throws(StatsError) {
        guard let pointer = gsl_vector_alloc(count) else {
            throw StatsError(message: "could not allocate a vector of \(count) elements")
        }
        self.pointer = pointer
    }

    convenience init(_ values: [Double]) throws(StatsError) {
        try self.init(count: values.count)
        for (i, v) in values.enumerated() { gsl_vector_set(pointer, i, v) }
    }

    var values: [Double] {
        (0..<pointer.pointee.size).map { gsl_vector_get(pointer, $0) }
    }

    deinit { gsl_vector_free(pointer) }
}

/// Owns a `gsl_permutation` and frees it when released.
private final class OwnedPermutation {
    let pointer: UnsafeMutablePointer<gsl_permutation>

    init(count: Int) throws(StatsError) {
        guard let pointer = gsl_permutation_alloc(count) else {
            throw StatsError(message: "could not allocate a permutation of \(count) elements")
        }
        self.pointer = pointer
    }

    deinit { gsl_permutation_free(pointer) }
}

/// Linear solves through GSL, used by calibration (GREG) weighting.
public enum LinearAlgebra {
    /// Solves `A x = b` for square `A` by LU decomposition with partial pivoting
    /// (`gsl_linalg_LU_decomp`, `gsl_linalg_LU_solve`).
    /// - Throws: ``StatsError`` when `A` is not square, the sizes disagree, or `A` is singular.
    /// - Complexity: O(n³).
    public static func solve(_ a: Matrix, _ b: [Double]) throws(StatsError) -> [Double] {
        guard a.rows == a.columns else {
            throw StatsError(message: "cannot solve: the matrix is \(a.rows)×\(a.columns), not square")
        }
        guard b.count == a.rows else {
            throw StatsError(message: "cannot solve: the right-hand side has \(b.count) elements for \(a.rows) equations")
        }
        GSL.prepare()
        let lu = try OwnedMatrix(a)
        let permutation = try OwnedPermutation(count: a.rows)
        var sign: Int32 = 0
        try GSL.check(gsl_linalg_LU_decomp(lu.pointer, permutation.pointer, &sign), "LU decomposition")
        // GSL's LU solve does not report singularity itself: a zero pivot gives inf/NaN.
        for i in 0..<a.rows where gsl_matrix_get(lu.pointer, i, i) == 0 {
            throw StatsError(status: Int(GSL_EDOM), message: "cannot solve: the matrix is singular (zero pivot in row \(i + 1))")
        }
        let rhs = try OwnedVector(b)
        let x = try OwnedVector(count: a.rows)
        try GSL.check(gsl_linalg_LU_solve(lu.pointer, permutation.pointer, rhs.pointer, x.pointer), "LU solve")
        return x.values
    }

    /// Solves `A x = b` for symmetric positive-definite `A` by Cholesky decomposition
    /// (`gsl_linalg_cholesky_decomp1`); GSL reports a matrix that is not positive definite.
    /// - Complexity: O(n³).
    public static func solveSymmetricPositiveDefinite(_ a: Matrix, _ b: [Double]) throws(StatsError) -> [Double] {
        guard a.rows == a.columns, b.count == a.rows else {
            throw StatsError(message: "cannot solve: a \(a.rows)×\(a.columns) matrix with \(b.count) right-hand sides")
        }
        GSL.prepare()
        let chol = try OwnedMatrix(a)
        try GSL.check(gsl_linalg_cholesky_decomp1(chol.pointer), "Cholesky decomposition")
        let rhs = try OwnedVector(b)
        let x = try OwnedVector(count: a.rows)
        try GSL.check(gsl_linalg_cholesky_solve(chol.pointer, rhs.pointer, x.pointer), "Cholesky solve")
        return x.values
    }

    /// Solves `A x = b` for symmetric `A` through its Moore–Penrose pseudo-inverse, as R's
    /// `MASS::ginv(A, tol) %*% b`: singular values at or below `tolerance` × the largest are
    /// dropped (R's calibration Newton step uses `tol = 256 * .Machine$double.eps`). A singular
    /// `A` (a calibration cell whose weights all sit at a bound) gives the least-norm step.
    /// Uses `gsl_linalg_SV_decomp`.
    /// - Complexity: O(n³).
    public static func pseudoInverseSolve(_ a: Matrix, _ b: [Double], tolerance: Double = 256 * Double.ulpOfOne) throws(StatsError) -> [Double] {
        guard a.rows == a.columns, b.count == a.rows else {
            throw StatsError(message: "cannot solve: a \(a.rows)×\(a.columns) matrix with \(b.count) right-hand sides")
        }
        let n = a.rows
        if n == 0 { return [] }
        GSL.prepare()
        let u = try OwnedMatrix(a)
        let v = try OwnedMatrix(Matrix(rows: n, columns: n))
        let s = try OwnedVector(count: n)
        let work = try OwnedVector(count: n)
        try GSL.check(gsl_linalg_SV_decomp(u.pointer, v.pointer, s.pointer, work.pointer), "singular value decomposition")
        let singular = s.values
        let largest = singular.max() ?? 0
        // x = V · diag(1/s) · Uᵀ · b over the kept singular values.
        var x = [Double](repeating: 0, count: n)
        for k in 0..<n where singular[k] > max(tolerance * largest, 0) {
            var projection = 0.0
            for i in 0..<n { projection += gsl_matrix_get(u.pointer, i, k) * b[i] }
            projection /= singular[k]
            for i in 0..<n { x[i] += gsl_matrix_get(v.pointer, i, k) * projection }
        }
        return x
    }
}
