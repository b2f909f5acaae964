import CGMP
import ExactNumbers

extension Matrix where Element == BigInt {
    /// For nonsingular square A (self) and B, returns (N, d) with A N = d B, d = det A, by
    /// Chinese remaindering: N = det(A) A^(-1) B is an integer matrix (Cramer: N_ij is the
    /// determinant of A with column i replaced by B's column j), so it is found from its
    /// images modulo primes whose product exceeds four times Hadamard's bound on those
    /// determinants, |N_ij|, |det A| <= prod_c |a_c| * max(1, max_j |b_j|) (every column a_c of
    /// a nonsingular integer A has |a_c| >= 1, so swapping one for b_j multiplies the product
    /// by at most |b_j|). Each prime costs one elimination of [A | B] with word arithmetic;
    /// the primes are split over two cores. Nil when A is singular.
    ///
    /// Against the fraction-free solve (`fractionFreeSolve`), whose numbers grow to the
    /// final size during the elimination, all big-number work here is the remaindering:
    /// about (n k + 1) (bits / 27) multiply-adds of the final size.
    public func multimodularSolve(_ b: IntegerMatrix) -> (numerators: IntegerMatrix, denominator: BigInt)? {
        precondition(rows == columns && b.rows == rows, "solve needs square A and matching B")
        let n = rows, k = b.columns
        if n == 0 { return (IntegerMatrix(rows: 0, columns: k), .one) }
        // 2 H < product of the primes: bits of H^2 = prod |a_c|^2 * max(1, max |b_j|^2)
        var h2 = BigInt.one
        for c in 0..<n {
            var s = BigInt.zero
            for i in 0..<n { s += self[i, c] * self[i, c] }
            if s.isZero { return nil }
            h2 *= s
        }
        var bMax = BigInt.one
        for j in 0..<k {
            var s = BigInt.zero
            for i in 0..<n { s += b[i, j] * b[i, j] }
            if bMax < s { bMax = s }
        }
        h2 *= bMax
        let neededBits = (h2.bitWidth + 1) / 2 + 2
        // primes of 26 or more bits: a product of t primes has more than 26 t bits
        let count = neededBits / 26 + 1
        let a = self
        let halves = Parallel.both(
            { a.remainderImages(b, primes: ModularSolvePrimes(start: 0), count: (count + 1) / 2, maxSkipped: count) },
            { a.remainderImages(b, primes: ModularSolvePrimes(start: 1), count: count / 2, maxSkipped: count) })
        guard let first = halves.0, let second = halves.1 else { return nil }
        // combine the two halves entry by entry: v = v1 + M1 ((v2 - v1) M1^(-1) mod M2)
        let values = CRTImages.combine(first, second)
        return (IntegerMatrix(rows: n, columns: k, elements: Array(values[0..<(n * k)])), values[n * k])
    }

    /// N = det(A) A^(-1) B and det A (last entry) reduced modulo the product of `count`
    /// primes from the sequence. A prime at which A is singular divides det A, and a nonzero
    /// |det A| <= H has at most log2(H) / 26 prime factors of 26+ bits: past `maxSkipped` such
    /// primes A is singular (nil).
    func remainderImages(_ b: IntegerMatrix, primes: ModularSolvePrimes, count: Int, maxSkipped: Int) -> CRTImages? {
        let n = rows, k = b.columns
        var images = CRTImages(count: n * k + 1)
        var sequence = primes
        var used = 0, skipped = 0
        while used < count, let p = sequence.next() {
            guard let (x, det) = solveModulo(b, prime: p) else {
                skipped += 1
                if skipped > maxSkipped { return nil }
                continue
            }
            var residues = x
            for i in residues.indices { residues[i] = ModularArithmetic.mulmod(residues[i], det, p) }
            residues.append(det)
            images.absorb(residues, modulo: p)
            used += 1
        }
        return images
    }

