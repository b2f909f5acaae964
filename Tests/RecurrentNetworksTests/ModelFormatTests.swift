import Testing
import ExactNumbers
import Polynomials
import RecurrentNetworks

@Suite("Model file format")
struct ModelFormatTests {
    let minimal = """
    {"format": "rnn-expressivity/1", "inputDim": 1,
     "layers": [{"hidden": 1, "recurrent": [[2]], "input": [[3]]}], "readout": [[5]]}
    """

    @Test("reads numbers exactly: integers, p/q and decimal strings, binary64 floats")
    func exactNumbers() throws {
        let m = try NetworkModel(json: """
        {"format": "rnn-expressivity/1", "inputDim": 1,
         "layers": [{"hidden": 4, "bias": [0.1, "0.1", "-3/6", "1.5e-3"], "input": [[1], [2], [3], [4]]}],
         "readout": [[1, 1e2, "7", -2]]}
        """)
        let b = m.layers[0].bias!
        #expect(b[0].description == "3602879701896397/36028797018963968")  // the float 0.1, exactly
        #expect(b[1] == Rational(1, 10))
        #expect(b[2] == Rational(-1, 2))
        #expect(b[3] == Rational(3, 2000))
        #expect(m.readout[0][1] == 100)
        // zero written as a float stays legal; the underflow's exact decimal is read from a string
        let z = try NetworkModel(json: """
        {"format": "rnn-expressivity/1", "inputDim": 1,
         "layers": [{"hidden": 2, "bias": [0.0, "1e-400"], "input": [[0e5], [1]]}], "readout": [[1, 1]]}
        """)
        #expect(z.layers[0].bias![0].isZero && z.layers[0].input![0][0].isZero)
        #expect(z.layers[0].bias![1] == Rational(BigInt.one, BigInt(10).power(400)))
    }

    @Test("write then read gives the same model, for every family")
    func roundTrip() throws {
        for f in ModelFamily.allCases {
            let m = FamilySpec(family: f, depth: 2, hidden: 3, inputDim: 2, seed: 7, range: 5, outputs: 2,
                               activation: f == .rac ? [0, 1, Rational(1, 3)] : nil).model()
            let back = try NetworkModel(json: m.json)
            #expect(back == m, "family \(f.rawValue)")
            #expect(back.json == m.json)
        }
    }

