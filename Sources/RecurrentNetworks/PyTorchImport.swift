import ExactNumbers

/// How the parameters of a trained PyTorch network are named and what they mean: the public
/// code the papers used (Docs/model-format.md, "Importing PyTorch", gives each mapping).
public enum PyTorchLayout: String, CaseIterable, Sendable {
    /// MaudeLiz/Role_of_Depth_in_RNNs src/models.py, DeepRNN / DeepRNNWithEmbedding with
    /// rnncell='linear'.
    case roleOfDepthDeepRNN = "role-of-depth-deep-rnn"
    /// The same file, DeepCPRNN with CPRNN_cell layers.
    case roleOfDepthDeepCPRNN = "role-of-depth-deep-cprnn"
    /// MaudeLiz/cprnn models/second_order_rnn.py, SecondOrderRNN.
    case cprnnSecondOrder = "cprnn-second-order"
    /// This project's layout for Levine et al.'s RAC: h_t = (Ws h_{t-1}) * (Wi u_t).
    case rac = "rac"

    /// The functions the layout applies that the file does not record (its constructor's
    /// arguments): each must be named on import.
    public var activationRoles: [ActivationRole] {
        switch self {
        case .roleOfDepthDeepRNN: return [.betweenLayers]
        case .roleOfDepthDeepCPRNN: return [.gate, .betweenLayers]
        case .cprnnSecondOrder: return [.gate]
        case .rac: return []
        }
    }
}

public enum ActivationRole: String, Sendable {
    /// Inside the recurrence (the model format's `activation`, sigma): CPRNN's `gate`.
    case gate
    /// On what each layer passes on, the last one included, before the readout (the format's
    /// `outputActivation`, rho): DeepRNN's and DeepCPRNN's `activation`.
    case betweenLayers = "activation"
}

/// The activation functions of those constructors.
public enum Nonlinearity: String, CaseIterable, Sendable {
    case identity, relu, tanh, sigmoid
}

/// DeepRNN's `rnncell`: the file's tensor names are the same for both.
public enum RNNCellKind: String, CaseIterable, Sendable {
    /// LinearRNNCell: W_ih x + b_ih + W_hh h + b_hh.
    case linear
    /// nn.RNNCell (DeepRNN's default): tanh of the same.
    case rnn
}

public struct PyTorchImportOptions: Sendable {
    public var gate: Nonlinearity?
    public var activation: Nonlinearity?
    /// DeepRNN's cell; required by role-of-depth-deep-rnn (not recorded in the file).
    public var cell: RNNCellKind?
    /// A polynomial c0 + c1 z + ... standing in for every nonlinear function named above;
    /// without it a nonlinear function is refused (an exact analysis needs polynomials).
    public var replacement: [Rational]?
    public init(gate: Nonlinearity? = nil, activation: Nonlinearity? = nil, replacement: [Rational]? = nil, cell: RNNCellKind? = nil) {
        self.gate = gate; self.activation = activation; self.replacement = replacement; self.cell = cell
    }
}

/// An imported model and what the import assumed or replaced, to be shown to the user.
public struct ImportedModel: Sendable {
    public var model: NetworkModel
    public var notes: [String]
}

