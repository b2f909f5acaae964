import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Four states of a depth-3 bilinear stack with two units per layer and d = 2 from which the
/// top layer's state is zero after one step, whatever the input (Docs/separation-rank.md,
/// algorithm 6, "killed states"): then y_T = 0 for every future, so evaluation at each of them
/// annihilates the observable space O_k, and the four evaluations are independent on the
/// multi-homogeneous space W: dim O_k <= dim W - 4.
///
/// The states live in the algebra A = Q[s, t]/(q1(s), q3(t)), four points over C when both
/// quadratics are squarefree with nonzero leading coefficient: h^1 = (1, s), h^2 = b,
/// h^3 = (1, t). With M_e = A1[., ., e], q1(s) = det[M_1 a | M_2 a] at a = (1, s): the next
/// h^1 stays on one line (of u) for every input. With R(c) = A3(c x .), q3(t) = det R(c) at
/// c = (1, t): R(c) has a kernel vector k. b is the state of layer 2 whose next state
/// A2(b x u) lies on k's line, so R(c) kills it.
public struct KilledStates: Sendable, Equatable {
    /// q1(s) = q1[0] + q1[1] s + q1[2] s^2; q3(t) likewise.
    public let q1: [Rational]
    public let q3: [Rational]
    /// h^2 at the killed states: two elements of A, coordinates in the basis 1, s, t, st.
    public let b: [[Rational]]

    public init(q1: [Rational], q3: [Rational], b: [[Rational]]) { self.q1 = q1; self.q3 = q3; self.b = b }

    /// The variables s and t in the polynomials below (after the two input variables).
    static let s = 2, t = 3

    /// The killed states of `model`, nil when it is not such a stack or the construction
    /// degenerates (a root at infinity, a double root, b zero at a point, or the check fails).
    public static func find(_ model: NetworkModel) -> KilledStates? {
        guard applies(to: model) else { return nil }
        let tensors = model.layers.map { layer in
            (0..<2).map { i in (0..<2).map { a in (0..<2).map { e in
                layer.terms.reduce(Rational.zero) { $0 + $1.bilinearCoefficient(i, a, e) } } } }
        }
        let (a1, a2, a3) = (tensors[0], tensors[1], tensors[2])
        let sv = Polynomial.variable(s), tv = Polynomial.variable(t)
        let a = [Polynomial(1), sv], c = [Polynomial(1), tv]
        // M_e a and q1 = det[M_1 a | M_2 a]
        let image = { (e: Int) in (0..<2).map { i in Polynomial(a1[i][0][e]) + Polynomial(a1[i][1][e]) * a[1] } }
        let u = image(0), w = image(1)
        let q1 = coefficients(u[0] * w[1] - u[1] * w[0], in: s)
        // R(c)[i][q] = sum_p A3[i][p][q] c_p, q3 = det R(c)
        let r = (0..<2).map { i in (0..<2).map { q in Polynomial(a3[i][0][q]) + Polynomial(a3[i][1][q]) * c[1] } }
        let q3 = coefficients(r[0][0] * r[1][1] - r[0][1] * r[1][0], in: t)
        guard q1.count == 3, q3.count == 3, squarefree(q1), squarefree(q3) else { return nil }
        // the line of the next h^1 (M_1 a and M_2 a are parallel at the roots) and a kernel
        // vector of R(c) (a column of its adjugate): each candidate may vanish at one of the
        // points, so a few combinations are tried, and the check decides
        let lines = [u, w, zip(u, w).map { $0 + $1 }, zip(u, w).map { $0 - $1 }]
        let kernels = [[r[0][1], -r[0][0]], [r[1][1], -r[1][0]], [r[0][1] + r[1][1], -(r[0][0] + r[1][0])],
                       [r[0][1] - r[1][1], r[1][0] - r[0][0]]]
        for line in lines {
            for k in kernels {
                // Q(line)[i][p] = sum_q A2[i][p][q] line_q; b orthogonal to w_p = det[Q(line) e_p | k]
                let q = (0..<2).map { i in (0..<2).map { p in (0..<2).reduce(Polynomial.zero) { $0 + Polynomial(a2[i][p][$1]) * line[$1] } } }
                let wp = (0..<2).map { p in q[0][p] * k[1] - q[1][p] * k[0] }
                let killed = KilledStates(q1: q1, q3: q3, b: [wp[1], -wp[0]].map { coordinates(reduce($0, q1: q1, q3: q3)) })
                if killed.verify(model) { return killed }
            }
        }
        return nil
    }

