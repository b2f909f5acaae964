import ExactNumbers
import Polynomials

/// What a network can be unrolled over: exact polynomials, or structural degree shapes
/// (the same recurrence with coefficient values ignored). One generic step serves both.
public protocol UnrollValue: Sendable {
    static func constant(_ c: Rational) -> Self
    /// The input variable x[t][k] (1-based t and k).
    static func input(step t: Int, coordinate k: Int, inputDim d: Int) -> Self
    /// sum_i c_i v_i.
    static func combination(_ terms: [(Rational, Self)]) -> Self
    static func * (a: Self, b: Self) -> Self
    func power(_ k: Int) -> Self
    var isZeroValue: Bool { get }
    /// What a product's cost is counted in (terms for polynomials; 1 for shapes).
    var size: Int { get }
}

/// An exact value an expansion can run in: the sparse `Polynomial` or the packed engine
/// (packed exponents, integer coefficients; `ExpansionEstimate.runsPacked` chooses);
/// `polynomial` is the sparse form either way.
public protocol ExactUnrollValue: UnrollValue {
    init(_ c: Rational)
    static func variable(_ index: Int) -> Self
    var isZero: Bool { get }
    var termCount: Int { get }
    var polynomial: Polynomial { get }
}

extension ExactUnrollValue {
    public static func constant(_ c: Rational) -> Self { Self(c) }
    public static func input(step t: Int, coordinate k: Int, inputDim d: Int) -> Self {
        .variable(InputVariables.index(step: t, coordinate: k, inputDim: d))
    }
    public var isZeroValue: Bool { isZero }
    public var size: Int { termCount }
}

extension Polynomial: ExactUnrollValue {
    public var polynomial: Polynomial { self }
}
extension PackedPolynomial: ExactUnrollValue {
    public var polynomial: Polynomial { Polynomial(self) }
}

/// x[t][k] is variable (t-1)*d + (k-1): step t's block is contiguous, and the numbering
/// does not depend on the length, so unrolling can go on step by step.
public enum InputVariables {
    public static func index(step t: Int, coordinate k: Int, inputDim d: Int) -> Int { (t - 1) * d + (k - 1) }
    public static func step(ofVariable v: Int, inputDim d: Int) -> Int { v / d + 1 }
    public static func space(length T: Int, inputDim d: Int) -> VariableSpace { .sequence(steps: max(T, 1), width: d) }
}

public enum UnrollError: LimitRefusal, Equatable {
    case tooManyTerms(estimate: SizeEstimate, limit: Int, length: Int)
    /// `coefficientBits`: the widest coefficient estimated (by the step the estimate stopped at).
    case tooMuchMemory(estimate: SizeEstimate, limit: Int, length: Int, coefficientBits: Double)
    case tooMuchWork(estimate: SizeEstimate, limit: Double, length: Int)
    case outputOutOfRange(index: Int, outputs: Int)
    /// A layer index (1-based) past the model's depth.
    case layerOutOfRange(layer: Int, depth: Int)

    /// 8589934592 as "8 GiB", 1536 as "1.5 KiB": the unit users pass to --max-memory.
    public static func binarySize(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = Double(bytes), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        let text = v == v.rounded() ? String(Int(v)) : String(Double(Int(v * 10)) / 10)
        return "\(text) \(units[u])"
    }

    /// A size estimate as printed: an integer below 10^15, a power of two above, never a trap.
    public static func formatEstimate(_ x: Double) -> String {
        if !x.isFinite { return "too many to count (past 10^300, or a step degree past 10^6)" }
        return x >= 1e15 ? "about 2^\(Int(x.exponent))" : String(Int(x.rounded(.up)))
    }

    public var refusal: String {
        switch self {
        case let .tooManyTerms(estimate, limit, length):
            return "unrolling to T = \(length) may produce \(estimate) terms in one polynomial, above the limit of \(limit)"
        case let .tooMuchMemory(estimate, limit, length, bits):
            let by = estimate.isLowerBound ? " bits by then" : " bits"
            return "unrolling to T = \(length) may hold \(estimate) bytes at once (coefficients of up to \(UnrollError.formatEstimate(bits))\(by)), above the limit of \(limit) bytes (\(UnrollError.binarySize(limit)))"
        case let .tooMuchWork(estimate, limit, length):
            return "unrolling to T = \(length) may take \(estimate) coefficient operations, above the limit of \(UnrollError.formatEstimate(limit))"
        case let .outputOutOfRange(i, n):
            return "output index \(i) is out of range: the readout has \(n) output(s), indices 0 to \(n - 1)"
        case let .layerOutOfRange(l, depth):
            return "layer \(l) is out of range 1...\(depth)"
        }
    }

