import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
@testable import ExpressivityAnalysis

/// The lifted method (reachable and observable spaces of the lifted linear system) against
/// the unfolding of the expanded y_T and the split method, on every family.
@Suite("Lifted separation rank")
struct LiftedRankTests {
    /// Models of every family, with sigma inside, rho on every layer, zero h_0 and two outputs
    /// among them.
    static func models() -> [(String, NetworkModel)] {
        var out: [(String, NetworkModel)] = []
        for family in ModelFamily.allCases {
            for L in 1...3 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(10 + L), outputs: 2).model()
                out.append(("\(family.rawValue) L=\(L)", m))
            }
        }
        var sigma = FamilySpec(family: .linearRNN, depth: 2, hidden: 2, inputDim: 1, seed: 4, activation: [0, 1, 1]).model()
        sigma.layers[1].outputActivation = [1, 0, 1]
        out.append(("linear-rnn with sigma and rho", sigma))
        var zero = FamilySpec(family: .twoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 5).model()
        zero.layers[1].initialState = nil   // h_0 = 0 in layer 2, bilinear only: y_T = 0
        out.append(("2rnn with a zero-seeded layer", zero))
        return out
    }

    @Test("lifted equals the unfolding and split at every cut and its mirror, every family, depths 1-3, sigma and rho, two outputs")
    func agreesWithUnfolding() throws {
        var compared = 0
        for (name, m) in Self.models() {
            for output in 0..<m.outputCount {
                // cuts 1..<T (the one-sided cuts are the evaluation method's); exact rational
                // spans in a debug build: depth 3 up to T = 4
                for T in 2...(m.depth == 3 ? 3 : 5) where m.estimatedMaxTerms(length: T) <= 2_000 {
                    // sigma inside the recurrence makes the lift grow faster than y_T: small lifts only
                    let lifted: [LiftedCut]
                    do { lifted = try LiftedRank.systemCuts(model: m, length: T, cuts: Array(1..<T), output: output, maxLift: 2_000, maxTerms: 20_000) }
                    catch is LiftedError { continue }
                    var u = Unrolling<Polynomial>(m)
                    for _ in 0..<T { u.advance() }
                    let y = try u.output(output)
                    for c in lifted {
                        let s = Array(stride(from: 1, through: c.cut, by: 1))
                        let e = Array(stride(from: c.cut + 1, through: T, by: 1))
                        let unfold = try Unfolding(y, startSteps: s, inputDim: m.inputDim)
                        let reference = unfold.matrix.rows == 0 || unfold.matrix.columns == 0 ? 0 : unfold.matrix.rank()
                        #expect(c.rank == reference, "\(name) output \(output) T=\(T) k=\(c.cut)")
                        #expect(c.certificate.verify(against: y), "\(name) T=\(T) k=\(c.cut): certificate")
                        #expect(c.rank <= min(c.reachableDimension ?? c.liftDimension, c.observableDimension ?? c.liftDimension))
                        #expect(c.rank <= min(c.gramShape.rows, c.gramShape.columns))
                        // the mirror (S = the suffix) goes through the same cut
                        if !e.isEmpty && !s.isEmpty && T <= 4 {
                            let mirror = try SeparationRank.compute(model: m, length: T, partition: .set(e),
                                                                    options: .init(method: .lifted, output: output, maxLift: 2_000))
                            #expect(mirror.rank == reference)
                        }
                        compared += 1
                    }
                    if T <= 3 && m.depth <= 2 && m.layers.allSatisfy({ $0.activation == nil && $0.outputActivation == nil }) {
                        for k in 1..<T {
                            let split = try SeparationRank.compute(model: m, length: T, partition: .cut(k),
                                                                   options: .init(method: .split, output: output))
                            #expect(split.rank == lifted[k - 1].rank, "\(name) split T=\(T) k=\(k)")
                        }
                    }
                }
            }
        }
        #expect(compared >= 200)
    }

    @Test("known values: a shallow layer matches the automaton; a scalar chain has rank 1; y = 0 has rank 0")
    func knownValues() throws {
        for seed in 1...3 as ClosedRange<UInt64> {
            let m = FamilySpec(family: .affineTwoRNN, depth: 1, hidden: 3, inputDim: 2, seed: seed).model()
            let auto = LinearRepresentation(m, output: 0)!.cutRanks(length: 7)
            #expect(try LiftedRank.systemCuts(model: m, length: 7).map(\.rank) == auto)
        }
        let chain = NetworkModel(inputDim: 1, layers: (0..<3).map { _ in RecurrentLayer(hidden: 1, initialState: [1], bilinear: [[[2]]]) },
                                 readout: [[1]])
        #expect(try LiftedRank.systemCuts(model: chain, length: 9).map(\.rank) == Array(repeating: 1, count: 10))
        var zero = chain
        zero.readout = [[0]]
        #expect(try LiftedRank.systemCuts(model: zero, length: 5).allSatisfy { $0.rank == 0 })
    }

    @Test("a tampered certificate is rejected")
    func tamperedCertificate() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let T = 6
        var u = Unrolling<Polynomial>(m)
        for _ in 0..<T { u.advance() }
        let y = try u.output(0)
        let c = try LiftedRank.systemCuts(model: m, length: T, cuts: [3])[0]
        #expect(c.rank >= 3 && c.certificate.verify(against: y))
        let cert = c.certificate
        var residues = cert.residues
        residues[0] = (residues[0] + 1) % cert.prime
        #expect(!UnfoldingMinor(rank: cert.rank, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: cert.rowMonomials, columnMonomials: cert.columnMonomials,
                                       prime: cert.prime, residues: residues).verify(against: y))
        // one cut is computed above the cut with sampled rows: the rows are points
        #expect(!cert.rowPoints.isEmpty && cert.rowMonomials.isEmpty)
        var points = cert.rowPoints
        points[0] = points[1]   // a repeated row: singular, and not what was measured
        #expect(!UnfoldingMinor(rank: cert.rank, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: [], columnMonomials: cert.columnMonomials,
                                       prime: cert.prime, residues: cert.residues, rowPoints: points).verify(against: y))
        points = cert.rowPoints
        points[0][0] += 1       // another point: other values
        #expect(!UnfoldingMinor(rank: cert.rank, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: [], columnMonomials: cert.columnMonomials,
                                       prime: cert.prime, residues: cert.residues, rowPoints: points).verify(against: y))
        // the whole-system path (all cuts) gives monomial rows; tamper with those too
        let whole = try #require(try LiftedRank.systemCuts(model: m, length: T).first { $0.cut == 3 })
        #expect(whole.rank == c.rank && whole.certificate.rowPoints.isEmpty && whole.certificate.verify(against: y))
        var rows = whole.certificate.rowMonomials
        rows[0] = rows[1]
        #expect(!UnfoldingMinor(rank: whole.rank, cut: 3, inputDim: 2, rowMonomials: rows, columnMonomials: whole.certificate.columnMonomials,
                                       prime: whole.certificate.prime, residues: whole.certificate.residues).verify(against: y))
        #expect(!UnfoldingMinor(rank: cert.rank + 1, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: cert.rowMonomials, columnMonomials: cert.columnMonomials,
                                       prime: cert.prime, residues: cert.residues).verify(against: y))
        #expect(!UnfoldingMinor(rank: cert.rank, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: cert.rowMonomials, columnMonomials: cert.columnMonomials,
                                       prime: cert.prime + 1, residues: cert.residues).verify(against: y))
    }

    @Test("negative: a certificate whose minor crosses the cut is refused (y = x1 x2, rows and columns {1, x1 x2} give a nonsingular minor)")
    func certificateRespectsTheCut() {
        let y = Polynomial.variable(0) * Polynomial.variable(1)   // d = 1, T = 2: x_1 x_2
        let both = [Monomial.one, Monomial([(0, 1), (1, 1)])]
        let p = ModularArithmetic.primes(below: 1 << 61, count: 1)[0]
        let crossing = UnfoldingMinor(rank: 2, cut: 1, inputDim: 1, rowMonomials: both, columnMonomials: both,
                                             prime: p, residues: [0, 1, 1, 0])
        #expect(!crossing.verify(against: y))
        let honest = UnfoldingMinor(rank: 1, cut: 1, inputDim: 1, rowMonomials: [Monomial([(0, 1)])], columnMonomials: [Monomial([(1, 1)])],
                                           prime: p, residues: [1])
        #expect(honest.verify(against: y))
        // points of the wrong width (two steps' inputs for a cut at 1)
        let wide = UnfoldingMinor(rank: 1, cut: 1, inputDim: 1, rowMonomials: [], columnMonomials: [Monomial([(1, 1)])],
                                         prime: p, residues: [3], rowPoints: [[3, 5]])
        #expect(!wide.verify(against: y))
        #expect(UnfoldingMinor(rank: 1, cut: 1, inputDim: 1, rowMonomials: [], columnMonomials: [Monomial([(1, 1)])],
                                      prime: p, residues: [3], rowPoints: [[3]]).verify(against: y))
    }

    @Test("one cut from the system above it (reachable side sampled at points) equals the whole system, with a certificate that checks against y_T")
    func sampledCutEqualsWholeSystem() throws {
        var compared = 0, sampled = 0, closures = 0, invariant = 0
        for family in ModelFamily.allCases {
            for L in 1...3 where L < 3 || family == .rac || family == .twoRNN {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(30 + L), range: 1000).model()
                let T = L == 3 ? 3 : 4
                var u = Unrolling<Polynomial>(m)
                for _ in 0..<T { u.advance() }
                let y = try u.output(0)
                let whole = try LiftedRank.systemCuts(model: m, length: T)
                for k in 1..<T {
                    let one = try LiftedRank.systemCuts(model: m, length: T, cuts: [k])[0]
                    #expect(one.rank == whole[k].rank, "\(family) L=\(L) T=\(T) k=\(k)")
                    #expect(one.certificate.verify(against: y), "\(family) L=\(L) T=\(T) k=\(k)")
                    // a time-invariant system (Mon_k repeated above the cut) runs its forward pass instead
                    let above = try LiftedSystem(try LiftedStateSpace(m, output: 0), length: T, lowest: k, maxLift: 20_000, maxTerms: 5_000_000)
                    if k + 1 < T && above.mons[k] == above.mons[k + 1] {
                        invariant += 1
                        #expect(one.certificate.rowPoints.isEmpty, "\(family) L=\(L) T=\(T) k=\(k)")
                    } else if !one.certificate.rowPoints.isEmpty { sampled += 1 }
                    if case .closure = one.upperBound { closures += 1 }
                    compared += 1
                }
            }
        }
        #expect(compared > 40)
        #expect(invariant > 0)
        #expect(sampled > (compared - invariant) / 2)   // the sampled path decides most other single cuts
        #expect(closures > 0)
    }

    @Test("the modular shortcut (exact work only on proper spans) equals the fully exact spans")
    func modularEqualsExact() throws {
        var compared = 0
        for family in [ModelFamily.rac, .twoRNN, .affineTwoRNN, .cpTwoRNN, .linearRNNLayerwise, .diagonalTwoRNN] {
            for L in 1...2 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: 21, range: 50).model()
                for T in [3, 4] {
                    let fast = try LiftedRank.systemCuts(model: m, length: T)
                    let exact = try LiftedRank.exactCuts(model: m, length: T)
                    #expect(fast.map(\.rank) == exact.map(\.rank), "\(family) L=\(L) T=\(T)")
                    // dimensions the shortcut computed are the exact ones
                    for (f, e) in zip(fast, exact) {
                        if let r = f.reachableDimension { #expect(r == e.reachableDimension) }
                        if let o = f.observableDimension { #expect(o == e.observableDimension) }
                    }
                    compared += fast.count
                }
            }
        }
        #expect(compared > 60)
    }

    @Test("weights that vanish modulo the prime (or put it in a denominator) change nothing: every decision branch stays exact")
    func unluckyPrime() throws {
        let p = Rational(BigInt(2_305_843_009_213_693_951))   // 2^61 - 1, the lifted method's prime
        var vanishing = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 7).model()
        vanishing.layers[0].hadamard!.state[0][0] = p           // residue 0: modular ranks drop
        vanishing.layers[1].hadamard!.input[1][0] = p * 2
        vanishing.layers[1].hadamard!.state[1][1] = p + 1       // residue 1
        var denominator = FamilySpec(family: .twoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 8).model()
        denominator.layers[1].bilinear![0][1][0] = Rational(3) / p   // no reduction mod p: exact path
        denominator.layers[0].bilinear![1][0][1] = Rational(5, 7)
        var compared = 0
        for (name, m) in [("vanishing", vanishing), ("denominator", denominator)] {
            for T in [3, 4] {
                let fast = try LiftedRank.systemCuts(model: m, length: T, cuts: Array(1..<T))
                let exact = try LiftedRank.exactCuts(model: m, length: T, cuts: Array(1..<T))
                var u = Unrolling<Polynomial>(m)
                for _ in 0..<T { u.advance() }
                let y = try u.output(0)
                for (f, e) in zip(fast, exact) {
                    let unfold = try Unfolding(y, startSteps: Array(1...f.cut), inputDim: m.inputDim)
                    #expect(f.rank == unfold.matrix.rank() && e.rank == f.rank, "\(name) T=\(T) k=\(f.cut)")
                    #expect(f.certificate.verify(against: y), "\(name) T=\(T) k=\(f.cut): certificate")
                    compared += 1
                }
            }
        }
        #expect(compared == 10)
        // the test reaches the unlucky branches: modulo p the vanishing model is the model with
        // those weights 0 and 1, whose ranks are lower somewhere
        var reduced = vanishing
        reduced.layers[0].hadamard!.state[0][0] = 0
        reduced.layers[1].hadamard!.input[1][0] = 0
        reduced.layers[1].hadamard!.state[1][1] = 1
        let low = try LiftedRank.exactCuts(model: reduced, length: 4, cuts: [1, 2, 3]).map(\.rank)
        let true_ = try LiftedRank.exactCuts(model: vanishing, length: 4, cuts: [1, 2, 3]).map(\.rank)
        #expect(zip(low, true_).contains { $0 < $1 }, "\(low) vs \(true_)")
    }

    @Test("auto picks lifted for cuts at every depth and falls back to split past the lift limit; --method lifted is refused with the flag")
    func autoAndLimits() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 1).model()
        let r = try SeparationRank.compute(model: m, length: 8, partition: .startEnd)
        #expect(r.method == .lifted && r.lifted != nil)
        let deep = FamilySpec(family: .rac, depth: 3, hidden: 2, inputDim: 2, seed: 1).model()
        #expect(try SeparationRank.compute(model: deep, length: 4, partition: .startEnd).method == .lifted)
        let fallback = try SeparationRank.compute(model: m, length: 6, partition: .startEnd, options: .init(maxLift: 3))
        let direct = try SeparationRank.compute(model: m, length: 6, partition: .startEnd)
        #expect(fallback.method == .split && fallback.rank == direct.rank)
        #expect(throws: LiftedError.self) {
            _ = try SeparationRank.compute(model: m, length: 8, partition: .startEnd, options: .init(method: .lifted, maxLift: 3))
        }
        // the profile too: the cuts past the lift limit come from one expansion, read off the unfolding
        // (a cut whose degree count is within it stays lifted)
        let profile = try SeparationRank.profile(model: m, length: 5, options: .init(maxLift: 3))
        let lifted = try SeparationRank.profile(model: m, length: 5)
        #expect(profile.contains { $0.method == .unfolding } && profile.map(\.rank) == lifted.map(\.rank))
        #expect(profile.allSatisfy { $0.method == .unfolding || $0.rank <= 3 })
        #expect(throws: LiftedError.self) { _ = try SeparationRank.profile(model: m, length: 5, options: .init(method: .lifted, maxLift: 3)) }
        #expect(throws: SeparationRankError.self) {
            _ = try SeparationRank.compute(model: m, length: 4, partition: .interleaved, options: .init(method: .lifted))
        }
    }

    @Test("issue 11: the lifted system's memory is bounded before it is spent: transition entries by --max-entries, each power of the step map by |parent| |G_v| <= --max-terms")
    func liftedMemoryLimits() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 1, range: 1000).model()
        let full = try LiftedRank.systemCuts(model: m, length: 5, cuts: [2])
        // the same cut with too few entries or terms allowed: a typed refusal naming the limit
        do {
            _ = try LiftedRank.systemCuts(model: m, length: 5, cuts: [2], maxEntries: 100)
            Issue.record("expected a refusal")
        } catch let e as LiftedError {
            guard case .transitionsTooLarge(5, let entries, 100) = e else { Issue.record("\(e)"); return }
            #expect(entries > 100 && entries <= 100 + 10_000)  // refused at the first row past the limit
            #expect(e.limit == .maxEntries && e.description.hasSuffix("; raise it with maxEntries"))
        }
        do {
            _ = try LiftedRank.systemCuts(model: m, length: 5, cuts: [2], maxTerms: 50)
            Issue.record("expected a refusal")
        } catch let e as LiftedError {
            guard case .powerTooLarge(let pairs, 50) = e else { Issue.record("\(e)"); return }
            #expect(pairs > 50)
            #expect(e.limit == .maxTerms && e.description.hasSuffix("; raise it with maxTerms"))
        }
        // limits that fit change nothing
        #expect(try LiftedRank.systemCuts(model: m, length: 5, cuts: [2], maxTerms: 1_000_000, maxEntries: 1_000_000)[0].rank == full[0].rank)
        #expect(full[0].rank == (try SeparationRank.compute(model: m, length: 5, partition: .cut(2), options: .init(method: .unfolding))).rank)
    }

    @Test("a lifted system's entries count 192 bytes against maxBytes: at 32 (the matrices' figure), --max-entries 1e9 --max-memory 20GB admitted 6e8 entries and a depth-3 2rnn at T = 14 died out of memory at 24 GB; an affine 2rnn needing about 5500 entries is refused at 32 x 7000 bytes and computed at 192 x 7000")
    func liftedEntriesChargedAtTheirMeasuredSize() throws {
        let m = FamilySpec(family: .affineTwoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 1, range: 9).model()
        var options = SeparationRank.Options(method: .lifted, maxBytes: 32 * 7000)
        #expect(options.entryLimit == 7000 && options.liftedEntryLimit == 32 * 7000 / 192)
        do {
            _ = try SeparationRank.compute(model: m, length: 6, partition: .startEnd, options: options)
            Issue.record("computed within 1166 entries")
        } catch let LiftedError.transitionsTooLarge(_, entries, limit) {
            #expect(limit == 1166 && entries > limit)
        }
        options.maxBytes = 192 * 7000
        let r = try SeparationRank.compute(model: m, length: 6, partition: .startEnd, options: options)
        #expect(r.method == .lifted)
        // (the lifted method itself is checked against the unfolding above; its expansion takes 14 s here)
        #expect(r.rank == (try SeparationRank.compute(model: m, length: 6, partition: .startEnd, options: .init(method: .lifted))).rank)
    }

    @Test("auto: when the lifted method and the expansion it falls back to both refuse, the error carries both refusals (only the expansion's was thrown, pointing at --max-work when --max-entries would have done), for one cut and for a profile")
    func autoRefusalKeepsTheLiftedOne() throws {
        let m = FamilySpec(family: .affineTwoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 1, range: 9).model()
        let options = SeparationRank.Options(method: .auto, maxEntries: 1000, maxWork: 1000)
        for profile in [false, true] {
            do {
                _ = profile ? try SeparationRank.profile(model: m, length: 6, options: options)
                    : [try SeparationRank.compute(model: m, length: 6, partition: .startEnd, options: options)]
                Issue.record("computed within 1000 entries and 1000 operations")
            } catch let e as AutoRefused {
                guard case .transitionsTooLarge(6, _, 1000) = e.lifted else { Issue.record("\(e.lifted)"); continue }
                #expect(e.fallback is UnrollError, "\(e.fallback)")
                #expect(e.limit == .maxWork)
            }
        }
    }

    @Test("review finding (helper-29): a cut past a limit does not take the profile's other cuts with it: outcomes keeps every decided cut and refuses the one whose minor is past --max-work; cuts() and profile() still throw; under auto the refused cut carries both refusals, and the expansion serves it where it fits")
    func partialProfile() throws {
        let m = FamilySpec(family: .twoRNN, depth: 3, hidden: 2, inputDim: 2, seed: 1, range: 1000).model()
        // T = 8: cut 2 needs a minor of 256 points a side (about 2.6e7 operations), the others less than 1.2e7
        // (--max-entries 10^5: the lifted system the cut then goes to refuses at once)
        let outcomes = try LiftedRank.outcomes(model: m, length: 8, cuts: Array(1..<8), maxEntries: 100_000, maxWork: 2e7)
        let ranks = outcomes.map { try? $0.outcome.get().rank }
        #expect(ranks == [37, nil, 188, 106, 52, 8, 2])
        guard case .failure(.minorTooLarge(8, 2, _, _, _)) = outcomes[1].outcome else { Issue.record("\(outcomes[1].outcome)"); return }
        #expect(throws: LiftedError.self) { try LiftedRank.cuts(model: m, length: 8, cuts: Array(1..<8), maxEntries: 100_000, maxWork: 2e7) }
        let lifted = SeparationRank.Options(method: .lifted, maxEntries: 100_000, maxWork: 2e7)
        #expect(throws: LiftedError.self) { try SeparationRank.profile(model: m, length: 8, options: lifted) }
        let auto = try SeparationRank.profileOutcomes(model: m, length: 8, options: SeparationRank.Options(method: .auto, maxEntries: 100_000, maxWork: 2e7))
        #expect(auto.map { try? $0.result.get().rank } == ranks)
        guard case .failure(let e) = auto[1].result, let both = e as? AutoRefused, case .minorTooLarge = both.lifted else {
            Issue.record("\(auto[1].result)"); return
        }
        #expect(both.fallback is UnrollError)
        // a model small enough to expand, the lift limited to 3: the cuts past it come from the unfolding
        let small = FamilySpec(family: .twoRNN, depth: 3, hidden: 2, inputDim: 2, seed: 1, range: 9).model()
        let mixed = try SeparationRank.profileOutcomes(model: small, length: 4, options: SeparationRank.Options(method: .auto, maxLift: 3))
        let y = try small.expandedOutput(0, length: 4, maxTerms: 1_000_000).polynomial
        for o in mixed {
            let r = try o.result.get()
            #expect(r.rank == (try Unfolding(y, startSteps: Array(1...o.cut), inputDim: 2).matrix.rank()))
        }
        #expect(mixed.contains { (try? $0.result.get().method) == .unfolding })
        #expect(mixed.contains { (try? $0.result.get().method) == .lifted })
    }
}
