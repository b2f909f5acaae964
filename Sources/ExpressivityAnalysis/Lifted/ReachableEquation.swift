import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// An equation of the reachable states of a bilinear stack at a cut k: a nonzero polynomial f
/// in the states, homogeneous of degree p_l in each layer's h^l, with f(z_k(x_1, ..., x_k)) = 0
/// for every input (Docs/separation-rank.md, algorithm 6, "equations of the reachable
/// states"). Its multiples f g, g of degree delta - p, are |Mon(delta - p)| independent
/// polynomials of y_T's degree pattern delta at the cut that vanish on every reachable state,
/// so rank <= |Mon(delta)| - |Mon(delta - p)|.
///
/// Such an f exists when the reachable states fill less than the product of the layers'
/// projective lines: k (d - 1) < sum_l (n_l - 1) (a depth-3 stack with two units and d = 2 at
/// k = 1, 2: its cut 2 is below every count without it).
public struct ReachableEquation: Sendable, Equatable {
    /// The cut k: f vanishes on the states h_k reachable from h_0 in k steps.
    public let cut: Int
    /// p_l, the degree of f in layer l's state (0-based l).
    public let degrees: [Int]
    /// The coefficients of f on `BilinearStack.stateExponents(hidden:degrees:)`, in order.
    public let coefficients: [Rational]

    public init(cut: Int, degrees: [Int], coefficients: [Rational]) {
        self.cut = cut; self.degrees = degrees; self.coefficients = coefficients
    }

    /// Whether the search can find an equation at cut k: a bilinear stack of depth 2 or more
    /// with d >= 2 (d = 1 has rank 1 at every cut) whose reachable states at k form a proper
    /// subvariety by the dimension count.
    public static func mayExist(_ model: NetworkModel, cut k: Int) -> Bool {
        BilinearStack.applies(to: model) && model.depth >= 2 && model.inputDim >= 2 && k >= 1
            && k * (model.inputDim - 1) < model.layers.reduce(0) { $0 + $1.hidden - 1 }
    }

    /// The equations of least degree (one per minimal degree vector, total degree at most
    /// `maxDegree`, at most `maxMonomials` coefficients each), found as exact kernels of the
    /// coefficient matrix of the products z_k^mu; empty when none exists in that range or the
    /// states' products would pass `maxTerms` terms.
    public static func find(_ model: NetworkModel, cut k: Int, maxDegree: Int = 6, maxMonomials: Int = 400,
                            maxTerms: Int = 200_000, maxEntries: Int = 500_000) -> [ReachableEquation] {
        guard mayExist(model, cut: k), let states = reachableStates(model, cut: k, maxTerms: maxTerms) else { return [] }
        let hidden = model.layers.map(\.hidden)
        var found: [ReachableEquation] = []
        var products = PowerProducts(states)
        var spent = 0
        for total in 1...maxDegree {
            for p in compositions(total, parts: model.depth) {
                // a multiple of a degree already found adds nothing
                if found.contains(where: { f in zip(f.degrees, p).allSatisfy { $0 <= $1 } }) { continue }
                let exponents = BilinearStack.stateExponents(hidden: hidden, degrees: p)
                guard exponents.count <= maxMonomials else { continue }
                var columns: [Polynomial] = []
                for mu in exponents {
                    guard let q = products.product(mu, maxTerms: maxTerms) else { return found }
                    columns.append(q)
                }
                // the search stops at a budget of matrix entries (n = 3 layers at k = 3 would
                // otherwise build thousands of large products for nothing)
                let a = coefficientMatrix(columns)
                spent += a.rows * a.columns
                if spent > maxEntries { return found }
                guard let f = kernelVector(a) else { continue }
                found.append(ReachableEquation(cut: k, degrees: p, coefficients: f))
            }
        }
        return found
    }

    /// Checks the equation from the model alone: the right shape, f nonzero, and f(z_k) = 0
    /// as a polynomial in x_1, ..., x_k (the states unrolled exactly, f's monomials multiplied out).
    public func verify(_ model: NetworkModel) -> Bool {
        guard ReachableEquation.mayExist(model, cut: cut), degrees.count == model.depth, degrees.allSatisfy({ $0 >= 0 }),
              degrees.reduce(0, +) >= 1 else { return false }
        let exponents = BilinearStack.stateExponents(hidden: model.layers.map(\.hidden), degrees: degrees)
        guard coefficients.count == exponents.count, coefficients.contains(where: { !$0.isZero }) else { return false }
        var run = Unrolling<Polynomial>(model)
        for _ in 0..<cut { run.advance() }
        var products = PowerProducts(run.states)
        var sum = Polynomial.zero
        for (c, mu) in zip(coefficients, exponents) where !c.isZero {
            guard let q = products.product(mu, maxTerms: .max) else { return false }
            sum = sum + c * q
        }
        return sum.isZero
    }