    public var limit: ResourceLimit? {
        switch self {
        case .tooManyTerms: return .maxTerms
        case .tooMuchMemory: return .maxBytes
        case .tooMuchWork: return .maxWork
        case .outputOutOfRange, .layerOutOfRange: return nil
        }
    }

    public var description: String { libraryDescription }
}

/// The network unrolled step by step: after `advance()` t times, `states[l]` holds h^l_t
/// and `outputs` holds y_t = C o^L_t for every output. Unrolling to T gives every t <= T
/// on the way.
public struct Unrolling<V: UnrollValue>: Sendable {
    public let model: NetworkModel
    public private(set) var step = 0
    /// h^l_t for each layer l (0-based).
    public private(set) var states: [[V]]
    /// o^l_t = rho(h^l_t) for t >= 1; h^l_0 at t = 0 (rho is never applied to h_0).
    public private(set) var passed: [[V]]

    public init(_ model: NetworkModel) {
        self.model = model
        states = model.layers.map { $0.h0.map { V.constant($0) } }
        passed = states
    }

    /// Resumes from given states h^l_k at step k (e.g. symbolic states for a split at k).
    /// What each layer passes on is rho(h^l_k) for k >= 1, as `advance()` would have left it
    /// (h^l_0 itself at k = 0), so `outputs` is y_k even before any step is taken.
    public init(_ model: NetworkModel, states: [[V]], step: Int) {
        precondition(states.count == model.depth && zip(states, model.layers).allSatisfy { $0.count == $1.hidden },
                     "state shapes do not match the model")
        precondition(step >= 0, "step \(step) < 0")
        self.model = model
        self.states = states
        self.passed = step == 0 ? states
            : zip(model.layers, states).map { layer, h in h.map { Unrolling.apply(layer.outputActivation, $0) } }
        self.step = step
    }

    /// y_t for every output.
    public var outputs: [V] { (0..<model.outputCount).map(readout) }

    public func output(_ index: Int) throws -> V {
        guard index >= 0 && index < model.outputCount else { throw UnrollError.outputOutOfRange(index: index, outputs: model.outputCount) }
        return readout(index)
    }

    /// C_i o^L_t + c_i.
    func readout(_ i: Int) -> V {
        var terms = Array(zip(model.readout[i], passed[model.depth - 1]))
        let c = model.readoutOffset(i)
        if !c.isZero { terms.append((c, V.constant(1))) }
        return V.combination(terms)
    }

    public mutating func advance() { advance(checking: { _, _ in }) }

    /// One step, calling `check(a, b)` before every product a * b (a power z^k is checked
    /// as z times z^(k-1) with that size bound, a sum of summands of total size s as s * 1,
    /// so a · b bounds the terms of what is built next): a caller without a structural estimate
    /// refuses a product here, before it is multiplied out, from its operands' sizes.
    /// After a throw the unrolling is mid-step: discard it.
    /// `built(v)` sees every value the step builds (products, dot products, CP factors, powers,
    /// sums, the new states and passed values), in a fixed order: the size estimate sizes them all.
    /// `multiplied(a, b)` sees the operands of every product (a power z^k as k - 1 products
    /// z^k * z, a bound on its cost): the work estimate sums their costs.
    public mutating func advance(checking check: (_ a: Int, _ b: Int) throws -> Void,
                                 built: (V) -> Void = { _ in }, multiplied: (V, V) -> Void = { _, _ in }) rethrows {
        step += 1
        var u: [V] = (1...model.inputDim).map { V.input(step: step, coordinate: $0, inputDim: model.inputDim) }
        for (l, layer) in model.layers.enumerated() {
            let h = states[l]
            let pre = try Unrolling.preactivation(layer, state: h, input: u, check: check, built: built, multiplied: multiplied)
            let next = try pre.map { try Unrolling.apply(layer.activation, $0, check: check, built: built, multiplied: multiplied) }
            states[l] = next
            passed[l] = try next.map { try Unrolling.apply(layer.outputActivation, $0, check: check, built: built, multiplied: multiplied) }
            u = passed[l]
        }
    }

