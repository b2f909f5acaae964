import CGMP
import ExactNumbers

/// A proof that rank(A) = r, checkable by anyone without trusting how it was found.
///
/// - rank >= r: the r x r minor on `pivotRows` x `pivotColumns` is nonzero modulo `prime`,
///   so it is a nonzero integer.
/// - rank <= r: a kernel of dimension (columns - r) on the right (or rows - r on the
///   left, for wide matrices): A K = 0 exactly, where on the coordinates outside the pivot
///   set K is diagonal with nonzero entries, so its columns are independent.
///   K is stored compactly: the pivot coordinates of kernel vector j hold
///   -numerators[i, j], the j-th free coordinate holds `denominators[j]`, all else is 0.
///   Each vector is primitive (its entries have gcd 1): Cramer's rule gives all of them the
///   denominator det A_IJ, often far larger than the vector needs (an unfolding of 858-bit
///   coefficients: det A_IJ of 8121 bits and numerators of up to 8140, at most 789 bits once primitive), and the exact check's
///   cost grows with these sizes.
///   When r = min(rows, columns) no kernel is needed and `numerators` is empty.
public struct RankCertificate: Sendable, Equatable {
    public enum Side: String, Sendable { case right, left }
    public let rank: Int
    public let prime: UInt
    public let pivotRows: [Int]
    public let pivotColumns: [Int]
    public let kernelSide: Side
    /// The coordinates not among the pivots on the kernel's side, in increasing order.
    public let freeCoordinates: [Int]
    public let numerators: IntegerMatrix
    public let denominators: [BigInt]

    /// The kernel vectors as columns (right: columns x k; left: rows x k, with K^T A = 0).
    public func kernelBasis(dimension: Int) -> IntegerMatrix {
        let pivots = kernelSide == .right ? pivotColumns : pivotRows
        var k = IntegerMatrix(rows: dimension, columns: freeCoordinates.count)
        for (j, f) in freeCoordinates.enumerated() {
            k[f, j] = denominators[j]
            for (i, p) in pivots.enumerated() { k[p, j] = -numerators[i, j] }
        }
        return k
    }

    /// Checks the certificate against A with code independent of the elimination that
    /// produced it: a plain O(r^3) determinant modulo `prime`, and an exact product.
    public func verify(_ a: IntegerMatrix) -> Bool {
        let r = rank
        guard pivotRows.count == r, pivotColumns.count == r,
              Set(pivotRows).count == r, Set(pivotColumns).count == r,
              pivotRows.allSatisfy({ $0 >= 0 && $0 < a.rows }),
              pivotColumns.allSatisfy({ $0 >= 0 && $0 < a.columns }),
              ModularArithmetic.isPrime(prime) else { return false }
        // rank >= r
        var minor = a.submatrix(rows: pivotRows, columns: pivotColumns).elements.map { $0.mod(prime) }
        if !RankCertificate.nonsingularModP(&minor, r, prime) { return false }
        // rank <= r
        if r == min(a.rows, a.columns) { return true }
        let m = kernelSide == .right ? a : a.transposed
        let pivots = kernelSide == .right ? pivotColumns : pivotRows
        let free = (0..<m.columns).filter { !pivots.contains($0) }
        guard free == freeCoordinates, denominators.count == free.count, denominators.allSatisfy({ !$0.isZero }),
              numerators.rows == r, numerators.columns == free.count else { return false }
        let kernel = kernelBasis(dimension: m.columns)
        return (m * kernel).isZero
    }

    /// The kernel vectors (-N_{:,j}, d at free coordinate j) divided by their contents:
    /// numerators and a positive free-coordinate value per vector, primitive.
    static func primitiveColumns(_ n: IntegerMatrix, _ d: BigInt) -> (IntegerMatrix, [BigInt]) {
        var out = n
        var denominators: [BigInt] = []
        for j in 0..<n.columns {
            var g = d.magnitude
            for i in 0..<n.rows where !g.isOne { g = gcd(g, n[i, j]) }
            if d.signum < 0 { g = -g }
            if !g.isOne { for i in 0..<n.rows { out[i, j] = n[i, j].dividedExactly(by: g) } }
            denominators.append(d.dividedExactly(by: g))
        }
        return (out, denominators)
    }

    /// Whether the n x n matrix of residues (row-major, destroyed) is nonsingular modulo p:
    /// plain elimination, shared by the certificates' independent checks.
    public static func nonsingularModP(_ a: inout [UInt], _ n: Int, _ p: UInt) -> Bool {
        for c in 0..<n {
            guard let piv = (c..<n).first(where: { a[$0 * n + c] != 0 }) else { return false }
            if piv != c { for j in 0..<n { a.swapAt(piv * n + j, c * n + j) } }
            let inv = ModularArithmetic.inverse(a[c * n + c], p)
            for i in (c + 1)..<n where a[i * n + c] != 0 {
                let f = ModularArithmetic.mulmod(a[i * n + c], inv, p)
                for j in c..<n {
                    // a - t mod p without forming a + p (which overflows for p near 2^64)
                    let t = ModularArithmetic.mulmod(f, a[c * n + j], p)
                    a[i * n + j] = a[i * n + j] >= t ? a[i * n + j] - t : a[i * n + j] + (p - t)
                }
            }
        }
        return true
    }
}

