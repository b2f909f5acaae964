import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
import ExpressivityAnalysis

/// Random linear stacks with a bias and an initial state, so constants are exercised too.
private func affineLinearStack(depth L: Int, hidden n: Int, inputDim d: Int, seed: UInt64) -> NetworkModel {
    var m = FamilySpec(family: .linearRNN, depth: L, hidden: n, inputDim: d, seed: seed, range: 5, outputs: d).model()
    var g = SeededGenerator(seed: seed &+ 77)
    for l in 0..<L {
        m.layers[l].bias = (0..<n).map { _ in Rational(Int.random(in: -3...3, using: &g)) }
        m.layers[l].initialState = (0..<n).map { _ in Rational(Int.random(in: -3...3, using: &g)) }
    }
    return m
}

@Suite("Linear state space and delayed-copy memory")
struct MemoryTests {
    @Test("state space: Markov parameters and constants equal the unrolled polynomial's coefficients")
    func stateSpaceMatchesUnrolling() throws {
        var compared = 0
        for L in 1...3 {
            for d in 1...2 {
                for seed in 1...2 as ClosedRange<UInt64> {
                    let m = affineLinearStack(depth: L, hidden: 2, inputDim: d, seed: seed)
                    let ss = try #require(LinearStateSpace(m))
                    #expect(ss.stateDimension == 2 * L)
                    let T = 6
                    let markov = ss.markovParameters(count: T), gamma = ss.constantOutputs(upTo: T)
                    var u = Unrolling<Polynomial>(m)
                    for t in 0...T {
                        if t > 0 { u.advance() }
                        for (i, y) in u.outputs.enumerated() {
                            #expect(y.constantTerm == gamma[t][i])
                            #expect((y.totalDegree ?? 0) <= 1)
                            for s in stride(from: 1, through: t, by: 1) {
                                for k in 1...d {
                                    let x = Monomial([(InputVariables.index(step: s, coordinate: k, inputDim: d), 1)])
                                    #expect(y.coefficient(of: x) == markov[t - s][i, k - 1], "L=\(L) d=\(d) T=\(t) s=\(s)")
                                    compared += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 500)
        let bilinear = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 1, seed: 1).model()
        #expect(LinearStateSpace(bilinear) == nil)
    }

    @Test("every delay up to the capacity is an exact copy by both algorithms; beyond it the construction refuses")
    func constructionIsExact() throws {
        var checked = 0
        for d in 1...2 {
            for L in 1...3 {
                for n in d...(4 * d + 1) {
                    let cap = try #require(DelayedCopy.capacity(depth: L, hidden: n, inputDim: d))
                    #expect(cap == L * (n - d) / d)
                    for tau in 0...cap {
                        let m = try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: tau)
                        #expect(m.parameterCount == DelayedCopy.parameterCount(depth: L, hidden: n, inputDim: d))
                        let c = try DelayedCopy.check(m, delay: tau)
                        #expect(c.symbolic && c.stateSpace, "L=\(L) n=\(n) d=\(d) tau=\(tau): \(c.failure ?? "")")
                        #expect(c.certifiedLength == L * n + (tau + 1) * d)
                        #expect(!c.contradictsCapacity)
                        // the same model is not a copy with any other delay
                        #expect(!(try DelayedCopy.check(m, delay: tau + 1)).exact)
                        #expect(try DelayedCopy.detect(m).delay == tau)
                        // a readout bias adds a constant to y_t: no longer a copy, by either algorithm
                        var biased = m
                        biased.readoutBias = [Rational](repeating: .zero, count: d - 1) + [Rational(1, 2)]
                        let b = try DelayedCopy.check(biased, delay: tau)
                        #expect(!b.symbolic && !b.stateSpace, "L=\(L) n=\(n) d=\(d) tau=\(tau)")
                        checked += 1
                    }
                    #expect(throws: MemoryError.self) { try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: cap + 1) }
                }
            }
        }
        #expect(checked >= 100)
        #expect(DelayedCopy.capacity(depth: 3, hidden: 1, inputDim: 2) == nil)
        #expect(DelayedCopy.capacity(widths: [3, 1, 3], inputDim: 2) == nil)   // one narrow layer blocks the copy
    }

    @Test("the capacity floor(L (n - d) / d) is reached on the grid d <= 4, d <= n <= 12, L <= 8, each construction certified")
    func capacityGrid() throws {
        var certified = 0, beyondOldConstruction = 0
        for d in 1...4 {
            for n in d...12 {
                for L in 1...8 {
                    let cap = try #require(DelayedCopy.capacity(depth: L, hidden: n, inputDim: d))
                    #expect(cap == (L * (n - d)) / d)
                    // the Hankel bound (tau + 1) d <= L n never beats it
                    #expect(cap <= (L * n) / d - 1)
                    let m = try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: cap)
                    let c = try DelayedCopy.check(m, delay: cap)
                    #expect(c.exact, "L=\(L) n=\(n) d=\(d) tau=\(cap): \(c.failure ?? "")")
                    if cap > L * (n / d - 1) { beyondOldConstruction += 1 }
                    certified += 1
                }
            }
        }
        #expect(certified == 8 * (12 + 11 + 10 + 9))
        #expect(beyondOldConstruction > 100)   // shapes where d does not divide n, and L > 1
    }

    @Test("mixed widths: capacity floor(sum (n_l - d) / d), the construction reaches it")
    func mixedWidths() throws {
        for (widths, d, cap) in [([5, 4, 3], 2, 3), ([2, 7], 2, 2), ([4, 4, 4, 4], 3, 1), ([6, 2], 1, 6), ([3], 3, 0)] {
            #expect(DelayedCopy.capacity(widths: widths, inputDim: d) == cap)
            let m = try DelayedCopy.model(widths: widths, inputDim: d, delay: cap)
            #expect(m.layers.map(\.hidden) == widths)
            #expect(m.parameterCount == DelayedCopy.parameterCount(widths: widths, inputDim: d))
            #expect(try DelayedCopy.check(m, delay: cap).exact, "\(widths) d=\(d)")
            #expect(try DelayedCopy.detect(m).delay == cap)
        }
    }

    @Test("item 12: the copy is defined for T >= 1, so y_0 = C h_0 != 0 does not matter")
    func initialOutputIsFree() throws {
        // h_t = x_t with h_0 = 5: y_0 = 5, y_T = x_T for every T >= 1 (a delay-0 copy)
        let m = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: 1, initialState: [5], recurrent: [[0]], input: [[1]])], readout: [[1]])
        let c = try DelayedCopy.check(m, delay: 0)
        #expect(c.exact, "\(c.failure ?? "")")
        #expect(try DelayedCopy.detect(m).delay == 0)
        // a bias is not free: y_T = x_T + 1 for T >= 1
        var biased = m
        biased.layers[0].bias = [1]
        #expect(!(try DelayedCopy.check(biased, delay: 0)).exact)
        // h_0 that reaches y_1 is not free either: h_t = h_{t-1} + x_t gives y_1 = 5 + x_1
        var remembered = m
        remembered.layers[0].recurrent = [[1]]
        #expect(!(try DelayedCopy.check(remembered, delay: 0)).exact)
    }

