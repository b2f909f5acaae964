import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
@testable import ExpressivityAnalysis

/// The pieces under the lifted method: packed monomials, the modular construction of the
/// lifted system, and the fraction-free exact spans, each against an independent one.
@Suite("Lifted construction")
struct LiftedConstructionTests {
    static func randomMonomial(_ rng: inout SeededGenerator, variables: Int, maxExponent: Int) -> Monomial {
        Monomial((0..<variables).compactMap { v in
            rng.next() % 3 == 0 ? nil : (v, Int(rng.next() % UInt64(maxExponent + 1)))
        })
    }

    @Test("packed monomials: round trip, a product is one addition, the order survives products, overflow is caught")
    func packedMonomials() throws {
        var rng = SeededGenerator(seed: 7)
        for n in [1, 3, 4, 5, 8, 9, 12, 16] {
            let layout = try #require(PackedLayout(variables: n))
            let half = layout.maxExponent / 2
            for _ in 0..<200 {
                let a = Self.randomMonomial(&rng, variables: n, maxExponent: half)
                let b = Self.randomMonomial(&rng, variables: n, maxExponent: half)
                let c = Self.randomMonomial(&rng, variables: n, maxExponent: half)
                let (pa, pb, pc) = (try #require(layout.pack(a)), try #require(layout.pack(b)), try #require(layout.pack(c)))
                #expect(layout.unpack(pa) == a)
                #expect(pa + pb == layout.pack(a * b))
                #expect(!layout.overflows(pa + pb))
                if pa < pb { #expect(pa + pc < pb + pc) }
            }
            // the largest exponent packs, one more does not; a sum past it is flagged
            let top = Monomial([(n - 1, layout.maxExponent)])
            #expect(layout.pack(top) != nil)
            #expect(layout.pack(Monomial([(n - 1, layout.maxExponent + 1)])) == nil)
            #expect(layout.overflows(layout.pack(top)! + layout.pack(Monomial([(n - 1, 1)]))!))
            #expect(layout.pack(Monomial([(n, 1)])) == nil)   // a variable outside the layout
        }
        #expect(PackedLayout(variables: 17) == nil)
    }

    @Test("a power whose exponent outgrows its field is refused (nil), never wrapped")
    func powerOverflow() throws {
        // 12 variables: 8-bit fields, exponents up to 127; G_v = z_v^2
        let d = 2, n = 10
        let layout = try #require(PackedLayout(variables: d + n))
        let step = (0..<n).map { Polynomial.variable(d + $0) * Polynomial.variable(d + $0) }
        let powers = try #require(ModularStepPowers(step: step, inputDim: d, layout: layout, maxTerms: 1_000))
        let ok = try #require(try powers.power(Monomial([(d, 63)])))
        #expect(ok.keys == [layout.pack(Monomial([(d, 126)]))!])
        #expect(try powers.power(Monomial([(d, 64)])) == nil)
    }

    /// The path spans' recipes modulo 2^61 - 1, as ModularLift hands them to a closure.
    static func recipes(_ sys: LiftedSystem, _ side: SpanClosure.Side, _ k: Int) throws -> [[(parent: Int, gamma: Int)]] {
        let lift = try #require(ModularLift(sys))
        return side == .observable ? lift.observeSpans(downTo: k).map { $0?.origins ?? [] } : lift.reachSpans(upTo: k).map(\.origins)
    }

    /// The transitions of a system as a set of (t, gamma, row, column, residue).
    static func transitions(_ sys: LiftedSystem) -> Set<String> {
        var out = Set<String>()
        for (t, rows) in (sys.modular ?? []).enumerated() {
            for (i, row) in rows.enumerated() {
                for e in row {
                    out.insert("\(t) \(sys.gammas[t][Int(e.gamma)]) \(sys.mons[t + 1][i]) \(sys.mons[t][Int(e.column)]) \(e.coefficient)")
                }
            }
        }
        return out
    }

    @Test("the packed modular construction equals the one from exact powers (same Mon_t, same transitions mod p)")
    func packedEqualsExact() throws {
        var compared = 0
        for family in ModelFamily.allCases {
            for L in 1...3 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(30 + L)).model()
                let space = try LiftedStateSpace(m, output: 0)
                for T in 1...(4 - L) {
                    let packed = try #require(try LiftedSystem.packed(space, length: T, maxLift: 5_000, maxTerms: 200_000))
                    let exact = try LiftedSystem.exact(space, length: T, maxLift: 5_000, maxTerms: 200_000)
                    for t in 0...T { #expect(Set(packed.mons[t]) == Set(exact.mons[t]), "\(family) L=\(L) T=\(T) t=\(t)") }
                    #expect(Self.transitions(packed) == Self.transitions(exact), "\(family) L=\(L) T=\(T)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 40)
    }

    @Test("with cancellations the packed products keep the cancelled terms: Mon_t is a superset of the exact support, ranks unchanged")
    func packedSupersetWhenCancelling() throws {
        // h1' = ((h1 + h2) x)^2, h2' = ((h1 - h2) x)^2: in h1' h2' = (h1^2 - h2^2)^2 x^4 the
        // terms h1^3 h2 and h1 h2^3 of the products cancel, so Mon_{T-2} over Q lacks them
        var m = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 1, seed: 3).model()
        m.layers[0].bilinear = [[[1], [1]], [[1], [-1]]]
        m.layers[0].activation = [0, 0, 1]   // sigma(z) = z^2 inside the recurrence
        let space = try LiftedStateSpace(m, output: 0)
        let packed = try #require(try LiftedSystem.packed(space, length: 4, maxLift: 5_000, maxTerms: 200_000))
        let exact = try LiftedSystem.exact(space, length: 4, maxLift: 5_000, maxTerms: 200_000)
        for t in 0...4 { #expect(Set(exact.mons[t]).isSubset(of: Set(packed.mons[t]))) }
        // the cancellation is real: G_1 G_2 keeps h1^3 h2 x^4 with residue 0 in the packed
        // product and lacks it over Q
        let layout = try #require(PackedLayout(variables: 3))
        let powers = try #require(ModularStepPowers(step: space.step, inputDim: 1, layout: layout, maxTerms: 1_000))
        let both = Monomial([(1, 1), (2, 1)])
        let modular = try #require(try powers.power(both))
        let cancelled = Monomial([(0, 4), (1, 3), (2, 1)])
        let at = try #require(modular.keys.firstIndex(of: layout.pack(cancelled)!))
        #expect(modular.residues[at] == 0)
        let exactPower = try StepPowers(step: space.step, inputDim: 1, maxTerms: 1_000).power(both)
        #expect(exactPower.coefficient(of: cancelled).isZero && exactPower.termCount < modular.termCount)
        let fast = try LiftedRank.systemCuts(model: m, length: 4)
        let reference = try LiftedRank.exactCuts(model: m, length: 4)
        #expect(fast.map(\.rank) == reference.map(\.rank))
    }

    @Test("the fraction-free span has the rank over Q of its vectors, with planted dependencies")
    func integerSpanRank() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<60 {
            let n = 2 + trial % 7, independent = 1 + trial % n
            let base = (0..<independent).map { _ in (0..<n).map { _ in BigInt(Int(rng.next() % 2001) - 1000) * BigInt(1 << 40) + BigInt(Int(rng.next() % 7)) } }
            // dependent vectors: integer combinations of the base, mixed in
            var vectors = base
            for _ in 0..<(2 * n) {
                let c = base.map { _ in BigInt(Int(rng.next() % 11) - 5) }
                vectors.insert((0..<n).map { j in zip(c, base).reduce(BigInt.zero) { $0 + $1.0 * $1.1[j] } },
                               at: Int(rng.next() % UInt64(vectors.count + 1)))
            }
            var span = IntegerBasis(dimension: n)
            var accepted: [[BigInt]] = []
            for v in vectors where span.insert(v) { accepted.append(v) }
            let m = RationalMatrix(rows: vectors.count, columns: n) { i, j in Rational(vectors[i][j]) }
            #expect(span.rank == m.rank(), "trial \(trial)")
            // the rows are delta times the reduced echelon form: delta at their own pivot,
            // zero at the others, and delta is the determinant of the pivot block of the
            // accepted vectors (up to sign)
            for (i, row) in span.rows.enumerated() {
                for (k, p) in span.pivots.enumerated() { #expect(row[p] == (i == k ? span.delta : .zero)) }
            }
            if span.rank > 0 {
                let block = RationalMatrix(rows: span.rank, columns: span.rank) { i, j in Rational(accepted[i][span.pivots[j]]) }
                #expect(block.determinant().magnitude == Rational(span.delta).magnitude)
            }
        }
    }

    @Test("the counting bounds dominate the exact dimensions of R_t and O_t (and meet them at the ends)")
    func countingBounds() throws {
        var tight = 0, compared = 0
        for family in ModelFamily.allCases {
            for L in 1...2 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(40 + L), range: 50).model()
                let space = try LiftedStateSpace(m, output: 0)
                for T in 2...4 {
                    let sys = try LiftedSystem(space, length: T, maxLift: 5_000, maxTerms: 200_000)
                    let (u, v) = sys.countingBounds
                    let exact = try LiftedRank.exactCuts(sys, cuts: Array(0...T))
                    for c in exact {
                        let r = try #require(c.reachableDimension), o = try #require(c.observableDimension)
                        #expect(r <= u[c.cut] && o <= v[c.cut], "\(family) L=\(L) T=\(T) k=\(c.cut)")
                        if r == u[c.cut] && c.cut > 0 { tight += 1 }
                        compared += 1
                        // a system built from a step up knows nothing below it: no bound there
                        // (it used to report 0), the lift dimension at the step, the same above
                        if c.cut >= 1 {
                            let upper = try LiftedSystem(space, length: T, lowest: c.cut, maxLift: 5_000, maxTerms: 200_000).countingBounds
                            #expect(upper.reach[..<c.cut].allSatisfy { $0 == .max } && upper.reach[c.cut] >= r)
                            #expect(zip(upper.reach[c.cut...], exact.map(\.reachableDimension!)[c.cut...]).allSatisfy { $0 >= $1 })
                            #expect(Array(upper.observe[c.cut...]) == Array(v[c.cut...]))
                        }
                    }
                }
            }
        }
        #expect(compared > 100)
        #expect(tight > 10)   // the bound is not vacuous: it decides cuts near the ends
    }

    @Test("closure certificates: the certified bound equals the exact dimension of O_t and R_t at every step, every family")
    func closureMatchesExactSpans() throws {
        var compared = 0, proper = 0
        for family in ModelFamily.allCases {
            for L in 1...3 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(60 + L), range: 1000).model()
                let space = try LiftedStateSpace(m, output: 0)
                for T in [2, 4] where L < 3 || T == 2 {
                    let sys = try LiftedSystem(space, length: T, maxLift: 5_000, maxTerms: 500_000, maxEntries: 50_000_000)
                    let exact = try LiftedRank.exactCuts(sys, cuts: Array(0...T))
                    let rows = LiftedSystem.ExactTransitions(sys)
                    let k = T / 2
                    let observe = try #require(try SpanClosure.find(sys, side: .observable, cut: k, transitions: rows, recipes: Self.recipes(sys, .observable, k)), "\(family) L=\(L) T=\(T)")
                    let reach = try #require(try SpanClosure.find(sys, side: .reachable, cut: k, transitions: rows, recipes: Self.recipes(sys, .reachable, k)), "\(family) L=\(L) T=\(T)")
                    for c in exact {
                        if c.cut >= k {
                            #expect(observe.bound(at: c.cut) == c.observableDimension, "\(family) L=\(L) T=\(T) O_\(c.cut)")
                            compared += 1
                            if c.observableDimension! < c.liftDimension { proper += 1 }
                        }
                        if c.cut <= k {
                            #expect(reach.bound(at: c.cut) == c.reachableDimension, "\(family) L=\(L) T=\(T) R_\(c.cut)")
                            compared += 1
                            if c.reachableDimension! < c.liftDimension { proper += 1 }
                        }
                    }
                }
            }
        }
        #expect(compared > 100)
        #expect(proper > 40)   // most spaces are proper subspaces: the chain is not the trivial full-space case
    }

