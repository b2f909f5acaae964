import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Any model as a linear system on lifted states (Docs/separation-rank.md, "lifted").
///
/// The whole state z_t = (h^1_t, ..., h^L_t) (N numbers) follows one polynomial step
/// z_t = G(z_{t-1}, x_t) and y_T = c(z_T) = C rho(h^L_T). For a length T, the state monomials
/// the future can reach are Mon_T = supp(c) and Mon_{t-1} = the z-support of G^mu over
/// mu in Mon_t. With lift_t(z) = (z^mu)_{mu in Mon_t}, one step is linear in the lift:
///     lift_t(z_t) = sum_gamma x_t^gamma C_gamma lift_{t-1}(z_{t-1}),
/// where C_gamma[mu, nu] is the coefficient of x^gamma z^nu in G(z, x)^mu. The unfolding at the
/// cut k factors as Phi_k Gamma_k with row space of Phi_k the reachable space
/// R_k = sum_gamma C_gamma R_{k-1}, R_0 = span{lift_0(z_0)}, and column space of Gamma_k the
/// observable space O_k = sum_gamma C_gamma^T O_{k+1}, O_T = span{c}; so the separation rank at
/// the cut is rank(B_R B_O^T) for bases of the two spaces. Everything is exact over Q.
public struct LiftedStateSpace: Sendable {
    public let model: NetworkModel
    public let output: Int
    /// N, the number of state coordinates (sum of the layers' widths).
    public let stateDimension: Int
    /// G_i(z, x): x is variables 0..<d (one step's input), z is variables d..<d + N.
    let step: [Polynomial]
    /// c(z) = C rho(h^L), in the same variables.
    let readout: Polynomial

    public init(_ model: NetworkModel, output: Int) throws {
        guard output >= 0 && output < model.outputCount else {
            throw UnrollError.outputOutOfRange(index: output, outputs: model.outputCount)
        }
        self.model = model
        self.output = output
        let d = model.inputDim
        var offset = d
        var symbolic: [[Polynomial]] = []
        for layer in model.layers {
            symbolic.append((0..<layer.hidden).map { Polynomial.variable(offset + $0) })
            offset += layer.hidden
        }
        stateDimension = offset - d
        // one step from symbolic states at step 0 reads x_1, whose variables are 0..<d
        var one = Unrolling<Polynomial>(model, states: symbolic, step: 0)
        one.advance()
        step = one.states.flatMap { $0 }
        // at a step >= 1 the readout sees rho(h^L): resume at step 1 without advancing
        readout = try Unrolling<Polynomial>(model, states: symbolic, step: 1).output(output)
    }

    var inputDim: Int { model.inputDim }
}

/// One state monomial's image under a step: z^mu(z_t) = sum over (gamma, nu) of
/// coefficient * x_t^gamma * z_{t-1}^nu.
struct LiftedRow {
    var terms: [(gamma: Monomial, nu: Monomial, coefficient: Rational)]
}

public enum LiftedError: Error, CustomStringConvertible, Equatable {
    case liftTooLarge(length: Int, step: Int, size: Int, limit: Int)
    case powerTooLarge(terms: Int, limit: Int)

    public var description: String {
        switch self {
        case let .liftTooLarge(T, t, size, limit):
            return "the lifted state at step \(t) of T = \(T) has \(size) coordinates, above the limit of \(limit); raise it with --max-lift if the machine has the memory"
        case let .powerTooLarge(terms, limit):
            return "a power of the step map has \(terms) terms, above the limit of \(limit); raise it with --max-terms if the machine has the memory"
        }
    }
}

/// The lifted linear system for one length T: the monomial sets Mon_0 ... Mon_T and the
/// transition maps between them.
struct LiftedSystem {
    let length: Int
    let inputDim: Int
    /// mons[t] lists Mon_t; index[t] maps a monomial to its coordinate.
    let mons: [[Monomial]]
    let index: [[Monomial: Int]]
    /// transitions[t - 1] maps lift_{t-1} to lift_t: for each row (mu in Mon_t) its terms
    /// as (gamma index, column in Mon_{t-1}, coefficient); gammas[t - 1] lists the gammas.
    let transitions: [[[(gamma: Int, column: Int, coefficient: Rational)]]]
    let gammas: [[Monomial]]
    let initial: [Rational]
    let final: [Rational]

