import ExactNumbers
import Polynomials
import RecurrentNetworks

/// Degrees of a polynomial in the inputs: the total degree and, for each step t, the
/// degree in the block x[t][1..d]. nil marks the zero polynomial, which has no degree.
public struct DegreeProfile: Equatable, Sendable, CustomStringConvertible {
    public var total: Int?
    /// perStep[t-1] is the degree in step t's inputs.
    public var perStep: [Int?]
    public init(total: Int?, perStep: [Int?]) { self.total = total; self.perStep = perStep }

    public var description: String {
        func s(_ x: Int?) -> String { x.map(String.init) ?? "-" }
        return "total \(s(total)); per step [\(perStep.map(s).joined(separator: ", "))]"
    }

    /// The measured profile of one polynomial (one pass over its terms).
    public init(of p: Polynomial, length: Int, inputDim d: Int) {
        self.init(of: [p], length: length, inputDim: d)
    }

    /// The entrywise maximum over several polynomials (e.g. a layer's units).
    public init(of ps: [Polynomial], length: Int, inputDim d: Int) {
        var total: Int? = nil
        var steps = [Int?](repeating: nil, count: length)
        var scratch = [Int](repeating: 0, count: length)
        for p in ps where !p.isZero {
            for (_, m) in p.terms {
                for t in 0..<length { scratch[t] = 0 }
                var deg = 0
                for (v, e) in m.factors {
                    scratch[InputVariables.step(ofVariable: v, inputDim: d) - 1] += e
                    deg += e
                }
                total = max(total ?? 0, deg)
                for t in 0..<length { steps[t] = max(steps[t] ?? 0, scratch[t]) }
            }
        }
        self.init(total: total, perStep: steps)
    }

    /// The upper ends of a structural shape.
    public init(structural s: DegreeShape, length: Int) {
        self.init(total: s.total?.upperBound, perStep: stride(from: 1, through: length, by: 1).map { s.step($0)?.upperBound })
    }

    static func maxOf(_ shapes: [DegreeShape], length: Int) -> DegreeProfile {
        let ps = shapes.map { DegreeProfile(structural: $0, length: length) }
        func mx(_ xs: [Int?]) -> Int? { xs.compactMap { $0 }.max() }
        return DegreeProfile(total: mx(ps.map(\.total)), perStep: (0..<length).map { t in mx(ps.map { $0.perStep[t] }) })
    }
}

/// Closed-form degrees where the theory gives one (Docs/degree.md derives each). Each is an
/// upper bound for every weight and is attained for generic weights, meaning every weight of
/// the terms present varies freely (a witness proves attainment; Docs/degree.md). Zeros
/// inside the arrays can lower the reachable degree: reports then withhold the formula when
/// the structural bound is below it.
/// - no multiplicative term and no activation inside the recurrence (linear RNNs, with
///   optional polynomial outputActivation rho_l): D = prod_l deg(rho_l) in total and in step
///   T; in steps t < T also D when some layer has a recurrent term, else 0 (every layer
///   memoryless). Needs an input term in every layer (otherwise y_T is constant);
/// - a multiplicative term (bilinear, hadamard or cp) in every layer, no activation of
///   either kind: C(T-t+L-1, L-1) in step t and C(T+L-1, L) in total. Needs h^l_0 != 0 or an
///   input term in every layer (with h_0 = 0 and no input term a layer stays constant).
/// nil when no closed form applies (activations inside the recurrence, mixed stacks, the
/// degenerate supports above): the structural bound still does.
public struct DegreeFormula: Equatable, Sendable {
    public var profile: DegreeProfile
    public var text: String

    static let qualifier = " (<= for every weight, = for generic weights)"

    /// The closed form, withheld when the structural bound of this model's support (zero
    /// weights inside the arrays included) is below it somewhere: then no weights with this
    /// support reach it, and printing it would suggest a cancellation that is not one.
    public static func forModel(_ model: NetworkModel, length T: Int, structural: DegreeProfile) -> DegreeFormula? {
        guard let f = forModel(model, length: T) else { return nil }
        func below(_ s: Int?, _ v: Int?) -> Bool { v != nil && (s == nil || s! < v!) }
        if below(structural.total, f.profile.total) || zip(structural.perStep, f.profile.perStep).contains(where: { below($0, $1) }) { return nil }
        return f
    }

    public static func forModel(_ model: NetworkModel, length T: Int) -> DegreeFormula? {
        guard T >= 1, model.layers.allSatisfy({ $0.activation == nil }) else { return nil }
        let L = model.depth
        if model.layers.allSatisfy({ !$0.isMultiplicative }) {
            guard model.layers.allSatisfy({ $0.input != nil }) else { return nil }
            var D = 1
            for l in model.layers { if let r = l.outputActivation { guard let k = polynomialDegree(r), k >= 1 else { return nil }; D *= k } }
            let memory = model.layers.contains { $0.recurrent != nil }
            let per = (1...T).map { t in memory || t == T ? D : 0 }
            let value = D == 1 ? "1" : "prod deg(rho_l) = \(D)"
            let text = memory ? "\(value) in every step\(D == 1 ? " (linear at every depth)" : "")"
                              : "\(value) in step T, 0 in steps t < T (no layer has a recurrent term)"
            return DegreeFormula(profile: DegreeProfile(total: D, perStep: per), text: text + qualifier)
        }
        if model.layers.allSatisfy({ $0.isMultiplicative && $0.outputActivation == nil }) {
            guard model.layers.allSatisfy({ $0.input != nil || $0.h0.contains { !$0.isZero } }) else { return nil }
            guard let total = checkedBinomial(T + L - 1, L) else { return nil }  // beyond Int: no closed form printed
            let per = (1...T).map { t in binomial(T - t + L - 1, L - 1) }
            return DegreeFormula(profile: DegreeProfile(total: total, perStep: per),
                                 text: "C(T-t+L-1, L-1) per step, C(T+L-1, L) total" + qualifier)
        }
        return nil
    }
}

