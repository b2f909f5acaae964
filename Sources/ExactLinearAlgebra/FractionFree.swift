import CGMP
import ExactNumbers

/// Fraction-free (Bareiss) elimination over Z on GMP integers updated in place.
/// Every entry after step k is a (k+1)-minor of the input, so sizes stay bounded by
/// Hadamard's bound and each division is exact. Cost O(m n r) multiplications of
/// numbers that grow to about r times the input size.
struct FractionFreeEchelon {
    let rows: Int, columns: Int
    let storage: MPZArray
    /// Row i of the working matrix came from input row `rowOrigin[i]`.
    var rowOrigin: [Int]
    var pivotColumns: [Int] = []
    var rowSwaps = 0

    init(_ a: IntegerMatrix) {
        rows = a.rows; columns = a.columns
        storage = MPZArray(count: rows * columns)
        for i in 0..<a.elements.count { a.elements[i].copy(into: storage[i]) }
        rowOrigin = Array(0..<rows)
    }

    @inline(__always) func at(_ i: Int, _ j: Int) -> UnsafeMutablePointer<__mpz_struct> { storage[i * columns + j] }

    private mutating func swapRows(_ i: Int, _ k: Int) {
        if i == k { return }
        for j in 0..<columns { __gmpz_swap(at(i, j), at(k, j)) }
        rowOrigin.swapAt(i, k); rowSwaps += 1
    }

    /// Forward elimination; pivots are sought only in columns 0..<columnLimit (the solver
    /// pivots in the coefficient block and carries the right-hand sides along).
    mutating func eliminate(columnLimit: Int? = nil) {
        let limit = columnLimit ?? columns
        var r = 0
        let prev = MPZArray(count: 2)
        __gmpz_set_ui(prev[0], 1)
        let t = prev[1]
        defer { withExtendedLifetime(prev) {} }
        for c in 0..<limit where r < rows {
            guard let p = (r..<rows).first(where: { cgmp_mpz_sgn(at($0, c)) != 0 }) else { continue }
            swapRows(p, r)
            let piv = at(r, c)
            for i in (r + 1)..<rows {
                let aic = at(i, c)
                for j in (c + 1)..<columns {
                    let aij = at(i, j)
                    __gmpz_mul(t, piv, aij)
                    __gmpz_submul(t, aic, at(r, j))
                    __gmpz_divexact(aij, t, prev[0])
                }
                __gmpz_set_ui(aic, 0)
            }
            __gmpz_set(prev[0], piv)
            pivotColumns.append(c)
            r += 1
        }
    }

    var rank: Int { pivotColumns.count }
}

extension Matrix where Element == BigInt {
    /// Rank by fraction-free elimination (deterministic, exact; no certificate needed).
    public func rankBareiss() -> Int {
        if rows == 0 || columns == 0 { return 0 }
        var e = FractionFreeEchelon(self)
        e.eliminate()
        return e.rank
    }

    /// Determinant by fraction-free elimination.
    public func determinant() -> BigInt {
        precondition(rows == columns, "determinant of a non-square \(rows)x\(columns) matrix")
        if rows == 0 { return .one }
        var e = FractionFreeEchelon(self)
        e.eliminate()
        guard e.rank == rows else { return .zero }
        let d = BigInt(copying: e.at(rows - 1, rows - 1))
        return e.rowSwaps % 2 == 0 ? d : -d
    }

    /// For nonsingular square A (self) and B, returns (N, d) with A N = d B, d != 0,
    /// all integers (d = ±det A). Nil when A is singular.
    public func fractionFreeSolve(_ b: IntegerMatrix) -> (numerators: IntegerMatrix, denominator: BigInt)? {
        precondition(rows == columns && b.rows == rows, "solve needs square A and matching B")
        let n = rows, k = b.columns
        if n == 0 { return (IntegerMatrix(rows: 0, columns: k), .one) }
        var aug = IntegerMatrix(rows: n, columns: n + k)
        for i in 0..<n {
            for j in 0..<n { aug[i, j] = self[i, j] }
            for j in 0..<k { aug[i, n + j] = b[i, j] }
        }
        var e = FractionFreeEchelon(aug)
        e.eliminate(columnLimit: n)
        guard e.rank == n else { return nil }
        let d = e.at(n - 1, n - 1)
        let x = MPZArray(count: n * k)
        let tmp = MPZArray(count: 1)
        defer { withExtendedLifetime(tmp) {}; withExtendedLifetime(x) {} }
        for j in 0..<k {
            for i in stride(from: n - 1, through: 0, by: -1) {
                __gmpz_mul(tmp[0], d, e.at(i, n + j))
                for l in (i + 1)..<n { __gmpz_submul(tmp[0], e.at(i, l), x[l * k + j]) }
                __gmpz_divexact(x[i * k + j], tmp[0], e.at(i, i))
            }
        }
        var out: [BigInt] = []
        out.reserveCapacity(n * k)
        for i in 0..<(n * k) { out.append(BigInt(copying: x[i])) }
        return (IntegerMatrix(rows: n, columns: k, elements: out), BigInt(copying: d))
    }
}
