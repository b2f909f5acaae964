import Testing
import ExactNumbers
import Polynomials
import _TestSupport

@Suite("Polynomial")
struct PolynomialTests {
    let space = VariableSpace.sequence(steps: 4, width: 2)
    func p(_ s: String) throws -> Polynomial { try Polynomial(parsing: s, in: space) }

    @Test("hand-derived products")
    func handProducts() throws {
        // (x+y)(x-y) = x^2 - y^2
        #expect(try p("(x[1][1] + x[1][2]) * (x[1][1] - x[1][2])") == p("x[1][1]^2 - x[1][2]^2"))
        // (1 + x)^3 = 1 + 3x + 3x^2 + x^3
        #expect(try p("(1 + x[2][1])^3") == p("x[2][1]^3 + 3*x[2][1]^2 + 3*x[2][1] + 1"))
        // (x/2 + 1/3)(2x - 1) = x^2 - x/2 + 2x/3 - 1/3 = x^2 + 1/6 x - 1/3
        #expect(try p("(1/2*x[1][1] + 1/3)*(2*x[1][1] - 1)").text(in: space) == "x[1][1]^2 + 1/6*x[1][1] - 1/3")
        #expect(try p("x[1][1]*x[2][2] - x[2][2]*x[1][1]") == .zero)
    }

    @Test("canonical text: order, signs, round trip")
    func canonicalText() throws {
        let f = try p("3 - x[1][2] + 2*x[1][1]*x[1][2]^2 - 1/2*x[1][1]^2")
        // degree 3 first, then degree 2, then 1, then the constant
        #expect(f.text(in: space) == "2*x[1][1]*x[1][2]^2 - 1/2*x[1][1]^2 - x[1][2] + 3")
        #expect(Polynomial.zero.text(in: space) == "0")
        #expect(try p("-x[1][1]").text(in: space) == "-x[1][1]")
        var g = SeededGenerator(seed: 20)
        for _ in 0..<100 {
            let r = Polynomial.random(variables: 8, terms: 12, maxExponent: 3, coefficientBits: 70, using: &g)
            #expect(try Polynomial(parsing: r.text(in: space), in: space) == r)
            #expect(try Polynomial(parsing: r.description) == r)  // v[i] fallback names
        }
    }

    @Test("parse errors name the place")
    func parseErrors() {
        #expect(throws: PolynomialParseError.self) { try p("x[5][1]") }  // step 5 outside T=4
        #expect(throws: PolynomialParseError.self) { try p("x[1][1] +") }
        #expect(throws: PolynomialParseError.self) { try p("(x[1][1]") }
        #expect(throws: PolynomialParseError.self) { try p("x[1][1] / x[1][2]") }
        #expect(throws: PolynomialParseError.self) { try p("2 ** 3") }
        do { _ = try p("1 + y[1]"); Issue.record("expected error") } catch let e as PolynomialParseError {
            #expect(e.offset == 4)
        } catch { Issue.record("wrong error") }
    }

    @Test("issue 11: exponents past 2^32 - 1 are refused by the parser, never wrapped into another variable")
    func exponentLimit() throws {
        let x = "x[1][1]", y = "x[1][2]"
        for text in ["(\(x)^1048576)^4096", "(\(x)^1048576)^4097", "(\(x)^65536*\(y))^65536",
                     "\(x)^1048576" + String(repeating: "*\(x)^1048576", count: 4096)] {
            #expect(throws: PolynomialParseError.self, "\(text.prefix(30))") { try p(text) }
        }
        // just below the limit is fine and exact
        let big = try p("(\(x)^1048576)^4095*\(x)^1048575")
        #expect(big.maxExponent == Monomial.maxExponent && big.termCount == 1)
        #expect(big.totalDegree == Monomial.maxExponent)
    }