/// C(n, k) exactly in Int, or nil when it does not fit.
public func checkedBinomial(_ n: Int, _ k: Int) -> Int? {
    if k < 0 || k > n { return 0 }
    var r = BigInt.one
    for i in 0..<min(k, n - k) { r = (r * BigInt(n - i)).dividedExactly(by: BigInt(i + 1)) }
    return r.intValue
}

/// C(n, k) for arguments whose value fits in Int (callers check the largest with
/// `checkedBinomial` first); traps rather than print a wrong degree.
public func binomial(_ n: Int, _ k: Int) -> Int {
    guard let v = checkedBinomial(n, k) else { preconditionFailure("C(\(n), \(k)) overflows Int") }
    return v
}

/// One cell of a degree table: the measured degrees of y_T beside the structural bound and
/// the closed form.
public struct DegreeReport: Equatable, Sendable {
    public var depth: Int
    public var length: Int
    public var output: Int
    /// nil: the whole output; l: the values layer l (1-based) passes on.
    public var layer: Int?
    public var measured: DegreeProfile
    public var structural: DegreeProfile
    public var formula: DegreeFormula?
    public var terms: Int
    /// The terms that attain the measured degrees (checkable with `evidence.verify()`).
    public var evidence: DegreeEvidence

    /// The measured degree is below the structural bound: a cancellation in these weights.
    public var hasCancellation: Bool {
        func below(_ m: Int?, _ s: Int?) -> Bool { s != nil && (m == nil || m! < s!) }
        return below(measured.total, structural.total) || zip(measured.perStep, structural.perStep).contains { below($0, $1) }
    }
    /// The measured degree exceeds the structural bound or the formula: a bug.
    public var violatesBound: Bool {
        func above(_ m: Int?, _ s: Int?) -> Bool { m != nil && (s == nil || m! > s!) }
        if above(measured.total, structural.total) || zip(measured.perStep, structural.perStep).contains(where: { above($0, $1) }) { return true }
        if let f = formula?.profile {
            return above(measured.total, f.total) || zip(measured.perStep, f.perStep).contains { above($0, $1) }
        }
        return false
    }
}

public enum DegreeAnalysis {
    /// Unrolls once to `maxLength` and reports every T = 1...maxLength on the way.
    /// Refuses (before expanding) when the estimated size exceeds `maxTerms`.
    public static func reports(model: NetworkModel, maxLength: Int, output: Int = 0, layer: Int? = nil,
                               maxTerms: Int = 5_000_000, maxBytes: Int = defaultMaxExpansionBytes,
                               maxWork: Double = defaultMaxExpansionWork,
                               progress: ((Int) -> Void)? = nil) throws -> [DegreeReport] {
        try model.validate()
        guard output >= 0 && output < model.outputCount else {
            throw UnrollError.outputOutOfRange(index: output, outputs: model.outputCount)
        }
        if let l = layer, l < 1 || l > model.depth {
            throw UnrollError.layerOutOfRange(layer: l, depth: model.depth)
        }
        let estimate = try model.checkExpansion(length: maxLength, maxTerms: maxTerms, maxBytes: maxBytes, maxWork: maxWork)
        let formulaApplies = layer == nil || layer == model.depth
        func run<V: ExactUnrollValue>(_: V.Type) throws -> [DegreeReport] {
            var exact = Unrolling<V>(model)
            var shape = Unrolling<DegreeShape>(model)
            var out: [DegreeReport] = []
            for T in stride(from: 1, through: maxLength, by: 1) {
                exact.advance(); shape.advance()
                progress?(T)
                let polys: [Polynomial], shapes: [DegreeShape]
                if let l = layer { polys = exact.passed[l - 1].map(\.polynomial); shapes = shape.passed[l - 1] } else {
                    polys = [try exact.output(output).polynomial]; shapes = [try shape.output(output)]
                }
                let evidence = DegreeEvidence(model: model, length: T, output: output, layer: layer, polynomials: polys)
                let structural = DegreeProfile.maxOf(shapes, length: T)
                out.append(DegreeReport(
                    depth: model.depth, length: T, output: output, layer: layer,
                    measured: evidence.measured,
                    structural: structural,
                    formula: formulaApplies && layer == nil ? DegreeFormula.forModel(model, length: T, structural: structural) : nil,
                    terms: polys.reduce(0) { $0 + $1.termCount },
                    evidence: evidence))
            }
            return out
        }
        return estimate.runsPacked(variables: maxLength * model.inputDim) ? try run(PackedPolynomial.self) : try run(Polynomial.self)
    }

    /// A size estimate in words (the estimate is a Double: a memory guess, never a result),
    /// for every refusal: terms, weights, work. Never a trapping Int(x).
    public static func formatEstimate(_ x: Double) -> String { UnrollError.formatEstimate(x) }
}
