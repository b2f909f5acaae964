// The worked example of Docs/library.md, kept compiling and passing: a proof-checking test
// as a separate package writes it. It imports only the umbrella module.
import Testing
import Expressivity

@Suite("Library example: a claim checked with the public API")
struct ProofCheckExample {
    /// A depth-2 Recurrent Arithmetic Circuit, n = d = 2, in the shared model format:
    /// h_t = (W_s h_{t-1}) ⊙ (W_i u_t) in each layer, y_T = C h^2_T.
    static let racJSON = """
        {"format": "rnn-expressivity/1", "inputDim": 2,
         "layers": [
           {"hidden": 2, "initialState": [1, 1],
            "hadamard": {"state": [[3, -1], [2, 5]], "input": [[1, 4], [-2, 3]]}},
           {"hidden": 2, "initialState": [1, 1],
            "hadamard": {"state": [[2, 1], [-1, 3]], "input": [[5, -2], [1, 1]]}}],
         "readout": [[1, -1]]}
        """

    @Test("Start-End rank of a depth-2 RAC at T = 6: computed, its evidence re-checked, against Levine et al.'s bound")
    func startEndRank() throws {
        let model = try NetworkModel(json: Self.racJSON)
        let r = try SeparationRank.compute(model: model, length: 6, partition: .startEnd)
        // the evidence proves rank >= r (a nonsingular minor) and rank <= r; verify() checks
        // both against y_6 without the method that found r
        #expect(try r.evidence.verify())
        // the same number from an independent method: the certified rank of the unfolding
        let brute = try SeparationRank.compute(model: model, length: 6, partition: .startEnd,
                                               options: .init(method: .unfolding))
        #expect(brute.rank == r.rank)
        // Levine et al.: rank >= ((min(M, R), T/2)) = C(2 + 3 - 1, 3) = 4 for generic weights
        let levine = try #require(r.bounds.first { $0.identity == .levineDepth2RAC(inputDim: 2, minHidden: 2, half: 3) })
        #expect(levine.kind == .lower && levine.value == 4)
        #expect(!levine.crossed(by: r.rank))
    }

    @Test("the same RAC at T = 30, far beyond expansion: the lifted rank's evidence checks from the model alone")
    func longSequence() throws {
        let model = try NetworkModel(json: Self.racJSON)
        let r = try SeparationRank.compute(model: model, length: 30, partition: .startEnd)
        #expect(r.method == .lifted)
        // no expansion: a term limit of 10^5 is far below y_30's size, and verify() never needs it
        #expect(try r.evidence.verify(maxTerms: 100_000))
        guard case .lifted(let lifted) = r.evidence.upperBound else { Issue.record("not lifted evidence"); return }
        #expect(lifted.rank == r.rank && lifted.length == 30)
    }

    @Test("a single generic 2RNN layer: rank min(n, d^k, d^(T-k)) at every cut, from one profile")
    func shallowProfile() throws {
        // n = 3, d = 2, T = 5: ranks 2, 3, 3, 2 at k = 1...4 (the hidden size caps the middle)
        let model = FamilySpec(family: .twoRNN, depth: 1, hidden: 3, inputDim: 2, seed: 11, range: 1000).model()
        let profile = try SeparationRank.profile(model: model, length: 5)
        #expect(profile.map(\.rank) == [2, 3, 3, 2])
        for cut in profile { #expect(try cut.evidence.verify()) }
    }

    @Test("evidence that claims a wrong rank does not verify")
    func wrongClaimFails() throws {
        let model = try NetworkModel(json: Self.racJSON)
        let r = try SeparationRank.compute(model: model, length: 4, partition: .startEnd)
        let e = r.evidence
        let inflated = SeparationRankEvidence(model: e.model, length: e.length, startSet: e.startSet, output: e.output,
                                              rank: e.rank + 1, lowerBound: e.lowerBound, upperBound: e.upperBound)
        #expect(try !inflated.verify())
    }
}
