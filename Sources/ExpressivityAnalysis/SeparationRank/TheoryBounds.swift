import ExactNumbers
import RecurrentNetworks

/// Bounds from the literature and from the architecture, placed beside measured ranks
/// (Docs/separation-rank.md states each with its source and conditions).
public enum TheoryBounds {
    /// Multiset coefficient ((n k)) = C(n + k - 1, k), exact.
    public static func multichoose(_ n: Int, _ k: Int) -> BigInt {
        if k == 0 { return 1 }
        if n <= 0 { return 0 }
        var r = BigInt.one
        for i in 0..<k { r = (r * BigInt(n + i)).dividedExactly(by: BigInt(i + 1)) }
        return r
    }

    public static func bounds(model: NetworkModel, length T: Int, startSet s: [Int], output: Int) -> [RankBound] {
        var out: [RankBound] = []
        let e = T - s.count
        // A separable function (S or E empty) has rank <= 1.
        if s.isEmpty || e == 0 { return [RankBound(.oneSideEmpty)] }
        // Shallow network without activations: the output is a product of state-space
        // matrices, one per step, so each switch between S and E along 1..T is one contracted
        // index of the augmented state: rank <= N^b with b switches (N for a cut, b = 1).
        if model.depth == 1, let layer = model.layers.first, layer.activation == nil, layer.outputActivation == nil {
            // a readout bias needs the augmented coordinate too: y_T = C h_T + c 1
            let affine = layer.input != nil || layer.bias != nil || model.hasReadoutBias
            out.append(RankBound(.singleLayerStates(stateSize: layer.hidden + (affine ? 1 : 0), augmented: affine,
                                                    switches: switches(length: T, startSet: s))))
            // degree <= 1 in each step: each step contributes one of its d variables, or 1 when
            // a term without input (recurrent, bias) exists; so at most that many monomials a side
            let withConstant = affine || layer.recurrent != nil  // (a readout bias is the all-constant monomial)
            out.append(RankBound(.singleLayerMonomials(inputDim: model.inputDim, withConstant: withConstant,
                                                       startSize: s.count, endSize: e)))
        }
        // Depth-2 RAC lower bound (Levine, Sharir, Ziv, Shashua), generic weights, start-end,
        // even T only: the paper's setting splits the steps in two halves; at odd T the tool
        // makes no claim (extending it would be an extrapolation of the theorem).
        if model.depth == 2, T % 2 == 0, s == Array(stride(from: 1, through: T / 2, by: 1)), isRAC(model) {
            out.append(RankBound(.levineDepth2RAC(inputDim: model.inputDim, minHidden: model.layers.map(\.hidden).min()!,
                                                  half: s.count)))
        }
        return out
    }

    /// The number of t in 1..<T where exactly one of t, t + 1 is in S: 1 for a cut (S or E a
    /// prefix), T - 1 for interleaved steps.
    public static func switches(length T: Int, startSet s: [Int]) -> Int {
        let inS = Set(s)
        return stride(from: 1, to: T, by: 1).filter { inS.contains($0) != inS.contains($0 + 1) }.count
    }

    /// A Recurrent Arithmetic Circuit: hadamard terms only, no activations, no readout bias.
    public static func isRAC(_ model: NetworkModel) -> Bool {
        !model.hasReadoutBias && model.layers.allSatisfy { l in
            l.hadamard != nil && l.bilinear == nil && l.cp == nil && l.recurrent == nil && l.input == nil && l.bias == nil
                && l.activation == nil && l.outputActivation == nil
        }
    }
}