    @Test("issue 11: expansions are sized before they run and refused past the limits; deep nesting is refused, not a stack overflow")
    func parseLimits() throws {
        // (x + y)^3 has C(2 + 3 - 1, 3) = 4 terms: the bound is exact here, so 4 passes and 3 refuses
        let cube = "(x[1][1] + x[1][2])^3"
        #expect(try Polynomial(parsing: cube, in: space, limits: PolynomialParseLimits(maxTerms: 4)).termCount == 4)
        #expect(throws: PolynomialParseError.self) {
            try Polynomial(parsing: cube, in: space, limits: PolynomialParseLimits(maxTerms: 3))
        }
        // 4 terms squared: C(4 + 2 - 1, 2) = 10 terms, all present (review finding: the bound
        // was computed as C(2e, e) = 6 whenever e < k - 1, so 9 would have passed)
        let square = "(x[1][1] + x[1][2] + x[2][1] + x[2][2])^2"
        #expect(try Polynomial(parsing: square, in: space, limits: PolynomialParseLimits(maxTerms: 10)).termCount == 10)
        #expect(throws: PolynomialParseError.self) {
            try Polynomial(parsing: square, in: space, limits: PolynomialParseLimits(maxTerms: 9))
        }
        // rational coefficients: the denominators' lcm grows with e (primes 1009, 1013, 1019,
        // 1021: the cube's denominators reach lcm^3, about 120 bits, not 3 * 11)
        let primes = "(x[1][1]/1009 + x[1][2]/1013 + x[2][1]/1019 + x[2][2]/1021)^3"
        let lcmBits = try p(primes).denominatorLCMBits
        #expect(lcmBits > 100)
        #expect(throws: PolynomialParseError.self) {
            try Polynomial(parsing: primes, in: space, limits: PolynomialParseLimits(maxCoefficientBits: lcmBits - 1))
        }
        // a product of 3- and 2-term factors may have 6 terms
        let product = "(1 + x[1][1] + x[1][2]) * (1 - x[2][1])"
        #expect(try Polynomial(parsing: product, in: space, limits: PolynomialParseLimits(maxTerms: 6)).termCount == 6)
        #expect(throws: PolynomialParseError.self) {
            try Polynomial(parsing: product, in: space, limits: PolynomialParseLimits(maxTerms: 5))
        }
        // with the default limits: a power whose expansion could not fit is refused at once,
        // naming the power and the limit; a moderate one is exact (binomial coefficients)
        do {
            _ = try p("(x[1][1] + x[1][2] + x[2][1])^100000")
            Issue.record("expected a refusal")
        } catch let e as PolynomialParseError {
            #expect(e.description.contains("the power ^100000 may produce up to"))
            #expect(e.description.contains("PolynomialParseLimits"))
        }
        let p20 = try p("(x[1][1] + 1)^20")
        let x11 = try #require(space.index(name: "x", subscripts: [1, 1]))
        #expect(p20.termCount == 21 && p20.coefficient(of: Monomial([(x11, 10)])) == Rational(184756))
        // coefficient growth counts as well as terms: (c x + c y)^1000 with c = 2^20 - 1 has
        // 1001 terms of about 23000-bit coefficients, some 6 MB; monomials alone would be
        // 0.05 MB, so a 1 MB byte limit refuses it only through the coefficient bits
        let wide = "(1048575*x[1][1] + 1048575*x[1][2])^1000"
        #expect(throws: PolynomialParseError.self) {
            try Polynomial(parsing: wide, in: space, limits: PolynomialParseLimits(maxBytes: 1 << 20))
        }
        #expect(try Polynomial(parsing: wide, in: space, limits: PolynomialParseLimits(maxBytes: 1 << 24)).termCount == 1001)
        // one huge coefficient: 3^3000000 has 4.75 million bits, past the default 2^22
        // (found by the fuzzer as a 15 s parse: 429496722^858993); 3^100000 is exact
        #expect(throws: PolynomialParseError.self) { try p("3^3000000") }
        #expect(throws: PolynomialParseError.self) { try p("-2-2/4^3/429496722^858993/590294967295790") }
        #expect(try p("3^100000") == Polynomial(Rational(BigInt(3).power(100_000))))
        let deep = String(repeating: "(", count: 100_000) + "x[1][1]" + String(repeating: ")", count: 100_000)
        #expect(throws: PolynomialParseError.self) { try p(deep) }
        // unary minus recurses too (2*---1); a chain 2*-2*-... does not nest and stays legal
        #expect(throws: PolynomialParseError.self) { try p("2*" + String(repeating: "-", count: 100_000) + "1") }
        #expect(try p("2*" + String(repeating: "-", count: 101) + "1") == Polynomial(-2))
        #expect(try p(String(repeating: "2*-", count: 1000) + "1") == Polynomial(Rational(BigInt(2).power(1000))))
        // nesting within the limit still parses
        #expect(try p(String(repeating: "(", count: 150) + "x[1][1]" + String(repeating: ")", count: 150)) == p("x[1][1]"))
    }

    @Test("ring laws on random polynomials")
    func ringLaws() {
        var g = SeededGenerator(seed: 21)
        for _ in 0..<40 {
            let a = Polynomial.random(variables: 6, terms: 8, maxExponent: 3, coefficientBits: 40, using: &g)
            let b = Polynomial.random(variables: 6, terms: 8, maxExponent: 3, coefficientBits: 70, using: &g)
            let c = Polynomial.random(variables: 6, terms: 5, maxExponent: 2, coefficientBits: 20, using: &g)
            #expect(a + b == b + a)
            #expect(a * b == b * a)
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - a == .zero)
            #expect(a.power(3) == a * a * a)
            if let da = a.totalDegree, let db = b.totalDegree { #expect((a * b).totalDegree == da + db) }
        }
    }

    @Test("evaluation is a ring homomorphism; substitution composes with it")
    func evaluation() {
        var g = SeededGenerator(seed: 22)
        for _ in 0..<40 {
            let a = Polynomial.random(variables: 5, terms: 7, maxExponent: 3, coefficientBits: 30, using: &g)
            let b = Polynomial.random(variables: 5, terms: 7, maxExponent: 3, coefficientBits: 30, using: &g)
            let point = (0..<5).map { _ in Rational.random(bits: 20, using: &g) }
            let at = { (q: Polynomial) in q.evaluate { point[$0] } }
            #expect(at(a * b) == at(a) * at(b))
            #expect(at(a + b) == at(a) + at(b))
            // substituting v0 := b then evaluating = evaluating a at (b(point), rest)
            let s = a.substituting([0: b])
            var moved = point; moved[0] = at(b)
            #expect(at(s) == a.evaluate { moved[$0] })
        }
    }

    @Test("degrees, coefficients, grouping")
    func structure() throws {
        let f = try p("x[1][1]^2*x[2][1] + 5*x[2][2]^3 - 7")
        #expect(f.totalDegree == 3)
        #expect(f.degree(in: [0, 1]) == 2)  // step 1 block
        #expect(f.degree(in: [2, 3]) == 3)  // step 2 block
        #expect(Polynomial.zero.totalDegree == nil)
        #expect(f.coefficient(of: Monomial([(3, 3)])) == 5)
        #expect(f.coefficient(of: .one) == -7)
        #expect(f.coefficient(of: Monomial([(0, 1)])) == 0)
        #expect(f.constantTerm == -7)
        let groups = f.grouped { $0 < 2 }
        #expect(groups[Monomial([(0, 2)])] == (try p("x[2][1]")))
        #expect(groups[.one] == (try p("5*x[2][2]^3 - 7")))
        #expect(f.variables == [0, 2, 3])
    }

    @Test("interpolation: hand case, passes through random points, agrees with the Lagrange formula elsewhere")
    func interpolation() throws {
        // p = a + b x + c x^2 through (0, 1), (1, 0), (2, 3): a = 1, b + c = -1, 2b + 4c = 2, so b = -3, c = 2.
        #expect(try Univariate.interpolate(through: [(0, 1), (1, 0), (2, 3)]) == [1, -3, 2])
        #expect(throws: UnivariateError.self) { try Univariate.interpolate(through: [(1, 1), (1, 2)]) }
        var g = SeededGenerator(seed: 12)
        for n in 1...12 {
            var xs = Set<Rational>()
            while xs.count < n { xs.insert(Rational.random(bits: 8, using: &g)) }
            let pts = xs.sorted().map { (x: $0, y: Rational.random(bits: 8, using: &g)) }
            let c = try Univariate.interpolate(through: pts)
            #expect(c.count == n)
            func p(_ x: Rational) -> Rational { Univariate.evaluate(c, at: x) }
            for q in pts { #expect(p(q.x) == q.y) }
            let z = Rational(1, 7) + Rational(n)
            var lagrange = Rational.zero
            for (i, qi) in pts.enumerated() {
                var term = qi.y
                for (j, qj) in pts.enumerated() where j != i { term *= (z - qj.x) / (qi.x - qj.x) }
                lagrange += term
            }
            #expect(p(z) == lagrange)
        }
    }
}
