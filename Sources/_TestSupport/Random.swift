import ExactNumbers
import Polynomials
import ExactLinearAlgebra

extension BigInt {
    /// Uniform-ish random integer with |v| < 2^bits.
    public static func random(bits: Int, using g: inout SeededGenerator) -> BigInt {
        var v = BigInt.zero
        var remaining = bits
        while remaining > 0 {
            let take = min(remaining, 60)
            v = v.shiftedLeft(take) + BigInt(Int(g.next() >> UInt64(64 - take)))
            remaining -= take
        }
        return Bool.random(using: &g) ? -v : v
    }
}

extension Rational {
    /// Random rational with numerator and denominator of up to `bits` bits (mixes the
    /// inline and GMP representations when bits > 62).
    public static func random(bits: Int, using g: inout SeededGenerator) -> Rational {
        let n = BigInt.random(bits: Int.random(in: 1...bits, using: &g), using: &g)
        var d = BigInt.random(bits: Int.random(in: 1...bits, using: &g), using: &g)
        if d.isZero { d = 1 }
        return Rational(n, d)
    }
}

extension Polynomial {
    /// A random polynomial in `variables` variables with up to `terms` terms.
    public static func random(variables: Int, terms: Int, maxExponent: Int, coefficientBits: Int,
                              using g: inout SeededGenerator) -> Polynomial {
        var list: [(Rational, Monomial)] = []
        for _ in 0..<terms {
            var factors: [(variable: Int, exponent: Int)] = []
            for v in 0..<variables where Int.random(in: 0..<3, using: &g) == 0 {
                factors.append((v, Int.random(in: 1...maxExponent, using: &g)))
            }
            list.append((Rational.random(bits: coefficientBits, using: &g), Monomial(factors)))
        }
        return Polynomial(terms: list)
    }
}

extension Matrix where Element == BigInt {
    public static func random(rows: Int, columns: Int, range: Int, using g: inout SeededGenerator) -> IntegerMatrix {
        IntegerMatrix(rows: rows, columns: columns) { _, _ in BigInt(Int.random(in: -range...range, using: &g)) }
    }

    /// A matrix of rank exactly r with probability ~1 (product of random m x r and r x n
    /// factors); the true rank is at most r by construction.
    public static func randomLowRank(rows: Int, columns: Int, rank r: Int, range: Int,
                                     using g: inout SeededGenerator) -> IntegerMatrix {
        random(rows: rows, columns: r, range: range, using: &g) * random(rows: r, columns: columns, range: range, using: &g)
    }

    /// Applies random unimodular row and column operations (add integer multiples of one
    /// line to another, swap lines): rank and |det| are invariant.
    public func scrambled(operations: Int, using g: inout SeededGenerator) -> IntegerMatrix {
        var a = self
        for _ in 0..<operations {
            if Bool.random(using: &g), a.rows > 1 {
                let i = Int.random(in: 0..<a.rows, using: &g)
                var k = Int.random(in: 0..<a.rows, using: &g); if k == i { k = (k + 1) % a.rows }
                let f = BigInt(Int.random(in: -3...3, using: &g))
                for j in 0..<a.columns { a[i, j] = a[i, j] + f * a[k, j] }
                if Bool.random(using: &g) { for j in 0..<a.columns { let t = a[i, j]; a[i, j] = a[k, j]; a[k, j] = t } }
            } else if a.columns > 1 {
                let j = Int.random(in: 0..<a.columns, using: &g)
                var k = Int.random(in: 0..<a.columns, using: &g); if k == j { k = (k + 1) % a.columns }
                let f = BigInt(Int.random(in: -3...3, using: &g))
                for i in 0..<a.rows { a[i, j] = a[i, j] + f * a[i, k] }
            }
        }
        return a
    }
}
