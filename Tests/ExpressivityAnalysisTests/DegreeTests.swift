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
            for placement in OutputActivationPlacement.allCases {
                let m = FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: 2, inputDim: 1, seed: 3,
                                   outputActivationPlacement: placement).model()
                // rho(z) = z + z^2 on every layer (the depth paper's DeepRNN), or on layers 1..L-1
                let D = 1 << (placement == .everyLayer ? L : L - 1)
                #expect(m.layers.last!.outputActivation == (placement == .everyLayer ? FamilySpec.defaultLayerwiseActivation : nil))
                for r in try DegreeAnalysis.reports(model: m, maxLength: 4) {
                    #expect(r.measured.total == D)
                    #expect(r.measured.perStep.allSatisfy { $0 == D })
                    #expect(r.formula?.profile == r.measured)
                }
            }
        }
        // the default places rho after every layer for this family only
        #expect(FamilySpec(family: .linearRNNLayerwise, depth: 2, hidden: 1, inputDim: 1).model().layers[1].outputActivation != nil)
        #expect(FamilySpec(family: .linearRNN, depth: 2, hidden: 1, inputDim: 1, outputActivation: [0, 1, 1]).model().layers[1].outputActivation == nil)
    }

    @Test("item 8: closed forms only where they apply: memoryless linear stacks, zero-seeded bilinear stacks")
    func degenerateSupports() throws {
        // no recurrent term in any layer: y_T = C rho(U_L ... rho(U_1 x_T)) depends on x_T only
        for L in 1...3 {
            var m = FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: 2, inputDim: 1, seed: 5).model()
            for l in 0..<L { m.layers[l].recurrent = nil }
            let D = 1 << L
            for r in try DegreeAnalysis.reports(model: m, maxLength: 4) {
                let want = (1...r.length).map { $0 == r.length ? D : 0 }
                #expect(r.measured.perStep == want, "L=\(L) T=\(r.length)")
                #expect(r.formula?.profile.perStep == want)
                #expect(!r.violatesBound)
            }
            // one recurrent layer anywhere carries every step to the end
            m.layers[L - 1].recurrent = [[1, 2], [3, -1]]
            let last = try DegreeAnalysis.reports(model: m, maxLength: 3).last!
            #expect(last.measured.perStep == [D, D, D] && last.formula?.profile == last.measured)
        }
        // bilinear only, h_0 = 0: every state stays 0, so there is no degree to predict
        let zero = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: 2, bilinear: [[[1], [2]], [[3], [4]]])], readout: [[1, 1]])
        #expect(DegreeFormula.forModel(zero, length: 3) == nil)
        #expect(try DegreeAnalysis.reports(model: zero, maxLength: 3).allSatisfy { $0.measured.total == nil && !$0.violatesBound })
        // a linear stack with a layer that reads nothing is constant: no closed form
        let deaf = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: 1, recurrent: [[2]], bias: [1])], readout: [[1]])
        #expect(DegreeFormula.forModel(deaf, length: 2) == nil)
        #expect(DegreeFormula.forModel(FamilySpec(family: .twoRNN, depth: 2, hidden: 2, inputDim: 1).model(), length: 2)!
            .text.contains("<= for every weight, = for generic weights"))
    }

    @Test("item 8: the scalar chain witness attains C(T-s+L-1, L-1) in every step, so the formula is attained")
    func scalarChainWitness() throws {
        // h^l_t = h^l_{t-1} o^{l-1}_t, h^l_0 = 1: y_T = prod_s x_s^C(T-s+L-1, L-1), coefficient 1
        for L in 1...4 {
            let layers = (0..<L).map { _ in RecurrentLayer(hidden: 1, initialState: [1], bilinear: [[[1]]]) }
            let m = NetworkModel(inputDim: 1, layers: layers, readout: [[1]])
            for T in 1...(L <= 2 ? 6 : 4) {
                var u = Unrolling<Polynomial>(m)
                for _ in 0..<T { u.advance() }
                let y = try u.output(0)
                let exponents = (1...T).map { binomial(T - $0 + L - 1, L - 1) }
                #expect(y == Polynomial(coefficient: 1, monomial: Monomial(exponents.enumerated().map { ($0.offset, $0.element) })), "L=\(L) T=\(T)")
                #expect(y.totalDegree == binomial(T + L - 1, L))
                #expect(DegreeFormula.forModel(m, length: T)!.profile.perStep == exponents)
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

@Suite("Degree analysis: formulas and supports")
struct DegreeSupportTests {
    @Test("a formula the support cannot reach is withheld (zeros inside the weight arrays)")
    func withheldBelowStructural() throws {
        // diagonal bilinear layer, h_0 = (1, 0), readout on unit 2: unit 2 stays 0, y = 0
        let layer = RecurrentLayer(hidden: 2, initialState: [1, 0], bilinear: [[[2], [0]], [[0], [3]]])
        let m = NetworkModel(inputDim: 1, layers: [layer], readout: [[0, 1]])
        #expect(DegreeFormula.forModel(m, length: 3) != nil)   // the architecture's formula...
        let reports = try DegreeAnalysis.reports(model: m, maxLength: 3)
        #expect(reports.allSatisfy { $0.formula == nil })       // ...is not printed for this support
        #expect(reports.allSatisfy { $0.measured.total == nil && !$0.violatesBound })
    }
}
