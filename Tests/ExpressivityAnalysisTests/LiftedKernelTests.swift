import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
import _TestSupport
@testable import ExpressivityAnalysis

/// The kernels under the closure certificates and the path spans, each against an
/// independent one: packed integer powers against rational powers, the dense reduced form
/// against incremental insertion, the free-column basis against plain elimination, word
/// residues against GMP.
@Suite("Lifted kernels")
struct LiftedKernelTests {
    /// A transition as exact rationals keyed by (gamma, row, column): the scale divided out.
    static func rationalEntries(_ t: (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt)) -> [String: Rational] {
        var out: [String: Rational] = [:]
        for (i, row) in t.rows.enumerated() {
            for e in row where !e.coefficient.isZero { out["\(e.gamma) \(i) \(e.column)", default: .zero] += Rational(e.coefficient, t.scale) }
        }
        return out.filter { !$0.value.isZero }
    }

    @Test("exact transitions from packed integer powers equal those from rational powers: every family, depths 1-3, fractional sigma and rho")
    func packedExactTransitions() throws {
        var compared = 0, fractional = 0
        let half = Rational(BigInt(1), BigInt(2)), third = Rational(BigInt(-1), BigInt(3))
        for family in ModelFamily.allCases {
            for L in 1...3 {
                for variant in 0..<(L < 3 ? 2 : 1) {
                    // variant 1: sigma(z) = z/2 - z^2/3 inside the recurrence, rho(z) = z + z^2/2: denominators in G
                    let spec = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(70 + L), range: 50,
                                          activation: variant == 1 ? [0, half, third] : nil,
                                          outputActivation: variant == 1 ? [0, 1, half] : nil)
                    let m = spec.model()
                    let T = max(1, 4 - L - variant)
                    let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: T, maxLift: 5_000, maxTerms: 500_000, maxEntries: 50_000_000)
                    let layout = try #require(PackedLayout(variables: m.inputDim + sys.space.stateDimension))
                    let packed = try #require(ExactPackedPowers(step: sys.space.step, inputDim: m.inputDim, layout: layout, maxTerms: 500_000))
                    let rational = StepPowers(step: sys.space.step, inputDim: m.inputDim, maxTerms: 500_000)
                    if !packed.denominator.isOne { fractional += 1 }
                    for t in stride(from: T, through: 1, by: -1) {
                        let a = try #require(try sys.exactTransition(t, packed: packed), "\(family) L=\(L) t=\(t)")
                        let b = try sys.exactTransition(t, powers: rational)
                        #expect(Self.rationalEntries(a) == Self.rationalEntries(b), "\(family) L=\(L) variant \(variant) t=\(t)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared >= 40)
        #expect(fractional >= 10)   // the scaling by D^(m - |mu|) is exercised, not only D = 1
    }

    @Test("negative: a packed power that would overflow an exponent field is refused (nil), never wrapped")
    func packedIntegerOverflow() throws {
        let layout = try #require(PackedLayout(variables: 2))   // 32 bits per field: exponents below 2^31
        let x = Polynomial.variable(1)
        let powers = try #require(ExactPackedPowers(step: [x * x * x], inputDim: 1, layout: layout, maxTerms: 10))
        #expect(try powers.power(Monomial([(1, 3)])) != nil)
        let big = IntegerPackedPolynomial(keys: [layout.pack(Monomial([(1, (1 << 30))]))!], coefficients: [1])
        #expect(big.times(big, layout) == nil)
        #expect(big.times(IntegerPackedPolynomial(keys: [.zero], coefficients: [2]), layout)?.coefficients == [2])
    }

    /// Plain Gaussian elimination modulo p (no reduced form, no free-column shortcut): the rank.
    static func rank(_ vectors: [[UInt64]], _ p: UInt64) -> Int {
        var a = vectors, r = 0
        let n = vectors.first?.count ?? 0
        for c in 0..<n where r < a.count {
            guard let i = (r..<a.count).first(where: { a[$0][c] % p != 0 }) else { continue }
            a.swapAt(r, i)
            let inv = UInt64(ModularArithmetic.inverse(UInt(a[r][c] % p), UInt(p)))
            for k in (r + 1)..<a.count {
                let f = UInt64(ModularArithmetic.mulmod(UInt(a[k][c] % p), UInt(inv), UInt(p)))
                for j in 0..<n { a[k][j] = (a[k][j] % p + p - UInt64(ModularArithmetic.mulmod(UInt(f), UInt(a[r][j] % p), UInt(p)))) % p }
            }
            r += 1
        }
        return r
    }

    /// Random vectors modulo p with planted dependencies (some are combinations of earlier ones).
    static func vectors(_ g: inout SeededGenerator, count: Int, dimension n: Int, p: UInt64) -> [[UInt64]] {
        var out: [[UInt64]] = []
        for _ in 0..<count {
            if out.count >= 2 && Int.random(in: 0..<3, using: &g) == 0 {
                let a = out[Int.random(in: 0..<out.count, using: &g)], b = out[Int.random(in: 0..<out.count, using: &g)]
                let f = UInt64.random(in: 0..<p, using: &g)
                out.append(zip(a, b).map { ($0 + UInt64(ModularArithmetic.mulmod(UInt(f), UInt($1), UInt(p)))) % p })
            } else {
                out.append((0..<n).map { _ in Int.random(in: 0..<4, using: &g) == 0 ? 0 : UInt64.random(in: 0..<p, using: &g) })
            }
        }
        return out
    }

    @Test("the dense reduced form is the reduced row echelon form of the rows' span (against plain elimination) and refuses dependent rows")
    func reducedForm() {
        var g = SeededGenerator(seed: 21)
        var independent = 0, dependent = 0
        for round in 0..<120 {
            let field = SmallPrimeField(round % 3 == 0 ? 7 : 2_147_483_647)
            let n = Int.random(in: 1...24, using: &g), m = Int.random(in: 1...n, using: &g)
            let v = Self.vectors(&g, count: m, dimension: n, p: field.p)
            var flat = v.flatMap { $0 }
            let form = field.reducedForm(&flat, rows: m, columns: n)
            guard Self.rank(v, field.p) == m else {
                dependent += 1
                #expect(form == nil, "round \(round): dependent rows must be refused")
                continue
            }
            independent += 1
            guard let f = form else { Issue.record("round \(round): independent rows refused"); continue }
            // a reduced row echelon form (increasing pivots, 1 at its pivot and 0 at the others)
            // whose rows span the same space is the one of that space: it is unique
            let free = SpanClosure.freeColumns(pivots: f.pivots, columns: n)
            let rows = zip(f.pivots, f.freeEntries).map { piv, entries -> [UInt64] in
                var row = [UInt64](repeating: 0, count: n)
                row[piv] = 1
                for (j, e) in zip(free, entries) { row[j] = e }
                return row
            }
            #expect(f.pivots == f.pivots.sorted() && Set(f.pivots).count == m, "round \(round)")
            #expect(Self.rank(rows, field.p) == m && Self.rank(v + rows, field.p) == m, "round \(round): same span")
        }
        #expect(independent > 30 && dependent > 30)
    }

    @Test("the free-column basis modulo 2^61 - 1 keeps exactly the vectors outside the span (against plain elimination)")
    func freeColumnBasis() {
        var g = SeededGenerator(seed: 22)
        let p = UInt64(Mersenne61.p)
        for round in 0..<80 {
            let n = Int.random(in: 1...20, using: &g)
            let v = Self.vectors(&g, count: Int.random(in: 1...(2 * n), using: &g), dimension: n, p: p)
            var basis = ModularBasis(dimension: n)
            var kept: [[UInt64]] = []
            for row in v {
                let added = basis.insert(row.map(UInt.init))
                // independent code: the rank grows exactly when the vector is outside the span so far
                #expect(added == (Self.rank(kept + [row], p) > kept.count), "round \(round)")
                if added { kept.append(row) }
            }
            #expect(basis.rank == Self.rank(v, p), "round \(round)")
            // the stored form is reduced: 1 at its pivot, 0 at the other pivots
            for (row, piv) in zip(basis.rows, basis.pivots) {
                #expect(row[piv] == 1 && basis.pivots.allSatisfy { $0 == piv || row[$0] == 0 }, "round \(round)")
            }
        }
    }

    @Test("residues read from a coefficient's words equal GMP's, for signs, zero and every size")
    func wordResidues() {
        var g = SeededGenerator(seed: 23)
        var transition: [[(gamma: Int, column: Int, coefficient: BigInt)]] = []
        for r in 0..<30 {
            transition.append((0..<10).map { c in
                let v = Int.random(in: 0..<5, using: &g) == 0 ? [BigInt(Int.min), BigInt(Int.max), -1][Int.random(in: 0..<3, using: &g)]
                    : BigInt.random(bits: Int.random(in: 1...700, using: &g), using: &g)
                return (gamma: (r + c) % 3, column: c, coefficient: v)
            })
        }
        let slices = GammaSlice.split(transition, gammas: 3)
        let primes = ModularArithmetic.primes(below: 1 << 31, count: 3) + [2, 3, 65_521]
        for p in primes {
            let field = SmallPrimeField(p)
            for (gamma, slice) in slices.enumerated() {
                let residues = slice.residues([field])[0]
                for (e, (r, c)) in zip(slice.rows, slice.columns).enumerated() {
                    let v = transition[Int(r)][Int(c)]
                    #expect(v.gamma == gamma && residues[e] == UInt64(v.coefficient.mod(p)), "p = \(p)")
                }
            }
        }
        // several primes in one pass over the words: each equal to GMP's
        for slice in slices {
            let joint = slice.residues(primes.map { SmallPrimeField($0) })
            for (f, p) in primes.enumerated() {
                #expect(joint[f] == zip(slice.rows, slice.columns).map { r, c in UInt64(transition[Int(r)][Int(c)].coefficient.mod(p)) }, "p = \(p)")
            }
        }
        #expect(slices.reduce(0) { $0 + $1.rows.count } == transition.joined().filter { !$0.coefficient.isZero }.count)
    }

    @Test("the closure's replay rebuilds each recorded path vector mod p (from the generators, not an echelon form), and spans as many dimensions as it has vectors")
    func replayFollowsRecipes() throws {
        var replayed = 0
        for family in ModelFamily.allCases {
            for L in 1...2 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(80 + L), range: 1000).model()
                let T = 4, k = 1
                let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: T, maxLift: 5_000, maxTerms: 500_000, maxEntries: 50_000_000)
                let lift = try #require(ModularLift(sys))
                let rows = LiftedSystem.ExactTransitions(sys)
                for side in [SpanClosure.Side.observable, .reachable] {
                    let spans = side == .observable ? lift.observeSpans(downTo: 0) : lift.reachSpans(upTo: T).map { Optional($0) }
                    let recipes = spans.map { $0?.origins ?? [] }
                    let steps = side == .observable ? Array(k...T) : Array(0...k)
                    var exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]] = [:], slices: [Int: [GammaSlice]] = [:]
                    for t in SpanClosure.crossed(side: side, cut: k, length: T) {
                        exact[t] = try rows(t).rows
                        slices[t] = GammaSlice.split(exact[t]!, gammas: sys.gammas[t - 1].count)
                    }
                    let start = side == .observable ? LiftedSystem.integerScaled(sys.final).vector : LiftedSystem.integerScaled(sys.initial).vector
                    // independent: the exact path vectors by the recipe, over Z
                    var paths: [Int: [[BigInt]]] = [:]
                    for (i, t) in (side == .observable ? steps.reversed() : steps).enumerated() {
                        if i == 0 { paths[t] = [start]; continue }
                        let from = side == .observable ? t + 1 : t - 1, into = side == .observable ? t + 1 : t
                        paths[t] = recipes[t].map { o in
                            let images = side == .observable ? sys.backward(paths[from]![o.parent], from: into, exact[into]!)
                                                             : sys.forward(paths[from]![o.parent], into: into, exact[into]!)
                            return images[o.gamma]
                        }
                    }
                    for p in ModularArithmetic.primes(below: 1 << 31, count: 3) {
                        let field = SmallPrimeField(p)
                        var seen: [Int: [UInt64]] = [:]
                        let forms = SpanClosure.replayChains(sys, side: side, steps: steps, start: start, slices: slices, recipes: recipes,
                                                             fields: [field]) { _, t, v in seen[t] = v }[0]
                        let chain = try #require(forms, "\(family) L=\(L) \(side) p=\(p): the recipe's vectors are independent over Q")
                        for t in steps {
                            #expect(seen[t] == paths[t]!.flatMap { $0.map { UInt64($0.mod(p)) } }, "\(family) L=\(L) \(side) t=\(t)")
                            #expect(chain[t]?.pivots.count == paths[t]!.count, "\(family) L=\(L) \(side) t=\(t)")
                        }
                        replayed += 1
                    }
                    // the three primes in one pass: each chain is the reduced form of the exact path
                    // vectors mod its prime
                    let primes = ModularArithmetic.primes(below: 1 << 31, count: 3)
                    let joint = SpanClosure.replayChains(sys, side: side, steps: steps, start: start, slices: slices, recipes: recipes,
                                                         fields: primes.map { SmallPrimeField($0) })
                    for (f, p) in primes.enumerated() {
                        for t in steps {
                            var matrix = paths[t]!.flatMap { $0.map { UInt64($0.mod(p)) } }
                            let expected = SmallPrimeField(p).reducedForm(&matrix, rows: paths[t]!.count, columns: sys.mons[t].count)
                            #expect(joint[f]?[t]?.pivots == expected?.pivots, "\(family) L=\(L) \(side) p=\(p) t=\(t)")
                            #expect(joint[f]?[t]?.freeEntries == expected?.freeEntries, "\(family) L=\(L) \(side) p=\(p) t=\(t)")
                        }
                    }
                }
            }
        }
        #expect(replayed >= 30)
    }

    @Test("a transition shared along a repeated Mon_t equals one rebuilt from the step map, and the batched modular images equal exact images mod p")
    func sharedTransitionsAndBatchedImages() throws {
        var shared = 0, compared = 0
        var rng = SeededGenerator(seed: 91)
        let p = ModularLift.prime
        for family in ModelFamily.allCases {
            for L in 1...2 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(90 + L), range: 1000).model()
                let T = 5
                let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: T, maxLift: 5_000, maxTerms: 500_000, maxEntries: 50_000_000)
                let lift = try #require(ModularLift(sys))
                let rows = LiftedSystem.ExactTransitions(sys)
                for t in stride(from: T, through: 1, by: -1) {
                    if sys.shares[t] != t { shared += 1 }
                    // independent: the transition rebuilt from fresh rational powers of G
                    let fresh = try sys.exactTransition(t, powers: StepPowers(step: sys.space.step, inputDim: m.inputDim, maxTerms: 500_000))
                    let expected = Self.rationalEntries(fresh)
                    #expect(Self.rationalEntries(try rows(t)) == expected, "\(family) L=\(L) t=\(t)")
                    var modular: [String: UInt] = [:]
                    for (i, row) in lift.transitions[t - 1].enumerated() {
                        for e in row where e.coefficient != 0 { modular["\(e.gamma) \(i) \(e.column)"] = e.coefficient }
                    }
                    #expect(modular == expected.compactMapValues { $0.mod(p) }.filter { $0.value != 0 }, "\(family) L=\(L) t=\(t)")
                    // a batch of three integer vectors on each side, against the exact maps one vector at a time
                    let (into, from) = (sys.mons[t].count, sys.mons[t - 1].count)
                    let vs = (0..<3).map { _ in (0..<from).map { _ in BigInt(Int.random(in: -50...50, using: &rng)) } }
                    let ws = (0..<3).map { _ in (0..<into).map { _ in BigInt(Int.random(in: -50...50, using: &rng)) } }
                    let reduce: ([BigInt]) -> [UInt] = { $0.map { UInt($0.mod(p)) } }
                    let batchedForward = lift.forward(vs.map(reduce), into: t), batchedBackward = lift.backward(ws.map(reduce), from: t)
                    for b in 0..<3 {
                        // the exact rows carry the scale: divide it out mod p
                        let inverse = ModularArithmetic.inverse(UInt(fresh.scale.mod(p)), p)
                        let unscale: ([BigInt]) -> [UInt] = { v in v.map { Mersenne61.mul(UInt($0.mod(p)), inverse) } }
                        #expect(batchedForward[b] == sys.forward(vs[b], into: t, fresh.rows).map(unscale), "\(family) L=\(L) t=\(t)")
                        #expect(batchedBackward[b] == sys.backward(ws[b], from: t, fresh.rows).map(unscale), "\(family) L=\(L) t=\(t)")
                    }
                    compared += 1
                }
            }
        }
        #expect(compared >= 60)
        #expect(shared >= 10)   // the sharing is exercised, not only fresh builds
    }

    @Test("transitions built ahead on another core (to completion, or stopped at once) equal those built on first use")
    func prebuiltTransitions() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        let sys = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: 5, maxLift: 5_000, maxTerms: 500_000, maxEntries: 50_000_000)
        let steps = Array(1...5)
        let onUse = LiftedSystem.ExactTransitions(sys)
        let expected = try steps.map { Self.rationalEntries(try onUse($0)) }
        for raised in [false, true] {
            let ahead = LiftedSystem.ExactTransitions(sys), stop = StopSignal()
            if raised { stop.raise() }
            _ = Parallel.both({ 0 }, { ahead.prebuild(steps.reversed(), until: stop) })
            // built ahead means cached before any use; a stop raised first builds nothing
            #expect(steps.allSatisfy { ahead.isBuilt($0) } == !raised && steps.allSatisfy { !ahead.isBuilt($0) } == raised, "stopped: \(raised)")
            #expect(try steps.map { Self.rationalEntries(try ahead($0)) } == expected, "stopped: \(raised)")
        }
    }

    @Test("lazy accumulation stays below 2^63 and congruent to the exact sum, at the extremes of its range (largest and smallest primes)")
    func lazyAccumulation() {
        var g = SeededGenerator(seed: 17)
        for p in ModularArithmetic.primes(below: 1 << 31, count: 2) + [2, 3, 65_521] {
            let field = SmallPrimeField(p), P = UInt64(p)
            for y0: UInt64 in [0, (1 << 63) - 1, 1 << 62, P - 1] {
                var y = y0, exact = y0 % P
                for step in 0..<1000 {
                    let a = step < 3 ? P - 1 : UInt64.random(in: 0..<P, using: &g), b = step < 3 ? P - 1 : UInt64.random(in: 0..<P, using: &g)
                    y = field.addLazily(y, a, b)
                    exact = UInt64((UInt128(exact) + UInt128(a) * UInt128(b)) % UInt128(P))
                    #expect(y < 1 << 63, "p = \(p)")
                }
                #expect(field.reduce(y) == exact, "p = \(p) from \(y0)")
            }
        }
        // the same for 2^61 - 1 (the path spans' prime)
        let P = Mersenne61.p
        for y0: UInt in [0, (1 << 63) - 1, 1 << 62, P - 1, P] {
            var y = y0, exact = y0 % P
            for step in 0..<1000 {
                let a = step < 3 ? P - 1 : UInt.random(in: 0..<P, using: &g), b = step < 3 ? P - 1 : UInt.random(in: 0..<P, using: &g)
                y = Mersenne61.addLazily(y, a, b)
                exact = UInt((UInt128(exact) + UInt128(a) * UInt128(b)) % UInt128(P))
                #expect(y < 1 << 63)
            }
            #expect(Mersenne61.reduce(y) == exact, "from \(y0)")
        }
        #expect(Mersenne61.reduce(UInt.max) == UInt(UInt128(UInt.max) % UInt128(P)) && Mersenne61.reduce(P) == 0)
    }

    @Test("parallel map returns the results in input order")
    func parallelOrder() {
        let items = Array(0..<1000)
        #expect(Parallel.map(items) { $0 * $0 } == items.map { $0 * $0 })
        #expect(Parallel.map([7]) { $0 + 1 } == [8])
        #expect(Parallel.map([Int]()) { $0 }.isEmpty)
        let (a, b) = Parallel.both({ (0..<100).reduce(0, +) }, { "b" })
        #expect(a == 4950 && b == "b")
    }
}