    /// Depth 3, two units per layer, d = 2, a bilinear stack.
    static func applies(to model: NetworkModel) -> Bool {
        model.depth == 3 && model.inputDim == 2 && model.layers.allSatisfy { $0.hidden == 2 } && BilinearStack.applies(to: model)
    }

    /// The proof's checks, from the model's own step (the unrolling, not the tensors `find`
    /// read): q1, q3 squarefree quadratics; one step from (1, s), b, (1, t) with symbolic input
    /// gives h^3 = 0 in A; b is nonzero at each of the four points (b_0, b_1 generate A).
    public func verify(_ model: NetworkModel) -> Bool {
        guard KilledStates.applies(to: model), q1.count == 3, q3.count == 3, KilledStates.squarefree(q1), KilledStates.squarefree(q3),
              b.count == 2, b.allSatisfy({ $0.count == 4 }) else { return false }
        let sv = Polynomial.variable(KilledStates.s), tv = Polynomial.variable(KilledStates.t)
        let h2 = b.map(element)
        var run = Unrolling<Polynomial>(model, states: [[Polynomial(1), sv], h2, [Polynomial(1), tv]], step: 0)
        run.advance()
        guard run.states[2].allSatisfy({ KilledStates.reduce($0, q1: q1, q3: q3).isZero }) else { return false }
        // [mult(b_0) | mult(b_1)] of rank 4: no point where both vanish (A is reduced)
        let basis = [Polynomial(1), sv, tv, sv * tv]
        let columns = h2.flatMap { x in basis.map { KilledStates.coordinates(KilledStates.reduce(x * $0, q1: q1, q3: q3)) } }
        return RationalMatrix(rows: 4, columns: 8) { i, j in columns[j][i] }.rank() == 4
    }

    /// An element of A (coordinates in 1, s, t, st) as a polynomial in s and t.
    func element(_ x: [Rational]) -> Polynomial {
        let sv = Polynomial.variable(KilledStates.s), tv = Polynomial.variable(KilledStates.t)
        return Polynomial.combination([(x[0], Polynomial(1)), (x[1], sv), (x[2], tv), (x[3], sv * tv)])
    }

    /// c0 + c1 v + c2 v^2 with a nonzero leading coefficient and discriminant: two distinct
    /// finite roots.
    static func squarefree(_ q: [Rational]) -> Bool {
        !q[2].isZero && !(q[1] * q[1] - Rational(4) * q[0] * q[2]).isZero
    }

    /// The coefficients of a polynomial in one variable v (the others absent), up to degree 2,
    /// padded with zeros; empty when the degree is above 2 or another variable occurs.
    static func coefficients(_ p: Polynomial, in v: Int) -> [Rational] {
        var out = [Rational](repeating: .zero, count: 3)
        for (coefficient, m) in p.terms {
            let e = m.exponent(of: v)
            guard e <= 2, m.totalDegree == e else { return [] }
            out[e] = coefficient
        }
        return out
    }

    /// Coordinates in 1, s, t, st of a polynomial reduced modulo q1(s), q3(t).
    static func coordinates(_ p: Polynomial) -> [Rational] {
        let sv = Polynomial.variable(s).terms[0].monomial, tv = Polynomial.variable(t).terms[0].monomial
        return [Monomial.one, sv, tv, sv * tv].map { p.coefficient(of: $0) }
    }

    /// The normal form modulo (q1(s), q3(t)): degree at most 1 in s and in t.
    static func reduce(_ p: Polynomial, q1: [Rational], q3: [Rational]) -> Polynomial {
        reduce(reduce(p, variable: s, by: q1), variable: t, by: q3)
    }

    /// p modulo the quadratic q in v: v^2 = -(q0 + q1 v)/q2, from the highest power down.
    static func reduce(_ p: Polynomial, variable v: Int, by q: [Rational]) -> Polynomial {
        let groups = p.grouped(where: { $0 == v })
        guard let top = groups.keys.map({ $0.exponent(of: v) }).max(), top >= 2 else { return p }
        var c = [Polynomial](repeating: .zero, count: top + 1)
        for (m, g) in groups { c[m.exponent(of: v)] = g }
        let r1 = -q[1] / q[2], r0 = -q[0] / q[2]
        for e in stride(from: top, through: 2, by: -1) where !c[e].isZero {
            c[e - 1] = c[e - 1] + r1 * c[e]
            c[e - 2] = c[e - 2] + r0 * c[e]
        }
        return c[0] + Polynomial.variable(v) * c[1]
    }
}
