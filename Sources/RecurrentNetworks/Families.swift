import ExactNumbers

/// The named architectures a user asks for by name (Docs/model-format.md, "Families").
public enum ModelFamily: String, CaseIterable, Sendable {
    case linearRNN = "linear-rnn"
    case twoRNN = "2rnn"
    case affineTwoRNN = "affine-2rnn"
    case rac = "rac"
    case diagonalTwoRNN = "diagonal-2rnn"
    case cpTwoRNN = "cp-2rnn"
    case linearRNNLayerwise = "linear-rnn-layerwise"

    public var summary: String {
        switch self {
        case .linearRNN: return "linear RNN: h_t = W h_{t-1} + U u_t, h_0 = 0"
        case .twoRNN: return "linear 2RNN: h_t = A(h_{t-1}, u_t) (bilinear only), random h_0"
        case .affineTwoRNN: return "affine 2RNN: bilinear + W h + U u + b, h_0 = 0"
        case .rac: return "RAC (Levine et al.): h_t = (Ws h_{t-1}) * (Wi u_t) elementwise, h_0 = 1"
        case .diagonalTwoRNN: return "diagonal (Mamba-like) 2RNN: A[i][j][k] = 0 for i != j, random h_0"
        case .cpTwoRNN: return "CP-2RNN: CP-factored bilinear (rank = hidden) + W h + U u + b, h_0 = 0"
        case .linearRNNLayerwise: return "deep linear RNN with a polynomial outputActivation after every layer, the last included (as DeepRNN in the depth paper's code)"
        }
    }
}

/// Which layers apply the output activation rho.
public enum OutputActivationPlacement: String, CaseIterable, Sendable {
    /// After every layer, the last included, before the readout (the depth paper's DeepRNN).
    case everyLayer = "every-layer"
    /// Between layers only: layers 1..L-1.
    case betweenLayers = "between-layers"
}

/// How to generate a random member of a family.
public struct FamilySpec: Sendable, Equatable {
    public var family: ModelFamily
    public var depth: Int
    public var hidden: Int
    public var inputDim: Int
    public var seed: UInt64
    /// Weights are integers drawn uniformly from [-range, range] without 0 (a zero weight
    /// would change the architecture's support; nonzero integers keep models generic).
    public var range: Int
    public var outputs: Int
    /// CP rank for cp-2rnn (default: hidden).
    public var cpRank: Int?
    /// sigma inside every layer's recurrence (nil = identity).
    public var activation: [Rational]?
    /// rho; for linear-rnn-layerwise it defaults to z + z^2.
    public var outputActivation: [Rational]?
    /// Where rho is applied: nil means the family's default, every layer for
    /// linear-rnn-layerwise (the depth paper's DeepRNN applies its activation after every
    /// layer, the last included), between layers for the others.
    public var outputActivationPlacement: OutputActivationPlacement?

    public init(family: ModelFamily, depth: Int, hidden: Int, inputDim: Int, seed: UInt64 = 1, range: Int = 3,
                outputs: Int = 1, cpRank: Int? = nil, activation: [Rational]? = nil, outputActivation: [Rational]? = nil,
                outputActivationPlacement: OutputActivationPlacement? = nil) {
        self.family = family; self.depth = depth; self.hidden = hidden; self.inputDim = inputDim; self.seed = seed
        self.range = range; self.outputs = outputs; self.cpRank = cpRank; self.activation = activation
        self.outputActivation = outputActivation; self.outputActivationPlacement = outputActivationPlacement
    }

    public var effectivePlacement: OutputActivationPlacement {
        outputActivationPlacement ?? (family == .linearRNNLayerwise ? .everyLayer : .betweenLayers)
    }

    public static let defaultLayerwiseActivation: [Rational] = [0, 1, 1]

    /// Checks the sizes, naming the offending option.
    public func validate() throws {
        func check(_ ok: Bool, _ what: String) throws { if !ok { throw ModelError(path: "--\(what)", message: "must be positive") } }
        try check(depth >= 1, "depth"); try check(hidden >= 1, "hidden"); try check(inputDim >= 1, "input-dim")
        try check(range >= 1, "range"); try check(outputs >= 1, "outputs")
        if let r = cpRank { try check(r >= 1, "cp-rank") }
    }

    /// The model; the same spec always gives the same weights.
    public func model() -> NetworkModel {
        var g = SeededGenerator(seed: seed)
        func w() -> Rational {
            let v = Int.random(in: 1...range, using: &g)
            return Rational(Bool.random(using: &g) ? v : -v)
        }
        func vec(_ n: Int) -> [Rational] { (0..<n).map { _ in w() } }
        func mat(_ r: Int, _ c: Int) -> [[Rational]] { (0..<r).map { _ in vec(c) } }
        var layers: [RecurrentLayer] = []
        for l in 0..<depth {
            let n = hidden, m = l == 0 ? inputDim : hidden
            var layer = RecurrentLayer(hidden: n)
            switch family {
            case .linearRNN:
                layer.recurrent = mat(n, n); layer.input = mat(n, m)
            case .linearRNNLayerwise:
                layer.recurrent = mat(n, n); layer.input = mat(n, m)
            case .twoRNN:
                layer.bilinear = (0..<n).map { _ in mat(n, m) }; layer.initialState = vec(n)
            case .affineTwoRNN:
                layer.bilinear = (0..<n).map { _ in mat(n, m) }
                layer.recurrent = mat(n, n); layer.input = mat(n, m); layer.bias = vec(n)
            case .rac:
                layer.hadamard = HadamardTerm(state: mat(n, n), input: mat(n, m))
                layer.initialState = [Rational](repeating: 1, count: n)
            case .diagonalTwoRNN:
                layer.bilinear = (0..<n).map { i in (0..<n).map { j in (0..<m).map { _ in i == j ? w() : .zero } } }
                layer.initialState = vec(n)
            case .cpTwoRNN:
                let r = cpRank ?? n
                layer.cp = CPTerm(state: mat(r, n), input: mat(r, m), output: mat(n, r))
                layer.recurrent = mat(n, n); layer.input = mat(n, m); layer.bias = vec(n)
            }
            if let a = activation { layer.activation = a }
            let rho = family == .linearRNNLayerwise ? outputActivation ?? FamilySpec.defaultLayerwiseActivation : outputActivation
            if let o = rho, l < depth - 1 || effectivePlacement == .everyLayer { layer.outputActivation = o }
            layers.append(layer)
        }
        return NetworkModel(inputDim: inputDim, layers: layers, readout: mat(outputs, hidden))
    }
}
