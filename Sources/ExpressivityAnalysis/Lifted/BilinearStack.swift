import ExactNumbers
import RecurrentNetworks

/// A stack of bilinear layers: every term of every layer multiplies state and input
/// (bilinear, Hadamard, CP), so h^l_t = B^l(h^l_{t-1}, h^{l-1}_t) with h^0 = x; no sigma,
/// no rho, no readout bias. Then y_T is multi-homogeneous (Docs/separation-rank.md,
/// algorithm 6): of degree e_s = C(T - s + L - 1, L - 1) in x_s, and, at a cut k with
/// j = T - k, of degree delta_l = C(j + L - l - 1, L - l) in the state h^l_k of layer l.
/// Each degree pattern bounds the rank by a count of monomials.
public enum BilinearStack {
    /// Additive terms (recurrent, input, bias) may be present with all weights zero.
    public static func applies(to model: NetworkModel) -> Bool {
        !model.hasReadoutBias && model.layers.allSatisfy { layer in
            layer.activation == nil && layer.outputActivation == nil && layer.terms.contains(where: \.isMultiplicative)
                && layer.terms.allSatisfy { $0.isMultiplicative || $0.constants.allSatisfy(\.isZero) }
        }
    }

    /// e_s: the degree of y_T in x_s (1-based s <= T).
    public static func inputDegree(step s: Int, length T: Int, depth L: Int) -> BigInt {
        binomial(T - s + L - 1, L - 1)
    }

    /// delta_l: the degree of y_T in h^l_k (1-based l), j = T - k >= 1 steps after the cut.
    public static func stateDegree(layer l: Int, stepsAfter j: Int, depth L: Int) -> BigInt {
        binomial(j + L - l - 1, L - l)
    }

    /// The number of monomials in x_s, s in `steps`, of degree e_s in each: rows (past) or
    /// columns (future) of the unfolding that can be nonzero.
    public static func inputMonomials(_ model: NetworkModel, length T: Int, steps: ClosedRange<Int>) -> BigInt {
        steps.reduce(BigInt.one) { $0 * multichoose(model.inputDim, inputDegree(step: $1, length: T, depth: model.depth)) }
    }

    /// dim W: the monomials in the state at the cut with degree delta_l in each layer's state.
    public static func stateMonomials(_ model: NetworkModel, stepsAfter j: Int) -> BigInt {
        model.layers.enumerated().reduce(BigInt.one) { acc, e in
            acc * multichoose(e.element.hidden, stateDegree(layer: e.offset + 1, stepsAfter: j, depth: model.depth))
        }
    }

    /// The exponents of the state monomials of degree degrees[l] in layer l's n_l units, mu[l][i]
    /// the exponent of h^l_i; layers' exponents in lexicographic order, the first layer slowest.
    public static func stateExponents(hidden: [Int], degrees: [Int]) -> [[[Int]]] {
        precondition(hidden.count == degrees.count)
        var out: [[[Int]]] = [[]]
        for (n, e) in zip(hidden, degrees) {
            let layer = ReachableEquation.compositions(e, parts: n)
            out = out.flatMap { prefix in layer.map { prefix + [$0] } }
        }
        return out
    }

    /// C(n, k), exact (0 when k < 0 or k > n).
    static func binomial(_ n: Int, _ k: Int) -> BigInt {
        guard k >= 0, n >= k else { return .zero }
        var r = BigInt.one
        for i in 0..<min(k, n - k) { r = (r * BigInt(n - i)).dividedExactly(by: BigInt(i + 1)) }
        return r
    }

    /// The number of monomials of degree e in n variables, C(e + n - 1, n - 1), for a degree
    /// that may exceed Int (n is small).
    static func multichoose(_ n: Int, _ e: BigInt) -> BigInt {
        guard n >= 1 else { return e.isZero ? .one : .zero }
        var r = BigInt.one
        for i in 1..<n { r = (r * (e + BigInt(i))).dividedExactly(by: BigInt(i)) }
        return r
    }
}

/// rank <= r at a cut of a bilinear stack, from one side's degree pattern (`BilinearStack`):
/// the past or future input monomials of the degrees e_s, the state monomials of the degrees
/// delta_l (less the four killed states' evaluations where they exist), or those state
/// monomials less the multiples of an equation of the reachable states (`ReachableEquation`).
public struct HomogeneousBoundProof: Sendable, Equatable {
    public enum Side: String, Sendable { case past, future, state, reachable }
    public let side: Side
    /// On the state side of a depth-3 stack with two units per layer and d = 2.
    public let killed: KilledStates?
    /// On the reachable side: f with f(z_k) = 0 at this cut.
    public let equation: ReachableEquation?

    public init(side: Side, killed: KilledStates? = nil, equation: ReachableEquation? = nil) {
        self.side = side; self.killed = killed; self.equation = equation
    }

    /// The bound at cut k of T, checked from the model (nil when the argument does not apply).
    public func bound(model: NetworkModel, length T: Int, cut k: Int) -> BigInt? {
        guard BilinearStack.applies(to: model), k >= 1, k < T else { return nil }
        switch side {
        case .past: return killed == nil && equation == nil ? BilinearStack.inputMonomials(model, length: T, steps: 1...k) : nil
        case .future: return killed == nil && equation == nil ? BilinearStack.inputMonomials(model, length: T, steps: (k + 1)...T) : nil
        case .state:
            guard equation == nil else { return nil }
            let w = BilinearStack.stateMonomials(model, stepsAfter: T - k)
            guard let killed else { return w }
            return killed.verify(model) ? w - BigInt(4) : nil
        case .reachable:
            guard killed == nil, let f = equation, f.cut == k else { return nil }
            let multiples = f.multiples(model, stepsAfter: T - k)
            guard multiples.signum > 0, f.verify(model) else { return nil }
            return BilinearStack.stateMonomials(model, stepsAfter: T - k) - multiples
        }
    }
}