    init(_ space: LiftedStateSpace, length T: Int, maxLift: Int, maxTerms: Int) throws {
        precondition(T >= 1)
        let d = space.inputDim
        let isState: (Int) -> Bool = { $0 >= d }
        var powers: [Monomial: Polynomial] = [.one: Polynomial(1)]
        var rows: [Monomial: LiftedRow] = [:]
        func power(_ mu: Monomial) throws -> Polynomial {
            if let p = powers[mu] { return p }
            let factors = mu.factors
            let (v, e) = factors[0]
            let rest = Monomial(Array(factors.dropFirst()) + (e > 1 ? [(v, e - 1)] : []))
            let p = try power(rest) * space.step[v - d]
            if p.termCount > maxTerms { throw LiftedError.powerTooLarge(terms: p.termCount, limit: maxTerms) }
            powers[mu] = p
            return p
        }
        func row(_ mu: Monomial) throws -> LiftedRow {
            if let r = rows[mu] { return r }
            let p = try power(mu)
            let r = LiftedRow(terms: p.terms.map { c, m in
                let (z, x) = m.split(where: isState)
                return (x, z, c)
            })
            rows[mu] = r
            return r
        }
        // Mon_T from the readout, then backward
        var mons = [[Monomial]](repeating: [], count: T + 1)
        mons[T] = space.readout.terms.map(\.monomial)
        if mons[T].count > maxLift { throw LiftedError.liftTooLarge(length: T, step: T, size: mons[T].count, limit: maxLift) }
        for t in stride(from: T, to: 0, by: -1) {
            var seen = Set<Monomial>(), list: [Monomial] = []
            for mu in mons[t] {
                for term in try row(mu).terms where seen.insert(term.nu).inserted { list.append(term.nu) }
            }
            if list.count > maxLift { throw LiftedError.liftTooLarge(length: T, step: t - 1, size: list.count, limit: maxLift) }
            mons[t - 1] = list
        }
        let index = mons.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }
        var transitions: [[[(gamma: Int, column: Int, coefficient: Rational)]]] = []
        var gammas: [[Monomial]] = []
        for t in 1...T {
            var gIndex: [Monomial: Int] = [:], gList: [Monomial] = []
            var mat: [[(gamma: Int, column: Int, coefficient: Rational)]] = []
            for mu in mons[t] {
                mat.append(try row(mu).terms.map { term in
                    let g = gIndex[term.gamma] ?? { gList.append(term.gamma); gIndex[term.gamma] = gList.count - 1; return gList.count - 1 }()
                    return (g, index[t - 1][term.nu]!, term.coefficient)
                })
            }
            transitions.append(mat)
            gammas.append(gList)
        }
        // lift_0(z_0) = (z_0^nu) and the readout's coefficients on Mon_T
        let z0 = space.model.layers.flatMap(\.h0)
        initial = mons[0].map { nu in nu.factors.reduce(Rational.one) { $0 * z0[$1.variable - d].power($1.exponent) } }
        final = space.readout.terms.map(\.coefficient)
        self.length = T; self.inputDim = d; self.mons = mons; self.index = index
        self.transitions = transitions; self.gammas = gammas
    }

    /// C_gamma v for every gamma of the step into Mon_t (t >= 1), v on Mon_{t-1}.
    func forward(_ v: [Rational], into t: Int) -> [[Rational]] {
        var out = [[Rational]](repeating: [Rational](repeating: .zero, count: mons[t].count), count: gammas[t - 1].count)
        for (i, row) in transitions[t - 1].enumerated() {
            for e in row where !v[e.column].isZero { out[e.gamma][i] += e.coefficient * v[e.column] }
        }
        return out
    }

    /// C_gamma^T w for every gamma of the step into Mon_t, w on Mon_t, results on Mon_{t-1}.
    func backward(_ w: [Rational], from t: Int) -> [[Rational]] {
        var out = [[Rational]](repeating: [Rational](repeating: .zero, count: mons[t - 1].count), count: gammas[t - 1].count)
        for (i, row) in transitions[t - 1].enumerated() where !w[i].isZero {
            for e in row { out[e.gamma][e.column] += e.coefficient * w[i] }
        }
        return out
    }
}

/// An exact basis of a subspace of Q^n, grown one vector at a time: rows in echelon form
/// (pivot entry 1) kept in increasing pivot order, and the unreduced generators that were
/// accepted, with how each was made.
struct EchelonSpan {
    let dimension: Int
    private(set) var rows: [[Rational]] = []
    private(set) var pivots: [Int] = []
    private(set) var generators: [[Rational]] = []
    /// For each generator: (index of its parent generator one step earlier, gamma index).
    private(set) var origins: [(parent: Int, gamma: Int)] = []

    init(dimension: Int) { self.dimension = dimension }

    var isFull: Bool { rows.count == dimension }

    /// Adds v when it is outside the span; returns whether it was added.
    @discardableResult
    mutating func add(_ v: [Rational], origin: (parent: Int, gamma: Int)) -> Bool {
        if isFull { return false }
        var r = v
        for (row, p) in zip(rows, pivots) where !r[p].isZero {
            let f = r[p]
            for j in p..<dimension where !row[j].isZero { r[j] -= f * row[j] }
        }
        guard let p = r.firstIndex(where: { !$0.isZero }) else { return false }
        let inv = r[p].reciprocal
        for j in p..<dimension where !r[j].isZero { r[j] *= inv }
        let at = pivots.firstIndex { $0 > p } ?? pivots.count
        rows.insert(r, at: at); pivots.insert(p, at: at)
        generators.append(v); origins.append(origin)
        return true
    }
}
