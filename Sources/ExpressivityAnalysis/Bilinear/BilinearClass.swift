import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// The classes of the bilinear-transitions paper's hierarchy (Ebrahimi & Memisevic 2025, read
/// from summaries), for one layer without activations: h_t = M(x_t) h_{t-1} (+ an additive
/// term where the class allows one), y_T = C h_T. Weights here are rational; a class defined
/// over R or C is witnessed by a rational model similar to one of its members (a similarity
/// changes no output), which is what the spectral tests below decide exactly
/// (Docs/bilinear-hierarchy.md).
public enum BilinearClass: String, Sendable, CaseIterable {
    /// Any bilinear transition M(x)_{ij} = sum_k W_ijk x_k, no additive term.
    case full
    /// M(x) = U diag(V^T x) W^T with R rank-one terms; the size is R (the hidden size is free).
    case cp
    /// Transitions that commute and are diagonalisable over C: similar to a complex-diagonal
    /// (or 2x2 rotation-block) layer.
    case commuting
    /// Block-diagonal in the model's own basis (rational blocks); the size is the largest block
    /// (`largestBlock(of:)`), the hidden size is free.
    case blockDiagonal = "block-diagonal"
    /// Commuting and diagonalisable over R: similar to a real-diagonal layer.
    case realDiagonal = "real-diagonal"
    /// Commuting, diagonalisable with positive real spectrum, with an additive input term
    /// U x + b allowed (Mamba-like).
    case positiveDiagonal = "positive-diagonal"

    /// Why a model is outside a class (typed; `description` words it).
    public enum Exclusion: Sendable, Equatable, CustomStringConvertible {
        case notSingleLayer
        case hasActivation
        case additiveTerm
        case readoutBias
        case noCPTerm
        case transitionsDoNotCommute(symbol: Int, other: Int)
        case notDiagonalisable(symbol: Int)
        case nonRealSpectrum(symbol: Int)
        case nonPositiveSpectrum(symbol: Int)

        public var description: String {
            switch self {
            case .notSingleLayer: return "not a single layer"
            case .hasActivation: return "the layer has an activation"
            case .additiveTerm: return "the layer has an input or bias term (the class has none)"
            case .readoutBias: return "the readout has a bias (the class computes y = C h_T; a bias can lower the Hankel bound by one: parity with one state)"
            case .noCPTerm: return "the multiplicative term is not CP-factored (or there are others beside it)"
            case let .transitionsDoNotCommute(a, b): return "M(e_\(a)) and M(e_\(b)) do not commute"
            case .notDiagonalisable(let s): return "M(e_\(s)) is not diagonalisable (the squarefree part of its characteristic polynomial does not annihilate it)"
            case .nonRealSpectrum(let s): return "M(e_\(s)) has a non-real eigenvalue (Sturm count below the degree of the squarefree part)"
            case .nonPositiveSpectrum(let s): return "M(e_\(s)) has an eigenvalue <= 0"
            }
        }
    }

    /// The state matrices M(e_s) = W + B_s of a single layer on the one-hot inputs, and whether
    /// it has an additive term; nil when the model is not one layer without activations.
    public static func transitions(of model: NetworkModel) -> (matrices: [RationalMatrix], additive: Bool)? {
        guard model.depth == 1, let layer = model.layers.first, layer.activation == nil, layer.outputActivation == nil,
              let rep = LinearRepresentation(model, output: 0) else { return nil }
        let n = layer.hidden
        let block = Array(0..<n)   // the state part of A~_0 + A~_{s+1}
        let matrices = (0..<model.inputDim).map { s in (rep.transitions[0] + rep.transitions[s + 1]).submatrix(rows: block, columns: block) }
        let additive = (0..<n).contains { i in (0...model.inputDim).contains { !rep.transitions[$0][i, n].isZero } }
        return (matrices, additive)
    }

    /// nil when `model` is in the class, else the first reason it is not.
    public func exclusion(of model: NetworkModel) -> Exclusion? { BilinearClass.exclusions(of: model)[self]! }