    @Test("negative: a perturbed weight, a bias, or a second far echo is caught")
    func perturbationsAreCaught() throws {
        let base = try DelayedCopy.model(depth: 2, hidden: 3, inputDim: 1, delay: 4)
        var m = base
        m.layers[1].recurrent![2][1] = 2   // the last shift doubles
        var c = try DelayedCopy.check(m, delay: 4)
        #expect(!c.symbolic && !c.stateSpace && c.failure != nil)
        m = base
        m.layers[0].bias = [0, 0, 1]
        c = try DelayedCopy.check(m, delay: 4)
        #expect(!c.symbolic && !c.stateSpace)
        #expect(try DelayedCopy.detect(m).delay == nil)

        // y_t = x_{t-2} + x_{t-7}: equal to the delay-2 copy for every T <= 7, different at T = 8.
        let n = 8
        var w = [[Rational]](repeating: [Rational](repeating: 0, count: n), count: n)
        for j in 1..<n { w[j][j - 1] = 1 }
        var u = [[Rational]](repeating: [0], count: n)
        u[0][0] = 1
        var readout = [Rational](repeating: 0, count: n)
        readout[2] = 1; readout[7] = 1
        let echo = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: n, recurrent: w, input: u)], readout: [readout])
        var unrolling = Unrolling<Polynomial>(echo)
        for T in 1...7 {
            unrolling.advance()
            let want = T >= 3 ? Polynomial.variable(InputVariables.index(step: T - 2, coordinate: 1, inputDim: 1)) : .zero
            #expect(unrolling.outputs[0] == want, "a check stopping at T = \(T) would pass")
        }
        c = try DelayedCopy.check(echo, delay: 2)
        #expect(c.certifiedLength == 8 + 3)
        #expect(!c.symbolic && !c.stateSpace)
        #expect(c.failure?.hasPrefix("T=8") == true)
        // its evidence: differs at T = 8, checked by evaluation alone; claiming a copy fails
        #expect(c.evidence.verdict == .differs(atLength: 8) && c.evidence.verify())
        #expect(!DelayedCopyEvidence(model: echo, delay: 2, verdict: .copies(comparedLengths: 11)).verify())
        #expect(!DelayedCopyEvidence(model: echo, delay: 2, verdict: .differs(atLength: 7)).verify())
        // a delay beyond the Hankel bound is refused without unrolling
        c = try DelayedCopy.check(echo, delay: 1_000_000)
        #expect(!c.exact && c.certifiedLength == 0)
        #expect(c.evidence.verdict == .tooFewStates && c.evidence.verify())
        #expect(!DelayedCopyEvidence(model: echo, delay: 2, verdict: .tooFewStates).verify())  // 3 d <= 8
    }

    @Test("delayed-copy evidence: every construction on a grid verifies by evaluation alone; too few lengths does not")
    func copyEvidence() throws {
        var checked = 0
        for d in 1...2 {
            for n in d...4 {
                for L in 1...3 {
                    guard let cap = DelayedCopy.capacity(depth: L, hidden: n, inputDim: d) else { continue }
                    for tau in 0...cap {
                        let m = try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: tau)
                        let c = try DelayedCopy.check(m, delay: tau)
                        #expect(c.exact && c.evidence.verdict == .copies(comparedLengths: c.certifiedLength))
                        #expect(c.evidence.verify(), "L=\(L) n=\(n) d=\(d) delay=\(tau)")
                        // fewer lengths than N + (delay + 1) d prove nothing about the others
                        #expect(!DelayedCopyEvidence(model: m, delay: tau, verdict: .copies(comparedLengths: c.certifiedLength - 1)).verify())
                        // the wrong delay
                        #expect(!DelayedCopyEvidence(model: m, delay: tau + 1, verdict: .copies(comparedLengths: c.certifiedLength + d)).verify())
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= 20)
    }

    @Test("issue 11: a huge delay is decided by the Hankel bound without overflow; estimates past 2^63 print")
    func hugeDelay() throws {
        let m = try DelayedCopy.model(widths: [4, 4], inputDim: 2, delay: 1)
        for delay in [Int.max, Int.max / 2, 1 << 40] {
            let c = try DelayedCopy.check(m, delay: delay)
            #expect(!c.exact && c.certifiedLength == 0)
            #expect(c.failure?.contains("Hankel") == true)
        }
        #expect(DelayedCopy.checkWork(m, delay: Int.max).isFinite)
        // the boundary: (delay + 1) d <= N is still checked, one more is decided unseen
        #expect(try DelayedCopy.check(m, delay: 3).certifiedLength > 0)    // (3 + 1) 2 = 8 = N
        #expect(try DelayedCopy.check(m, delay: 4).certifiedLength == 0)   // 10 > 8
        let e = MemoryError.tooLarge(estimate: 1e30, limit: 1e9, what: "term operations", remedy: .raiseWorkLimit)
        #expect(e.description.contains("2^99") && e.description.contains("1000000000") && e.limit == .maxWork)
    }

    @Test("issue 11: sizes refused before anything is built: a dense state space of 10^12 entries, and checks past --max-work")
    func refusedBeforeBuilding() throws {
        // hidden 10^6 with only an input term: N x N = 10^12 dense entries (used to abort)
        let n = 1_000_000
        let wide = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: n, input: Array(repeating: [1], count: n))],
                                readout: [Array(repeating: 1, count: n)])
        for attempt in [{ _ = try DelayedCopy.check(wide, delay: 0) }, { _ = try DelayedCopy.detect(wide) }] {
            do { try attempt(); Issue.record("expected a refusal") } catch let e as MemoryError {
                guard case .tooLarge(_, _, let what, .smallerModel, _) = e else { Issue.record("\(e)"); continue }
                #expect(what.contains("dense state-space entries (N = 1000000 states)"))
            }
        }
        // the work limit, with the flag that raises it
        let m = try DelayedCopy.model(depth: 2, hidden: 6, inputDim: 2, delay: 3)
        #expect(throws: MemoryError.self) { try DelayedCopy.check(m, delay: 3, maxWork: 10) }
        #expect(try DelayedCopy.check(m, delay: 3).exact)
        #expect(DelayedCopy.checkWork(m, delay: 3) == DelayedCopy.checkWork(widths: [6, 6], inputDim: 2, delay: 3))
    }

    @Test("not linear or wrong output count: clear errors")
    func refusals() throws {
        let bilinear = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 1, seed: 1).model()
        #expect(throws: MemoryError.self) { try DelayedCopy.check(bilinear, delay: 0) }
        let twoOutputs = FamilySpec(family: .linearRNN, depth: 1, hidden: 2, inputDim: 1, seed: 1, outputs: 2).model()
        #expect(throws: MemoryError.self) { try DelayedCopy.check(twoOutputs, delay: 0) }
        #expect(try DelayedCopy.detect(twoOutputs).delay == nil)
    }

    @Test("the lemma behind the capacity: det(D H) / D^(d-1) is a polynomial of degree <= L (n - d), on random stacks")
    func determinantLemma() throws {
        // Truncated power series in q as coefficient arrays of a fixed length.
        func mul(_ a: [Rational], _ b: [Rational], _ len: Int) -> [Rational] {
            var c = [Rational](repeating: 0, count: len)
            for (i, x) in a.enumerated() where !x.isZero && i < len {
                for (j, y) in b.enumerated() where i + j < len { c[i + j] += x * y }
            }
            return c
        }
        func sub(_ a: [Rational], _ b: [Rational]) -> [Rational] { zip(a, b).map { $0 - $1 } }
        /// 1 / a for a(0) = 1.
        func inverse(_ a: [Rational], _ len: Int) -> [Rational] {
            var r = [Rational](repeating: 0, count: len)
            r[0] = 1
            for k in 1..<len {
                var s = Rational.zero
                for j in 1...k where j < a.count { s += a[j] * r[k - j] }
                r[k] = -s
            }
            return r
        }
        func det(_ m: [[[Rational]]], _ len: Int) -> [Rational] {
            if m.count == 1 { return m[0][0] }
            var total = [Rational](repeating: 0, count: len)
            for j in m.indices {
                let minor = m.dropFirst().map { row in row.enumerated().filter { $0.offset != j }.map(\.element) }
                let term = mul(m[0][j], det(minor, len), len)
                total = j % 2 == 0 ? zip(total, term).map { $0 + $1 } : sub(total, term)
            }
            return total
        }
        var checked = 0, reached = 0
        for d in 1...3 {
            for L in 1...3 {
                for n in d...(d + 2) {
                    let m = affineLinearStack(depth: L, hidden: n, inputDim: d, seed: UInt64(100 * d + 10 * L + n))
                    let ss = try #require(LinearStateSpace(m))
                    // D(q) = prod_l det(I - q W_l): reversed characteristic polynomials
                    let len = d * L * n + L * n + 4
                    var den: [Rational] = [1]
                    for layer in m.layers {
                        den = mul(den, Array(RationalMatrix(layer.recurrent!).characteristicPolynomial().reversed()), len)
                    }
                    #expect(den[0] == 1)
                    let markov = ss.markovParameters(count: len)
                    // P = D H entrywise: polynomials of degree <= L (n - 1)
                    let p: [[[Rational]]] = (0..<d).map { i in (0..<d).map { j in mul(den, markov.map { $0[i, j] }, len) } }
                    for row in p { for e in row { #expect((e.lastIndex { !$0.isZero } ?? -1) <= L * (n - 1)) } }
                    // det P / D^(d-1) as a series: zero beyond L (n - d)
                    var q = det(p, len)
                    let inv = inverse(den, len)
                    for _ in 0..<(d - 1) { q = mul(q, inv, len) }
                    let top = q.lastIndex { !$0.isZero } ?? -1
                    #expect(top <= L * (n - d), "d=\(d) L=\(L) n=\(n): degree \(top) > \(L * (n - d))")
                    if top == L * (n - d) { reached += 1 }
                    checked += 1
                }
            }
        }
        #expect(checked == 27)
        #expect(reached >= 20)   // generic stacks reach the degree: the bound is not loose
    }

    /// [M_{i+j}], i, j < blocks, from a stack's Markov parameters.
    func blockHankel(_ ss: LinearStateSpace, blocks: Int) -> RationalMatrix {
        let markov = ss.markovParameters(count: 2 * blocks), p = ss.outputCount, d = ss.inputDim
        return RationalMatrix(rows: blocks * p, columns: blocks * d) { i, j in markov[i / p + j / d][i % p, j % d] }
    }

    @Test("the Hankel bound behind the shallow limit: rank <= N for any stack, and exactly (tau + 1) d for a copy")
    func hankelBound() throws {
        for (L, n, d) in [(1, 3, 1), (1, 4, 2), (2, 2, 2), (3, 2, 1)] {
            let ss = try #require(LinearStateSpace(affineLinearStack(depth: L, hidden: n, inputDim: d, seed: 5)))
            let hankel = blockHankel(ss, blocks: ss.stateDimension + 2)
            let r = hankel.certifiedRank()
            #expect(r.rank <= ss.stateDimension)
            #expect(r.verify(hankel.clearingDenominators().matrix))
        }
        // the copies the construction makes reach the bound: their Hankel rank is the (tau + 1) d
        // states a delay-tau copy needs, computed from the model, not from the target
        for (L, n, d) in [(1, 5, 1), (2, 3, 1), (2, 4, 2), (3, 2, 1)] {
            for tau in 0...DelayedCopy.capacity(depth: L, hidden: n, inputDim: d)! {
                let ss = try #require(LinearStateSpace(try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: tau)))
                #expect(blockHankel(ss, blocks: ss.stateDimension + 2).rank() == (tau + 1) * d, "L=\(L) n=\(n) d=\(d) tau=\(tau)")
            }
        }
    }

    @Test("depth never loses at n = k d, k >= 2: the deep capacity is at least the shallow capacity at equal weights")
    func depthNeverLoses() {
        var ties = 0
        for d in 1...3 {
            for L in 1...8 {
                for k in 2...11 {
                    let n = k * d
                    let shallow = DelayedCopy.shallowWidth(parameterBudget: DelayedCopy.parameterCount(depth: L, hidden: n, inputDim: d), inputDim: d)
                    let deep = DelayedCopy.capacity(depth: L, hidden: n, inputDim: d)!
                    let wide = DelayedCopy.capacity(depth: 1, hidden: shallow, inputDim: d)!
                    #expect(deep >= wide, "d=\(d) L=\(L) k=\(k)")
                    // Docs/memory.md: beyond one layer, depth only ties at n = 2 d with L <= 3
                    if L > 1 { #expect((deep == wide) == (k == 2 && L <= 3), "d=\(d) L=\(L) k=\(k)") }
                    if deep == wide && L > 1 { ties += 1 }
                }
            }
        }
        #expect(ties == 6)   // e.g. L = 2, n = 2, d = 1: 16 weights, delay 2 both ways
    }

    @Test("parameter counts and the widest shallow layer within a budget")
    func budgets() throws {
        for d in 1...3 {
            for p in 0...200 {
                let w = DelayedCopy.shallowWidth(parameterBudget: p, inputDim: d)
                #expect(w * w + 2 * w * d <= p)
                #expect((w + 1) * (w + 1) + 2 * (w + 1) * d > p)
            }
        }
        let shallow = try DelayedCopy.model(depth: 1, hidden: 5, inputDim: 1, delay: 4)
        #expect(shallow.parameterCount == 5 * 5 + 2 * 5)
    }
}
