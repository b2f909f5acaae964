import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Evidence for a separation rank r at a cut, checkable against y_T by code that knows
/// nothing of the lift: the r x r submatrix of the unfolding on rows `rowMonomials` (in the
/// inputs of steps 1..k) and columns `columnMonomials` (steps k+1..T) is `minor`, and it is
/// nonsingular, so rank >= r. (rank <= r comes from the exact spans: the reachable and
/// observable spaces are closed under every step map, computed over Q.)
public struct LiftedRankCertificate: Sendable, Equatable {
    public let rank: Int
    public let rowMonomials: [Monomial]
    public let columnMonomials: [Monomial]
    /// The minor's entries modulo `prime` (row-major); nonsingular mod p implies nonsingular
    /// over Q.
    public let prime: UInt
    public let residues: [UInt]

    public init(rank: Int, rowMonomials: [Monomial], columnMonomials: [Monomial], prime: UInt, residues: [UInt]) {
        self.rank = rank; self.rowMonomials = rowMonomials; self.columnMonomials = columnMonomials
        self.prime = prime; self.residues = residues
    }

    /// True when each residue is the coefficient of rowMonomials[i] * columnMonomials[j] in y
    /// modulo `prime` and the minor is nonsingular modulo `prime` (the rank certificates'
    /// plain elimination, independent of the lifted code that found it).
    public func verify(against y: Polynomial) -> Bool {
        let r = rank
        guard rowMonomials.count == r, columnMonomials.count == r, residues.count == r * r,
              ModularArithmetic.isPrime(prime) else { return false }
        for i in 0..<r {
            for j in 0..<r {
                guard let c = y.coefficient(of: rowMonomials[i] * columnMonomials[j]).mod(prime), c == residues[i * r + j] else { return false }
            }
        }
        var a = residues
        return RankCertificate.nonsingularModP(&a, r, prime)
    }
}

/// One cut of a lifted computation, with what was measured on the way.
public struct LiftedCut: Sendable {
    /// S = 1...k.
    public let cut: Int
    public let rank: Int
    /// |Mon_k|, dim R_k, dim O_k.
    public let liftDimension: Int
    public let reachableDimension: Int
    public let observableDimension: Int
    public let certificate: LiftedRankCertificate
}

public enum LiftedRank {
    /// Separation ranks of y_T at the cuts S = 1...k for every k in `cuts` (default 0...T).
    ///
    /// The spans are first computed modulo a 61-bit prime from exact path vectors (each kept
    /// generator is C_gamma_k ... C_gamma_1 lift_0 for a recorded sequence). Generators
    /// independent mod p are independent over Q, so a span that fills its lifted space mod p
    /// is full over Q: no exact work is needed there. Only spans that are proper mod p are
    /// recomputed exactly over Q (from the previous exact span, or from the unit vectors when
    /// the previous span is full), and the rank at the cut is then decided exactly:
    /// |Mon_k| when both sides are full, the dimension of the proper side when one is, the
    /// exact rank of the Gram matrix of exact bases otherwise. The certificate is the mod-p
    /// minor of path vectors when it has the exact rank, else the fully exact computation's.
    public static func cuts(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                            maxLift: Int = 20_000, maxTerms: Int = 5_000_000) throws -> [LiftedCut] {
        precondition(T >= 1, "the lifted method needs T >= 1")
        let ks = wanted ?? Array(0...T)
        precondition(ks.allSatisfy { $0 >= 0 && $0 <= T })
        guard !ks.isEmpty else { return [] }
        let space = try LiftedStateSpace(model, output: output)
        let sys = try LiftedSystem(space, length: T, maxLift: maxLift, maxTerms: maxTerms)
        guard let modular = ModularLift(sys) else {
            return try exactCuts(sys, cuts: ks)   // a denominator divisible by the prime
        }
        return try modular.cuts(ks)
    }

    /// The same ranks with every span computed exactly over Q (no modular shortcut).
    public static func exactCuts(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                                 maxLift: Int = 20_000, maxTerms: Int = 5_000_000) throws -> [LiftedCut] {
        precondition(T >= 1, "the lifted method needs T >= 1")
        let space = try LiftedStateSpace(model, output: output)
        let sys = try LiftedSystem(space, length: T, maxLift: maxLift, maxTerms: maxTerms)
        return try exactCuts(sys, cuts: wanted ?? Array(0...T))
    }

