import Testing
import ExactNumbers
import Polynomials
import RecurrentNetworks
import _TestSupport

@Suite("Layer terms")
struct LayerTermTests {
    func r(_ g: inout SeededGenerator) -> Rational { Rational(Int.random(in: -5...5, using: &g)) }
    func mat(_ rows: Int, _ cols: Int, _ g: inout SeededGenerator) -> [[Rational]] {
        (0..<rows).map { _ in (0..<cols).map { _ in r(&g) } }
    }

    @Test("terms are kept once each, in the format's order, whichever way the layer is built or edited")
    func canonicalOrder() throws {
        var g = SeededGenerator(seed: 3)
        let w = mat(2, 2, &g), u = mat(2, 3, &g), b = [Rational(1), Rational(-2)]
        let byTerms = try RecurrentLayer(hidden: 2, terms: [.bias(b), .input(u), .recurrent(w)])
        let byFields = RecurrentLayer(hidden: 2, recurrent: w, input: u, bias: b)
        #expect(byTerms == byFields)
        #expect(byTerms.terms.map(\.kind) == [.recurrent, .input, .bias])
        var edited = RecurrentLayer(hidden: 2, bias: b)
        edited.input = u
        edited.recurrent = w
        #expect(edited == byFields)
        edited.input = nil
        #expect(edited.terms.map(\.kind) == [.recurrent, .bias] && edited.input == nil)
        edited.setTerm(.recurrent(mat(2, 2, &g)))
        #expect(edited.terms.count == 2 && edited.recurrent != w)
        edited.removeTerm(.bias)
        #expect(edited.terms.map(\.kind) == [.recurrent])
        // two terms of one kind: an error that says so, not a trap
        #expect(throws: ModelError(path: "terms", message: "two recurrent terms; a layer has at most one term of each kind")) {
            try RecurrentLayer(hidden: 2, terms: [.recurrent(w), .bias(b), .recurrent(w)])
        }
        // the file form follows the order too, so a model reads and writes back unchanged
        let m = NetworkModel(inputDim: 3, layers: [byTerms], readout: [[1, 1]])
        #expect(try NetworkModel(json: m.json) == m)
        #expect(m.json.range(of: "\"recurrent\"")!.lowerBound < m.json.range(of: "\"bias\"")!.lowerBound)
    }

    @Test("the bilinear coefficient of each multiplicative term is the coefficient of h[j] u[k] in the unrolled step")
    func bilinearCoefficient() throws {
        var g = SeededGenerator(seed: 5)
        let n = 3, m = 2
        let terms: [LayerTerm] = [
            .bilinear((0..<n).map { _ in mat(n, m, &g) }),
            .hadamard(HadamardTerm(state: mat(n, n, &g), input: mat(n, m, &g))),
            .cp(CPTerm(state: mat(2, n, &g), input: mat(2, m, &g), output: mat(n, 2, &g))),
            .recurrent(mat(n, n, &g)),
        ]
        for term in terms {
            let model = NetworkModel(inputDim: m, layers: [try RecurrentLayer(hidden: n, terms: [term])],
                                     readout: [[Rational](repeating: 0, count: n)])
            // symbolic states h[j] = variable 100 + j, one step with inputs x_1 = variables 0..m-1
            var u = Unrolling<Polynomial>(model, states: [(0..<n).map { Polynomial.variable(100 + $0) }], step: 0)
            u.advance()
            for i in 0..<n {
                for j in 0..<n {
                    for k in 0..<m {
                        let expected = u.states[0][i].coefficient(of: Monomial([(k, 1), (100 + j, 1)]))
                        #expect(term.bilinearCoefficient(i, j, k) == expected, "\(term.kind) i=\(i) j=\(j) k=\(k)")
                    }
                }
            }
        }
    }

    @Test("constants, parameter counts and mapConstants walk every term")
    func walks() throws {
        var g = SeededGenerator(seed: 9)
        let layer = try RecurrentLayer(hidden: 2, initialState: [1, 2], terms: [
            .cp(CPTerm(state: mat(3, 2, &g), input: mat(3, 2, &g), output: mat(2, 3, &g))),
            .input(mat(2, 2, &g)), .bias([5, 6])], activation: [0, 1, 1])
        #expect(layer.parameterCount == 6 + 6 + 6 + 4 + 2)
        #expect(layer.constants.count == 2 + layer.parameterCount + 3)
        let doubled = layer.mapConstants { $0 * 2 }
        #expect(doubled.constants == layer.constants.map { $0 * 2 })
        #expect(doubled.terms.map(\.kind) == layer.terms.map(\.kind))
    }

    @Test("a model built in code is validated like a file: the place of a wrong shape is named")
    func validatedInit() throws {
        let bad = try RecurrentLayer(hidden: 2, terms: [.hadamard(HadamardTerm(state: [[1, 0], [0, 1]], input: [[1], [1, 2]]))])
        #expect(throws: ModelError(path: "$.layers[0].hadamard.input[0]", message: "expected length 2, found 1")) {
            _ = try NetworkModel.validated(inputDim: 2, layers: [bad], readout: [[1, 1]])
        }
        #expect(throws: ModelError(path: "$.layers[0]", message: "a layer needs at least one of bilinear, hadamard, cp, recurrent, input")) {
            _ = try NetworkModel.validated(inputDim: 2, layers: [try RecurrentLayer(hidden: 2, terms: [.bias([1, 1])])], readout: [[1, 1]])
        }
        let good = try NetworkModel.validated(inputDim: 1, layers: [try RecurrentLayer(hidden: 1, terms: [.recurrent([[2]])])], readout: [[1]])
        #expect(good.parameterCount == 2)
    }
}
