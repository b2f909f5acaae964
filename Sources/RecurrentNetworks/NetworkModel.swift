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

    /// A model whose every shape is checked (`validate()`): a wrong one throws a `ModelError`
    /// at the JSON path it would have in a file.
    public static func validated(inputDim: Int, layers: [RecurrentLayer], readout: [[Rational]],
                                 readoutBias: [Rational]? = nil) throws -> NetworkModel {
        let m = NetworkModel(inputDim: inputDim, layers: layers, readout: readout, readoutBias: readoutBias)
        try m.validate()
        return m
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

/// One additive term of a layer's pre-activation (Docs/model-format.md), with u_t what the
/// layer reads: pre_t[i] is the sum of the layer's terms.
public enum LayerTerm: Equatable, Sendable {
    /// A [n][n][m]: adds sum_{j,k} A[i][j][k] h_{t-1}[j] u_t[k].
    case bilinear([[[Rational]]])
    /// adds (Ws h_{t-1})[i] (Wi u_t)[i].
    case hadamard(HadamardTerm)
    /// adds sum_r output[i][r] (state[r] . h_{t-1}) (input[r] . u_t).
    case cp(CPTerm)
    /// W [n][n]: adds (W h_{t-1})[i].
    case recurrent([[Rational]])
    /// U [n][m]: adds (U u_t)[i].
    case input([[Rational]])
    /// b [n].
    case bias([Rational])

    /// The kinds in the format's order; a layer has at most one term of each.
    public enum Kind: Int, CaseIterable, Comparable, Sendable {
        case bilinear, hadamard, cp, recurrent, input, bias
        /// The term's key in a model file.
        public var key: String {
            switch self {
            case .bilinear: return "bilinear"
            case .hadamard: return "hadamard"
            case .cp: return "cp"
            case .recurrent: return "recurrent"
            case .input: return "input"
            case .bias: return "bias"
            }
        }
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var kind: Kind {
        switch self {
        case .bilinear: return .bilinear
        case .hadamard: return .hadamard
        case .cp: return .cp
        case .recurrent: return .recurrent
        case .input: return .input
        case .bias: return .bias
        }
    }

    /// Multiplies state and input (bilinear, hadamard, cp).
    public var isMultiplicative: Bool {
        switch self {
        case .bilinear, .hadamard, .cp: return true
        case .recurrent, .input, .bias: return false
        }
    }

    /// The coefficient of h_{t-1}[j] u_t[k] in pre_t[i]: the term's bilinear tensor (zero for
    /// the terms that are not multiplicative).
    public func bilinearCoefficient(_ i: Int, _ j: Int, _ k: Int) -> Rational {
        switch self {
        case .bilinear(let a): return a[i][j][k]
        case .hadamard(let h): return h.state[i][j] * h.input[i][k]
        case .cp(let c):
            var v = Rational.zero
            for r in 0..<c.rank { v += c.output[i][r] * c.state[r][j] * c.input[r][k] }
            return v
        case .recurrent, .input, .bias: return .zero
        }
    }

    /// Every number the term stores, in the format's order.
    public var constants: [Rational] {
        switch self {
        case .bilinear(let a): return Array(a.joined().joined())
        case .hadamard(let h): return Array(h.state.joined()) + Array(h.input.joined())
        case .cp(let c): return Array(c.state.joined()) + Array(c.input.joined()) + Array(c.output.joined())
        case .recurrent(let w): return Array(w.joined())
        case .input(let u): return Array(u.joined())
        case .bias(let b): return b
        }
    }

    /// The same term with every number replaced by f of it.
    public func mapConstants(_ f: (Rational) -> Rational) -> LayerTerm {
        func m(_ x: [[Rational]]) -> [[Rational]] { x.map { $0.map(f) } }
        switch self {
        case .bilinear(let a): return .bilinear(a.map(m))
        case .hadamard(let h): return .hadamard(HadamardTerm(state: m(h.state), input: m(h.input)))
        case .cp(let c): return .cp(CPTerm(state: m(c.state), input: m(c.input), output: m(c.output)))
        case .recurrent(let w): return .recurrent(m(w))
        case .input(let u): return .input(m(u))
        case .bias(let b): return .bias(b.map(f))
        }
    }

    /// The numbers the term stores.
    public var parameterCount: Int {
        func count(_ m: [[Rational]]) -> Int { m.reduce(0) { $0 + $1.count } }
        switch self {
        case .bilinear(let a): return a.reduce(0) { $0 + count($1) }
        case .hadamard(let h): return count(h.state) + count(h.input)
        case .cp(let c): return count(c.state) + count(c.input) + count(c.output)
        case .recurrent(let w): return count(w)
        case .input(let u): return count(u)
        case .bias(let b): return b.count
        }
    }
}

public struct RecurrentLayer: Equatable, Sendable {
    public var hidden: Int
    /// h_0; nil means all zeros.
    public var initialState: [Rational]?
    /// The pre-activation's terms, at most one of each kind, in the format's order.
    public private(set) var terms: [LayerTerm]
    /// sigma coefficients c0..cK inside the recurrence; nil = identity.
    public var activation: [Rational]?
    /// rho coefficients applied to what the layer passes on; nil = identity.
    public var outputActivation: [Rational]?

    /// A layer from its terms (they are kept in the format's order). Throws when two terms have
    /// the same kind: a layer has at most one of each. Shapes are checked by `NetworkModel.validated`.
    public init(hidden: Int, initialState: [Rational]? = nil, terms: [LayerTerm], activation: [Rational]? = nil,
                outputActivation: [Rational]? = nil) throws(ModelError) {
        var seen = Set<LayerTerm.Kind>()
        for term in terms where !seen.insert(term.kind).inserted {
            throw ModelError(path: "terms", message: "two \(term.kind.key) terms; a layer has at most one term of each kind")
        }
        self.init(hidden: hidden, initialState: initialState, sortedTerms: terms.sorted { $0.kind < $1.kind },
                  activation: activation, outputActivation: outputActivation)
    }

    private init(hidden: Int, initialState: [Rational]?, sortedTerms: [LayerTerm], activation: [Rational]?, outputActivation: [Rational]?) {
        self.hidden = hidden; self.initialState = initialState; self.terms = sortedTerms
        self.activation = activation; self.outputActivation = outputActivation
    }

    public init(hidden: Int, initialState: [Rational]? = nil, bilinear: [[[Rational]]]? = nil,
                hadamard: HadamardTerm? = nil, cp: CPTerm? = nil, recurrent: [[Rational]]? = nil,
                input: [[Rational]]? = nil, bias: [Rational]? = nil, activation: [Rational]? = nil,
                outputActivation: [Rational]? = nil) {
        let terms: [LayerTerm?] = [bilinear.map { .bilinear($0) }, hadamard.map { .hadamard($0) }, cp.map { .cp($0) },
                                   recurrent.map { .recurrent($0) }, input.map { .input($0) }, bias.map { .bias($0) }]
        // one argument per kind, already in the format's order: no duplicate is possible
        self.init(hidden: hidden, initialState: initialState, sortedTerms: terms.compactMap { $0 }, activation: activation,
                  outputActivation: outputActivation)
    }

    /// The term of this kind, if the layer has one.
    public func term(_ kind: LayerTerm.Kind) -> LayerTerm? { terms.first { $0.kind == kind } }

    /// Adds a term, or replaces the one of the same kind.
    public mutating func setTerm(_ term: LayerTerm) {
        terms.removeAll { $0.kind == term.kind }
        terms.append(term)
        terms.sort { $0.kind < $1.kind }
    }

    /// Removes the term of this kind, if any.
    public mutating func removeTerm(_ kind: LayerTerm.Kind) { terms.removeAll { $0.kind == kind } }

    // One accessor per kind, for code that reads a particular term.
    public var bilinear: [[[Rational]]]? {
        get { if case .bilinear(let a)? = term(.bilinear) { return a }; return nil }
        set { if let v = newValue { setTerm(.bilinear(v)) } else { removeTerm(.bilinear) } }
    }
    public var hadamard: HadamardTerm? {
        get { if case .hadamard(let h)? = term(.hadamard) { return h }; return nil }
        set { if let v = newValue { setTerm(.hadamard(v)) } else { removeTerm(.hadamard) } }
    }
    public var cp: CPTerm? {
        get { if case .cp(let c)? = term(.cp) { return c }; return nil }
        set { if let v = newValue { setTerm(.cp(v)) } else { removeTerm(.cp) } }
    }
    public var recurrent: [[Rational]]? {
        get { if case .recurrent(let w)? = term(.recurrent) { return w }; return nil }
        set { if let v = newValue { setTerm(.recurrent(v)) } else { removeTerm(.recurrent) } }
    }
    public var input: [[Rational]]? {
        get { if case .input(let u)? = term(.input) { return u }; return nil }
        set { if let v = newValue { setTerm(.input(v)) } else { removeTerm(.input) } }
    }
    public var bias: [Rational]? {
        get { if case .bias(let b)? = term(.bias) { return b }; return nil }
        set { if let v = newValue { setTerm(.bias(v)) } else { removeTerm(.bias) } }
    }

    /// h_0 with zeros filled in.
    public var h0: [Rational] { initialState ?? [Rational](repeating: .zero, count: hidden) }
    /// Has a term multiplying state and input (bilinear, hadamard or cp).
    public var isMultiplicative: Bool { terms.contains(where: \.isMultiplicative) }

    public var parameterCount: Int { terms.reduce(0) { $0 + $1.parameterCount } }
}

/// Elementwise polynomial sigma(z) = sum_k c_k z^k; degree of the nonzero top coefficient.
public func polynomialDegree(_ coefficients: [Rational]) -> Int? {
    coefficients.lastIndex { !$0.isZero }
}