    @Test("the optional readoutBias of the shared format: read exactly, written back unchanged, absent and zero kept apart")
    func readoutBias() throws {
        func file(_ bias: String?) -> String {
            #"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]]}], "readout": [[1], [2]]"#
                + (bias.map { #", "readoutBias": "# + $0 } ?? "") + "}"
        }
        let m = try NetworkModel(json: file(#"["1/3", 0.5]"#))
        #expect(m.readoutBias == [Rational(1, 3), Rational(1, 2)] && m.hasReadoutBias)
        #expect(m.parameterCount == 1 + 2 + 2)
        #expect(try NetworkModel(json: m.json) == m)
        #expect(m.json.contains(#""readoutBias": ["1/3", "1/2"]"#))
        // y_1 = C x_1 + c, by the evaluator and the unrolling
        #expect(m.evaluate(inputs: [[3]]) == [Rational(10, 3), Rational(13, 2)])
        var u = Unrolling<Polynomial>(m)
        u.advance()
        #expect(u.outputs.map { $0.evaluate { _ in 3 } } == [Rational(10, 3), Rational(13, 2)])
        // an explicit zero bias reads and writes as given; without the field there is none
        let zero = try NetworkModel(json: file("[0, 0]"))
        #expect(zero.readoutBias == [0, 0] && !zero.hasReadoutBias && zero.json.contains("readoutBias"))
        let none = try NetworkModel(json: file(nil))
        #expect(none.readoutBias == nil && !none.json.contains("readoutBias"))
        #expect(none.evaluate(inputs: [[3]]) == [3, 6])
    }

    @Test("seeded generation is reproducible and respects each family's structure")
    func families() {
        let a = FamilySpec(family: .diagonalTwoRNN, depth: 2, hidden: 3, inputDim: 2, seed: 42).model()
        #expect(a == FamilySpec(family: .diagonalTwoRNN, depth: 2, hidden: 3, inputDim: 2, seed: 42).model())
        #expect(a != FamilySpec(family: .diagonalTwoRNN, depth: 2, hidden: 3, inputDim: 2, seed: 43).model())
        for layer in a.layers {
            let A = layer.bilinear!
            for i in 0..<3 { for j in 0..<3 where i != j { #expect(A[i][j].allSatisfy { $0.isZero }) } }
        }
        let rac = FamilySpec(family: .rac, depth: 1, hidden: 3, inputDim: 2).model()
        #expect(rac.layers[0].initialState == [1, 1, 1])
        let cp = FamilySpec(family: .cpTwoRNN, depth: 1, hidden: 3, inputDim: 2, cpRank: 5).model()
        #expect(cp.layers[0].cp!.rank == 5 && cp.layers[0].initialState == nil)
        let lw = FamilySpec(family: .linearRNNLayerwise, depth: 3, hidden: 2, inputDim: 1).model()
        #expect(lw.layers.map { $0.outputActivation != nil } == [true, true, true])   // after every layer, as the depth paper's DeepRNN
        let between = FamilySpec(family: .linearRNNLayerwise, depth: 3, hidden: 2, inputDim: 1, outputActivationPlacement: .betweenLayers).model()
        #expect(between.layers.map { $0.outputActivation != nil } == [true, true, false])
        let weights = FamilySpec(family: .linearRNN, depth: 1, hidden: 4, inputDim: 3, range: 2).model().layers[0].recurrent!
        #expect(weights.joined().allSatisfy { !$0.isZero && $0.magnitude <= 2 && $0.isInteger })
    }

    /// Each malformed model must fail with an error naming the JSON path and the problem.
    @Test("every malformed model is a located error, never a crash", arguments: [
        ("{", "$", "JSON syntax error"),
        ("[]", "$", "expected an object"),
        (#"{"inputDim": 1, "layers": [], "readout": [[1]]}"#, "$", "missing required field \"format\""),
        (#"{"format": "rnn-expressivity/2", "inputDim": 1, "layers": [], "readout": [[1]]}"#, "$.format", "expected \"rnn-expressivity/1\""),
        (#"{"format": "rnn-expressivity/1", "inputDim": 2.0, "layers": [], "readout": [[1]]}"#, "$.inputDim", "positive integer literal"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 0, "layers": [], "readout": [[1]]}"#, "$.inputDim", "positive integer literal"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [], "readout": [[1]]}"#, "$.layers", "at least one layer"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]]}], "readout": [[1]], "extra": 1}"#, "$", "unknown field \"extra\""),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "inptu": [[1]]}], "readout": [[1]]}"#, "$.layers[0]", "unknown field \"inptu\""),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "bias": [1]}], "readout": [[1]]}"#, "$.layers[0]", "at least one of"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 2, "layers": [{"hidden": 2, "input": [[1, 2], [3]]}], "readout": [[1, 1]]}"#, "$.layers[0].input[1]", "length 2"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 2, "recurrent": [[1, 2]]}], "readout": [[1, 1]]}"#, "$.layers[0].recurrent", "2 rows"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "bilinear": [[[1, 2]]]}], "readout": [[1]]}"#, "$.layers[0].bilinear[0][0]", "length 1"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [["x"]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "not an exact number"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [["3/-4"]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "not an exact number"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [["1/0"]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "zero denominator"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[true]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "found the boolean true"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [["NaN"]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "not an exact number"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1e400]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "overflows"),
        // issue 11 item 8: a nonzero float that rounds to 0 used to delete the weight silently
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1e-400]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "underflows"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[-2.5E-999]]}], "readout": [[1]]}"#, "$.layers[0].input[0][0]", "underflows"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]], "activation": []}], "readout": [[1]]}"#, "$.layers[0].activation", "empty coefficient list"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]], "outputActivation": []}], "readout": [[1]]}"#, "$.layers[0].outputActivation", "empty coefficient list"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "hadamard": {"state": [[1]]}}], "readout": [[1]]}"#, "$.layers[0].hadamard", "missing required field \"input\""),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "cp": {"state": [[1], [2]], "input": [[1]], "output": [[1, 1]]}}], "readout": [[1]]}"#, "$.layers[0].cp.input", "2 rows"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "cp": {"state": [], "input": [], "output": [[]]}}], "readout": [[1]]}"#, "$.layers[0].cp.state", "R >= 1"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 2, "input": [[1], [1]]}, {"hidden": 1, "input": [[1]]}], "readout": [[1]]}"#, "$.layers[1].input[0]", "length 2"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 2, "input": [[1], [1]]}], "readout": [[1]]}"#, "$.readout[0]", "length 2"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]], "initialState": [1, 2]}], "readout": [[1]]}"#, "$.layers[0].initialState", "length 1"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "inputDim": 1, "layers": [], "readout": [[1]]}"#, "$", "duplicate key"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]]}], "readout": [[1], [2]], "readoutBias": [1]}"#, "$.readoutBias", "length 2"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]]}], "readout": [[1]], "readoutBias": 3}"#, "$.readoutBias", "expected"),
        (#"{"format": "rnn-expressivity/1", "inputDim": 1, "layers": [{"hidden": 1, "input": [[1]]}], "readout": [[1]], "readoutBias": ["1/0"]}"#, "$.readoutBias[0]", "zero denominator"),
    ])
    func malformed(_ text: String, _ path: String, _ message: String) {
        do {
            _ = try NetworkModel(json: text, file: "bad.json")
            Issue.record("accepted a malformed model: \(text)")
        } catch let e as ModelError {
            #expect(e.path == path, "\(e)")
            #expect(e.description.contains(message), "\(e)")
            #expect(e.description.hasPrefix("bad.json: "))
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
}
