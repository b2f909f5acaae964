import Testing
import ExactNumbers
import Polynomials
import _TestSupport

/// The packed engine against the sparse one (FLINT's habit: every algorithm checked against
/// an independent one on random inputs).
@Suite("Packed polynomials")
struct PackedPolynomialTests {
    func random(_ g: inout SeededGenerator, variables: Int = 6, terms: Int = 10, maxExponent: Int = 3, bits: Int = 70) -> Polynomial {
        Polynomial.random(variables: variables, terms: terms, maxExponent: maxExponent, coefficientBits: bits, using: &g)
    }

    @Test("packing and unpacking give the same polynomial (the packed order is the canonical order)")
    func roundTrip() {
        var g = SeededGenerator(seed: 140)
        for trial in 0..<200 {
            let p = random(&g, variables: 1 + trial % 12, terms: trial % 30, maxExponent: 1 + trial % 9)
            let packed = PackedPolynomial(p)
            #expect(Polynomial(packed) == p)
            #expect(packed.termCount == p.termCount && packed.totalDegree == p.totalDegree)
            // a wider layout with more variables holds the same polynomial
            let wide = packed.moved(to: PackedLayout(variableCount: packed.layout.variableCount + 5, bits: 20))
            #expect(Polynomial(wide) == p && wide == packed)
        }
        // hand case: 3/2 x0^2 x1 - x1 + 1/3 over the common denominator 6
        let h = Polynomial(terms: [(Rational(3, 2), Monomial([(0, 2), (1, 1)])), (Rational(-1), Monomial([(1, 1)])), (Rational(1, 3), .one)])
        let hp = PackedPolynomial(h)
        #expect(hp.denominator == 6 && hp.layout.variableCount == 2)
        #expect(Polynomial(hp) == h)
    }

    @Test("layouts: fields, guard bits and word counts")
    func layouts() {
        // degree 36 needs 6 value bits, plus the guard: 7-bit fields, 9 per word; 17 fields in 2 words
        let l = PackedLayout(variableCount: 16, degree: 36)
        #expect(l.bits == 7 && l.fieldsPerWord == 9 && l.words == 2 && l.maxValue == 63)
        #expect(l.fits(degree: 63) && !l.fits(degree: 64))
        // at least 3 value bits, so tiny degrees share one layout
        #expect(PackedLayout(variableCount: 3, degree: 1).bits == 4)
        // joining takes the wider of both and room for the requested degree
        let j = PackedLayout(variableCount: 2, bits: 5).joined(PackedLayout(variableCount: 7, bits: 4), degree: 100)
        #expect(j.variableCount == 7 && j.bits == 8)
    }

    @Test("products agree with the sparse product: random factors, rational coefficients, one-term factors, both cores")
    func products() {
        var g = SeededGenerator(seed: 141)
        for trial in 0..<150 {
            let a = random(&g, variables: 2 + trial % 7, terms: 1 + trial % 25, maxExponent: 1 + trial % 6, bits: trial % 3 == 0 ? 8 : 90)
            let b = random(&g, variables: 2 + (trial * 5) % 9, terms: 1 + (trial * 7) % 40, maxExponent: 1 + trial % 4,
                           bits: trial % 2 == 0 ? 5 : 100)
            let expected = a * b
            #expect(Polynomial(PackedPolynomial(a) * PackedPolynomial(b)) == expected, "trial \(trial)")
        }
        // large enough to be split over two cores (at least 2^18 term pairs): small rationals, and
        // 80-bit integers (as in expansions: unrelated large denominators would make the common
        // denominator grow with the term count, see PackedPolynomial)
        func integral(_ p: Polynomial) -> Polynomial { Polynomial(terms: p.terms.map { (Rational($0.coefficient.numerator), $0.monomial) }) }
        for bits in [4, 80] {
            let a = integral(random(&g, variables: 12, terms: 2800, maxExponent: 4, bits: bits))
            let b = random(&g, variables: 12, terms: 200, maxExponent: 4, bits: bits == 4 ? 4 : 1)
            #expect(a.termCount * b.termCount >= 1 << 18)
            #expect(Polynomial(PackedPolynomial(a) * PackedPolynomial(b)) == a * b)
        }
        // word coefficients: sums that fit 127 bits are added in an Int128 directly; (2^63 - 1)^2
        // four times passes 2^127, so those factors must go through the accumulator (a wrapping
        // Int128 sum would give a wrong x^3 coefficient)
        let m = BigInt(Int.max)
        for (top, count) in [(m, 4), (m, 2), (BigInt(1 << 61), 4), (BigInt(-(1 << 40)), 1000)] {
            let f = Polynomial(terms: (0..<count).map { (Rational(top - BigInt($0 % 3)), Monomial([(0, $0)])) })
            let expected = f * f
            #expect(Polynomial(PackedPolynomial(f) * PackedPolynomial(f)) == expected, "\(top) x \(count)")
        }
        // hand case with cancellation: (x - y)(x + y) = x^2 - y^2
        let x = PackedPolynomial.variable(0), y = PackedPolynomial.variable(1)
        let d = PackedPolynomial.combination([(1, x), (-1, y)]) * PackedPolynomial.combination([(1, x), (1, y)])
        #expect(Polynomial(d) == Polynomial(terms: [(Rational(1), Monomial([(0, 2)])), (Rational(-1), Monomial([(1, 2)]))]))
    }

