import ExactNumbers
import RecurrentNetworks

/// A network run on residues modulo a prime, on a batch of points at once: the values of a
/// layer's coordinate i at the b points are `state[l][i * b ..< (i + 1) * b]`. The semantics
/// are `NetworkModel.evaluate(inputs:)`'s (the tests compare the two); the batch layout keeps
/// the inner loops over points, so each weight is read once per batch.
struct ModularNetwork: Sendable {
    let prime: UInt
    let inputDim: Int
    private let layers: [Layer]
    private let readout: [[UInt]]
    private let readoutBias: [UInt]

    private struct Layer: Sendable {
        var hidden: Int
        var width: Int
        var h0: [UInt]
        /// (i, j, k, a): pre[i] += a h[j] u[k].
        var bilinear: [(Int, Int, Int, UInt)] = []
        /// (state rows, input rows, output column or nil for Hadamard's row i): a factor
        /// (state . h)(input . u) added to pre[i] with the weight.
        var products: [(state: [UInt], input: [UInt], outputs: [(Int, UInt)])] = []
        var recurrent: [[UInt]]? = nil
        var input: [[UInt]]? = nil
        var bias: [UInt]? = nil
        var activation: [UInt]? = nil
        var outputActivation: [UInt]? = nil
    }

    /// nil when a denominator of the model is divisible by the prime.
    init?(_ model: NetworkModel, prime p: UInt) {
        func r(_ x: Rational) -> UInt? { x.mod(p) }
        func rv(_ v: [Rational]) -> [UInt]? {
            var out: [UInt] = []
            for x in v { guard let y = r(x) else { return nil }; out.append(y) }
            return out
        }
        func rm(_ m: [[Rational]]) -> [[UInt]]? {
            var out: [[UInt]] = []
            for row in m { guard let y = rv(row) else { return nil }; out.append(y) }
            return out
        }
        prime = p; inputDim = model.inputDim
        var built: [Layer] = []
        for (l, layer) in model.layers.enumerated() {
            guard let h0 = rv(layer.h0) else { return nil }
            var out = Layer(hidden: layer.hidden, width: model.inputWidth(ofLayer: l), h0: h0)
            for term in layer.terms {
                switch term {
                case .bilinear(let a):
                    for i in a.indices { for j in a[i].indices { for k in a[i][j].indices where !a[i][j][k].isZero {
                        guard let w = r(a[i][j][k]) else { return nil }
                        out.bilinear.append((i, j, k, w))
                    } } }
                case .hadamard(let hd):
                    guard let s = rm(hd.state), let u = rm(hd.input) else { return nil }
                    for i in 0..<layer.hidden { out.products.append((s[i], u[i], [(i, 1)])) }
                case .cp(let cp):
                    guard let s = rm(cp.state), let u = rm(cp.input), let o = rm(cp.output) else { return nil }
                    for q in 0..<cp.rank {
                        out.products.append((s[q], u[q], (0..<layer.hidden).compactMap { o[$0][q] == 0 ? nil : ($0, o[$0][q]) }))
                    }
                case .recurrent(let w): guard let m = rm(w) else { return nil }; out.recurrent = m
                case .input(let u): guard let m = rm(u) else { return nil }; out.input = m
                case .bias(let b): guard let v = rv(b) else { return nil }; out.bias = v
                }
            }
            if let a = layer.activation { guard let v = rv(a) else { return nil }; out.activation = v }
            if let a = layer.outputActivation { guard let v = rv(a) else { return nil }; out.outputActivation = v }
            built.append(out)
        }
        layers = built
        guard let c = rm(model.readout), let c0 = rv((0..<model.outputCount).map(model.readoutOffset)) else { return nil }
        readout = c; readoutBias = c0
    }

