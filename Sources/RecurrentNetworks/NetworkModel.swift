import ExactNumbers

/// A deep recurrent network in the shared model format (Docs/model-format.md).
/// Layer 1 reads x_t (width `inputDim`); layer l > 1 reads o^{l-1}_t; the readout C maps
/// o^L_T to the outputs, y_T = C o^L_T + c.
public struct NetworkModel: Equatable, Sendable {
    public var inputDim: Int
    public var layers: [RecurrentLayer]
    /// C, shape [outputs][hidden of the last layer].
    public var readout: [[Rational]]
    /// c, one number per output (the format's optional "readoutBias"); nil when absent, which
    /// means zero. Kept apart from an explicit zero so that a file reads and writes back unchanged.
    public var readoutBias: [Rational]?

    public init(inputDim: Int, layers: [RecurrentLayer], readout: [[Rational]], readoutBias: [Rational]? = nil) {
        self.inputDim = inputDim; self.layers = layers; self.readout = readout; self.readoutBias = readoutBias
    }

    /// c_i, zero without a readout bias.
    public func readoutOffset(_ output: Int) -> Rational { readoutBias?[output] ?? .zero }
    /// Whether some output has a nonzero readout bias (y_T then has a constant part of its own).
    public var hasReadoutBias: Bool { readoutBias?.contains { !$0.isZero } ?? false }

    public var depth: Int { layers.count }
    public var outputCount: Int { readout.count }
    /// Width of what layer l (0-based) reads.
    public func inputWidth(ofLayer l: Int) -> Int { l == 0 ? inputDim : layers[l - 1].hidden }
    /// Number of weights (every stored number except h_0 and activations).
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.parameterCount } + readout.reduce(0) { $0 + $1.count } + (readoutBias?.count ?? 0)
    }
}

public struct HadamardTerm: Equatable, Sendable {
    /// Ws [n][n] and Wi [n][m]: adds (Ws h_{t-1})[i] * (Wi u_t)[i].
    public var state: [[Rational]]
    public var input: [[Rational]]
    public init(state: [[Rational]], input: [[Rational]]) { self.state = state; self.input = input }
}

public struct CPTerm: Equatable, Sendable {
    /// state [R][n], input [R][m], output [n][R]:
    /// adds sum_r output[i][r] (state[r] . h_{t-1}) (input[r] . u_t).
    public var state: [[Rational]]
    public var input: [[Rational]]
    public var output: [[Rational]]
    public var rank: Int { state.count }
    public init(state: [[Rational]], input: [[Rational]], output: [[Rational]]) {
        self.state = state; self.input = input; self.output = output
    }
}

public struct RecurrentLayer: Equatable, Sendable {
    public var hidden: Int
    /// h_0; nil means all zeros.
    public var initialState: [Rational]?
    /// A [n][n][m].
    public var bilinear: [[[Rational]]]?
    public var hadamard: HadamardTerm?
    public var cp: CPTerm?
    /// W [n][n].
    public var recurrent: [[Rational]]?
    /// U [n][m].
    public var input: [[Rational]]?
    public var bias: [Rational]?
    /// sigma coefficients c0..cK inside the recurrence; nil = identity.
    public var activation: [Rational]?
    /// rho coefficients applied to what the layer passes on; nil = identity.
    public var outputActivation: [Rational]?

    public init(hidden: Int, initialState: [Rational]? = nil, bilinear: [[[Rational]]]? = nil,
                hadamard: HadamardTerm? = nil, cp: CPTerm? = nil, recurrent: [[Rational]]? = nil,
                input: [[Rational]]? = nil, bias: [Rational]? = nil, activation: [Rational]? = nil,
                outputActivation: [Rational]? = nil) {
        self.hidden = hidden; self.initialState = initialState; self.bilinear = bilinear
        self.hadamard = hadamard; self.cp = cp; self.recurrent = recurrent; self.input = input
        self.bias = bias; self.activation = activation; self.outputActivation = outputActivation
    }

    /// h_0 with zeros filled in.
    public var h0: [Rational] { initialState ?? [Rational](repeating: .zero, count: hidden) }
    /// Has a term multiplying state and input (bilinear, hadamard or cp).
    public var isMultiplicative: Bool { bilinear != nil || hadamard != nil || cp != nil }

    public var parameterCount: Int {
        var c = 0
        if let a = bilinear { c += a.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }
        if let h = hadamard { c += h.state.reduce(0) { $0 + $1.count } + h.input.reduce(0) { $0 + $1.count } }
        if let p = cp { c += (p.state + p.input + p.output).reduce(0) { $0 + $1.count } }
        if let w = recurrent { c += w.reduce(0) { $0 + $1.count } }
        if let u = input { c += u.reduce(0) { $0 + $1.count } }
        if let b = bias { c += b.count }
        return c
    }
}

/// Elementwise polynomial sigma(z) = sum_k c_k z^k; degree of the nonzero top coefficient.
public func polynomialDegree(_ coefficients: [Rational]) -> Int? {
    coefficients.lastIndex { !$0.isZero }
}
