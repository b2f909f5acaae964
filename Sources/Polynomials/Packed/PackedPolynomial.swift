import ExactNumbers

/// A polynomial with packed exponents and integer coefficients over one common denominator:
/// the representation the expansion runs in (FLINT's fmpq_mpoly idea). A monomial is
/// `layout.words` words (see `PackedLayout`), so a monomial product is word additions and
/// comparing two monomials is comparing words; coefficient products are integer products
/// summed in place, with no rational normalisation per pair.
///
/// One common denominator suits expansions, whose denominators all divide a power of the
/// weights' common denominator; a polynomial whose terms have large unrelated denominators
/// is better kept sparse (their lcm grows with the number of terms).
///
/// Invariants (so equal polynomials have equal storage): terms in descending packed order
/// (the canonical order of `Polynomial`), no zero coefficient, a positive denominator, and
/// gcd(denominator, coefficients) = 1. Variables are 0..<layout.variableCount, each with a
/// field in every term: meant for dense ranges of variables (an expansion's inputs); a
/// polynomial in a few variables of large index is better kept sparse.
public struct PackedPolynomial: Sendable {
    public private(set) var layout: PackedLayout
    @usableFromInline var exponents: [UInt64]
    @usableFromInline var coefficients: [BigInt]
    public private(set) var denominator: BigInt

    init(layout: PackedLayout, exponents: [UInt64], coefficients: [BigInt], denominator: BigInt) {
        self.layout = layout; self.exponents = exponents; self.coefficients = coefficients; self.denominator = denominator
    }

    /// Builds from terms already in canonical order, clearing the common content.
    static func normalised(layout: PackedLayout, exponents: [UInt64], coefficients: [BigInt], denominator: BigInt) -> PackedPolynomial {
        var p = PackedPolynomial(layout: layout, exponents: exponents, coefficients: coefficients, denominator: denominator)
        if p.coefficients.isEmpty { p.denominator = .one; return p }
        if denominator.isOne { return p }
        var g = denominator
        for c in p.coefficients where !g.isOne { g = gcd(g, c) }
        if !g.isOne {
            for i in p.coefficients.indices { p.coefficients[i] = p.coefficients[i].dividedExactly(by: g) }
            p.denominator = denominator.dividedExactly(by: g)
        }
        return p
    }

    public static func zero(_ layout: PackedLayout) -> PackedPolynomial {
        PackedPolynomial(layout: layout, exponents: [], coefficients: [], denominator: .one)
    }

    /// The constant c, in the narrowest layout.
    public init(_ c: Rational) { self.init(c, layout: PackedLayout(variableCount: 0, degree: 0)) }

    public init(_ c: Rational, layout: PackedLayout) {
        self.layout = layout
        if c.isZero { exponents = []; coefficients = []; denominator = .one; return }
        exponents = [UInt64](repeating: 0, count: layout.words)
        coefficients = [c.numerator]
        denominator = c.denominator
    }

    /// The polynomial x_v.
    public static func variable(_ v: Int) -> PackedPolynomial {
        precondition(v >= 0, "negative variable index")
        let layout = PackedLayout(variableCount: v + 1, degree: 1)
        var m = [UInt64](repeating: 0, count: layout.words)
        for f in [0, v + 1] {
            let (w, s) = layout.position(ofField: f)
            m[w] |= 1 << UInt64(s)
        }
        return PackedPolynomial(layout: layout, exponents: m, coefficients: [.one], denominator: .one)
    }

    public var isZero: Bool { coefficients.isEmpty }
    public var termCount: Int { coefficients.count }
    /// Total degree (the first term's, as the order is graded); nil for zero.
    public var totalDegree: Int? {
        isZero ? nil : exponents.withUnsafeBufferPointer { layout.field(0, of: $0.baseAddress!) }
    }

