import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
@testable import ExpressivityAnalysis

@Suite("Lifted evidence, checked without expanding y_T")
struct LiftedEvidenceTests {
    /// The name of a proof's kind, to count which kinds a grid reaches.
    func kind(_ p: LiftedEvidence.Proof) -> String {
        switch p {
        case .liftDimension: return "lift"
        case .countingBound(let s): return "counting \(s)"
        case .closure(let s, _): return "closure \(s)"
        case .gram: return "gram"
        case .graded: return "graded"
        case .homogeneous(let h): return "homogeneous \(h.side)"
        }
    }

    @Test("every family at depths 1-2 (and a depth-3 RAC): each cut's lifted evidence verifies from the model alone, agrees with the expansion's unfolding, and the grid reaches every kind of proof")
    func gridVerifies() throws {
        var kinds: [String: Int] = [:], checked = 0
        for family in ModelFamily.allCases {
            // (depth 3 in debug builds costs tens of seconds per family: the cross-method suites cover it)
            for L in 1...(family == .rac ? 3 : 2) {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(70 + L), range: 1000).model()
                for T in (L == 1 ? [3, 5] : [L == 2 ? 4 : 3]) {
                    let y = try m.expandedOutput(length: T).polynomial
                    // all cuts at once (modular path), one cut (sampled rows) and the fully exact spans
                    var cuts = try LiftedRank.systemCuts(model: m, length: T)
                    cuts += try LiftedRank.systemCuts(model: m, length: T, cuts: [T / 2])
                    cuts += try LiftedRank.exactCuts(model: m, length: T)
                    for c in cuts {
                        let e = c.evidence
                        #expect(e.rank == c.rank)   // the minor's rank is the rank reported
                        #expect(try e.verify(), "\(family) L=\(L) T=\(T) k=\(c.cut) \(kind(e.proof))")
                        // the independent reference: the unfolding's certified rank
                        let u = try Unfolding(y, rowsWhere: { $0 / 2 < c.cut }, maxEntries: Int.max)
                        let reference = u.matrix.rows == 0 || u.matrix.columns == 0 ? 0 : u.matrix.rank()
                        #expect(c.rank == reference, "\(family) L=\(L) T=\(T) k=\(c.cut)")
                        kinds[kind(e.proof), default: 0] += 1
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 200)
        for k in ["lift", "counting observable", "counting reachable", "closure observable", "gram"] {
            #expect(kinds[k, default: 0] > 0, "no \(k) proof on the grid: \(kinds)")
        }
    }

    @Test("depth-2 RAC: the Start-End cut at T = 30 (y_T far too large to expand) and every cut of the profile at T = 12 verify from the model alone, through SeparationRankEvidence.verify() with a term limit far below y_T's size")
    func longDeepVerifies() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 5, range: 1000).model()
        // one cut: the system above it, rows sampled at points (the check starts at the cut too)
        let middle = try SeparationRank.compute(model: m, length: 30, partition: .startEnd)
        #expect(middle.method == .lifted)
        guard case .lifted(let e) = middle.evidence.upperBound else { Issue.record("\(middle.evidence.upperBound)"); return }
        #expect(!e.minor.rowPoints.isEmpty && e.firstStep == 15)
        #expect(try middle.evidence.verify(maxTerms: 100_000))
        // every cut from one pass: rows are monomials, the check rebuilds the system from step 0
        let T = 12
        #expect(throws: UnrollError.self) { try m.expandedOutput(length: T, maxTerms: 100_000) }
        let profile = try SeparationRank.profile(model: m, length: T)
        #expect(profile.count == T - 1)
        for r in profile {
            #expect(r.method == .lifted)
            #expect(try r.evidence.verify(maxTerms: 100_000), "cut \(r.startSet.count)")
        }
    }

