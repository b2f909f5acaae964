import ExactNumbers
import Polynomials
import RecurrentNetworks

/// A term that attains a degree: its coefficient in the polynomial of unit `unit` (0 for the
/// output; the unit of the layer for a layer's degrees).
public struct DegreeWitness: Sendable, Equatable {
    public let unit: Int
    public let coefficient: Rational
    public let monomial: Monomial
}

/// What proves a measured degree profile: for the total degree and each step's degree, a term
/// of the expanded polynomial that attains it (degree >= D, checkable in any other expansion by
/// that one coefficient), and the claim that no term exceeds it (checked by `verify` on the
/// whole expansion).
public struct DegreeEvidence: Sendable, Equatable {
    public let model: NetworkModel
    public let length: Int
    public let output: Int
    /// The layer whose passed values were measured (1-based), nil for the output y_T.
    public let layer: Int?
    public let measured: DegreeProfile
    public let totalWitness: DegreeWitness?
    /// stepWitnesses[t - 1] attains the degree in step t's inputs (nil where it is nil or 0).
    public let stepWitnesses: [DegreeWitness?]

    /// The witnesses of `measured`, taken from the polynomials it was measured on.
    public init(model: NetworkModel, length T: Int, output: Int, layer: Int?, polynomials ps: [Polynomial]) {
        let d = model.inputDim
        var total: (Int, DegreeWitness)?
        var steps = [(Int, DegreeWitness)?](repeating: nil, count: T)
        for (unit, p) in ps.enumerated() {
            for (c, m) in p.terms {
                let w = DegreeWitness(unit: unit, coefficient: c, monomial: m)
                if m.totalDegree > total?.0 ?? -1 { total = (m.totalDegree, w) }
                var perStep = [Int](repeating: 0, count: T)
                for (v, e) in m.factors { perStep[InputVariables.step(ofVariable: v, inputDim: d) - 1] += e }
                for t in 0..<T where perStep[t] > steps[t]?.0 ?? 0 { steps[t] = (perStep[t], w) }
            }
        }
        self.model = model; self.length = T; self.output = output; self.layer = layer
        // the profile is read off the same scan: a step no term reaches has degree 0 (nil: y = 0)
        measured = DegreeProfile(total: total?.0, perStep: steps.map { $0?.0 ?? (total == nil ? nil : 0) })
        totalWitness = total?.1
        stepWitnesses = steps.map { $0?.1 }
    }

    /// Checks against the polynomials (the output, or the layer's units): each witness is a term
    /// of its unit with its coefficient and attains its degree, and no term of any unit has a
    /// larger total or per-step degree.
    public func verify(against ps: [Polynomial]) -> Bool {
        let d = model.inputDim, T = length
        guard measured.perStep.count == T, stepWitnesses.count == T else { return false }
        func holds(_ w: DegreeWitness) -> Bool { w.unit >= 0 && w.unit < ps.count && !w.coefficient.isZero && ps[w.unit].coefficient(of: w.monomial) == w.coefficient }
        func stepDegree(_ m: Monomial, _ t: Int) -> Int {
            m.factors.reduce(0) { $0 + (InputVariables.step(ofVariable: $1.variable, inputDim: d) == t ? $1.exponent : 0) }
        }
        // degree >= the profile
        switch (measured.total, totalWitness) {
        case (nil, nil): guard ps.allSatisfy(\.isZero) else { return false }
        case let (D?, w?): guard holds(w), w.monomial.totalDegree == D else { return false }
        default: return false
        }
        for t in 1...max(T, 1) where T >= 1 {
            switch (measured.perStep[t - 1], stepWitnesses[t - 1]) {
            case (nil, nil): guard measured.total == nil else { return false }
            case (0?, nil): break
            case let (D?, w?): guard D > 0, holds(w), stepDegree(w.monomial, t) == D else { return false }
            default: return false
            }
        }
        // degree <= the profile: no term goes above
        for p in ps {
            for (_, m) in p.terms {
                guard m.totalDegree <= measured.total ?? -1 else { return false }
                for t in 1...max(T, 1) where T >= 1 && stepDegree(m, t) > measured.perStep[t - 1] ?? -1 { return false }
            }
        }
        return true
    }

    /// Expands again within `maxTerms` and checks (`verify(against:)`).
    public func verify(maxTerms: Int = 5_000_000) throws -> Bool {
        if let l = layer {
            guard l >= 1 && l <= model.depth else { return false }
            let estimate = try model.checkExpansion(length: length, maxTerms: maxTerms)
            func passed<V: ExactUnrollValue>(_: V.Type) -> [Polynomial] {
                var u = Unrolling<V>(model)
                for _ in 0..<length { u.advance() }
                return u.passed[l - 1].map(\.polynomial)
            }
            return verify(against: estimate.runsPacked(variables: length * model.inputDim) ? passed(PackedPolynomial.self) : passed(Polynomial.self))
        }
        return verify(against: [try model.expandedOutput(output, length: length, maxTerms: maxTerms).polynomial])
    }
}
