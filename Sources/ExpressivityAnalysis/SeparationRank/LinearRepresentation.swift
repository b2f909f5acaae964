import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks

/// A single layer without activations, written as a weighted automaton over the augmented
/// state h~ = [h; 1] and input x~ = [1; x]:  h~_t = sum_k x~_t[k] A~_k h~_{t-1},
/// y_T = c~^T h~_T with c~ = [C_i; c_i] (readout row and readout bias). A~_0 = [[W, b], [0, 1]]; for k >= 1, A~_k = [[B_k, U[:,k]], [0, 0]] where
/// B_k[i][j] gathers the bilinear, hadamard and cp terms' coefficient of h[j] x[k].
public struct LinearRepresentation: Sendable {
    public let dimension: Int
    public let initial: [Rational]
    public let final: [Rational]
    /// transitions[k] = A~_k, k = 0 (constant) ... d.
    public let transitions: [RationalMatrix]

    /// Whether `init(_:output:)` applies: a single layer without activations (no matrix is built).
    public static func applies(to model: NetworkModel, output: Int) -> Bool {
        model.depth == 1 && output >= 0 && output < model.outputCount
            && model.layers[0].activation == nil && model.layers[0].outputActivation == nil
    }

    /// Entries of the d + 1 dense (n + 1) x (n + 1) transitions, to refuse before building them.
    public static func entries(of model: NetworkModel) -> Double {
        let n = Double(model.layers[0].hidden + 1)
        return n * n * Double(model.inputDim + 1)
    }

    /// Rational operations of `cutRanks(length: T)`: T steps each side, every step applying
    /// d + 1 maps of size N^2 to a basis of up to N vectors and reducing them (N^3 each).
    public static func cutRanksWork(of model: NetworkModel, length T: Int) -> Double {
        let n = Double(model.layers[0].hidden + 1)
        return 2 * Double(T) * Double(model.inputDim + 1) * n * n * n
    }

    /// nil when the model is not a single layer without activations.
    public init?(_ model: NetworkModel, output: Int) {
        guard LinearRepresentation.applies(to: model, output: output) else { return nil }
        let layer = model.layers[0]
        let n = layer.hidden, d = model.inputDim, N = n + 1
        dimension = N
        initial = layer.h0 + [1]
        final = model.readout[output] + [model.readoutOffset(output)]
        var mats = [RationalMatrix](repeating: RationalMatrix(rows: N, columns: N), count: d + 1)
        mats[0][n, n] = 1
        for term in layer.terms {
            switch term {
            case .bilinear, .hadamard, .cp:
                for k in 0..<d {
                    // written in place: a local copy of mats[k + 1] would copy the whole matrix
                    for i in 0..<n { for j in 0..<n { mats[k + 1][i, j] = mats[k + 1][i, j] + term.bilinearCoefficient(i, j, k) } }
                }
            case .recurrent(let w): for i in 0..<n { for j in 0..<n { mats[0][i, j] = w[i][j] } }
            case .bias(let b): for i in 0..<n { mats[0][i, n] = b[i] }
            case .input(let u): for k in 0..<d { for i in 0..<n { mats[k + 1][i, n] = u[i][k] } }
            }
        }
        transitions = mats
    }

    /// Row-echelon basis (as rows) of the span of the given vectors.
    static func basis(_ vectors: [[Rational]], dimension: Int) -> [[Rational]] {
        if vectors.isEmpty { return [] }
        let m = RationalMatrix(vectors)
        let (form, pivots) = m.reducedRowEchelonForm()
        return (0..<pivots.count).map { form.row($0) }
    }

    static func apply(_ a: RationalMatrix, _ v: [Rational]) -> [Rational] {
        (0..<a.rows).map { i in (0..<a.columns).reduce(Rational.zero) { v[$1].isZero ? $0 : $0 + a[i, $1] * v[$1] } }
    }

    /// Bases of span{start}, then of span{M v : M in maps, v in the previous basis}, T times.
    static func spans(from start: [Rational], under maps: [RationalMatrix], steps T: Int) -> [[[Rational]]] {
        var out = [basis([start], dimension: start.count)]
        for _ in 0..<T {
            let prev = out.last!
            out.append(basis(maps.flatMap { a in prev.map { apply(a, $0) } }, dimension: start.count))
        }
        return out
    }

    /// Bases of the reachable spaces V_0 ... V_T: V_s = span of A~_{k_s}...A~_{k_1} h~_0.
    public func reachableBases(upTo T: Int) -> [[[Rational]]] {
        LinearRepresentation.spans(from: initial, under: transitions, steps: T)
    }

    /// Bases of the observable spaces W_0 ... W_T: W_j = span of (A~ words of length j)^T c~.
    public func observableBases(upTo T: Int) -> [[[Rational]]] {
        LinearRepresentation.spans(from: final, under: transitions.map(\.transposed), steps: T)
    }

    /// Ranks at every cut k = 0...T: rank(V_k^T W_{T-k}), certified.
    public func cutRanks(length T: Int) -> [Int] {
        let v = reachableBases(upTo: T), w = observableBases(upTo: T)
        return (0...T).map { k in
            let vk = v[k], wk = w[T - k]
            if vk.isEmpty || wk.isEmpty { return 0 }
            let g = RationalMatrix(rows: vk.count, columns: wk.count) { i, j in
                zip(vk[i], wk[j]).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
            }
            return g.rank()
        }
    }
}

extension LinearRepresentation {
    /// Whether the augmented transitions A~_0 ... A~_d commute pairwise (exact). When they do,
    /// y_T = c~^T A~(x~_T) ... A~(x~_1) h~_0 with A~(x~) = sum_k x~[k] A~_k is, for every T,
    /// symmetric in the order of the steps: permuting the steps permutes commuting factors.
    /// Diagonal bilinear and recurrent terms commute; an input term U or a bias b puts U x or b
    /// in the last column, and [[B_j, u_j], [0, 0]] and [[B_k, u_k], [0, 0]] commute only
    /// when B_j u_k = B_k u_j, which generic weights break.
    public var transitionsCommute: Bool {
        for i in transitions.indices {
            for j in transitions.indices where j > i {
                if transitions[i] * transitions[j] != transitions[j] * transitions[i] { return false }
            }
        }
        return true
    }
}
