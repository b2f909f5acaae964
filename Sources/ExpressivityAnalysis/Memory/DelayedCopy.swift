import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Exact delayed-copy memory of linear recurrent stacks (Docs/memory.md).
///
/// A network with d inputs and d outputs copies with delay tau when y_t = x_{t-tau} for every
/// t >= 1 and every input sequence (x_s = 0 for s < 1): output i reads coordinate i. For a
/// linear stack with stacked state dimension N this is y_T = gamma_T + sum_s M_{T-s} x_s with
/// gamma_T = 0 (T >= 1) and M_k = [k = tau] I. Both sequences are of the form C A^k v with A
/// of size N + 1 and N + (tau + 1) d, so by Cayley-Hamilton checking T = 1 ... N + (tau + 1) d
/// proves the copy for every length.
///
/// The capacity of widths n_1..n_L is floor(sum_l (n_l - d) / d) (Docs/memory.md proves the
/// bound for every weight and `model(widths:inputDim:delay:)` reaches it).
public enum DelayedCopy {
    // MARK: shapes and capacity

    /// Weights of a dense linear stack with d inputs and d outputs: layer l has n_l^2 recurrent
    /// and n_l m_l input weights (m_1 = d, m_l = n_{l-1}), the readout d n_L.
    /// For equal widths n: (2L - 1) n^2 + 2 n d.
    public static func parameterCount(widths: [Int], inputDim d: Int) -> Int {
        var total = 0, reads = d
        for n in widths { total += n * n + n * reads; reads = n }
        return total + d * (widths.last ?? 0)
    }

    public static func parameterCount(depth L: Int, hidden n: Int, inputDim d: Int) -> Int {
        parameterCount(widths: Array(repeating: n, count: L), inputDim: d)
    }

    /// The widest single linear layer (N^2 + 2 N d weights) within a parameter budget.
    public static func shallowWidth(parameterBudget p: Int, inputDim d: Int) -> Int {
        var w = 0
        while (w + 1) * (w + 1) + 2 * (w + 1) * d <= p { w += 1 }
        return w
    }

    /// The largest delay of an exact copy by a linear stack of these widths, over all weights
    /// (bias and h_0 included): floor(sum_l (n_l - d) / d); nil when some n_l < d (no copy at
    /// all). Upper bound (Docs/memory.md): det of the transfer numerator via Jacobi's identity
    /// and Cauchy-Binet gives tau d <= sum_l (n_l - d); `model(widths:inputDim:delay:)` reaches
    /// every delay up to it.
    public static func capacity(widths: [Int], inputDim d: Int) -> Int? {
        guard d >= 1, !widths.isEmpty, widths.allSatisfy({ $0 >= d }) else { return nil }
        return widths.reduce(0) { $0 + ($1 - d) } / d
    }

    public static func capacity(depth L: Int, hidden n: Int, inputDim d: Int) -> Int? {
        L >= 1 ? capacity(widths: Array(repeating: n, count: L), inputDim: d) : nil
    }

    // MARK: the construction

    /// How many units coordinate i gets in layer l: units[l][i] >= 1, sum_i units[l][i] <= n_l,
    /// and sum_l (units[l][i] - 1) = delay for every i. Each coordinate needs L + delay units
    /// in all, d (L + delay) <= sum n_l exactly when delay <= capacity; the extra units are
    /// handed out coordinate by coordinate, filling layers in order, so a coordinate's chain
    /// may run through several layers.
    public static func allocation(widths: [Int], inputDim d: Int, delay: Int) throws -> [[Int]] {
        guard d >= 1, !widths.isEmpty else { throw MemoryError.badShape("depth and input dimension must be >= 1") }
        guard let cap = capacity(widths: widths, inputDim: d) else {
            throw MemoryError.badShape("a layer of width \(widths.min()!) < input dimension \(d) cannot hold x_t, so no exact copy exists")
        }
        guard delay >= 0, delay <= cap else {
            throw MemoryError.badShape("delay \(delay) is outside 0...\(cap), the capacity of widths \(widths.map(String.init).joined(separator: ",")) with d = \(d) (proven for every weight: Docs/memory.md)")
        }
        var spare = widths.map { $0 - d }
        var units = widths.map { _ in [Int](repeating: 1, count: d) }
        for i in 0..<d {
            var need = delay
            for l in widths.indices where need > 0 {
                let take = min(need, spare[l])
                units[l][i] += take; spare[l] -= take; need -= take
            }
            precondition(need == 0, "d (L + delay) <= sum n_l leaves room for every coordinate")
        }
        return units
    }