    /// (A^(-1) B mod p, det A mod p), or nil when A is singular modulo p. Gaussian elimination
    /// on [A | B] with delayed reduction (products below 2^54, at most `reduceEvery` <= 512
    /// summed), then back substitution on the unit upper triangle. (Tests lower `reduceEvery`
    /// to reach the reductions on small matrices.)
    package func solveModulo(_ b: IntegerMatrix, prime p: UInt, reduceEvery: Int = 512) -> (x: [UInt], det: UInt)? {
        precondition(reduceEvery >= 1 && reduceEvery <= 512, "delayed reductions every 1...512 steps")
        let n = rows, k = b.columns, w = n + k
        let p64 = UInt64(p)
        var a = [UInt64](repeating: 0, count: n * w)
        for i in 0..<n {
            for j in 0..<n { a[i * w + j] = UInt64(self[i, j].mod(p)) }
            for j in 0..<k { a[i * w + n + j] = UInt64(b[i, j].mod(p)) }
        }
        var det: UInt64 = 1
        var pending = 0
        let ok = a.withUnsafeMutableBufferPointer { m -> Bool in
            for c in 0..<n {
                var piv = -1
                for i in c..<n {
                    let v = m[i * w + c] % p64
                    m[i * w + c] = v
                    if piv < 0 && v != 0 { piv = i }
                }
                if piv < 0 { return false }
                if piv != c {
                    for j in c..<w { m.swapAt(piv * w + j, c * w + j) }
                    det = p64 - det
                }
                det = det * m[c * w + c] % p64
                let inv = UInt64(ModularArithmetic.inverse(UInt(m[c * w + c]), p))
                for j in (c + 1)..<w { m[c * w + j] = (m[c * w + j] % p64) * inv % p64 }
                m[c * w + c] = 1
                if pending >= reduceEvery {
                    for i in (c + 1)..<n { for j in (c + 1)..<w { m[i * w + j] %= p64 } }
                    pending = 0
                }
                let pivotRow = m.baseAddress! + c * w
                for i in (c + 1)..<n {
                    let f = m[i * w + c] % p64
                    m[i * w + c] = 0
                    if f == 0 { continue }
                    let g = p64 - f
                    let row = m.baseAddress! + i * w
                    for j in (c + 1)..<w { row[j] &+= g &* pivotRow[j] }
                }
                pending += 1
            }
            return true
        }
        guard ok else { return nil }
        for i in 0..<(n * w) { a[i] %= p64 }
        // back substitution: x_i = b'_i - sum_{l > i} U_il x_l, the sums over l delayed
        // (each product below 2^54, reduced every 512 terms) and run along x's rows
        var x = [UInt64](repeating: 0, count: n * k)
        var sum = [UInt64](repeating: 0, count: k)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in 0..<k { sum[j] = 0 }
            var terms = 0
            for l in (i + 1)..<n {
                let u = a[i * w + l]
                if u == 0 { continue }
                for j in 0..<k { sum[j] &+= u &* x[l * k + j] }
                terms += 1
                if terms == reduceEvery { for j in 0..<k { sum[j] %= p64 }; terms = 0 }
            }
            for j in 0..<k {
                let t = sum[j] % p64, s = a[i * w + n + j]
                x[i * k + j] = s >= t ? s - t : s + p64 - t
            }
        }
        return (x.map { UInt($0) }, UInt(det))
    }
}

/// Primes below 2^27 in decreasing order, every other one from `start` (the two cores take
/// the even and odd positions of the same sequence, so results are reproducible).
struct ModularSolvePrimes: IteratorProtocol {
    var sequence = PrimeSequence()
    let start: Int
    var position = 0
    init(start: Int) { self.start = start }
    mutating func next() -> UInt? {
        while let p = sequence.next() {
            defer { position += 1 }
            if position % 2 == start { return p }
        }
        return nil
    }
}

/// Integers known modulo a growing product of primes (Garner's incremental Chinese
/// remaindering on GMP integers updated in place), read in the symmetric range.
struct CRTImages {
    let storage: MPZArray      // the values, then the modulus, then a scratch integer
    let count: Int

    init(count: Int) {
        self.count = count
        storage = MPZArray(count: count + 2)
        __gmpz_set_ui(storage[count], 1)
    }

    /// v_i := the value congruent to the old v_i modulo M and to r_i modulo p; M := M p.
    mutating func absorb(_ residues: [UInt], modulo p: UInt) {
        let m = storage[count]
        let mInverse = ModularArithmetic.inverse(UInt(__gmpz_fdiv_ui(m, p)), p)
        for i in 0..<count {
            let v = storage[i]
            let current = UInt(__gmpz_fdiv_ui(v, p))
            let r = residues[i]
            let diff = r >= current ? r - current : r + p - current
            let t = ModularArithmetic.mulmod(diff, mInverse, p)
            if t != 0 { __gmpz_addmul_ui(v, m, t) }
        }
        __gmpz_mul_ui(m, m, p)
    }

    /// Values of two image sets with coprime moduli, in the symmetric range of M1 M2.
    static func combine(_ a: CRTImages, _ b: CRTImages) -> [BigInt] {
        let work = MPZArray(count: 4)
        let m1 = a.storage[a.count], m2 = b.storage[b.count]
        let inverse = work[0], t = work[1], m = work[2], half = work[3]
        if __gmpz_invert(inverse, m1, m2) == 0 { __gmpz_set_ui(inverse, 0) }  // m2 = 1: nothing to add
        __gmpz_mul(m, m1, m2)
        __gmpz_fdiv_q_2exp(half, m, 1)
        var out: [BigInt] = []
        out.reserveCapacity(a.count)
        for i in 0..<a.count {
            __gmpz_sub(t, b.storage[i], a.storage[i])
            __gmpz_mul(t, t, inverse)
            __gmpz_fdiv_r(t, t, m2)
            __gmpz_mul(t, t, m1)
            __gmpz_add(t, t, a.storage[i])
            if __gmpz_cmp(t, half) > 0 { __gmpz_sub(t, t, m) }
            out.append(BigInt(copying: t))
        }
        return out
    }
}
