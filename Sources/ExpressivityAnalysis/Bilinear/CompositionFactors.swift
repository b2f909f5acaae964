import ExactNumbers
import ExactLinearAlgebra

/// Absolutely irreducible composition factors of Q^n under matrices A_1..A_S, found by
/// splitting (a lightweight MeatAxe, derived here): a vector spun under the A_s that spans a
/// proper subspace is a submodule, and so is the annihilator of a proper left submodule; both
/// are tried from the kernels of A_s - lambda for lambda in {0, 1, -1} (the spectrum of a
/// finite-state task's maps lies among 0 and roots of unity). A piece that no candidate splits
/// is certified only by Burnside (its algebra is all d x d matrices); an uncertified piece
/// proves nothing. Every certified factor is a composition factor of the module (Jordan-Hoelder
/// on the chain found), which is what the block-diagonal bound needs (argument 15).
enum CompositionFactors {
    /// The dimensions of the certified absolutely irreducible factors (pieces up to `maxBurnside`).
    static func certified(_ ms: [RationalMatrix], maxBurnside: Int = 16) -> [Int] {
        guard let n = ms.first?.rows, n > 0 else { return [] }
        if let (sub, quotient) = split(ms) {
            return certified(sub, maxBurnside: maxBurnside) + certified(quotient, maxBurnside: maxBurnside)
        }
        return n <= maxBurnside && AutomatonHierarchy.generatesAllMatrices(ms) ? [n] : []
    }

    /// A proper nonzero submodule N and the actions on N and on Q^n / N, or nil.
    static func split(_ ms: [RationalMatrix]) -> (sub: [RationalMatrix], quotient: [RationalMatrix])? {
        let n = ms[0].rows
        guard n > 1 else { return nil }
        for a in ms {
            for lambda in [Rational(0), 1, -1] {
                let shifted = RationalMatrix(rows: n, columns: n) { i, j in a[i, j] - (i == j ? lambda : 0) }
                // right: vectors v with (A - lambda) v = 0, spun under every A_s
                for v in shifted.nullspace().transposed.rowList {
                    let span = spin(v, ms, transposed: false)   // v != 0, so 0 < dim < n when proper
                    if span.count < n { return action(on: span, ms) }
                }
                // left: rows u with u (A - lambda) = 0, spun under right multiplication; the
                // vectors they all annihilate form a submodule
                for u in shifted.transposed.nullspace().transposed.rowList {
                    let span = spin(u, ms, transposed: true)
                    if span.count < n {
                        // span.count >= 1 (u != 0), so 0 < dim of the annihilated space < n
                        let annihilated = RationalMatrix(span).nullspace().transposed.rowList
                        return action(on: annihilated, ms)
                    }
                }
            }
        }
        return nil
    }

    /// A basis of span{A_w v} (or of span{v A_w} when transposed), as accepted vectors.
    static func spin(_ v: [Rational], _ ms: [RationalMatrix], transposed: Bool) -> [[Rational]] {
        let n = v.count
        var basis = IntegerBasis(dimension: n)
        var kept: [[Rational]] = [], pending = [v]
        while let x = pending.popLast(), basis.rank < n {
            guard basis.insert(LiftedSystem.integerScaled(x).vector) else { continue }
            kept.append(x)
            for m in ms {
                pending.append((0..<n).map { i in
                    (0..<n).reduce(Rational.zero) { s, j in transposed ? s + x[j] * m[j, i] : s + m[i, j] * x[j] }
                })
            }
        }
        return kept
    }

    /// For a submodule with basis vectors `sub` (columns of B): A B = B X gives the action X on
    /// it; with T = [B | C] a basis of Q^n, T^-1 A T = [[X, *], [0, Y]] gives Y on the quotient.
    static func action(on sub: [[Rational]], _ ms: [RationalMatrix]) -> (sub: [RationalMatrix], quotient: [RationalMatrix]) {
        let n = ms[0].rows, m = sub.count
        precondition(m > 0 && m < n && sub.allSatisfy { $0.count == n }, "a proper nonzero submodule")
        // complete B with unit vectors to a basis of Q^n
        var columns = sub
        var basis = IntegerBasis(dimension: n)
        for v in sub { _ = basis.insert(LiftedSystem.integerScaled(v).vector) }
        for i in 0..<n where basis.rank < n {
            let e = (0..<n).map { Rational($0 == i ? 1 : 0) }
            if basis.insert(LiftedSystem.integerScaled(e).vector) { columns.append(e) }
        }
        let t = RationalMatrix(rows: n, columns: n) { i, j in columns[j][i] }
        let inverse = AutomatonHierarchy.inverse(t)
        let conjugated = ms.map { inverse * $0 * t }
        return (conjugated.map { c in RationalMatrix(rows: m, columns: m) { c[$0, $1] } },
                conjugated.map { c in RationalMatrix(rows: n - m, columns: n - m) { c[m + $0, m + $1] } })
    }
}