    /// A linear stack of the given widths that copies its d-dimensional input with `delay`.
    /// Coordinate i has a shift register in every layer: its first unit reads the source
    /// (x_t[i] in layer 1, the end of coordinate i's register in the layer below, at the same
    /// step), unit j + 1 reads unit j of the previous step, so a register of u units delays by
    /// u - 1. The readout takes the end of each register in the last layer. All matrices are
    /// stored dense, zeros included, so `parameterCount` matches `parameterCount(widths:inputDim:)`.
    public static func model(widths: [Int], inputDim d: Int, delay: Int) throws -> NetworkModel {
        let units = try allocation(widths: widths, inputDim: d, delay: delay)
        var ends = Array(0..<d)   // where coordinate i's signal is in what the next layer reads
        var layers: [RecurrentLayer] = []
        for (l, n) in widths.enumerated() {
            let m = l == 0 ? d : widths[l - 1]
            var w = [[Rational]](repeating: [Rational](repeating: .zero, count: n), count: n)
            var u = [[Rational]](repeating: [Rational](repeating: .zero, count: m), count: n)
            var start = 0
            for i in 0..<d {
                u[start][ends[i]] = 1
                for j in stride(from: 1, to: units[l][i], by: 1) { w[start + j][start + j - 1] = 1 }
                ends[i] = start + units[l][i] - 1
                start += units[l][i]
            }
            layers.append(RecurrentLayer(hidden: n, recurrent: w, input: u))
        }
        let last = widths.last!
        let c = (0..<d).map { i in (0..<last).map { j in j == ends[i] ? Rational.one : .zero } }
        return NetworkModel(inputDim: d, layers: layers, readout: c)
    }

    public static func model(depth L: Int, hidden n: Int, inputDim d: Int, delay: Int) throws -> NetworkModel {
        guard L >= 1 else { throw MemoryError.badShape("depth and input dimension must be >= 1") }
        return try model(widths: Array(repeating: n, count: L), inputDim: d, delay: delay)
    }

    // MARK: verification

    /// Rough count of term operations `check` performs: K steps, each combining the layers'
    /// n^2 + n m weights with linear polynomials of up to K d terms.
    public static func checkWork(_ model: NetworkModel, delay: Int) -> Double {
        checkWork(widths: model.layers.map(\.hidden), inputDim: model.inputDim, delay: delay)
    }

    /// The same count from the layer widths alone, so a caller can refuse before building.
    public static func checkWork(widths: [Int], inputDim d: Int, delay: Int) -> Double {
        checkWork(widths: widths, inputDim: d, delays: delay...delay)
    }

    /// The summed count for every delay in `delays` (O(1) per delay), stopping once past
    /// `limit` (the caller refuses then anyway).
    public static func checkWork(widths: [Int], inputDim d: Int, delays: ClosedRange<Int>,
                                 stopAbove limit: Double = .infinity) -> Double {
        let N = widths.reduce(0.0) { $0 + Double($1) }
        var weights = 0.0, m = Double(d)
        for n in widths { weights += Double(n) * (Double(n) + m); m = Double(n) }
        var work = 0.0
        for delay in delays where work <= limit {
            let K = N + (Double(delay) + 1) * Double(d)   // no Int overflow for any delay
            work += K * K * Double(d) * weights
        }
        return work
    }

    /// Whether the Hankel bound alone decides a delay: (delay + 1) d > N (no system with N
    /// states copies that far), computed without overflow for any delay.
    static func hankelDecides(delay: Int, states N: Int, inputDim d: Int) -> Bool { delay >= N / d }

    /// The default limit on `checkWork` (the `--max-work` of `memory`).
    public static let defaultMaxWork = 2e10

    /// Refuses, before anything is built, a model whose dense state space (N^2 + N d
    /// entries) or whose checks (`checkWork`, at least the delay-0 work for `detect`) pass
    /// the limit: hidden 10^6 used to abort allocating an N x N matrix.
    static func checkSize(_ model: NetworkModel, delay: Int, maxWork: Double) throws {
        try model.validate()
        let N = Double(model.layers.reduce(0) { $0 + $1.hidden }), d = Double(model.inputDim)
        let dense = N * N + N * d
        if dense > Double(Unfolding.defaultMaxEntries) {
            throw MemoryError.tooLarge(estimate: dense, limit: Double(Unfolding.defaultMaxEntries), what: "dense state-space entries (N = \(Int(N)) states)", remedy: .smallerModel)
        }
        // a delay decided by the Hankel bound needs no unrolling (see certify)
        if !hankelDecides(delay: delay, states: Int(N), inputDim: model.inputDim) {
            let work = checkWork(model, delay: delay)
            if work > maxWork { throw MemoryError.tooLarge(estimate: work, limit: maxWork, what: "term operations", remedy: .raiseWorkLimit) }
        }
    }

    public struct Check: Sendable {
        public var delay: Int
        /// Lengths T = 1 ... certifiedLength were compared; by the Cayley-Hamilton argument
        /// above this settles every length. 0 when (delay + 1) d > N decided it unseen.
        public var certifiedLength: Int
        /// y_T unrolled symbolically equals x[T - delay] (0 before the delay), every output.
        public var symbolic: Bool
        /// The same read off the state-space Markov parameters and constants.
        public var stateSpace: Bool
        /// The proven capacity of the model's widths (nil: some layer is narrower than d).
        public var capacity: Int?
        /// The first difference found, as text.
        public var failure: String?
        public var exact: Bool { symbolic && stateSpace }
        /// The verdict with what proves it, checkable by exact evaluation alone.
        public var evidence: DelayedCopyEvidence
        /// An exact copy beyond the proven capacity: the theorem of Docs/memory.md would be
        /// wrong. Never expected; reported rather than hidden.
        public var contradictsCapacity: Bool { exact && delay > (capacity ?? -1) }
    }