    /// |Mon(delta - p)|: the independent multiples f g of degree delta, j = T - k steps after the
    /// cut (0 when some delta_l < p_l).
    public func multiples(_ model: NetworkModel, stepsAfter j: Int) -> BigInt {
        var out = BigInt.one
        for (l, layer) in model.layers.enumerated() {
            let rest = BilinearStack.stateDegree(layer: l + 1, stepsAfter: j, depth: model.depth) - BigInt(degrees[l])
            if rest.signum < 0 { return .zero }
            out = out * BilinearStack.multichoose(layer.hidden, rest)
        }
        return out
    }

    /// h^l_k as polynomials in x_1, ..., x_k; nil past `maxTerms` terms in a product.
    static func reachableStates(_ model: NetworkModel, cut k: Int, maxTerms: Int) -> [[Polynomial]]? {
        struct TooLarge: Error {}
        var run = Unrolling<Polynomial>(model)
        do {
            for _ in 0..<k { try run.advance(checking: { a, b in if exceeds(a, b, maxTerms) { throw TooLarge() } }) }
        } catch { return nil }
        return run.states
    }

    /// Whether a * b > limit, without overflow.
    static func exceeds(_ a: Int, _ b: Int, _ limit: Int) -> Bool {
        let (v, o) = a.multipliedReportingOverflow(by: b)
        return o || v > limit
    }

    /// The vectors p in N^parts with sum `total`, in lexicographic order.
    static func compositions(_ total: Int, parts: Int) -> [[Int]] {
        guard parts > 1 else { return [[total]] }
        return (0...total).reversed().flatMap { first in compositions(total - first, parts: parts - 1).map { [first] + $0 } }
    }

    /// The coefficients of the q_j as the columns of an integer matrix, each row (monomial)
    /// cleared of its denominators, padded with zero rows to at least as many rows as columns
    /// (the certified rank then gives the kernel on the right): the kernel is unchanged.
    static func coefficientMatrix(_ qs: [Polynomial]) -> IntegerMatrix {
        var index: [Monomial: Int] = [:]
        var rows: [[(Int, Rational)]] = []
        for (j, q) in qs.enumerated() {
            for (c, m) in q.terms {
                let i = index[m] ?? { index[m] = rows.count; rows.append([]); return rows.count - 1 }()
                rows[i].append((j, c))
            }
        }
        var a = IntegerMatrix(rows: max(rows.count, qs.count, 1), columns: qs.count)
        for (i, row) in rows.enumerated() {
            let l = row.reduce(BigInt.one) { lcm($0, $1.1.denominator) }
            for (j, c) in row { a[i, j] = (c * Rational(l)).numerator }
        }
        return a
    }

    /// A nonzero primitive integer vector c with A c = 0 (A has at least as many rows as columns),
    /// from A's certified rank: its kernel vectors are exact and primitive; nil when A has full
    /// column rank.
    static func kernelVector(_ a: IntegerMatrix) -> [Rational]? {
        let certificate = a.certifiedRank()
        guard certificate.rank < a.columns else { return nil }
        let kernel = certificate.kernelBasis(dimension: a.columns)
        return (0..<a.columns).map { Rational(kernel[$0, 0]) }
    }
}

/// Products z^mu of the states, each layer's powers cached.
struct PowerProducts {
    let states: [[Polynomial]]
    var powers: [[Int: Polynomial]]
    init(_ states: [[Polynomial]]) { self.states = states; powers = states.flatMap { $0 }.map { _ in [:] } }

    mutating func power(_ flat: Int, _ v: Polynomial, _ e: Int) -> Polynomial {
        if let p = powers[flat][e] { return p }
        let p = e == 1 ? v : power(flat, v, e - 1) * v
        powers[flat][e] = p
        return p
    }

    /// z^mu (mu[l][i] the exponent of h^l_i); nil past `maxTerms` terms.
    mutating func product(_ mu: [[Int]], maxTerms: Int) -> Polynomial? {
        var out = Polynomial(1)
        var flat = 0
        for (l, e) in mu.enumerated() {
            for (i, power) in e.enumerated() {
                defer { flat += 1 }
                guard power > 0 else { continue }
                let factor = self.power(flat, states[l][i], power)
                guard !ReachableEquation.exceeds(factor.termCount, out.termCount, maxTerms) else { return nil }
                out = out * factor
            }
        }
        return out
    }
}
