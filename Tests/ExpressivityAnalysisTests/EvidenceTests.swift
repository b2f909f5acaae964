import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
import ExpressivityAnalysis

@Suite("Separation rank evidence")
struct EvidenceTests {
    /// y_T of `m`, expanded.
    func output(_ m: NetworkModel, _ T: Int) throws -> Polynomial { try m.expandedOutput(length: T).polynomial }

    @Test("every method's result carries evidence that verifies, on every family at depths 1 and 2, and says which half it proves itself")
    func everyMethodVerifies() throws {
        var checked = 0
        for family in ModelFamily.allCases {
            for L in 1...2 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(40 + L)).model()
                let T = 4
                let partitions: [Partition] = [.startEnd, .cut(1), .cut(T - 1), .set([T]), .interleaved, .cut(0), .cut(T)]
                for p in partitions {
                    // (split at an empty side expands the whole tail with symbolic states: slow, and auto never does it)
                    let oneSided = p == .cut(0) || p == .cut(T)
                    let methods: [SeparationRankMethod] = oneSided ? [.auto, .unfolding, .evaluation]
                        : [.auto, .unfolding, .split, .lifted, .automaton, .evaluation]
                    for method in methods {
                        guard let r = try? SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: method)) else { continue }
                        #expect(try r.evidence.verify(), "\(family) L=\(L) \(p) \(method)")
                        checked += 1
                        switch r.method {
                        case .unfolding: #expect(r.evidence.upperBound.isSelfContained)
                        case .lifted, .split, .automaton: #expect(!r.evidence.upperBound.isSelfContained)
                        case .evaluation: #expect(r.evidence.upperBound == .oneSideEmpty || r.evidence.upperBound == .zeroPolynomial)
                        case .auto: Issue.record("auto is resolved before a result is made")
                        }
                    }
                }
                // the profile's results verify too (all cuts from one pass)
                for r in try SeparationRank.profile(model: m, length: T) { #expect(try r.evidence.verify()) }
            }
        }
        #expect(checked >= 150)
    }

    @Test("evidence for another rank, another polynomial or a tampered unfolding is refused")
    func tamperedEvidenceFails() throws {
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 3, inputDim: 2, seed: 7).model()
        let T = 4
        let y = try output(m, T)
        let other = try output(FamilySpec(family: .twoRNN, depth: 1, hidden: 3, inputDim: 2, seed: 8).model(), T)
        for method in [SeparationRankMethod.unfolding, .lifted, .split, .automaton] {
            let r = try SeparationRank.compute(model: m, length: T, partition: .cut(2), options: .init(method: method))
            #expect(r.rank == 3)
            let e = r.evidence
            #expect(e.verify(against: y), "\(method)")
            // (the automaton keeps no minor: its evidence is about the rank of whatever y_T it is given)
            if method != .automaton { #expect(!e.verify(against: other), "\(method): another network's y_T") }
            #expect(!e.verify(against: y.scaled(by: 0)), "\(method): the zero polynomial")
            // one more or one less than the truth
            for wrong in [r.rank - 1, r.rank + 1] {
                let lie = SeparationRankEvidence(model: m, length: T, startSet: e.startSet, output: 0, rank: wrong,
                                                 lowerBound: e.lowerBound, upperBound: e.upperBound)
                #expect(!lie.verify(against: y), "\(method) claims \(wrong)")
            }
        }
        // an unfolding with its last row dropped: the certificate would still hold on the
        // smaller matrix, but the matrix is no longer y's unfolding
        let r = try SeparationRank.compute(model: m, length: T, partition: .cut(2), options: .init(method: .unfolding))
        guard case .unfolding(let u) = r.evidence.lowerBound else { Issue.record("no unfolding kept"); return }
        let keep = Array(0..<(u.matrix.rows - 1))
        let smaller = u.matrix.submatrix(rows: keep, columns: Array(0..<u.matrix.columns))
        let cut = UnfoldingCertificate(rowMonomials: keep.map { u.rowMonomials[$0] }, columnMonomials: u.columnMonomials,
                                       matrix: smaller, rowScales: keep.map { u.rowScales[$0] }, certificate: smaller.certifiedRank())
        let dropped = SeparationRankEvidence(model: m, length: T, startSet: r.startSet, output: 0, rank: cut.rank,
                                             lowerBound: .unfolding(cut), upperBound: .kernel)
        #expect(!dropped.verify(against: y))
        // a kernel without the unfolding it belongs to proves nothing
        let orphan = SeparationRankEvidence(model: m, length: T, startSet: r.startSet, output: 0, rank: r.rank,
                                            lowerBound: .notRecorded, upperBound: .kernel)
        #expect(!orphan.verify(against: y))
    }

    @Test("one side empty: a nonzero value proves rank 1 without expanding; a point where y_T vanishes does not")
    func oneSided() throws {
        // h_t = x_t h_{t-1}, h_0 = 1, d = 1: y_2 = x1 x2, zero whenever an input is zero
        let m = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: 1, initialState: [1], bilinear: [[[1]]])], readout: [[1]])
        let r = try SeparationRank.compute(model: m, length: 2, partition: .cut(0))
        #expect(r.rank == 1 && r.method == .evaluation)
        guard case .nonzeroValue(let point) = r.evidence.lowerBound else { Issue.record("\(r.evidence.lowerBound)"); return }
        #expect(!point.joined().contains(.zero))
        #expect(try r.evidence.verify())
        let vanishing = SeparationRankEvidence(model: m, length: 2, startSet: [], output: 0, rank: 1,
                                               lowerBound: .nonzeroValue(at: [[0], [5]]), upperBound: .oneSideEmpty)
        #expect(try !vanishing.verify())
        // not one-sided: an empty side is the only thing that makes a nonzero value enough
        let split = SeparationRankEvidence(model: m, length: 2, startSet: [1], output: 0, rank: 1,
                                           lowerBound: .nonzeroValue(at: [[2], [3]]), upperBound: .oneSideEmpty)
        #expect(try !split.verify())
        // y = 0 (zero readout): rank 0 with the zero polynomial as evidence
        let zero = NetworkModel(inputDim: 1, layers: m.layers, readout: [[0]])
        let z = try SeparationRank.compute(model: zero, length: 2, partition: .cut(2))
        #expect(z.rank == 0 && z.evidence.lowerBound == .trivial && z.evidence.upperBound == .zeroPolynomial)
        #expect(try z.evidence.verify())
        #expect(!z.evidence.verify(against: try output(m, 2)))
    }

    @Test("review findings: rank 0 for a nonzero y on an empty side, a repeated or out-of-range step, a negative length, a bad output, a 64-bit prime are all refused without a trap")
    func malformedEvidence() throws {
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 3, inputDim: 2, seed: 7).model()
        let y = try output(m, 2)
        #expect(!y.isZero)
        // one side empty proves rank <= 1, not rank 0
        for lower in [SeparationRankEvidence.LowerBound.trivial,
                      .minor(UnfoldingMinor(rank: 0, cut: 0, inputDim: 2, rowMonomials: [], columnMonomials: [], prime: 7, residues: []))] {
            let zero = SeparationRankEvidence(model: m, length: 2, startSet: [], output: 0, rank: 0, lowerBound: lower, upperBound: .oneSideEmpty)
            #expect(!zero.verify(against: y))
            #expect(try !zero.verify())
        }
        // S = [1, 1] at T = 2 is not "every step": E = {2}, where the rank is 3
        let point: [[Rational]] = [[1, 2], [3, 1]]
        #expect(!m.evaluate(inputs: point)[0].isZero)
        let repeated = SeparationRankEvidence(model: m, length: 2, startSet: [1, 1], output: 0, rank: 1,
                                              lowerBound: .nonzeroValue(at: point), upperBound: .oneSideEmpty)
        #expect(!repeated.verify(against: y))
        #expect(try !repeated.verify())
        // a step outside 1...T on the evaluation path
        let outside = SeparationRankEvidence(model: m, length: 2, startSet: [1, 5], output: 0, rank: 1,
                                             lowerBound: .nonzeroValue(at: point), upperBound: .oneSideEmpty)
        #expect(try !outside.verify())
        // a negative length and an output past the readout: false, not a trap or a throw
        #expect(try !SeparationRankEvidence(model: m, length: -1, startSet: [], output: 0, rank: 0,
                                            lowerBound: .trivial, upperBound: .zeroPolynomial).verify())
        #expect(try !SeparationRankEvidence(model: m, length: 2, startSet: [1], output: 5, rank: 0,
                                            lowerBound: .trivial, upperBound: .zeroPolynomial).verify())
        // a prime near 2^64: the plain elimination must not overflow a + p
        let p: UInt = 18_446_744_073_709_551_557
        #expect(ModularArithmetic.isPrime(p))
        let rows = [Monomial([(0, 1)]), Monomial([(1, 1)])], cols = [Monomial([(2, 1)]), Monomial([(3, 1)])]
        var residues: [UInt] = []
        for a in rows { for b in cols { residues.append(y.coefficient(of: a * b).mod(p) ?? 0) } }
        let big = UnfoldingMinor(rank: 2, cut: 1, inputDim: 2, rowMonomials: rows, columnMonomials: cols, prime: p, residues: residues)
        let exact = RationalMatrix(rows: 2, columns: 2) { i, j in y.coefficient(of: rows[i] * cols[j]) }
        #expect(big.verify(against: y) == !exact.determinant().isZero)
    }

    @Test("a minor is built from exact entries modulo a prime that divides no denominator and not the determinant")
    func minorPrime() throws {
        let p: UInt = (1 << 31) - 1  // prime: the first candidate
        let x0 = Monomial([(0, 1)]), x1 = Monomial([(1, 1)])
        // det = p: singular modulo the first prime, so the next one is taken
        let c = try #require(UnfoldingMinor.minor(cut: 1, inputDim: 1, rowMonomials: [.one], columnMonomials: [x1],
                                                         entries: [Rational(BigInt(Int(p)))]))
        #expect(c.prime < p && c.residues == [p % c.prime])
        // a denominator divisible by the first prime
        let d = try #require(UnfoldingMinor.minor(cut: 1, inputDim: 1, rowMonomials: [.one], columnMonomials: [x1],
                                                         entries: [Rational(BigInt(1), BigInt(Int(p)))]))
        #expect(d.prime < p)
        // a singular minor has no certificate
        #expect(UnfoldingMinor.minor(cut: 1, inputDim: 1, rowMonomials: [.one, x0], columnMonomials: [x1, .one],
                                            entries: [1, 2, 2, 4]) == nil)
    }

    @Test("bound identities: values and formulas derived from the statement")
    func boundIdentities() {
        let levine = RankBound(.levineDepth2RAC(inputDim: 2, minHidden: 3, half: 4))
        #expect(levine.kind == .lower && levine.genericOnly && levine.value == 5)  // ((2, 4)) = C(5, 4)
        #expect(levine.formula.hasSuffix("= 5 with M = 2, R = 3, T/2 = 4"))
        let states = RankBound(.singleLayerStates(stateSize: 3, augmented: true, switches: 3))
        #expect(states.value == 27 && states.kind == .upper && !states.genericOnly && states.isTheorem)
        let monomials = RankBound(.singleLayerMonomials(inputDim: 2, withConstant: true, startSize: 2, endSize: 5))
        #expect(monomials.value == 9 && !monomials.isTheorem)  // min(3^2, 3^5)
        #expect(RankBound(.oneSideEmpty).value == 1)
        #expect(RankBound(.liftedState(liftDimension: 12)).formula == "|Mon_k| = 12")
    }
}
