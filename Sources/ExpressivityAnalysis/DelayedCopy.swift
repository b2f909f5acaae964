import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Exact delayed-copy memory of linear recurrent stacks (Docs/memory.md).
///
/// A network with d inputs and d outputs copies with delay tau when y_t = x_{t-tau} for every
/// t >= 1 and every input sequence (x_s = 0 for s < 1): output i reads coordinate i. For a
/// linear stack with stacked state dimension N this is y_T = gamma_T + sum_s M_{T-s} x_s with
/// gamma = 0 and M_k = [k = tau] I. Both sequences are of the form C A^k v with A of size
/// N (N + 1 with the constant), and the target is realised with (tau + 1) d states, so by
/// Cayley-Hamilton they agree for all k once they agree for k < N + (tau + 1) d: checking
/// T = 0 ... N + (tau + 1) d proves the copy for every length.
public enum DelayedCopy {
    // MARK: shapes and bounds

    /// Weights of a dense depth-L linear stack of width n with d inputs and d outputs:
    /// n^2 + n d (layer 1), 2 n^2 per further layer (W and the n x n input matrix), d n readout.
    public static func parameterCount(depth L: Int, hidden n: Int, inputDim d: Int) -> Int {
        (2 * L - 1) * n * n + 2 * n * d
    }

    /// The widest single linear layer (N^2 + 2 N d weights) within a parameter budget.
    public static func shallowWidth(parameterBudget p: Int, inputDim d: Int) -> Int {
        var w = 0
        while (w + 1) * (w + 1) + 2 * (w + 1) * d <= p { w += 1 }
        return w
    }

    /// The delay reached by `model(depth:hidden:inputDim:delay:)`: L (floor(n/d) - 1); nil when
    /// n < d (no exact copy at all).
    public static func constructedDelay(depth L: Int, hidden n: Int, inputDim d: Int) -> Int? {
        n < d ? nil : L * (n / d - 1)
    }

    /// An upper bound on the delay of any exact copy by a linear stack of this shape, whatever
    /// its weights (bias and h_0 included); nil when no delay is possible.
    /// - n < d: every M_k factors through layer 1's n x d input matrix, of rank < d.
    /// - Hankel: the stacked state determines x_{t-tau} ... x_t, so (tau + 1) d <= L n.
    /// - Degree: H(q) = sum M_k q^k = C prod_l (I - q W_l)^{-1} U_l; clearing the denominators
    ///   det(I - q W_l) (constant term 1) gives a polynomial of degree <= L (n - 1) equal to
    ///   q^tau prod_l det(I - q W_l) on the diagonal, so tau <= L (n - 1).
    /// For L = 1 or d = 1 the bound equals the construction's delay, so it is the capacity.
    public static func capacityUpperBound(depth L: Int, hidden n: Int, inputDim d: Int) -> Int? {
        n < d ? nil : min(L * (n - 1), (L * n) / d - 1)
    }

    // MARK: the construction

    /// A depth-L width-n linear stack that copies its d-dimensional input with delay `delay`.
    /// Each layer is a shift register of k = floor(n/d) blocks of d units: block 0 takes the
    /// layer's source, block j takes block j-1 of the previous step, so block j holds the source
    /// delayed by j. Layer l delays by tau_l <= k - 1 (greedily, sum tau_l = delay) and passes
    /// block tau_l on; the next layer reads it into its block 0 at the same step, which is why a
    /// layer adds k - 1 and not k. All matrices are stored dense, zeros included, so
    /// `parameterCount` matches `parameterCount(depth:hidden:inputDim:)`.
    public static func model(depth L: Int, hidden n: Int, inputDim d: Int, delay: Int) throws -> NetworkModel {
        guard L >= 1, d >= 1 else { throw MemoryError.badShape("depth and input dimension must be >= 1") }
        guard let reach = constructedDelay(depth: L, hidden: n, inputDim: d) else {
            throw MemoryError.badShape("hidden \(n) < input dimension \(d): no layer can hold x_t, so no exact copy exists")
        }
        guard delay >= 0, delay <= reach else {
            throw MemoryError.badShape("delay \(delay) is outside 0...\(reach), the range the construction reaches at depth \(L), hidden \(n), d \(d)")
        }
        let k = n / d
        var remaining = delay, source = 0   // block of the previous layer (or x) that layer l reads
        var layers: [RecurrentLayer] = []
        for l in 0..<L {
            let tau = min(k - 1, remaining)
            remaining -= tau
            let m = l == 0 ? d : n
            var w = [[Rational]](repeating: [Rational](repeating: .zero, count: n), count: n)
            var u = [[Rational]](repeating: [Rational](repeating: .zero, count: m), count: n)
            for i in 0..<d {
                u[i][source * d + i] = 1
                for j in stride(from: 1, through: tau, by: 1) { w[j * d + i][(j - 1) * d + i] = 1 }
            }
            layers.append(RecurrentLayer(hidden: n, recurrent: w, input: u))
            source = tau
        }
        let c = (0..<d).map { i in (0..<n).map { j in j == source * d + i ? Rational.one : .zero } }
        return NetworkModel(inputDim: d, layers: layers, readout: c)
    }

    // MARK: verification

    /// Rough count of term operations `check` performs: K steps, each combining the layers'
    /// n^2 + n m weights with linear polynomials of up to K d terms.
    public static func checkWork(_ model: NetworkModel, delay: Int) -> Double {
        let N = model.layers.reduce(0) { $0 + $1.hidden }, d = model.inputDim
        let K = Double(N + (delay + 1) * d)
        let weights = model.layers.enumerated().reduce(0.0) { acc, e in
            acc + Double(e.element.hidden) * Double(e.element.hidden + model.inputWidth(ofLayer: e.offset))
        }
        return K * K * Double(d) * weights
    }

