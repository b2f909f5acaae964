import Testing
import ExactNumbers
import ExactLinearAlgebra
import _TestSupport

@Suite("Exact rank and determinant")
struct RankTests {
    @Test("hand-derived small cases")
    func handCases() {
        let a = IntegerMatrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(a.rank() == 2)
        #expect(a.rankBareiss() == 2)
        #expect(a.determinant() == 0)
        #expect(IntegerMatrix([[2, 1], [1, 3]]).determinant() == 5)
        #expect(IntegerMatrix([[0, 1], [1, 0]]).determinant() == -1)
        #expect(IntegerMatrix(rows: 3, columns: 4).rank() == 0)
        #expect(IntegerMatrix(rows: 0, columns: 4).rank() == 0)
        let q = RationalMatrix([[Rational(1, 2), Rational(1, 3)], [Rational(3, 2), 1]])
        #expect(q.rank() == 1)
        #expect(q.determinant() == 0)
        #expect(RationalMatrix([[Rational(1, 2), 0], [0, Rational(2, 3)]]).determinant() == Rational(1, 3))
        // a prime-sized entry that vanishes modulo the first prime tried: still rank 1
        let p = BigInt(134_217_689)  // the largest prime below 2^27
        #expect(IntegerMatrix([[p, 0], [0, 0]]).rank() == 1)
        #expect(IntegerMatrix([[p, p * 2], [1, 2]]).rank() == 1)
        #expect(IntegerMatrix([[p, 1], [1, 1]]).rank() == 2)
    }

    @Test("low-rank products: modular certified rank, Bareiss and Gauss-Jordan agree")
    func threeAlgorithmsAgree() {
        var g = SeededGenerator(seed: 30)
        for _ in 0..<60 {
            let m = Int.random(in: 1...14, using: &g), n = Int.random(in: 1...14, using: &g)
            let r = Int.random(in: 0...min(m, n), using: &g)
            let a = IntegerMatrix.randomLowRank(rows: m, columns: n, rank: r, range: 5, using: &g)
            let cert = a.certifiedRank()
            #expect(cert.rank <= r)
            #expect(cert.rank == a.rankBareiss())
            #expect(cert.rank == a.rationalMatrix.rankGaussJordan())
            #expect(cert.verify(a))
        }
    }

