import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

extension GradedObservableProof {
    /// Checks that the levels contain the observable spaces, by code apart from the pass that
    /// built them: the model's whole step map G(z, x) (every layer, x explicit, as the lifted
    /// system has it) instead of the layers above the first, composition instead of tables,
    /// and ranks of rational matrices instead of incremental spans. It checks
    ///   - c lies in V_0;
    ///   - for every generator q = (Ws h1)^β s(upper) of V_j, each x-coefficient of q(G(z, x))
    ///     lies in V_{j+1};
    /// so O_{T-j} ⊆ V_j by induction, and rank <= dim V_j (`Level.dimension`). A polynomial f
    /// lies in V_j when, written in v = Ws h1, its coefficient of each v^β lies in the piece β
    /// (zero where there is no piece). Refuses (`LiftedError.powerTooLarge`) a power of the
    /// step map past `maxTerms` terms.
    public func verify(model: NetworkModel, output: Int, maxTerms: Int = 5_000_000) throws -> Bool {
        guard let first = model.layers.first, first.terms.count == 1, case .hadamard(let hd) = first.terms[0],
              first.activation == nil || first.activation == [0, 1], !levels.isEmpty else { return false }
        let n1 = first.hidden, d = model.inputDim
        guard let inv = RationalMatrix(hd.state).inverse() else { return false }
        let space = try LiftedStateSpace(model, output: output)
        let nUp = space.stateDimension - n1
        // the proof's variables: h1 = 0..<n1, upper = n1..<n1 + nUp; the step map's: x = 0..<d, states d...
        let isFirst: (Int) -> Bool = { $0 < n1 }
        for level in levels {
            guard Set(level.upper).count == level.upper.count,
                  level.upper.allSatisfy({ $0.factors.allSatisfy { $0.variable >= n1 && $0.variable < n1 + nUp } }),
                  Set(level.pieces.map(\.key)).count == level.pieces.count,
                  level.pieces.allSatisfy({ $0.key.factors.allSatisfy { isFirst($0.variable) } }),
                  level.pieces.allSatisfy({ $0.basis?.allSatisfy { $0.count == level.upper.count } ?? true }) else { return false }
        }
        // step-map state variables to the proof's, with h1 = Ws^{-1} v
        var toProof: [Int: Polynomial] = [:]
        for i in 0..<n1 {
            toProof[d + i] = Polynomial.combination((0..<n1).map { (inv[i, $0], Polynomial.variable($0)) })
        }
        for u in 0..<nUp { toProof[d + n1 + u] = Polynomial.variable(n1 + u) }
        let members = levels.map { Membership($0) }
        // c in V_0
        guard members[0].contains(space.readout.substituting(toProof), isFirst: isFirst) else { return false }
        // generators of V_j pulled back through one step
        let forms = (0..<n1).map { i in Polynomial.combination((0..<n1).map { (hd.state[i][$0], Polynomial.variable(d + $0)) }) }
        let step = Dictionary(uniqueKeysWithValues: space.step.enumerated().map { (d + $0.offset, $0.element) })
        for j in 0..<(levels.count - 1) {
            let level = levels[j]
            let upper = level.upper.map { m in Polynomial(coefficient: .one, monomial: Monomial(m.factors.map { (d + $0.variable, $0.exponent) })) }
            for piece in level.pieces {
                let head = piece.key.factors.reduce(Polynomial(1)) { $0 * forms[$1.variable].power($1.exponent) }
                let gens: [[Rational]] = piece.basis ?? (0..<upper.count).map { i in (0..<upper.count).map { $0 == i ? Rational.one : .zero } }
                for s in gens {
                    let q = head * Polynomial.combination(zip(s, upper).map { ($0, $1) })
                    if q.termCount > maxTerms { throw LiftedError.powerTooLarge(terms: q.termCount, limit: maxTerms) }
                    let pulled = q.substituting(step)
                    if pulled.termCount > maxTerms { throw LiftedError.powerTooLarge(terms: pulled.termCount, limit: maxTerms) }
                    for (_, f) in pulled.grouped(where: { $0 < d }) {
                        guard members[j + 1].contains(f.substituting(toProof), isFirst: isFirst) else { return false }
                    }
                }
            }
        }
        return true
    }

    /// Membership in one level: pieces by key, each with the rank of its basis.
    private struct Membership {
        let index: [Monomial: Int]
        let pieces: [Monomial: (basis: [[Rational]]?, rank: Int)]
        init(_ level: Level) {
            index = Dictionary(uniqueKeysWithValues: level.upper.enumerated().map { ($1, $0) })
            pieces = Dictionary(uniqueKeysWithValues: level.pieces.map { piece in
                (piece.key, (piece.basis, piece.basis.map { $0.isEmpty ? 0 : RationalMatrix($0).rank() } ?? 0))
            })
        }

        /// f (in v and the upper variables) in ⊕_β v^β S_β.
        func contains(_ f: Polynomial, isFirst: (Int) -> Bool) -> Bool {
            for (beta, g) in f.grouped(where: isFirst) {
                var row = [Rational](repeating: .zero, count: index.count)
                for (c, m) in g.terms {
                    guard let i = index[m] else { return false }
                    row[i] = c
                }
                guard let piece = pieces[beta] else { return false }   // g is not zero (grouped keeps terms)
                guard let basis = piece.basis else { continue }       // the whole space
                if RationalMatrix(basis + [row]).rank() != piece.rank { return false }
            }
            return true
        }
    }
}