    /// Checks that `model` copies with delay `delay`, for every length, by two independent
    /// computations. Throws when the model is not a linear stack or its outputs are not d.
    public static func check(_ model: NetworkModel, delay: Int, maxWork: Double = defaultMaxWork) throws -> Check {
        try checkSize(model, delay: delay, maxWork: maxWork)
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
        let cap = capacity(widths: model.layers.map(\.hidden), inputDim: d)
        // (delay + 1) d > N, computed without overflow for any delay
        if hankelDecides(delay: delay, states: ss.stateDimension, inputDim: d) {
            // decided by the Hankel bound, before any unrolling
            let next = delay.addingReportingOverflow(1)
            let needed = next.partialValue.multipliedReportingOverflow(by: d)
            let text = next.overflow || needed.overflow ? "2^63 or more" : String(needed.partialValue)
            return Check(delay: delay, certifiedLength: 0, symbolic: false, stateSpace: false, capacity: cap,
                         failure: "no linear system with N = \(ss.stateDimension) states copies with delay \(delay): that needs (delay + 1) d = \(text) states (Hankel rank)",
                         evidence: DelayedCopyEvidence(model: model, delay: delay, verdict: .tooFewStates))
        }
        let K = ss.stateDimension + (delay + 1) * d
        var failure: String?

        var symbolic = true, differsAt: Int?
        var unrolling = Unrolling<Polynomial>(model)
        outer: for T in 1...K {
            unrolling.advance()
            let ys = unrolling.outputs
            for i in 0..<d {
                let want = T - delay >= 1
                    ? Polynomial.variable(InputVariables.index(step: T - delay, coordinate: i + 1, inputDim: d)) : Polynomial.zero
                if ys[i] != want {
                    symbolic = false; differsAt = T
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
        // y_0 = C s_0 is not part of the copy (defined for T >= 1)
        if let (t, g) = ss.constantOutputs(upTo: K).enumerated().dropFirst().first(where: { !$0.element.allSatisfy(\.isZero) }) {
            stateSpace = false
            failure = failure ?? "constant part of y_\(t) is \(g), expected 0"
        }
        // the evidence: the lengths compared, or the first that differs (symbolic first; else
        // the first y_T the state space gets wrong, found by evaluation)
        let verdict: DelayedCopyEvidence.Verdict
        if symbolic && stateSpace {
            verdict = .copies(comparedLengths: K)
        } else {
            let probe = DelayedCopyEvidence(model: model, delay: delay, verdict: .copies(comparedLengths: K))
            verdict = .differs(atLength: differsAt ?? (1...K).first { !probe.copies(atLength: $0) } ?? K)
        }
        return Check(delay: delay, certifiedLength: K, symbolic: symbolic, stateSpace: stateSpace, capacity: cap, failure: failure,
                     evidence: DelayedCopyEvidence(model: model, delay: delay, verdict: verdict))
    }

    /// The delay with which a linear model copies its input exactly, if it does: the first
    /// nonzero Markov parameter fixes the candidate, then `check` certifies it.
    public static func detect(_ model: NetworkModel, maxWork: Double = defaultMaxWork) throws -> (delay: Int?, reason: String) {
        try checkSize(model, delay: 0, maxWork: maxWork)
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
        return c.exact ? (tau, "exact copy with delay \(tau), certified for every length (T = 1...\(c.certifiedLength) compared)")
                       : (nil, "not an exact copy: \(c.failure ?? "-")")
    }
}

public enum MemoryError: LimitRefusal, Equatable {
    /// What else admits a refused check.
    public enum Remedy: Sendable, Equatable {
        /// Raise the work limit.
        case raiseWorkLimit
        /// Check fewer or smaller shapes (claim 3: a smaller depth range).
        case fewerShapes
        /// No option admits it: a smaller model.
        case smallerModel
    }

    case badShape(String)
    case notLinear(String)
    /// `atLeast`: the count stopped once past the limit, so the estimate is a lower bound.
    case tooLarge(estimate: Double, limit: Double, what: String, remedy: Remedy, atLeast: Bool = false)

    public var refusal: String {
        switch self {
        case .badShape(let s), .notLinear(let s): return "delayed copy: \(s)"
        case let .tooLarge(e, l, what, _, atLeast):
            return "delayed copy: the exact checks need \(atLeast ? "more than" : "about") \(UnrollError.formatEstimate(e)) \(what), over the limit \(UnrollError.formatEstimate(l))"
        }
    }

    public var limit: ResourceLimit? {
        if case .tooLarge(_, _, _, .raiseWorkLimit, _) = self { return .maxWork }
        return nil
    }

    public var description: String {
        switch self {
        case .tooLarge(_, _, _, .fewerShapes, _): return refusal + "; check fewer or smaller shapes"
        case .tooLarge(_, _, _, .smallerModel, _): return refusal + "; use a smaller model"
        default: return libraryDescription
        }
    }
}