    @Test("issue 14: the multimodular solve agrees with the fraction-free one (A N = d B, same N/d), skips primes dividing det A, refuses singular A")
    func multimodularSolve() throws {
        var g = SeededGenerator(seed: 141)
        for trial in 0..<40 {
            let n = 1 + trial % 12, k = trial % 5
            // entries from a few bits to 90 bits, so the Hadamard bound spans one prime to dozens
            let bits = [3, 20, 90][trial % 3]
            var a = IntegerMatrix(rows: n, columns: n), b = IntegerMatrix(rows: n, columns: k)
            for i in 0..<n {
                for j in 0..<n { a[i, j] = BigInt.random(bits: bits, using: &g) }
                for j in 0..<k { b[i, j] = BigInt.random(bits: bits, using: &g) }
            }
            guard let (n1, d1) = a.fractionFreeSolve(b) else {
                #expect(a.multimodularSolve(b) == nil)
                continue
            }
            let (n2, d2) = try #require(a.multimodularSolve(b), "trial \(trial)")
            #expect(d2 == a.determinant(), "trial \(trial)")
            #expect(a * n2 == IntegerMatrix(rows: n, columns: k, elements: b.elements.map { $0 * d2 }), "trial \(trial)")
            for i in 0..<(n * k) { #expect(n1.elements[i] * d2 == n2.elements[i] * d1) }
        }
        // det A = the first two primes the solve tries: both are skipped, the answer is exact
        let p1 = BigInt(134_217_689), p2 = BigInt(134_217_649)
        let a = IntegerMatrix([[p1 * p2, 1], [0, 1]])
        let (x, d) = try #require(a.multimodularSolve(IntegerMatrix([[1], [2]])))
        #expect(d == p1 * p2 && a * x == IntegerMatrix([[d], [d * 2]]))
        // the delayed reductions (every 512 steps on large systems) reached on small ones:
        // reducing after every step, every 2 or every 512 gives the same residues
        for _ in 0..<10 {
            var m = IntegerMatrix(rows: 9, columns: 9), rhs = IntegerMatrix(rows: 9, columns: 3)
            for i in 0..<9 { for j in 0..<9 { m[i, j] = BigInt.random(bits: 40, using: &g) }; for j in 0..<3 { rhs[i, j] = BigInt.random(bits: 40, using: &g) } }
            let p: UInt = 134_217_689
            let full = try #require(m.solveModulo(rhs, prime: p))
            for every in [1, 2, 3] { #expect(m.solveModulo(rhs, prime: p, reduceEvery: every)! == full) }
        }
        // singular: no solution, found after a bounded number of primes
        #expect(IntegerMatrix([[1, 2], [2, 4]]).multimodularSolve(IntegerMatrix([[1], [1]])) == nil)
        #expect(IntegerMatrix([[0, 0], [0, 0]]).multimodularSolve(IntegerMatrix([[1], [1]])) == nil)
        // the certified rank uses it: certificates of tall and wide low-rank matrices verify
        for _ in 0..<10 {
            let c = IntegerMatrix.randomLowRank(rows: 30, columns: 24, rank: 11, range: 9, using: &g)
            let cert = c.certifiedRank()
            #expect(cert.rank == 11 && cert.rank == c.rankBareiss() && cert.verify(c) && c.transposed.certifiedRank().verify(c.transposed))
        }
    }

    @Test("rank(A) = rank(A^T) and invariance under unimodular scrambling")
    func invariances() {
        var g = SeededGenerator(seed: 31)
        for _ in 0..<40 {
            let m = Int.random(in: 2...12, using: &g), n = Int.random(in: 2...12, using: &g)
            let a = IntegerMatrix.randomLowRank(rows: m, columns: n, rank: Int.random(in: 1...min(m, n), using: &g),
                                                range: 9, using: &g)
            let r = a.rank()
            #expect(a.transposed.rank() == r)
            #expect(a.scrambled(operations: 30, using: &g).rank() == r)
        }
    }

    @Test("det(AB) = det(A) det(B); det invariant up to sign under scrambling")
    func determinants() {
        var g = SeededGenerator(seed: 32)
        for _ in 0..<30 {
            let n = Int.random(in: 1...9, using: &g)
            let a = IntegerMatrix.random(rows: n, columns: n, range: 1000, using: &g)
            let b = IntegerMatrix.random(rows: n, columns: n, range: 1_000_000_000_000, using: &g)
            #expect((a * b).determinant() == a.determinant() * b.determinant())
            #expect(a.scrambled(operations: 20, using: &g).determinant().magnitude == a.determinant().magnitude)
            #expect(a.transposed.determinant() == a.determinant())
        }
    }

    @Test("certificates are checked independently and catch tampering")
    func certificates() {
        var g = SeededGenerator(seed: 33)
        let a = IntegerMatrix.randomLowRank(rows: 9, columns: 7, rank: 4, range: 20, using: &g)
        let c = a.certifiedRank()
        #expect(c.rank == 4)
        #expect(c.verify(a))
        // the minor on the certificate's rows and columns is nonzero over Z
        #expect(!a.submatrix(rows: c.pivotRows, columns: c.pivotColumns).determinant().isZero)
        // the kernel annihilates A and has full column rank = columns - rank
        let k = c.kernelBasis(dimension: a.columns)
        #expect((a * k).isZero)
        #expect(k.rank() == a.columns - 4)
        // a matrix of higher rank must not pass this certificate
        // a rank-5 matrix must not pass the rank-4 certificate: add a rank-one term outside a's span
        var b = a
        let u9 = (0..<9).map { BigInt($0 * $0 + 1) }, v7 = (0..<7).map { BigInt(3 - $0) }
        for i in 0..<9 { for j in 0..<7 { b[i, j] = b[i, j] + u9[i] * v7[j] } }
        #expect(b.rank() == 5)
        #expect(!c.verify(b))
        // wide matrices certify through a left kernel
        let w = IntegerMatrix.randomLowRank(rows: 5, columns: 11, rank: 3, range: 20, using: &g)
        let cw = w.certifiedRank()
        #expect(cw.kernelSide == .left && cw.verify(w))
        #expect((cw.kernelBasis(dimension: w.rows).transposed * w).isZero)
        // issue 14: kernel vectors are primitive with a positive free coordinate. A = u v^T with
        // 100-bit u: Cramer's common denominator carries u's size, the kernel of v^T does not
        for certificate in [c, cw] {
            for j in 0..<certificate.denominators.count {
                #expect(certificate.denominators[j].signum > 0)
                let content = (0..<certificate.rank).reduce(certificate.denominators[j]) { gcd($0, certificate.numerators[$1, j]) }
                #expect(content == 1)
            }
        }
        // (tall, so the certificate is a right kernel: v's orthogonal complement)
        let u = (0..<7).map { _ in BigInt.random(bits: 100, using: &g) + BigInt(1).shiftedLeft(100) }
        let v: [BigInt] = [3, -1, 4, 1, -5, 9]
        let outer = IntegerMatrix(rows: 7, columns: 6, elements: u.flatMap { x in v.map { x * $0 } })
        let co = outer.certifiedRank()
        #expect(co.rank == 1 && co.verify(outer))
        #expect(co.numerators.elements.allSatisfy { $0.bitWidth <= 4 } && co.denominators.allSatisfy { $0.bitWidth <= 4 })
    }

    @Test("nullspace over Q, rational inputs, RREF")
    func nullspace() {
        var g = SeededGenerator(seed: 34)
        for _ in 0..<20 {
            let a = IntegerMatrix.randomLowRank(rows: 6, columns: 8, rank: 3, range: 7, using: &g).rationalMatrix
            let scaled = RationalMatrix(rows: 6, columns: 8) { i, j in a[i, j] / Rational(i + 2) }
            let ns = scaled.nullspace()
            #expect(ns.columns == 8 - scaled.rank())
            #expect((scaled * ns).isZero)
            let (form, pivots) = scaled.reducedRowEchelonForm()
            for (i, p) in pivots.enumerated() { #expect(form[i, p] == 1) }
        }
    }

    @Test("modular rank is a lower bound and can be fooled; the certified rank is not")
    func modularLowerBound() throws {
        let p = UInt(1_000_003)
        let a = IntegerMatrix([[BigInt(Int(p)), 0], [0, 1]])
        #expect(try a.rankLowerBound(modulo: 1_000_003) == 1)
        #expect(a.rank() == 2)
    }

    @Test("issue 11 item 6: a bad prime or an unreduced residue is a typed error, never a trap or a wrong rank")
    func modularInputsChecked() throws {
        let a = IntegerMatrix([[1, 2], [3, 4]])
        // not prime, too small, too large for the delayed reduction (these used to trap or,
        // for a composite, return a meaningless number)
        for p: UInt in [1_000_001, 2, 0, 1 << 27, 1 << 62] {
            #expect(throws: ExactNumberError.self, "p = \(p)") { try a.rankLowerBound(modulo: p) }
        }
        #expect(try a.rankLowerBound(modulo: 1_000_003) == 2)
        // residues must be reduced: 5 mod 3 would overflow the accumulators' invariant
        do {
            _ = try ModularEchelon(residues: [1, 5, 0, 1], rows: 2, columns: 2, prime: 3)
            Issue.record("expected a refusal")
        } catch let e as ExactNumberError {
            #expect(e == .unreducedResidue(index: 1, value: 5, modulus: 3))
        }
        #expect(throws: ExactNumberError.self) { try ModularEchelon(residues: [1, 2, 0], rows: 2, columns: 2, prime: 3) }
        #expect(try ModularEchelon(residues: [1, 2, 2, 1], rows: 2, columns: 2, prime: 3).rank == 1)  // det = -3 = 0 mod 3
    }

    @Test("characteristic polynomial: hand case, det(lambda I - A) by Bareiss at many lambda, Cayley-Hamilton")
    func characteristicPolynomial() {
        // [[2, 1], [0, 3]]: (lambda - 2)(lambda - 3) = lambda^2 - 5 lambda + 6
        #expect(RationalMatrix([[2, 1], [0, 3]]).characteristicPolynomial() == [6, -5, 1])
        #expect(RationalMatrix(rows: 0, columns: 0).characteristicPolynomial() == [1])
        var g = SeededGenerator(seed: 31)
        for n in 1...6 {
            let a = RationalMatrix(rows: n, columns: n) { _, _ in Rational.random(bits: 6, using: &g) }
            let p = a.characteristicPolynomial()
            #expect(p.count == n + 1 && p[n] == 1)
            for lambda in -3...3 {
                let l = Rational(lambda)
                let shifted = RationalMatrix(rows: n, columns: n) { i, j in (i == j ? l : 0) - a[i, j] }
                var value = Rational.zero
                for c in p.reversed() { value = value * l + c }
                #expect(value == shifted.determinant(), "n=\(n) lambda=\(lambda)")
            }
            var sum = RationalMatrix(rows: n, columns: n), power = RationalMatrix.identity(n)
            for c in p {
                sum = sum + power.map { $0 * c }
                power = a * power
            }
            #expect(sum.isZero, "p(A) = 0")
        }
    }
}

@Suite("Matrix inverse")
struct InverseTests {
    @Test("inverse times the matrix is the identity on random invertible matrices; singular ones have none")
    func inverse() {
        var g = SeededGenerator(seed: 31)
        var checked = 0
        for n in 1...7 {
            for _ in 0..<6 {
                let a = IntegerMatrix.random(rows: n, columns: n, range: 5, using: &g).rationalMatrix
                guard let b = a.inverse() else { #expect(a.determinant().isZero); continue }
                #expect(a * b == RationalMatrix.identity(n) && b * a == RationalMatrix.identity(n))
                checked += 1
            }
        }
        #expect(checked >= 30)
        #expect(RationalMatrix([[1, 2], [2, 4]]).inverse() == nil)
        #expect(RationalMatrix([[0, 1], [1, 0]]).inverse() == RationalMatrix([[0, 1], [1, 0]]))
    }
}