    /// Every class's verdict on `model` at once (nil: a member): the spectral facts the three
    /// commuting classes share (commuting pairs, each matrix's squarefree part, its real and
    /// positive root counts) are computed once, in the order the per-class reasons need them.
    public static func exclusions(of model: NetworkModel) -> [BilinearClass: Exclusion?] {
        func all(_ e: Exclusion?) -> [BilinearClass: Exclusion?] { Dictionary(uniqueKeysWithValues: allCases.map { ($0, e) }) }
        guard model.depth == 1 else { return all(.notSingleLayer) }
        guard let (ms, additive) = transitions(of: model) else { return all(.hasActivation) }
        // y = C h_T: a readout bias is an additive term of the output (argument 4 allows it)
        let outsideAdditive: Exclusion? = additive ? .additiveTerm : model.hasReadoutBias ? .readoutBias : nil
        var out: [BilinearClass: Exclusion?] = [:]
        // one block is a block-diagonal layer: the size says how good
        out[.full] = outsideAdditive
        out[.blockDiagonal] = outsideAdditive
        let layer = model.layers[0]
        let cpOnly = layer.terms.allSatisfy({ if case .cp = $0 { return true }; return false }) && layer.cp != nil
        out[.cp] = outsideAdditive ?? (cpOnly ? nil : .noCPTerm)
        // the spectral classes: the first reason in symbol order, computed as far as needed
        var spectral: (commuting: Exclusion?, real: Exclusion?, positive: Exclusion?) = (nil, nil, nil)
        pairs: for a in ms.indices {
            for b in ms.indices where b > a && ms[a] * ms[b] != ms[b] * ms[a] {
                spectral = (.transitionsDoNotCommute(symbol: a, other: b), .transitionsDoNotCommute(symbol: a, other: b),
                            .transitionsDoNotCommute(symbol: a, other: b))
                break pairs
            }
        }
        if spectral.commuting == nil {
            for (s, m) in ms.enumerated() {
                let radical = Univariate.squarefreePart(m.characteristicPolynomial())
                guard Spectrum.evaluate(radical, at: m).isZero else {
                    spectral.commuting = .notDiagonalisable(symbol: s)
                    spectral.real = spectral.real ?? .notDiagonalisable(symbol: s)
                    spectral.positive = spectral.positive ?? .notDiagonalisable(symbol: s)
                    break
                }
                if spectral.real == nil, Univariate.realRootCount(radical) != radical.count - 1 { spectral.real = .nonRealSpectrum(symbol: s) }
                if spectral.positive == nil {
                    if let r = spectral.real { spectral.positive = r }
                    else if Univariate.realRootCount(radical, above: .zero) != radical.count - 1 { spectral.positive = .nonPositiveSpectrum(symbol: s) }
                }
            }
        }
        out[.commuting] = outsideAdditive ?? spectral.commuting
        out[.realDiagonal] = outsideAdditive ?? spectral.real
        out[.positiveDiagonal] = spectral.positive
        return out
    }

    public func contains(_ model: NetworkModel) -> Bool { exclusion(of: model) == nil }

    /// The size a model has in this class: its largest block (block-diagonal), its number of
    /// rank-one terms (CP), its hidden size otherwise. nil when it has no layer, or for
    /// block-diagonal when it is outside the hierarchy.
    public func size(of model: NetworkModel) -> Int? {
        switch self {
        case .blockDiagonal: return BilinearClass.largestBlock(of: model)
        case .cp: return model.layers.first.map { $0.cp?.rank ?? $0.hidden }
        default: return model.layers.first?.hidden
        }
    }

    /// The largest block of a common block-diagonal form of the M(e_s) in the model's basis:
    /// the largest connected set of coordinates under i ~ j when some M(e_s)[i][j] != 0 or
    /// M(e_s)[j][i] != 0. nil when the model is outside the hierarchy.
    public static func largestBlock(of model: NetworkModel) -> Int? {
        guard let (ms, _) = transitions(of: model) else { return nil }
        let n = model.layers[0].hidden
        var parent = Array(0..<n)
        func root(_ i: Int) -> Int { var r = i; while parent[r] != r { r = parent[r] }; return r }
        for m in ms { for i in 0..<n { for j in 0..<n where !m[i, j].isZero { parent[root(i)] = root(j) } } }
        var sizes: [Int: Int] = [:]
        for i in 0..<n { sizes[root(i), default: 0] += 1 }
        return sizes.values.max() ?? 0
    }
}

/// Exact matrix functions the class tests use.
enum Spectrum {
    /// p(M) by Horner's rule.
    static func evaluate(_ p: [Rational], at m: RationalMatrix) -> RationalMatrix {
        var acc = RationalMatrix(rows: m.rows, columns: m.columns)
        for c in p.reversed() {
            acc = acc * m
            for i in 0..<m.rows { acc[i, i] += c }
        }
        return acc
    }
}