    public struct Check: Sendable {
        public var delay: Int
        /// Lengths T = 0 ... certifiedLength were compared; by the Cayley-Hamilton argument
        /// above this settles every length. 0 when (delay + 1) d > N decided it unseen.
        public var certifiedLength: Int
        /// y_T unrolled symbolically equals x[T - delay] (0 before the delay), every output.
        public var symbolic: Bool
        /// The same read off the state-space Markov parameters and constants.
        public var stateSpace: Bool
        /// The first difference found, as text.
        public var failure: String?
        public var exact: Bool { symbolic && stateSpace }
    }

    /// Checks that `model` copies with delay `delay`, for every length, by two independent
    /// computations. Throws when the model is not a linear stack or its outputs are not d.
    public static func check(_ model: NetworkModel, delay: Int) throws -> Check {
        guard let ss = LinearStateSpace(model) else {
            throw MemoryError.notLinear("the model has a multiplicative term or an activation; the all-lengths certificate needs a linear stack")
        }
        let d = model.inputDim
        guard model.outputCount == d else {
            throw MemoryError.badShape("a copy of x_t needs \(d) outputs (one per input coordinate); the readout has \(model.outputCount)")
        }
        guard delay >= 0 else { throw MemoryError.badShape("delay \(delay) < 0") }
        return certify(model, stateSpace: ss, delay: delay)
    }

    /// `check` once the model is known to be a linear stack with d outputs.
    static func certify(_ model: NetworkModel, stateSpace ss: LinearStateSpace, delay: Int) -> Check {
        let d = model.inputDim
        let K = ss.stateDimension + (delay + 1) * d
        if (delay + 1) * d > ss.stateDimension {
            // decided by the Hankel bound, before any unrolling
            return Check(delay: delay, certifiedLength: 0, symbolic: false, stateSpace: false,
                         failure: "no linear system with N = \(ss.stateDimension) states copies with delay \(delay): that needs (delay + 1) d = \((delay + 1) * d) states (Hankel rank)")
        }
        var failure: String?

        var symbolic = true
        var unrolling = Unrolling<Polynomial>(model)
        outer: for T in 0...K {
            if T > 0 { unrolling.advance() }
            let ys = unrolling.outputs
            for i in 0..<d {
                let want = T - delay >= 1
                    ? Polynomial.variable(InputVariables.index(step: T - delay, coordinate: i + 1, inputDim: d)) : Polynomial.zero
                if ys[i] != want {
                    symbolic = false
                    failure = "T=\(T), output \(i): y = \(ys[i].text(in: InputVariables.space(length: T, inputDim: d))), expected \(want.text(in: InputVariables.space(length: T, inputDim: d)))"
                    break outer
                }
            }
        }

        var stateSpace = true
        let identity = RationalMatrix.identity(d), zero = RationalMatrix(rows: d, columns: d)
        for (k, mk) in ss.markovParameters(count: K).enumerated() where mk != (k == delay ? identity : zero) {
            stateSpace = false
            failure = failure ?? "Markov parameter M_\(k) = \(mk.rowList), expected \(k == delay ? "I" : "0")"
            break
        }
        if let (t, g) = ss.constantOutputs(upTo: K).enumerated().first(where: { !$0.element.allSatisfy(\.isZero) }) {
            stateSpace = false
            failure = failure ?? "constant part of y_\(t) is \(g), expected 0"
        }
        return Check(delay: delay, certifiedLength: K, symbolic: symbolic, stateSpace: stateSpace, failure: failure)
    }

    /// The delay with which a linear model copies its input exactly, if it does: the first
    /// nonzero Markov parameter fixes the candidate, then `check` certifies it.
    public static func detect(_ model: NetworkModel) throws -> (delay: Int?, reason: String) {
        guard let ss = LinearStateSpace(model) else {
            throw MemoryError.notLinear("the model has a multiplicative term or an activation; delayed copies are checked on linear stacks")
        }
        guard model.outputCount == model.inputDim else {
            return (nil, "\(model.outputCount) outputs for \(model.inputDim) inputs: not a copy")
        }
        // Any realisation of a delay-tau copy has (tau + 1) d <= N, so a copy shows a nonzero
        // Markov parameter before index N / d.
        let limit = ss.stateDimension / model.inputDim
        let markov = ss.markovParameters(count: max(limit, 1))
        guard let tau = markov.firstIndex(where: { !$0.isZero }) else {
            return (nil, "M_0 ... M_\(max(limit, 1) - 1) are all zero: no exact copy (a copy of delay tau needs (tau + 1) d <= N = \(ss.stateDimension) states)")
        }
        let c = certify(model, stateSpace: ss, delay: tau)
        return c.exact ? (tau, "exact copy with delay \(tau), certified for every length (T <= \(c.certifiedLength) compared)")
                       : (nil, "not an exact copy: \(c.failure ?? "-")")
    }
}

public enum MemoryError: Error, CustomStringConvertible, Equatable {
    case badShape(String)
    case notLinear(String)
    case tooLarge(estimate: Double, limit: Double, flag: String)
    public var description: String {
        switch self {
        case .badShape(let s), .notLinear(let s): return "delayed copy: \(s)"
        case let .tooLarge(e, l, f):
            return "delayed copy: the exact checks need about \(Int(e)) term operations, over the limit \(Int(l)); raise it with \(f)"
        }
    }
}
