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
    /// (zero where there is no piece); the step map is written in v once (h1 = Ws^{-1} v), so
    /// the compositions come out in v. Refuses (`LiftedError.powerTooLarge`) a power of the
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
        // the step map with the old h1 written as Ws^{-1} v (v in h1's variables d..<d + n1):
        // composing with it and grouping by v reads off the pieces directly
        var toV: [Int: Polynomial] = [:]
        for i in 0..<n1 { toV[d + i] = Polynomial.combination((0..<n1).map { (inv[i, $0], Polynomial.variable(d + $0)) }) }
        let step = space.step.map { $0.substituting(toV) }
        let members = levels.map { Membership($0, offset: d, firstCount: n1) }
        // c in V_0
        guard members[0].contains(space.readout.substituting(toV)) else { return false }
        // the new h1 seen through Ws, and the upper monomials of the new state, memoised
        let forms = (0..<n1).map { i in Polynomial.combination((0..<n1).map { (hd.state[i][$0], step[$0]) }) }
        var formPowers: [[Polynomial]] = forms.map { [Polynomial(1), $0] }
        func formPower(_ i: Int, _ e: Int) -> Polynomial {
            while formPowers[i].count <= e { formPowers[i].append(formPowers[i][formPowers[i].count - 1] * forms[i]) }
            return formPowers[i][e]
        }
        var upperImages: [Monomial: Polynomial] = [.one: Polynomial(1)]
        func upperImage(_ m: Monomial) -> Polynomial {
            if let p = upperImages[m] { return p }
            // m = z_v * rest (proof numbering: upper variable n1 + u is step coordinate n1 + u)
            let factors = m.factors
            let (v, e) = factors[0]
            let rest = Monomial(Array(factors.dropFirst()) + (e > 1 ? [(v, e - 1)] : []))
            let p = upperImage(rest) * step[v]
            upperImages[m] = p
            return p
        }
        for j in 0..<(levels.count - 1) {
            let level = levels[j]
            for piece in level.pieces {
                let head = piece.key.factors.reduce(Polynomial(1)) { $0 * formPower($1.variable, $1.exponent) }
                if head.termCount > maxTerms { throw LiftedError.powerTooLarge(terms: head.termCount, limit: maxTerms) }
                let gens: [[Rational]] = piece.basis ?? (0..<level.upper.count).map { i in (0..<level.upper.count).map { $0 == i ? Rational.one : .zero } }
                for s in gens {
                    var terms: [(Rational, Polynomial)] = []
                    for (c, m) in zip(s, level.upper) where !c.isZero {
                        let image = upperImage(m)
                        if image.termCount > maxTerms { throw LiftedError.powerTooLarge(terms: image.termCount, limit: maxTerms) }
                        terms.append((c, image))
                    }
                    let tail = Polynomial.combination(terms)
                    let (pairs, overflow) = head.termCount.multipliedReportingOverflow(by: tail.termCount)
                    if overflow || pairs > maxTerms { throw LiftedError.powerTooLarge(terms: overflow ? .max : pairs, limit: maxTerms) }
                    for (_, f) in (head * tail).grouped(where: { $0 < d }) {
                        guard members[j + 1].contains(f) else { return false }
                    }
                }
            }
        }
        return true
    }

    /// Membership in one level, for polynomials in the step map's state numbering (v = Ws h1
    /// at d..<d + n1, the upper states after it): pieces by key, each with the rank of its basis.
    private struct Membership {
        let index: [Monomial: Int]
        let pieces: [Monomial: (basis: [[Rational]]?, rank: Int)]
        let offset: Int
        let firstCount: Int
        init(_ level: Level, offset: Int, firstCount: Int) {
            self.offset = offset; self.firstCount = firstCount
            // the proof's variables (h1 0..<n1, upper n1..) moved to the step map's
            index = Dictionary(uniqueKeysWithValues: level.upper.enumerated().map { (Membership.shift($1, offset), $0) })
            pieces = Dictionary(uniqueKeysWithValues: level.pieces.map { piece in
                (Membership.shift(piece.key, offset), (piece.basis, piece.basis.map { $0.isEmpty ? 0 : RationalMatrix($0).rank() } ?? 0))
            })
        }

        static func shift(_ m: Monomial, _ by: Int) -> Monomial { Monomial(m.factors.map { ($0.variable + by, $0.exponent) }) }

        /// f in ⊕_β v^β S_β.
        func contains(_ f: Polynomial) -> Bool {
            let (low, high) = (offset, offset + firstCount)
            for (beta, g) in f.grouped(where: { $0 >= low && $0 < high }) {
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
