import Testing
import ExactNumbers
import Polynomials
import RecurrentNetworks
import ExpressivityAnalysis

@Suite("Degree analysis")
struct DegreeTests {
    @Test("binomials")
    func binomials() {
        #expect(binomial(5, 2) == 10)
        #expect(binomial(7, 0) == 1)
        #expect(binomial(3, 5) == 0)
        #expect(binomial(11, 4) == 330)
    }

    @Test("closed forms hold on grids of random multiplicative models", arguments: [
        ModelFamily.twoRNN, .rac, .diagonalTwoRNN, .affineTwoRNN, .cpTwoRNN])
    func multiplicativeFormula(_ family: ModelFamily) throws {
        var checked = 0
        for L in 1...4 {
            for seed in 1...2 as ClosedRange<UInt64> {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 1, seed: seed).model()
                // largest T whose unrolling stays small enough for a unit test
                let maxT = m.longestUnrollableLength(upTo: 8, maxTerms: 20_000)
                guard maxT >= 1 else { continue }
                for r in try DegreeAnalysis.reports(model: m, maxLength: maxT) {
                    let T = r.length
                    #expect(r.formula != nil)
                    #expect(r.measured.total == binomial(T + L - 1, L), "\(family) L=\(L) T=\(T)")
                    #expect(r.measured.perStep == (1...T).map { binomial(T - $0 + L - 1, L - 1) }, "\(family) L=\(L) T=\(T)")
                    #expect(r.structural == r.measured)
                    #expect(!r.violatesBound && !r.hasCancellation)
                    checked += 1
                }
            }
        }
        #expect(checked >= 20)
    }

    @Test("linear RNNs stay linear at every depth; layerwise polynomials multiply degrees")
    func linear() throws {
        for L in 1...4 {
            let m = FamilySpec(family: .linearRNN, depth: L, hidden: 2, inputDim: 2, seed: UInt64(L)).model()
            for r in try DegreeAnalysis.reports(model: m, maxLength: 8) {
                #expect(r.measured.total == 1)
                #expect(r.measured.perStep.allSatisfy { $0 == 1 })
                #expect(r.formula?.profile == r.measured)
            }
        }
        for L in 1...3 {
            let m = FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: 2, inputDim: 1, seed: 3).model()
            for r in try DegreeAnalysis.reports(model: m, maxLength: 4) {
                let D = 1 << (L - 1)  // rho(z) = z + z^2 on L-1 layers
                #expect(r.measured.total == D)
                #expect(r.measured.perStep.allSatisfy { $0 == D })
            }
        }
    }

    @Test("a non-generic network is flagged as a cancellation, not passed")
    func cancellation() throws {
        // readout (1, -1) on two identical units: y_T = 0 although the structure allows degree T
        let layer = RecurrentLayer(hidden: 2, initialState: [1, 1],
                                   bilinear: [[[2], [0]], [[0], [2]]])
        let m = NetworkModel(inputDim: 1, layers: [layer], readout: [[1, -1]])
        let r = try DegreeAnalysis.reports(model: m, maxLength: 3).last!
        #expect(r.measured.total == nil)
        #expect(r.structural.total == 3)
        #expect(r.hasCancellation)
        #expect(!r.violatesBound)
    }

    @Test("activations: structural bound without a closed form, attained generically")
    func activation() throws {
        let m = FamilySpec(family: .linearRNN, depth: 1, hidden: 1, inputDim: 1, seed: 1, activation: [0, 1, 1]).model()
        let rs = try DegreeAnalysis.reports(model: m, maxLength: 4)
        #expect(rs.allSatisfy { $0.formula == nil })
        // h_t = sigma(w h + u x) with deg sigma = 2 has degree 2^(T-t+1) in step t
        #expect(rs[3].measured.perStep == [16, 8, 4, 2])
        #expect(rs[3].structural == rs[3].measured)
    }

    @Test("measured profile of a known polynomial")
    func profile() throws {
        let p = try Polynomial(parsing: "x[1][1]^2*x[2][2] + x[3][1]*x[3][2]^3 - 1", in: .sequence(steps: 3, width: 2))
        let prof = DegreeProfile(of: p, length: 3, inputDim: 2)
        #expect(prof.total == 4)
        #expect(prof.perStep == [2, 1, 4])
        #expect(DegreeProfile(of: Polynomial.zero, length: 2, inputDim: 1) == DegreeProfile(total: nil, perStep: [nil, nil]))
    }

    @Test("refusal names the limit")
    func refusal() {
        let m = FamilySpec(family: .affineTwoRNN, depth: 3, hidden: 3, inputDim: 3, seed: 1).model()
        #expect(throws: UnrollError.self) { try DegreeAnalysis.reports(model: m, maxLength: 10, maxTerms: 1000) }
        // degrees 2^T overflow Int at T = 70: refused from the saturated estimate, no crash
        let sq = FamilySpec(family: .linearRNN, depth: 2, hidden: 1, inputDim: 1, activation: [0, 0, 1]).model()
        #expect(throws: UnrollError.self) { try DegreeAnalysis.reports(model: sq, maxLength: 70) }
        // formulas whose values leave Int are omitted, not trapped on
        let deep = FamilySpec(family: .twoRNN, depth: 40, hidden: 1, inputDim: 1).model()
        #expect(DegreeFormula.forModel(deep, length: 200) == nil)
        #expect(DegreeFormula.forModel(deep, length: 5) != nil)
    }
}