    @Test("negative: a closure with one entry changed, one row dropped, or a step's form replaced by a smaller one fails its exact check")
    func tamperedClosure() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: 4, maxLift: 5_000, maxTerms: 500_000)
        let rows = LiftedSystem.ExactTransitions(sys)
        for side in [SpanClosure.Side.observable, .reachable] {
            let good = try #require(try SpanClosure.find(sys, side: side, cut: 2, transitions: rows, recipes: Self.recipes(sys, side, 2)))
            let start = LiftedSystem.integerScaled(side == .observable ? sys.final : sys.initial).vector
            var exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]] = [:]
            for t in SpanClosure.crossed(side: side, cut: 2, length: 4) { exact[t] = try rows(t).rows }
            #expect(good.verify(sys, start: start, exact: exact))
            var tampered = 0
            for t in 0...4 {
                guard let f = good.forms[t], f.rank > 0, f.rank < f.columns else { continue }
                // one free entry changed
                var changed = f.rows
                let col = f.free[0]
                changed[0][col] += f.scales[0]
                var forms = good.forms
                forms[t] = SpanClosure.Echelon(columns: f.columns, pivots: f.pivots, rows: changed, scales: f.scales)
                #expect(!SpanClosure(side: side, cut: 2, forms: forms).verify(sys, start: start, exact: exact), "\(side) t=\(t) changed")
                // one row dropped: a smaller space cannot hold the true one
                forms[t] = SpanClosure.Echelon(columns: f.columns, pivots: Array(f.pivots.dropLast()), rows: Array(f.rows.dropLast()),
                                               scales: Array(f.scales.dropLast()))
                #expect(!SpanClosure(side: side, cut: 2, forms: forms).verify(sys, start: start, exact: exact), "\(side) t=\(t) dropped")
                tampered += 1
            }
            #expect(tampered >= 2)
        }
    }

    @Test("a closure stops at its work budget (nil: the exact spans or the limits decide) instead of running through its primes")
    func closureWorkBudget() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: 4, maxLift: 5_000, maxTerms: 500_000)
        let rows = LiftedSystem.ExactTransitions(sys)
        #expect(try SpanClosure.find(sys, side: .observable, cut: 2, transitions: rows, recipes: Self.recipes(sys, .observable, 2)) != nil)
        #expect(try SpanClosure.find(sys, side: .observable, cut: 2, transitions: rows, recipes: Self.recipes(sys, .observable, 2), maxWork: 1) == nil)
    }

    @Test("Chinese remaindering and rational reconstruction: exact fractions back from residues; too small a modulus gives nil")
    func multimodular() {
        let primes = ModularArithmetic.primes(below: 1 << 31, count: 8)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let num = BigInt(Int(rng.next() % 2_000_001)) - BigInt(1_000_000), den = BigInt(Int(rng.next() % 999_999) + 1)
            let q = Rational(num, den)
            var a = BigInt.zero, m = BigInt.one
            for p in primes {
                let r = q.mod(p)!
                a = m.isOne ? BigInt(Int(r)) : Multimodular.combine(a, modulus: m, with: r, prime: p)
                m = m * BigInt(Int(p))
                #expect(a.mod(p) == r && a.signum >= 0 && a < m)
            }
            #expect(Multimodular.reconstruct(a, modulus: m) == q)
        }
        // 1/3 needs 2 * 3^2 < m: modulo 11 (no pair n/d with n, d <= 2 represents 4 = 1/3) the answer is nil
        #expect(Multimodular.reconstruct(BigInt(4), modulus: BigInt(11)) == nil)
        #expect(Multimodular.reconstruct(BigInt(4), modulus: BigInt(101)) == nil || Multimodular.reconstruct(BigInt(4), modulus: BigInt(101)) == Rational(4))
        #expect(Multimodular.reconstruct(BigInt(34), modulus: BigInt(101)) == Rational(1, 3))   // 3 * 34 = 102 = 1 mod 101
        #expect(Multimodular.reconstruct(BigInt(100), modulus: BigInt(101)) == Rational(-1))
    }
}
