import Testing
import ExactNumbers
import _TestSupport

@Suite("Rational")
struct RationalTests {
    @Test("residues modulo a prime: r * denominator = numerator mod p, integers and fractions, negative too")
    func residues() {
        var g = SeededGenerator(seed: 12)
        let p: UInt = (1 << 61) - 1
        for _ in 0..<300 {
            let a = Rational.random(bits: [8, 62, 100][Int.random(in: 0..<3, using: &g)], using: &g)
            guard let r = a.mod(p) else { Issue.record("2^61 - 1 divides no small denominator"); continue }
            #expect(r < p)
            #expect(ModularArithmetic.mulmod(r, a.denominator.mod(p), p) == a.numerator.mod(p))
            if a.isInteger { #expect(r == a.numerator.mod(p)) }
        }
        #expect(Rational(-1).mod(7) == 6)
        #expect(Rational(1, 3).mod(7) == 5)   // 3 * 5 = 15 = 1 mod 7
        #expect(Rational(1, 7).mod(7) == nil)
    }

    @Test("field laws on random values, inline and GMP")
    func fieldLaws() {
        var g = SeededGenerator(seed: 10)
        for _ in 0..<500 {
            let bits = [4, 20, 31, 32, 62, 63, 90][Int.random(in: 0..<7, using: &g)]
            let a = Rational.random(bits: bits, using: &g), b = Rational.random(bits: 32, using: &g)
            let c = Rational.random(bits: 80, using: &g)
            #expect(a + b == b + a)
            #expect(a * b == b * a)
            #expect((a + b) + c == a + (b + c))
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - a == .zero)
            if !a.isZero { #expect(a * a.reciprocal == .one); #expect(a / a == 1) }
        }
    }

    @Test("fast inline arithmetic agrees with GMP's canonical form")
    func inlineMatchesGMP() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<1000 {
            let an = Int.random(in: -1_000_000...1_000_000, using: &g), ad = Int.random(in: 1...1_000_000, using: &g)
            let bn = Int.random(in: -(1 << 40)...(1 << 40), using: &g), bd = Int.random(in: 1...(1 << 30), using: &g)
            let a = Rational(BigInt(an), BigInt(ad)), b = Rational(BigInt(bn), BigInt(bd))
            // independent: build results from integer formulas through GMP canonicalisation
            let sum = Rational(BigInt(an) * BigInt(bd) + BigInt(bn) * BigInt(ad), BigInt(ad) * BigInt(bd))
            let prod = Rational(BigInt(an) * BigInt(bn), BigInt(ad) * BigInt(bd))
            #expect(a + b == sum)
            #expect(a * b == prod)
            #expect(gcd(sum.numerator, sum.denominator) == 1 || sum.isZero)
            #expect(sum.denominator > 0)
        }
    }

    @Test("text forms: canonical p/q, exact decimals, errors")
    func text() throws {
        #expect(Rational("-12") == -12)
        #expect(Rational("3/4")!.description == "3/4")
        #expect(Rational("6/-8") == nil)
        #expect(Rational("-6/8")!.description == "-3/4")
        #expect(Rational("0.125")!.description == "1/8")
        #expect(Rational(".5")!.description == "1/2")
        #expect(Rational("2.")!.description == "2")
        #expect(Rational("1.5e-3")!.description == "3/2000")
        #expect(Rational("-2.5E2")!.description == "-250")
        #expect(throws: ExactNumberError.zeroDenominator("1/0")) { try Rational(parsing: "1/0") }
        for bad in ["", "3/-4", "1/", "/2", "1.2.3", "e5", "abc", "1e", "nan", "inf", "--1"] {
            #expect(Rational(bad) == nil, "\(bad) should be rejected")
        }
        var g = SeededGenerator(seed: 12)
        for _ in 0..<300 {
            let a = Rational.random(bits: 150, using: &g)
            #expect(Rational(a.description) == a)
        }
    }

    @Test("exact conversion from Double")
    func fromDouble() throws {
        #expect(try Rational(0.1).description == "3602879701896397/36028797018963968")
        #expect(try Rational(-0.5) == Rational(-1, 2))
        #expect(try Rational(1e300).denominator == 1)
        #expect(try Rational(Double.leastNonzeroMagnitude).numerator == 1)  // smallest subnormal is 2^-1074
        #expect(try Rational(Double.leastNonzeroMagnitude).denominator == BigInt(2).power(1074))
        #expect(throws: ExactNumberError.self) { try Rational(Double.nan) }
        #expect(throws: ExactNumberError.self) { try Rational(Double.infinity) }
        var g = SeededGenerator(seed: 13)
        for _ in 0..<500 {
            let d = Double(bitPattern: g.next())
            guard d.isFinite else { continue }
            let r = try Rational(d)
            #expect(r.approximateDouble == d)  // exact value rounds back to itself
            // the denominator of an exact binary fraction is a power of two
            let den = r.denominator
            #expect((den.bitWidth == 1) || den == BigInt(2).power(den.bitWidth - 1))
        }
    }

    @Test("powers, order, hashing")
    func misc() {
        #expect(Rational(2, 3).power(3) == Rational(8, 27))
        #expect(Rational(2, 3).power(-2) == Rational(9, 4))
        #expect(Rational(1, 3) < Rational(1, 2))
        #expect(Rational(-1, 2) < Rational(-1, 3))
        #expect(Rational(BigInt(2).power(80), 3) > Rational(BigInt(2).power(79), 3))
        let big = Rational(BigInt(Int.max) + 1, 2) - Rational(BigInt(Int.max) - 1, 2)  // back to inline 1
        #expect(big == 1)
        #expect(Set([big, Rational(1)]).count == 1)
        #expect(Rational(6, 4).numerator == 3 && Rational(6, 4).denominator == 2)
        #expect(Rational(-7, 2).signum == -1)
    }
}
