import ExactNumbers

/// Gaussian elimination modulo a prime p < 2^27 with delayed reduction: entries are
/// UInt64 accumulators, each row update adds (p - f) * a < 2^54, so up to 1000 updates
/// fit before a reduction is needed. The inner loop is a 32x32->64 multiply-add that
/// the compiler vectorises. Only pivot rows and pivot columns are reduced eagerly.
public struct ModularEchelon: Sendable {
    public let prime: UInt
    public let rank: Int
    /// Input rows and columns of the pivots, in elimination order: the minor on them is
    /// nonzero modulo `prime`, hence nonzero over Z.
    public let pivotRows: [Int]
    public let pivotColumns: [Int]

    public static let primeBound: UInt = 1 << 27

    /// Residues of an integer matrix modulo p, row-major.
    public static func residues(_ a: IntegerMatrix, _ p: UInt) -> [UInt64] {
        a.elements.map { UInt64($0.mod(p)) }
    }

    /// Throws `ExactNumberError.badModulus` unless p is a prime with 2 < p < primeBound.
    public static func validate(prime p: UInt) throws {
        guard p > 2, p < primeBound else { throw ExactNumberError.badModulus(p, "delayed reduction needs a prime 2 < p < 2^27") }
        guard ModularArithmetic.isPrime(p) else { throw ExactNumberError.badModulus(p, "not prime") }
    }

    public init(_ a: IntegerMatrix, prime p: UInt) throws {
        try ModularEchelon.validate(prime: p)
        self.init(unchecked: ModularEchelon.residues(a, p), rows: a.rows, columns: a.columns, prime: p)
    }

    /// Checks p, the shape and that every residue is reduced (an unreduced one would overflow
    /// the delayed reduction's accumulators) before eliminating.
    public init(residues: [UInt64], rows m: Int, columns n: Int, prime p: UInt) throws {
        try ModularEchelon.validate(prime: p)
        guard m >= 0, n >= 0, residues.count == m * n else {
            throw ExactNumberError.invalidNumber("\(residues.count) residues for a \(m) x \(n) matrix")
        }
        if let i = residues.firstIndex(where: { $0 >= UInt64(p) }) {
            throw ExactNumberError.unreducedResidue(index: i, value: residues[i], modulus: p)
        }
        self.init(unchecked: residues, rows: m, columns: n, prime: p)
    }

    /// The elimination itself; p and the residues are known good (the certified rank's primes).
    init(unchecked residues: [UInt64], rows m: Int, columns n: Int, prime p: UInt) {
        prime = p
        var data = residues
        var origin = Array(0..<m)
        var pivR: [Int] = [], pivC: [Int] = []
        let p64 = UInt64(p)
        let maxPending = 1000
        var pending = 0
        var pivotRow = [UInt32](repeating: 0, count: n)
        data.withUnsafeMutableBufferPointer { a in
            var r = 0
            for c in 0..<n where r < m {
                // reduce column c below r and find a pivot
                var piv = -1
                for i in r..<m {
                    let v = a[i * n + c] % p64
                    a[i * n + c] = v
                    if piv < 0 && v != 0 { piv = i }
                }
                if piv < 0 { continue }
                if piv != r {
                    for j in c..<n { a.swapAt(piv * n + j, r * n + j) }
                    origin.swapAt(piv, r)
                }
                // normalise the pivot row to a leading 1
                let inv = UInt64(ModularArithmetic.inverse(UInt(a[r * n + c]), p))
                for j in (c + 1)..<n {
                    let v = (a[r * n + j] % p64) * inv % p64
                    a[r * n + j] = v
                    pivotRow[j] = UInt32(truncatingIfNeeded: v)
                }
                a[r * n + c] = 1
                if pending >= maxPending {
                    for i in (r + 1)..<m { for j in (c + 1)..<n { a[i * n + j] %= p64 } }
                    pending = 0
                }
                pivotRow.withUnsafeBufferPointer { pr in
                    for i in (r + 1)..<m {
                        let f = a[i * n + c]
                        if f == 0 { continue }
                        let g = UInt64(UInt32(truncatingIfNeeded: p64 - f))
                        let rowBase = a.baseAddress! + i * n
                        let prBase = pr.baseAddress!
                        for j in (c + 1)..<n {
                            rowBase[j] &+= g &* UInt64(prBase[j])
                        }
                        a[i * n + c] = 0
                    }
                }
                pending += 1
                pivR.append(origin[r]); pivC.append(c)
                r += 1
            }
        }
        rank = pivR.count
        pivotRows = pivR; pivotColumns = pivC
    }
}

extension Matrix where Element == BigInt {
    /// Rank of the matrix reduced modulo a prime. This is a lower bound on the rank over
    /// Q (equal unless p divides every maximal nonzero minor): a probabilistic estimate,
    /// never reported as the exact rank by itself.
    public func rankLowerBound(modulo p: UInt) throws -> Int { try ModularEchelon(self, prime: p).rank }
}