    @inline(__always) private func mul(_ a: UInt, _ b: UInt) -> UInt {
        prime == Mersenne61.p ? Mersenne61.mul(a, b) : ModularArithmetic.mulmod(a, b, prime)
    }
    @inline(__always) private func add(_ a: UInt, _ b: UInt) -> UInt { let s = a &+ b; return s >= prime ? s &- prime : s }

    /// The states of a batch: h^l_t for every layer, and the number of steps taken (the readout
    /// applies rho only after a step, as the recurrence does).
    struct Batch: Sendable {
        var size: Int
        var states: [[UInt]]
        var steps = 0
    }

    func initial(batch b: Int) -> Batch {
        Batch(size: b, states: layers.map { layer in layer.h0.flatMap { [UInt](repeating: $0, count: b) } })
    }

    /// One step. `inputs[k * b + s]` is x[k] at point s, or `inputs[k]` for every point when
    /// it has only d entries (a shared input).
    func advance(_ batch: inout Batch, inputs: [UInt]) {
        let b = batch.size, shared = inputs.count == inputDim
        var u = shared ? inputs.flatMap { [UInt](repeating: $0, count: b) } : inputs
        for (l, layer) in layers.enumerated() {
            let h = batch.states[l], n = layer.hidden, m = layer.width
            var pre = [UInt](repeating: 0, count: n * b)
            for (i, j, k, w) in layer.bilinear {
                for s in 0..<b { pre[i * b + s] = add(pre[i * b + s], mul(w, mul(h[j * b + s], u[k * b + s]))) }
            }
            if !layer.products.isEmpty {
                var sv = [UInt](repeating: 0, count: b), uv = [UInt](repeating: 0, count: b)
                for (state, input, outputs) in layer.products {
                    for s in 0..<b { sv[s] = 0; uv[s] = 0 }
                    for j in 0..<n where state[j] != 0 { for s in 0..<b { sv[s] = add(sv[s], mul(state[j], h[j * b + s])) } }
                    for k in 0..<m where input[k] != 0 { for s in 0..<b { uv[s] = add(uv[s], mul(input[k], u[k * b + s])) } }
                    for s in 0..<b { sv[s] = mul(sv[s], uv[s]) }
                    for (i, w) in outputs { for s in 0..<b { pre[i * b + s] = add(pre[i * b + s], mul(w, sv[s])) } }
                }
            }
            if let w = layer.recurrent {
                for i in 0..<n { for j in 0..<n where w[i][j] != 0 { for s in 0..<b { pre[i * b + s] = add(pre[i * b + s], mul(w[i][j], h[j * b + s])) } } }
            }
            if let v = layer.input {
                for i in 0..<n { for k in 0..<m where v[i][k] != 0 { for s in 0..<b { pre[i * b + s] = add(pre[i * b + s], mul(v[i][k], u[k * b + s])) } } }
            }
            if let c = layer.bias { for i in 0..<n { for s in 0..<b { pre[i * b + s] = add(pre[i * b + s], c[i]) } } }
            if let a = layer.activation { pre = pre.map { horner(a, $0) } }
            batch.states[l] = pre
            u = layer.outputActivation.map { a in pre.map { horner(a, $0) } } ?? pre
        }
        batch.steps += 1
    }

    /// y[output] at every point of the batch.
    func output(_ o: Int, _ batch: Batch) -> [UInt] {
        let b = batch.size, top = layers[layers.count - 1]
        let h = batch.states[layers.count - 1]
        let passed = batch.steps > 0 ? (top.outputActivation.map { a in h.map { horner(a, $0) } } ?? h) : h
        var y = [UInt](repeating: readoutBias[o], count: b)
        for (i, c) in readout[o].enumerated() where c != 0 { for s in 0..<b { y[s] = add(y[s], mul(c, passed[i * b + s])) } }
        return y
    }

    private func horner(_ a: [UInt], _ z: UInt) -> UInt {
        var r: UInt = 0
        for c in a.reversed() { r = add(mul(r, z), c) }
        return r
    }
}