    static func apply(_ coefficients: [Rational]?, _ z: V) -> V { apply(coefficients, z, check: { _, _ in }) }

    static func apply(_ coefficients: [Rational]?, _ z: V, check: (Int, Int) throws -> Void,
                      built: (V) -> Void = { _ in }, multiplied: (V, V) -> Void = { _, _ in }) rethrows -> V {
        guard let c = coefficients else { return z }
        var terms: [(Rational, V)] = []
        for (k, ck) in c.enumerated() where !ck.isZero {
            if k >= 2 && !z.isZeroValue {
                var rest = 1
                for _ in 1..<k { rest = rest.multipliedReportingOverflow(by: z.size).overflow ? Int.max : rest * z.size }
                try check(z.size, rest)
            }
            let power = k == 0 ? V.constant(1) : (k == 1 ? z : z.power(k))
            if k >= 2 { built(power); for _ in 1..<k { multiplied(power, z) } }
            terms.append((ck, power))
        }
        let out = V.combination(terms)
        built(out)
        return out
    }

    static func dot(_ w: [Rational], _ v: [V]) -> V { V.combination(Array(zip(w, v))) }

    /// pre_t[i] = bilinear + hadamard + cp + W h + U u + b.
    static func preactivation(_ layer: RecurrentLayer, state h: [V], input u: [V],
                              check: (Int, Int) throws -> Void = { _, _ in }, built: (V) -> Void = { _ in },
                              multiplied: (V, V) -> Void = { _, _ in }) rethrows -> [V] {
        let n = layer.hidden, m = u.count
        var sums = [[(Rational, V)]](repeating: [], count: n)
        // (stateRow . h) (inputRow . u), the input side first: a zero input side makes the
        // state side unnecessary; nil when either side is zero
        func gated(_ stateRow: [Rational], _ inputRow: [Rational]) throws -> V? {
            let v = dot(inputRow, u)
            if v.isZeroValue { return nil }
            built(v)
            let s = dot(stateRow, h)
            if s.isZeroValue { return nil }
            built(s)
            try check(s.size, v.size)
            multiplied(s, v)
            let p = s * v
            built(p)
            return p
        }
        for term in layer.terms {
            switch term {
            case .bilinear(let a):
                var products = [V?](repeating: nil, count: n * m)  // h[j]*u[k], computed once
                for i in 0..<n {
                    for j in 0..<n where !h[j].isZeroValue {
                        for k in 0..<m where !a[i][j][k].isZero && !u[k].isZeroValue {
                            if products[j * m + k] == nil {
                                try check(h[j].size, u[k].size)
                                multiplied(h[j], u[k])
                                products[j * m + k] = h[j] * u[k]
                                built(products[j * m + k]!)
                            }
                            sums[i].append((a[i][j][k], products[j * m + k]!))
                        }
                    }
                }
            case .hadamard(let hd):
                for i in 0..<n { if let p = try gated(hd.state[i], hd.input[i]) { sums[i].append((1, p)) } }
            case .cp(let cp):
                // a factor no output reads is never built
                for r in 0..<cp.rank where (0..<n).contains(where: { !cp.output[$0][r].isZero }) {
                    guard let factor = try gated(cp.state[r], cp.input[r]) else { continue }
                    for i in 0..<n where !cp.output[i][r].isZero { sums[i].append((cp.output[i][r], factor)) }
                }
            case .recurrent(let w): for i in 0..<n { for j in 0..<n { sums[i].append((w[i][j], h[j])) } }
            case .input(let ui): for i in 0..<n { for k in 0..<m { sums[i].append((ui[i][k], u[k])) } }
            case .bias(let b): for i in 0..<n { sums[i].append((b[i], V.constant(1))) }
            }
        }
        // a sum has at most as many terms as its summands together: checked as a product by 1
        return try sums.map { terms in
            var size = 0
            for (_, v) in terms { size = size.addingReportingOverflow(v.size).overflow ? Int.max : size + v.size }
            if terms.count > 1 { try check(size, 1) }
            let sum = V.combination(terms)
            built(sum)
            return sum
        }
    }
}