public enum PyTorchImport {
    public static func model(from tensors: [String: ExactTensor], layout: PyTorchLayout, options: PyTorchImportOptions,
                             file: String) throws -> ImportedModel {
        var reader = TensorReader(tensors: tensors, file: file)
        var notes: [String] = []
        func polynomial(_ role: ActivationRole, given override: Nonlinearity? = nil) throws -> [Rational]? {
            let given = override ?? (role == .gate ? options.gate : options.activation)
            guard let f = given else {
                throw SafeTensorsError(file: file, tensor: nil, message: "the layout \(layout.rawValue) applies a \(role.rawValue) function the file does not record: name it with --\(role.rawValue) (\(Nonlinearity.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if f == .identity { return nil }
            guard let p = options.replacement else {
                throw SafeTensorsError(file: file, tensor: nil, message: "\(role.rawValue) \(f.rawValue) is not a polynomial, so no exact analysis applies; give --replace-nonlinear c0,c1,... to analyse the network with that polynomial in its place (e.g. 0,1 for the identity)")
            }
            notes.append("REPLACED: the \(role.rawValue) \(f.rawValue) by the polynomial with coefficients [\(p.map(\.description).joined(separator: ", "))]: the imported model is not the trained network")
            return p
        }
        let model: NetworkModel
        switch layout {
        case .roleOfDepthDeepRNN:
            guard let cell = options.cell else {
                throw SafeTensorsError(file: file, tensor: nil, message: "the layout role-of-depth-deep-rnn needs the cell type, which the file does not record: --rnncell linear (LinearRNNCell) or rnn (nn.RNNCell, tanh inside the recurrence, DeepRNN's default)")
            }
            // nn.RNNCell: tanh inside the recurrence (the format's sigma)
            let sigma = cell == .rnn ? try polynomial(.gate, given: .tanh) : nil
            let rho = try polynomial(.betweenLayers)
            let embedding = try reader.optionalMatrix("embedding.weight")
            var layers: [RecurrentLayer] = []
            var width = embedding?.columns ?? 0
            while reader.has("rnn_layers.\(layers.count).weight_ih") {
                let i = layers.count, p = "rnn_layers.\(i)."
                let wih = try reader.matrix(p + "weight_ih", columns: i == 0 && embedding == nil ? nil : width)
                let n = wih.rows
                let whh = try reader.matrix(p + "weight_hh", rows: n, columns: n)
                let bih = try reader.optionalVector(p + "bias_ih", count: n), bhh = try reader.optionalVector(p + "bias_hh", count: n)
                guard (bih == nil) == (bhh == nil) else { throw reader.fail("bias_ih and bias_hh come together (LinearRNNCell with bias=True)", p + (bih == nil ? "bias_hh" : "bias_ih")) }
                var input = wih.values
                if i == 0, let e = embedding { input = product(wih.values, transposed(e.values)) }   // W_ih E^T: one-hot tokens in
                var layer = RecurrentLayer(hidden: n, recurrent: whh.values, input: input, activation: sigma, outputActivation: rho)
                if let b = bih, let c = bhh { layer.bias = zip(b, c).map { $0 + $1 } }
                layers.append(layer)
                width = n
            }
            model = try reader.stack(layers, first: "rnn_layers.0.weight_ih", readout: "fc", width: width,
                                     inputDim: embedding?.rows ?? layers.first?.input?.first?.count)
            notes.append("assumed: DeepRNN with rnncell='\(cell.rawValue)', residual=False, readout_activation='identity', h_0 = 0 (the file records none of these; residual=True adds no tensor and is not detected)")
        case .roleOfDepthDeepCPRNN:
            let sigma = try polynomial(.gate), rho = try polynomial(.betweenLayers)
            let embedding = try reader.optionalMatrix("embedding.weight")
            var layers: [RecurrentLayer] = []
            var width = embedding?.columns ?? 0
            while reader.has("cprnn_layers.\(layers.count).A") {
                let i = layers.count, p = "cprnn_layers.\(i)."
                let a = try reader.matrix(p + "A")
                let n = a.rows, r = a.columns
                var b = try reader.matrix(p + "B", rows: i == 0 && embedding == nil ? nil : width, columns: r)
                let c = try reader.matrix(p + "C", rows: n, columns: r)
                var u = try reader.matrix(p + "U", rows: b.rows, columns: n)
                let v = try reader.matrix(p + "V", rows: n, columns: n)
                let d = try reader.vector(p + "d", count: n)
                if i == 0, let e = embedding {     // x = E^T e_token: x @ B = e_token @ (E B)
                    b.values = product(e.values, b.values); u.values = product(e.values, u.values)
                }
                // row vectors: h @ A, x @ B, h @ V, x @ U
                layers.append(RecurrentLayer(hidden: n, cp: CPTerm(state: transposed(a.values), input: transposed(b.values), output: c.values),
                                             recurrent: transposed(v.values), input: transposed(u.values), bias: d,
                                             activation: sigma, outputActivation: rho))
                width = n
            }
            model = try reader.stack(layers, first: "cprnn_layers.0.A", readout: "decoder", width: width,
                                     inputDim: embedding?.rows ?? layers.first?.input?.first?.count)
            notes.append("assumed: DeepCPRNN with readout_activation='identity', dropout off (evaluation), h_0 = 0")
        case .cprnnSecondOrder:
            let sigma = try polynomial(.gate)
            let w = try reader.tensor("w", order: 3)
            let n = w.shape[2], m = w.shape[1] - 1
            guard w.shape[0] == n + 1, m >= 1 else {
                throw reader.fail("shape \(w.shape) is not [hidden + 1, input + 1, hidden]", "w")
            }
            func at(_ i: Int, _ j: Int, _ k: Int) -> Rational { w.values[(i * (m + 1) + j) * n + k] }
            // [h; 1] and [x; 1]: the bilinear part, W h, U x and the bias
            var bilinear = (0..<n).map { k in (0..<n).map { i in (0..<m).map { j in at(i, j, k) } } }
            let recurrent = (0..<n).map { k in (0..<n).map { i in at(i, m, k) } }
            var input = (0..<n).map { k in (0..<m).map { j in at(n, j, k) } }
            let bias = (0..<n).map { k in at(n, m, k) }
            let embedding = try reader.optionalMatrix("embedding.weight", columns: m)
            if let e = embedding {     // x = E^T e_token
                bilinear = bilinear.map { product($0, transposed(e.values)) }
                input = product(input, transposed(e.values))
            }
            let dec = try reader.matrix("decoder.1.weight", columns: n)
            let decBias = try reader.optionalVector("decoder.1.bias", count: dec.rows)
            model = NetworkModel(inputDim: embedding?.rows ?? m, layers: [RecurrentLayer(hidden: n, bilinear: bilinear, recurrent: recurrent,
                                                                                     input: input, bias: bias, activation: sigma)],
                                 readout: dec.values, readoutBias: decBias)
            notes.append("assumed: SecondOrderRNN with dropout off (evaluation), h_0 = 0; w[i][j][k] becomes A[k][i][j] on [h; 1] x [x; 1]")
        case .rac:
            var layers: [RecurrentLayer] = []
            var width = 0
            while reader.has("layers.\(layers.count).state") {
                let i = layers.count, p = "layers.\(i)."
                let ws = try reader.matrix(p + "state")
                let n = ws.rows
                guard ws.columns == n else { throw reader.fail("shape [\(ws.rows), \(ws.columns)] is not square [hidden, hidden]", p + "state") }
                let wi = try reader.matrix(p + "input", rows: n, columns: i == 0 ? nil : width)
                let h0 = try reader.optionalVector(p + "h0", count: n)
                layers.append(RecurrentLayer(hidden: n, initialState: h0, hadamard: HadamardTerm(state: ws.values, input: wi.values)))
                width = n
            }
            model = try reader.stack(layers, first: "layers.0.state", readout: "readout", width: width,
                                     inputDim: layers.first?.hadamard?.input.first?.count)
        }
        if let extra = reader.unread.first {
            throw reader.fail("not a parameter of the layout \(layout.rawValue) (a different layout, or options such as residual connections this import does not support)", extra)
        }
        try model.validate()
        return ImportedModel(model: model, notes: notes)
    }

    static func transposed(_ a: [[Rational]]) -> [[Rational]] {
        guard let c = a.first?.count else { return [] }
        return (0..<c).map { j in a.map { $0[j] } }
    }
    /// a b for a [p][q], b [q][r].
    static func product(_ a: [[Rational]], _ b: [[Rational]]) -> [[Rational]] {
        let r = b.first?.count ?? 0
        return a.map { row in (0..<r).map { j in zip(row, b).reduce(Rational.zero) { $0 + $1.0 * $1.1[j] } } }
    }
}

/// Reads the tensors a layout names, checking each shape, and remembers which it read.
struct TensorReader {
    let tensors: [String: ExactTensor]
    let file: String
    var read: Set<String> = []

    init(tensors: [String: ExactTensor], file: String) { self.tensors = tensors; self.file = file }

    func fail(_ message: String, _ tensor: String) -> SafeTensorsError { SafeTensorsError(file: file, tensor: tensor, message: message) }
    func has(_ name: String) -> Bool { tensors[name] != nil }
    var unread: [String] { tensors.keys.filter { !read.contains($0) }.sorted() }

    mutating func tensor(_ name: String, order: Int) throws -> ExactTensor {
        guard let t = tensors[name] else { throw fail("missing: the layout needs it", name) }
        guard t.shape.count == order else { throw fail("has \(t.shape.count) dimensions \(t.shape), the layout needs \(order)", name) }
        read.insert(name)
        return t
    }
    mutating func matrix(_ name: String, rows: Int? = nil, columns: Int? = nil) throws -> (values: [[Rational]], rows: Int, columns: Int) {
        let t = try tensor(name, order: 2)
        if let r = rows, t.shape[0] != r { throw fail("shape \(t.shape): expected \(r) rows", name) }
        if let c = columns, t.shape[1] != c { throw fail("shape \(t.shape): expected \(c) columns", name) }
        guard t.shape[0] >= 1, t.shape[1] >= 1 else { throw fail("shape \(t.shape) is empty", name) }
        return (t.matrix(), t.shape[0], t.shape[1])
    }
    mutating func optionalMatrix(_ name: String, columns: Int? = nil) throws -> (values: [[Rational]], rows: Int, columns: Int)? {
        has(name) ? try matrix(name, columns: columns) : nil
    }
    mutating func vector(_ name: String, count: Int) throws -> [Rational] {
        let t = try tensor(name, order: 1)
        guard t.shape[0] == count else { throw fail("shape \(t.shape): expected [\(count)]", name) }
        return t.values
    }
    mutating func optionalVector(_ name: String, count: Int) throws -> [Rational]? {
        has(name) ? try vector(name, count: count) : nil
    }
    /// The model of a stack of layers read so far, closed by the linear readout `<readout>.weight`
    /// [out, width] with an optional `<readout>.bias`; `first` names the tensor a missing first
    /// layer would have had.
    mutating func stack(_ layers: [RecurrentLayer], first: String, readout: String, width: Int, inputDim: Int?) throws -> NetworkModel {
        guard !layers.isEmpty, let d = inputDim else { throw fail("missing: the layout's first layer", first) }
        let weight = try matrix(readout + ".weight", columns: width)
        let bias = try optionalVector(readout + ".bias", count: weight.rows)
        return NetworkModel(inputDim: d, layers: layers, readout: weight.values, readoutBias: bias)
    }
}
