import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
@testable import ExpressivityAnalysis

@Suite("Equations of the reachable states of bilinear stacks, and the cuts they decide")
struct ReachableEquationTests {
    /// One step of a bilinear stack at a rational input, from the layers' bilinear tensors
    /// (code apart from `Unrolling`): h^l <- A_l(h^l x u), u the layer below's new state.
    static func step(_ m: NetworkModel, _ h: [[Rational]], _ x: [Rational]) -> [[Rational]] {
        var out = h, u = x
        for (l, layer) in m.layers.enumerated() {
            out[l] = (0..<layer.hidden).map { i in
                var s = Rational.zero
                for a in 0..<layer.hidden { for e in 0..<u.count {
                    s = s + layer.terms.reduce(Rational.zero) { $0 + $1.bilinearCoefficient(i, a, e) } * h[l][a] * u[e]
                } }
                return s
            }
            u = out[l]
        }
        return out
    }

    /// f at a state, from its coefficients and the monomial order.
    static func value(_ f: ReachableEquation, _ m: NetworkModel, at z: [[Rational]]) -> Rational {
        let exponents = BilinearStack.stateExponents(hidden: m.layers.map(\.hidden), degrees: f.degrees)
        var s = Rational.zero
        for (c, mu) in zip(f.coefficients, exponents) {
            var t = c
            for (l, e) in mu.enumerated() { for (i, p) in e.enumerated() { t = t * z[l][i].power(p) } }
            s = s + t
        }
        return s
    }

    @Test("depth 3, two units, d = 2: cut 2's reachable states satisfy one equation of degrees (1, 2, 1) (2rnn, rac, cp, several seeds); it vanishes at states reached from random rational inputs (an evaluation apart from the search) and not at random states; none is searched where the dimension count leaves no room (k = 3)")
    func cutTwoEquation() throws {
        var rng = SeededGenerator(seed: 7)
        for family in ["2rnn", "rac", "cp"] {
            for seed: UInt64 in [1, 2, 3] {
                let m = HomogeneousBoundTests.stack(family, depth: 3, seed: seed, range: 1000)
                let found = ReachableEquation.find(m, cut: 2)
                try #require(found.count == 1, "\(family) seed \(seed): \(found.map(\.degrees))")
                let f = found[0]
                #expect(f.degrees == [1, 2, 1] && f.verify(m))
                for _ in 0..<3 {
                    var z = m.layers.map(\.h0)
                    for _ in 0..<2 { z = Self.step(m, z, (0..<2).map { _ in Rational(BigInt(Int.random(in: -50...50, using: &rng)), BigInt(Int.random(in: 1...9, using: &rng))) }) }
                    #expect(Self.value(f, m, at: z).isZero)
                    let random = m.layers.map { l in (0..<l.hidden).map { _ in Rational(Int.random(in: -50...50, using: &rng)) } }
                    #expect(!Self.value(f, m, at: random).isZero)
                }
                #expect(!ReachableEquation.mayExist(m, cut: 3) && ReachableEquation.find(m, cut: 3).isEmpty)
            }
        }
    }