    static func exactCuts(_ sys: LiftedSystem, cuts ks: [Int]) throws -> [LiftedCut] {
        let T = sys.length
        guard let lo = ks.min(), let hi = ks.max() else { return [] }
        // forward: R_0 ... R_hi
        var reach: [EchelonSpan] = []
        var r0 = EchelonSpan(dimension: sys.mons[0].count)
        r0.add(sys.initial, origin: (-1, -1))
        reach.append(r0)
        var exact: [Int: [[(gamma: Int, column: Int, coefficient: Rational)]]] = [:]
        func rows(_ t: Int) throws -> [[(gamma: Int, column: Int, coefficient: Rational)]] {
            if let r = exact[t] { return r }
            let r = try sys.exactTransition(t)
            exact[t] = r
            return r
        }
        for t in stride(from: 1, through: hi, by: 1) {
            var next = EchelonSpan(dimension: sys.mons[t].count)
            let c = try rows(t)
            for (gi, g) in reach[t - 1].generators.enumerated() {
                if next.isFull { break }
                for (gamma, v) in sys.forward(g, into: t, c).enumerated() where !next.isFull {
                    next.add(v, origin: (gi, gamma))
                }
            }
            reach.append(next)
        }
        // backward: O_T ... O_lo (observe[t] is O_t)
        var observe = [EchelonSpan?](repeating: nil, count: T + 1)
        var oT = EchelonSpan(dimension: sys.mons[T].count)
        oT.add(sys.final, origin: (-1, -1))
        observe[T] = oT
        for t in stride(from: T, to: lo, by: -1) {
            var prev = EchelonSpan(dimension: sys.mons[t - 1].count)
            let c = try rows(t)
            for (gi, w) in observe[t]!.generators.enumerated() {
                if prev.isFull { break }
                for (gamma, v) in sys.backward(w, from: t, c).enumerated() where !prev.isFull {
                    prev.add(v, origin: (gi, gamma))
                }
            }
            observe[t - 1] = prev
        }
        return ks.map { k in
            let r = reach[k], o = observe[k]!
            let gram = RationalMatrix(rows: r.generators.count, columns: o.generators.count) { i, j in
                zip(r.generators[i], o.generators[j]).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
            }
            let cert = gram.rows == 0 || gram.columns == 0 ? nil : gram.certifiedRank()
            let rank = cert?.rank ?? 0
            let rowsUsed = cert?.pivotRows ?? [], colsUsed = cert?.pivotColumns ?? []
            let minor = gram.submatrix(rows: rowsUsed, columns: colsUsed)
            // a prime keeping the minor nonsingular: the certificate's own
            let prime = certificatePrime(minor)
            let certificate = LiftedRankCertificate(
                rank: rank,
                rowMonomials: rowsUsed.map { reachablePath(reach, step: k, generator: $0, system: sys) },
                columnMonomials: colsUsed.map { observablePath(observe, step: k, generator: $0, system: sys) },
                prime: prime, residues: minor.elements.map { $0.mod(prime)! })
            return LiftedCut(cut: k, rank: rank, liftDimension: sys.mons[k].count, reachableDimension: r.rows.count,
                             observableDimension: o.rows.count, certificate: certificate)
        }
    }

    /// The first of the primes below 2^61 that divides no denominator of the (nonsingular)
    /// minor and not its determinant.
    static func certificatePrime(_ minor: RationalMatrix) -> UInt {
        let det = minor.rows == 0 ? Rational.one : minor.determinant()
        for p in ModularArithmetic.primes(below: 1 << 61, count: 64) {
            if let d = det.mod(p), d != 0, minor.elements.allSatisfy({ $0.mod(p) != nil }) { return p }
        }
        preconditionFailure("a nonzero rational is a unit modulo all but finitely many primes")
    }

    /// The input monomial x_1^gamma_1 ... x_k^gamma_k whose coefficient vector in lift_k is
    /// this reachable generator.
    static func reachablePath(_ reach: [EchelonSpan], step k: Int, generator i: Int, system sys: LiftedSystem) -> Monomial {
        var factors: [(variable: Int, exponent: Int)] = []
        var (t, g) = (k, i)
        while t >= 1 {
            let origin = reach[t].origins[g]
            factors += shifted(sys.gammas[t - 1][origin.gamma], toStep: t, inputDim: sys.inputDim)
            (t, g) = (t - 1, origin.parent)
        }
        return Monomial(factors)
    }

    /// The input monomial x_{k+1}^gamma_{k+1} ... x_T^gamma_T of this observable generator.
    static func observablePath(_ observe: [EchelonSpan?], step k: Int, generator j: Int, system sys: LiftedSystem) -> Monomial {
        var factors: [(variable: Int, exponent: Int)] = []
        var (t, g) = (k, j)
        while t < sys.length {
            let origin = observe[t]!.origins[g]
            factors += shifted(sys.gammas[t][origin.gamma], toStep: t + 1, inputDim: sys.inputDim)
            (t, g) = (t + 1, origin.parent)
        }
        return Monomial(factors)
    }

    /// gamma (variables 0..<d) as a monomial in step t's inputs.
    static func shifted(_ gamma: Monomial, toStep t: Int, inputDim d: Int) -> [(variable: Int, exponent: Int)] {
        gamma.factors.map { ((t - 1) * d + $0.variable, $0.exponent) }
    }
}
