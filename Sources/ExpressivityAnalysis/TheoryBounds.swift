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
        if s.isEmpty || e == 0 {
            out.append(RankBound(kind: .upper, value: 1, formula: "1 (one side is empty)", source: "definition"))
            return out
        }
        // Shallow network without activations: rank <= augmented hidden size.
        if model.depth == 1, let layer = model.layers.first, layer.activation == nil, layer.outputActivation == nil {
            let affine = layer.input != nil || layer.bias != nil
            let n = layer.hidden + (affine ? 1 : 0)
            out.append(RankBound(kind: .upper, value: BigInt(n),
                                 formula: affine ? "n + 1 = \(n) (augmented hidden size)" : "n = \(n) (hidden size)",
                                 source: "single layer: y_T = c~^T A~(x_T)...A~(x_1) h~_0 factors through the state"))
            // degree <= 1 in each step: each step contributes one of its d variables, or 1 when
            // a term without input (recurrent, bias) exists; so at most that many monomials a side
            let withConstant = affine || layer.recurrent != nil
            let d = model.inputDim + (withConstant ? 1 : 0)
            let sideS = BigInt(d).power(s.count), sideE = BigInt(d).power(e)
            let m = min(sideS, sideE)
            out.append(RankBound(kind: .upper, value: m,
                                 formula: withConstant ? "min((d+1)^|S|, (d+1)^|E|) = \(m)" : "min(d^|S|, d^|E|) = \(m)",
                                 source: "monomials: a single layer is of degree <= 1 in each step"))
        }
        // Depth-2 RAC lower bound (Levine, Sharir, Ziv, Shashua), generic weights, start-end.
        if model.depth == 2, s == Array(stride(from: 1, through: T / 2, by: 1)), isRAC(model) {
            let r = model.layers.map(\.hidden).min()!, m = model.inputDim
            let v = multichoose(min(m, r), s.count)
            out.append(RankBound(kind: .lower, value: v,
                                 formula: "((min(M, R), T/2)) = C(min(M,R) + |S| - 1, |S|) = \(v) with M = \(m), R = \(r), |S| = \(s.count)",
                                 source: "Levine et al., depth-2 RAC, generic weights (as read here; Docs/separation-rank.md)",
                                 genericOnly: true))
        }
        return out
    }

    /// A Recurrent Arithmetic Circuit: hadamard terms only, no activations.
    public static func isRAC(_ model: NetworkModel) -> Bool {
        model.layers.allSatisfy { l in
            l.hadamard != nil && l.bilinear == nil && l.cp == nil && l.recurrent == nil && l.input == nil && l.bias == nil
                && l.activation == nil && l.outputActivation == nil
        }
    }
}