    @Test("a tampered equation is rejected: one coefficient changed, the degrees or the cut changed, all zero; the bound of a verified one is |Mon(delta)| - |Mon(delta - p)|, and none where delta < p")
    func tamperedEquation() throws {
        let m = HomogeneousBoundTests.stack("2rnn", depth: 3, seed: 1, range: 1000)
        let f = try #require(ReachableEquation.find(m, cut: 2).first)
        var c = f.coefficients
        let i = try #require(c.firstIndex { !$0.isZero })
        c[i] = c[i] + Rational(1)
        #expect(!ReachableEquation(cut: 2, degrees: f.degrees, coefficients: c).verify(m))
        #expect(!ReachableEquation(cut: 1, degrees: f.degrees, coefficients: f.coefficients).verify(m))
        #expect(!ReachableEquation(cut: 2, degrees: [1, 1, 2], coefficients: f.coefficients).verify(m))
        #expect(!ReachableEquation(cut: 2, degrees: f.degrees, coefficients: f.coefficients.map { _ in .zero }).verify(m))
        let proof = HomogeneousBoundProof(side: .reachable, equation: f)
        // T = 7, k = 2: delta = (15, 5, 1); 16 * 6 * 2 - 15 * 4 * 1 = 132
        #expect(proof.bound(model: m, length: 7, cut: 2) == BigInt(132))
        #expect(proof.bound(model: m, length: 7, cut: 3) == nil)
        // T = 3, k = 2: delta = (1, 1, 1), delta_2 < p_2: no multiple
        #expect(proof.bound(model: m, length: 3, cut: 2) == nil)
        #expect(HomogeneousBoundProof(side: .reachable, equation: ReachableEquation(cut: 2, degrees: f.degrees, coefficients: c))
            .bound(model: m, length: 7, cut: 2) == nil)
    }

    @Test("cut 2 of depth-3 stacks decided by the equation agrees with the unfolding of the expanded y_T (T = 4, 5; 2rnn, rac, cp) and the closed form 110 - 30 at T = 6; its evidence verifies, and fails with the equation tampered")
    func agreesWithUnfolding() throws {
        for family in ["2rnn", "rac", "cp"] {
            let m = HomogeneousBoundTests.stack(family, depth: 3, seed: 2, range: 1000)
            for T in [4, 5] {
                let cut = try #require(LiftedRank.homogeneousCuts(model: m, length: T, cuts: [2], output: 0, maxLift: 20_000)[2])
                // (at T = 4 the future count, 8, decides first)
                #expect(cut.upperBound == .multiHomogeneous(T == 5 ? .reachable : .future), "\(family) T=\(T)")
                let y = try m.expandedOutput(0, length: T, maxTerms: 10_000_000).polynomial
                let u = try Unfolding(y, startSteps: [1, 2], inputDim: 2)
                #expect(cut.rank == u.matrix.rank(), "\(family) T=\(T)")
                #expect(try cut.evidence.verify())
            }
        }
        // 110 state monomials of degrees (10, 4, 1), less the 30 multiples of f (degrees (9, 2, 0))
        let m = HomogeneousBoundTests.stack("2rnn", depth: 3, seed: 2, range: 1000)
        let cut = try #require(LiftedRank.homogeneousCuts(model: m, length: 6, cuts: [2], output: 0, maxLift: 20_000)[2])
        #expect(cut.rank == 110 - 30)
        // the evidence with one coefficient of f changed
        guard case .homogeneous(let proof) = cut.evidence.proof, let f = proof.equation else { Issue.record("no equation"); return }
        var c = f.coefficients
        c[0] = c[0] + Rational(1)
        let e = cut.evidence
        let bad = LiftedEvidence(model: e.model, output: e.output, length: e.length, cut: e.cut, firstStep: e.firstStep, monomials: [],
                                 minor: e.minor, proof: .homogeneous(HomogeneousBoundProof(side: .reachable,
                                                                           equation: ReachableEquation(cut: 2, degrees: f.degrees, coefficients: c))), kind: e.kind)
        #expect(!(try bad.verify()))
        // the state count without the equation (110 > 80) does not hold the minor's rank either
        let plain = LiftedEvidence(model: e.model, output: e.output, length: e.length, cut: e.cut, firstStep: e.firstStep, monomials: [],
                                   minor: e.minor, proof: .homogeneous(HomogeneousBoundProof(side: .state)), kind: .multiHomogeneous(.state))
        #expect(!(try plain.verify()))
    }

    @Test("a depth-3 profile is decided without the lifted system (refused at 1000 entries): T = 8 ranks 37, 203, 188, 106, 52, 8, 2; cut 2 by the equation")
    func profileWithoutTheLiftedSystem() throws {
        let m = HomogeneousBoundTests.stack("2rnn", depth: 3, seed: 1, range: 1000)
        let cuts = try LiftedRank.cuts(model: m, length: 8, cuts: Array(1..<8), maxEntries: 1000)
        #expect(cuts.map(\.rank) == [37, 203, 188, 106, 52, 8, 2])
        #expect(cuts[1].upperBound == .multiHomogeneous(.reachable))
    }
}