/// Primes below 2^27 in decreasing order, generated on demand: the fixed sequence the
/// certified rank tries, so results and certificates are reproducible.
struct PrimeSequence: IteratorProtocol {
    var candidate: UInt = ModularEchelon.primeBound - 1
    mutating func next() -> UInt? {
        while candidate > 3 {
            let c = candidate; candidate -= 2
            if ModularArithmetic.isPrime(c) { return c }
        }
        return nil
    }
}

extension Matrix where Element == BigInt {
    /// Exact rank with a certificate. Rank modulo a prime gives r and a nonzero minor
    /// (rank >= r); the kernel of the r pivot rows is solved fraction-free and checked
    /// against every row by exact multiplication (rank <= r). If the check fails the
    /// prime was unlucky (rank > r) and the next prime is tried; finitely many primes can
    /// fail, so this terminates.
    public func certifiedRank() -> RankCertificate {
        var primes = PrimeSequence()
        while let p = primes.next() {
            if let c = certificate(prime: p) { return c }
        }
        fatalError("unreachable: more unlucky primes than prime factors of a nonzero minor")
    }

    /// The exact rank (certified; see `certifiedRank()`).
    public func rank() -> Int { certifiedRank().rank }

    func certificate(prime p: UInt) -> RankCertificate? {
        let echelon = ModularEchelon(unchecked: ModularEchelon.residues(self, p), rows: rows, columns: columns, prime: p)
        let r = echelon.rank
        let side: RankCertificate.Side = columns <= rows ? .right : .left
        if r == min(rows, columns) {
            return RankCertificate(rank: r, prime: p, pivotRows: echelon.pivotRows, pivotColumns: echelon.pivotColumns,
                                   kernelSide: side, freeCoordinates: [], numerators: IntegerMatrix(rows: 0, columns: 0),
                                   denominators: [])
        }
        // Work on M = A (right kernel) or A^T (left kernel); kernel of M: M_{:,C} N = d M_{:,F}.
        let m = side == .right ? self : transposed
        let pr = side == .right ? echelon.pivotRows : echelon.pivotColumns
        let pc = side == .right ? echelon.pivotColumns : echelon.pivotRows
        let pcSet = Set(pc)
        let free = (0..<m.columns).filter { !pcSet.contains($0) }
        let coeff = m.submatrix(rows: pr, columns: pc)
        let rhs = m.submatrix(rows: pr, columns: free)
        guard let (solution, d) = coeff.multimodularSolve(rhs) else { return nil }
        let (n, denominators) = RankCertificate.primitiveColumns(solution, d)
        guard m.kernelHolds(pivotColumns: pc, free: free, numerators: n, denominators: denominators) else { return nil }
        return RankCertificate(rank: r, prime: p, pivotRows: echelon.pivotRows, pivotColumns: echelon.pivotColumns,
                               kernelSide: side, freeCoordinates: free, numerators: n, denominators: denominators)
    }

    /// Checks M_{:,C} N_{:,j} == d_j M_{:,F_j} row by row with in-place GMP dot products.
    func kernelHolds(pivotColumns pc: [Int], free: [Int], numerators n: IntegerMatrix, denominators d: [BigInt]) -> Bool {
        let k = free.count, r = pc.count
        let work = MPZArray(count: 2 + k + r * k)
        defer { withExtendedLifetime(work) {} }
        let acc = work[0], x = work[1]
        for j in 0..<k { d[j].copy(into: work[2 + j]) }
        for i in 0..<r * k { n.elements[i].copy(into: work[2 + k + i]) }
        for row in 0..<rows {
            let nonzero = pc.indices.filter { !self[row, pc[$0]].isZero }
            for j in 0..<k {
                __gmpz_set_ui(acc, 0)
                for t in nonzero {
                    self[row, pc[t]].copy(into: x)
                    __gmpz_addmul(acc, x, work[2 + k + t * k + j])
                }
                self[row, free[j]].copy(into: x)
                __gmpz_submul(acc, work[2 + j], x)
                if cgmp_mpz_sgn(acc) != 0 { return false }
            }
        }
        return true
    }
}

extension Matrix where Element == Rational {
    /// Exact rank over Q (rows scaled to integers first; certified).
    public func rank() -> Int { clearingDenominators().matrix.rank() }
    public func certifiedRank() -> RankCertificate { clearingDenominators().matrix.certifiedRank() }
    public func rankBareiss() -> Int { clearingDenominators().matrix.rankBareiss() }

    /// det(A) = det(row-scaled A) / product of the row scales.
    public func determinant() -> Rational {
        let (m, scales) = clearingDenominators()
        return Rational(m.determinant(), scales.reduce(BigInt.one, *))
    }
}