    @Test("a product past the packing's fields widens the layout and is never wrapped")
    func overflowWidens() {
        // x0^7 fills a 4-bit field (value bits 3, max 7); x0^7 * x0^7 = x0^14 would carry into
        // the field of the variable before it if the sum were added in place
        let p = PackedPolynomial(Polynomial(terms: [(Rational(1), Monomial([(0, 7)])), (Rational(2), Monomial([(1, 1)]))]))
        #expect(p.layout.bits == 4)
        let square = p * p
        #expect(square.layout.bits > 4 && square.layout.fits(degree: 14))
        #expect(Polynomial(square) == Polynomial(terms: [(Rational(1), Monomial([(0, 14)])), (Rational(4), Monomial([(0, 7), (1, 1)])), (Rational(4), Monomial([(1, 2)]))]))
        // repeated squaring through many widenings agrees with the sparse power
        var g = SeededGenerator(seed: 142)
        let f = random(&g, variables: 3, terms: 3, maxExponent: 5, bits: 6)
        #expect(Polynomial(PackedPolynomial(f).power(9)) == f.power(9))
        // a layout given too narrow is refused by the caller's check, and a right one is accepted
        #expect(!PackedLayout(variableCount: 2, bits: 4).fits(degree: 8))
    }

    @Test("linear combinations agree with the sparse ones: rational scalars, cancellation, more than 8 summands")
    func combinations() {
        var g = SeededGenerator(seed: 143)
        for trial in 0..<80 {
            let count = 1 + trial % 20
            let parts = (0..<count).map { _ in (Rational.random(bits: trial % 2 == 0 ? 5 : 70, using: &g), random(&g, variables: 5, terms: 12)) }
            let expected = Polynomial.combination(parts)
            let packed = PackedPolynomial.combination(parts.map { ($0.0, PackedPolynomial($0.1)) })
            #expect(Polynomial(packed) == expected, "trial \(trial)")
        }
        // enough terms (2^16) to be merged over two cores, with cancellations across the split
        let big = (0..<3).map { _ in random(&g, variables: 12, terms: 30_000, maxExponent: 4, bits: 6) }
        let shared = big[0]
        let summands: [(Rational, Polynomial)] = [(1, big[1]), (Rational(2, 3), big[2]), (-1, shared), (1, shared + big[1])]
        #expect(summands.reduce(0) { $0 + $1.1.termCount } >= 1 << 16)
        #expect(Polynomial(PackedPolynomial.combination(summands.map { ($0.0, PackedPolynomial($0.1)) })) == Polynomial.combination(summands))
        // p - p is zero, with a zero layout that still covers the variables
        let p = PackedPolynomial(random(&g))
        #expect(PackedPolynomial.combination([(1, p), (-1, p)]).isZero)
        // the content is cleared: (2/3) (3/2 x) = x, with denominator 1
        let half = PackedPolynomial(Polynomial(terms: [(Rational(3, 2), Monomial([(0, 1)]))]))
        let one = PackedPolynomial.combination([(Rational(2, 3), half)])
        #expect(one.denominator == 1 && Polynomial(one) == .variable(0))
    }
}