    @Test("checking evidence refuses before the work: too many monomials at a step, spans or transitions past the entry limit (a whole space counts |Mon_t|^2)")
    func verifyLimits() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let cut = try #require(try LiftedRank.systemCuts(model: m, length: 8, cuts: [4]).first)
        let e = cut.evidence
        #expect(try e.verify())
        #expect(throws: LiftedError.self) { try e.verify(maxLift: e.monomials.map(\.count).max()! - 1) }
        #expect(throws: LiftedError.self) { try e.verify(maxEntries: 10) }
        // a tampered proof claiming whole spaces over a huge monomial list is refused by size, not built
        var huge = e.monomials
        huge[4] = (0..<30_000).map { Monomial([(2, $0 + 1)]) }
        let whole = LiftedEvidence(model: e.model, output: e.output, length: e.length, cut: e.cut, firstStep: e.firstStep, monomials: huge,
                                   minor: e.minor, proof: .closure(.observable, spans: Dictionary(uniqueKeysWithValues: (4...8).map { ($0, LiftedSpan.whole) })),
                                   kind: .closure(.observable))
        #expect(throws: LiftedError.liftTooLarge(length: 8, step: 4, size: 30_000, limit: 20_000)) { try whole.verify() }
        #expect(throws: LiftedError.self) { try whole.verify(maxLift: 40_000) }
    }

    @Test("tampered lifted evidence is refused: a rank off by one, a residue, a dropped monomial, a dropped generator, a missing step, another model or output")
    func tampered() throws {
        // two outputs: "another output" is a real readout of the same model, not an index out of range
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000, outputs: 2).model()
        let T = 6
        let all = try LiftedRank.systemCuts(model: m, length: T) + LiftedRank.exactCuts(model: m, length: T)
        var tried = 0
        for c in all where c.cut > 0 && c.cut < T {
            let e = c.evidence
            #expect(try e.verify())
            func with(minor: UnfoldingMinor? = nil, monomials: [[Monomial]]? = nil, proof: LiftedEvidence.Proof? = nil,
                      model: NetworkModel? = nil, output: Int? = nil) -> LiftedEvidence {
                LiftedEvidence(model: model ?? e.model, output: output ?? e.output, length: e.length, cut: e.cut, firstStep: e.firstStep,
                               monomials: monomials ?? e.monomials, minor: minor ?? e.minor, proof: proof ?? e.proof, kind: e.kind)
            }
            let cert = e.minor
            // a residue changed
            var residues = cert.residues
            residues[0] = (residues[0] + 1) % cert.prime
            let bent = UnfoldingMinor(rank: cert.rank, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: cert.rowMonomials,
                                             columnMonomials: cert.columnMonomials, prime: cert.prime, residues: residues,
                                             rowPoints: cert.rowPoints)
            #expect(try !with(minor: bent).verify())
            // one more than the truth: the minor of rank r + 1 cannot be made, so claim it with the upper bound alone
            let bigger = UnfoldingMinor(rank: cert.rank + 1, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: cert.rowMonomials,
                                               columnMonomials: cert.columnMonomials, prime: cert.prime, residues: cert.residues,
                                               rowPoints: cert.rowPoints)
            #expect(try !with(minor: bigger).verify())
            // one less: a minor of rank r - 1 (the leading block) with the same upper-bound argument
            if cert.rank >= 2, cert.rowPoints.isEmpty {
                let r = cert.rank - 1
                let block = (0..<r).flatMap { i in (0..<r).map { j in cert.residues[i * cert.rank + j] } }
                let smaller = UnfoldingMinor(rank: r, cut: cert.cut, inputDim: cert.inputDim, rowMonomials: Array(cert.rowMonomials.prefix(r)),
                                                    columnMonomials: Array(cert.columnMonomials.prefix(r)), prime: cert.prime, residues: block)
                // (the block may be singular; either way the upper bound must fail for r - 1)
                #expect(try !with(minor: smaller).verify(), "cut \(c.cut) \(kind(e.proof)) claims \(r)")
            }
            // a monomial dropped from a set the chain needs
            var mons = e.monomials
            let t = min(T, c.cut + 1)
            if !mons[t].isEmpty { mons[t].removeLast(); #expect(try !with(monomials: mons).verify(), "Mon_\(t) short") }
            // another model, another output
            let other = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 4, range: 1000).model()
            #expect(try !with(model: other).verify())
            #expect(try !with(output: 1).verify())
            // spans: a proper generated span with a generator dropped, or a step missing
            switch e.proof {
            case let .closure(side, spans):
                if let (s, rows) = spans.compactMap({ t, span -> (Int, [[BigInt]])? in
                    if case .generatedBy(let rows) = span, rows.count > 1, t != c.cut { return (t, rows) }; return nil }).first {
                    var fewer = spans
                    fewer[s] = .generatedBy(Array(rows.dropLast()))
                    #expect(try !with(proof: .closure(side, spans: fewer)).verify(), "closure \(side) at \(s) short")
                    tried += 1
                }
                var missing = spans
                missing[c.cut] = nil
                #expect(try !with(proof: .closure(side, spans: missing)).verify())
            case let .gram(reach, observe):
                var fewer = reach
                if case .generatedBy(let rows) = reach[c.cut]!, rows.count > 1 {
                    fewer[c.cut] = .generatedBy(Array(rows.dropLast()))
                    // R_k no longer inside: the chain into it fails
                    #expect(try !with(proof: .gram(reachable: fewer, observable: observe)).verify())
                    tried += 1
                }
            default: break
            }
        }
        #expect(tried > 3)
    }

    @Test("SeparationRankEvidence refuses lifted evidence for another cut, length or rank")
    func mismatchedWrapper() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let r = try SeparationRank.compute(model: m, length: 6, partition: .cut(3), options: .init(method: .lifted))
        #expect(try r.evidence.verify(maxTerms: 1000))
        #expect(throws: UnrollError.self) { try m.expandedOutput(length: 6, maxTerms: 1000) }
        let e = r.evidence
        let otherCut = SeparationRankEvidence(model: m, length: 6, startSet: [1, 2], output: 0, rank: e.rank,
                                              lowerBound: e.lowerBound, upperBound: e.upperBound)
        #expect(try !otherCut.verify())
        let otherRank = SeparationRankEvidence(model: m, length: 6, startSet: e.startSet, output: 0, rank: e.rank + 1,
                                               lowerBound: e.lowerBound, upperBound: e.upperBound)
        #expect(try !otherRank.verify())
        // the mirrored cut (S = 4...6) has the same rank: the same evidence serves
        let mirror = SeparationRankEvidence(model: m, length: 6, startSet: [4, 5, 6], output: 0, rank: e.rank,
                                            lowerBound: e.lowerBound, upperBound: e.upperBound)
        #expect(try mirror.verify())
    }

    @Test("review findings: a length of Int.max, a monomial of huge degree, a name that does not match the argument are refused without a trap")
    func malformed() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 3, range: 1000).model()
        let c = try LiftedRank.systemCuts(model: m, length: 5, cuts: [2])[0]
        let e = c.evidence
        #expect(try e.verify())
        let long = LiftedEvidence(model: m, output: 0, length: .max, cut: e.cut, firstStep: e.firstStep, monomials: e.monomials,
                                  minor: e.minor, proof: e.proof, kind: e.kind)
        #expect(try !long.verify())
        let wrapped = SeparationRankEvidence(model: m, length: .max, startSet: [], output: 0, rank: e.rank,
                                             lowerBound: .minor(e.minor), upperBound: .lifted(long))
        #expect(try !wrapped.verify())
        var mons = e.monomials
        mons[5].append(Monomial([(2, 300_000)]))
        let huge = LiftedEvidence(model: m, output: 0, length: 5, cut: e.cut, firstStep: e.firstStep, monomials: mons,
                                  minor: e.minor, proof: e.proof, kind: e.kind)
        #expect(throws: LiftedError.self) { try huge.verify(maxTerms: 1000) }
        let renamed = LiftedEvidence(model: m, output: 0, length: 5, cut: e.cut, firstStep: e.firstStep, monomials: e.monomials,
                                     minor: e.minor, proof: e.proof, kind: e.kind == .exactGram ? .liftDimension : .exactGram)
        #expect(try !renamed.verify())
    }
}