    /// The same polynomial in a layout with at least as many variables whose fields hold
    /// its degree: fields are read out and written back (the order is unchanged, since both
    /// layouts order monomials canonically).
    public func moved(to target: PackedLayout) -> PackedPolynomial {
        if target == layout { return self }
        precondition(target.variableCount >= layout.variableCount, "a packed layout cannot drop variables")
        precondition(target.fits(degree: totalDegree ?? 0), "packed layout too narrow for degree \(totalDegree ?? 0)")
        let k = layout.words, k2 = target.words, fields = layout.variableCount + 1
        var out = [UInt64](repeating: 0, count: termCount * k2)
        exponents.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for t in 0..<termCount {
                    let m = src.baseAddress! + t * k
                    for f in 0..<fields {
                        let e = layout.field(f, of: m)
                        if e == 0 { continue }
                        let (w, s) = target.position(ofField: f)
                        dst[t * k2 + w] |= UInt64(e) << UInt64(s)
                    }
                }
            }
        }
        return PackedPolynomial(layout: target, exponents: out, coefficients: coefficients, denominator: denominator)
    }
}

extension PackedPolynomial: Equatable {
    /// Equal values (the layouts may differ: a polynomial moved to a wider layout is equal).
    public static func == (a: PackedPolynomial, b: PackedPolynomial) -> Bool {
        if a.layout == b.layout {
            return a.coefficients == b.coefficients && a.denominator == b.denominator && a.exponents == b.exponents
        }
        let l = a.layout.joined(b.layout, degree: max(a.totalDegree ?? 0, b.totalDegree ?? 0))
        return a.moved(to: l) == b.moved(to: l)
    }
}

// MARK: - Conversion to and from the sparse form

extension PackedPolynomial {
    /// The packed form of p, in `layout` if given (it must cover p's variables and degree).
    public init(_ p: Polynomial, layout given: PackedLayout? = nil) {
        let vars = (p.variables.last ?? -1) + 1
        let layout = given ?? PackedLayout(variableCount: vars, degree: p.totalDegree ?? 0)
        precondition(layout.variableCount >= vars && layout.fits(degree: p.totalDegree ?? 0), "packed layout does not cover the polynomial")
        var den = BigInt.one
        for c in p.coefficients where !c.isInteger { den = lcm(den, c.denominator) }
        let k = layout.words
        var m = [UInt64](repeating: 0, count: p.termCount * k)
        var c: [BigInt] = []
        c.reserveCapacity(p.termCount)
        for t in 0..<p.termCount {
            var degree = 0
            for e in p.monomialSlice(t) {
                let (w, s) = layout.position(ofField: Monomial.variable(of: e) + 1)
                let x = Monomial.exponent(of: e)
                m[t * k + w] |= UInt64(x) << UInt64(s)
                degree += x
            }
            let (w, s) = layout.position(ofField: 0)
            m[t * k + w] |= UInt64(degree) << UInt64(s)
            let q = p.coefficients[t]
            c.append(den.isOne ? q.numerator : q.numerator * den.dividedExactly(by: q.denominator))
        }
        self.init(layout: layout, exponents: m, coefficients: c, denominator: den)
    }
}

extension Polynomial {
    /// The sparse form of a packed polynomial (same terms, same order).
    public init(_ p: PackedPolynomial) {
        let layout = p.layout, k = layout.words
        var c: [Rational] = [], e: [UInt64] = [], o: [Int] = [0]
        c.reserveCapacity(p.termCount); o.reserveCapacity(p.termCount + 1)
        p.exponents.withUnsafeBufferPointer { src in
            for t in 0..<p.termCount {
                let m = src.baseAddress! + t * k
                for v in 0..<layout.variableCount {
                    let x = layout.field(v + 1, of: m)
                    if x != 0 { e.append(Monomial.pack(variable: v, exponent: x)) }
                }
                o.append(e.count)
                c.append(p.denominator.isOne ? Rational(p.coefficients[t]) : Rational(p.coefficients[t], p.denominator))
            }
        }
        self.init(coefficients: c, entries: e, offsets: o)
    }
}
