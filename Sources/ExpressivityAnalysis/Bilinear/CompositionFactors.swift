import ExactNumbers
import ExactLinearAlgebra

/// Absolutely irreducible composition factors of Q^n under matrices A_1..A_S, found by
/// splitting (a lightweight MeatAxe, derived here): a vector spun under the A_s that spans a
/// proper subspace is a submodule, and so is the annihilator of a proper left submodule; both
/// are tried from the kernels of q(A_s) for q among x, x -+ 1 and small cyclotomic polynomials
/// (the spectrum of a finite-state task's maps lies among 0 and roots of unity). A piece that no candidate splits
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
        return n <= maxBurnside && generatesAllMatrices(ms) ? [n] : []
    }

    /// Whether the module is indecomposable because its commutant {X : X M_s = M_s X} is Q
    /// (a decomposition would give an idempotent other than 0 and 1). Decided for n <= 16;
    /// false above (no claim), and false when the commutant is larger (which does not prove a
    /// decomposition).
    static func isIndecomposable(_ ms: [RationalMatrix]) -> Bool {
        guard let n = ms.first?.rows, n <= 16 else { return false }
        return commutant(ms).columns == 1
    }

    /// A basis of the commutant {X : X M = M X for every M} (d x d), each X flattened row-major
    /// into a column (d^2 x dimension).
    static func commutant(_ ms: [RationalMatrix]) -> RationalMatrix {
        let d = ms[0].rows
        // d^2 unknowns x[i d + j], one equation per entry and M: (X M)_ij - (M X)_ij = 0
        var equations = RationalMatrix(rows: ms.count * d * d, columns: d * d)
        for (k, m) in ms.enumerated() {
            for i in 0..<d {
                for j in 0..<d {
                    let row = (k * d + i) * d + j
                    for l in 0..<d {
                        equations[row, i * d + l] = equations[row, i * d + l] + m[l, j]
                        equations[row, l * d + j] = equations[row, l * d + j] - m[i, l]
                    }
                }
            }
        }
        return equations.nullspace()
    }

    /// Whether the matrices generate the whole algebra of n x n matrices (dimension n^2 of the
    /// span of all products, identity included): then Q^n is absolutely irreducible (Burnside).
    /// Decided only for n <= 16; false above (no claim).
    static func generatesAllMatrices(_ ms: [RationalMatrix]) -> Bool {
        guard let n = ms.first?.rows, n <= 16 else { return false }
        var span = IntegerBasis(dimension: n * n)
        var pending = [RationalMatrix.identity(n)]
        while let x = pending.popLast(), span.rank < n * n {
            guard span.insert(LiftedSystem.integerScaled(x.elements).vector) else { continue }
            for m in ms { pending.append(x * m) }
        }
        return span.rank == n * n
    }

    /// A proper nonzero submodule N and the actions on N and on Q^n / N, or nil.
    static func split(_ ms: [RationalMatrix]) -> (sub: [RationalMatrix], quotient: [RationalMatrix])? {
        var found: [[Rational]]? = nil
        forEachSubmodule(ms) { found = $0; return true }
        return found.map { action(on: $0, ms) }
    }

    /// Calls `body` with proper nonzero submodules (bases) until it returns true: from the
    /// kernels of q(M_s) for q = x, x - 1, x + 1 and the cyclotomic Phi_p, 3 <= p <= 12 (a
    /// finite-state task's eigenvalues are 0 and roots of unity), right vectors spun under the
    /// M_s, and the spaces annihilated by left vectors spun under right multiplication.
    static func forEachSubmodule(_ ms: [RationalMatrix], _ body: ([[Rational]]) -> Bool) {
        let n = ms[0].rows
        guard n > 1 else { return }
        let right = ModularMatrices(ms, transposed: false), left = ModularMatrices(ms, transposed: true)
        for a in ms {
            for q in candidatePolynomials {
                let image = Spectrum.evaluate(q, at: a)
                for v in image.nullspace().transposed.rowList {
                    let span = spin(v, ms, transposed: false, modular: right)   // v != 0, so 0 < dim < n when proper
                    if span.count < n, body(span) { return }
                }
                for u in image.transposed.nullspace().transposed.rowList {
                    let span = spin(u, ms, transposed: true, modular: left)
                    // span.count >= 1 (u != 0), so 0 < dim of the annihilated space < n
                    if span.count < n, body(RationalMatrix(span).nullspace().transposed.rowList) { return }
                }
            }
        }
    }

    /// x, x - 1, x + 1, then Phi_3 ... Phi_12 (coefficients, lowest first).
    static let candidatePolynomials: [[Rational]] = [[0, 1], [-1, 1], [1, 1]]
        + (3...12).map { CyclotomicBlocks.polynomials(dividing: $0).last!.phi }

    /// Bases of invariant subspaces whose direct sum is Q^n (each piece split off by a
    /// projection P onto a submodule N that commutes with every M_s: then ker P is an invariant
    /// complement), in the coordinates of Q^n; a piece with no such submodule among the
    /// candidates stays whole. Only for n <= 16 (the projection's linear system has n^2 S rows).
    static func directSummands(_ ms: [RationalMatrix]) -> [[[Rational]]] {
        let n = ms[0].rows
        let unit = (0..<n).map { i in (0..<n).map { Rational($0 == i ? 1 : 0) } }
        guard n > 1, n <= 16 else { return [unit] }
        var pieces: (RationalMatrix, RationalMatrix)? = nil   // bases of N and of ker P, as columns
        // each distinct submodule is tried once (its reduced echelon form names it), and at most
        // `maxProjections` of them per piece: the projection's system has n^2 S + m^2 rows
        var tried = Set<[Rational]>()
        forEachSubmodule(ms) { sub in
            guard tried.count < maxProjections, tried.insert(RationalMatrix(sub).reducedRowEchelonForm().form.elements).inserted else {
                return tried.count >= maxProjections
            }
            guard let p = invariantProjection(onto: sub, ms) else { return false }
            let kernel = p.nullspace()
            pieces = (RationalMatrix(rows: n, columns: sub.count) { sub[$1][$0] }, kernel)
            return true
        }
        guard let (b, c) = pieces else { return [unit] }
        // recurse on the actions on N and on ker P, then map the pieces' bases back
        func restricted(_ basis: RationalMatrix) -> [[[Rational]]] {
            let vectors = basis.transposed.rowList, m = vectors.count
            return directSummands(action(on: vectors, ms).sub).map { piece in
                piece.map { w in (0..<n).map { i in (0..<m).reduce(Rational.zero) { $0 + vectors[$1][i] * w[$1] } } }
            }
        }
        return restricted(b) + restricted(c)
    }

    /// Distinct submodules tried for a summand, per piece (the upper bound only gets weaker).
    static let maxProjections = 12

    /// A projection P (P^2 = P, image the submodule with basis `sub`) with P M_s = M_s P for
    /// every s, or nil: P = B Z with Z B = I and B Z M_s = M_s B Z, linear in Z (m x n).
    static func invariantProjection(onto sub: [[Rational]], _ ms: [RationalMatrix]) -> RationalMatrix? {
        let n = ms[0].rows, m = sub.count
        let b = RationalMatrix(rows: n, columns: m) { sub[$1][$0] }
        // unknown z[k][j] at index k n + j; (B Z)[i][j] = sum_k b[i][k] z[k][j]
        var equations: [[Rational]] = []   // coefficients, then the right-hand side
        for k in 0..<m { for l in 0..<m {   // (Z B)[k][l] = [k = l]
            var row = [Rational](repeating: 0, count: m * n + 1)
            for j in 0..<n { row[k * n + j] = b[j, l] }
            row[m * n] = k == l ? 1 : 0
            equations.append(row)
        } }
        for a in ms {
            // (B Z A)[i][j] - (A B Z)[i][j] = sum_k sum_q b[i][k] z[k][q] a[q][j] - sum_k (A B)[i][k] z[k][j]
            let ab = a * b
            for i in 0..<n { for j in 0..<n {
                var row = [Rational](repeating: 0, count: m * n + 1)
                for k in 0..<m {
                    if !b[i, k].isZero { for q in 0..<n where !a[q, j].isZero { row[k * n + q] += b[i, k] * a[q, j] } }
                    row[k * n + j] -= ab[i, k]
                }
                equations.append(row)
            } }
        }
        let (form, pivots) = RationalMatrix(equations).reducedRowEchelonForm()
        guard !pivots.contains(m * n) else { return nil }   // inconsistent
        var z = [Rational](repeating: 0, count: m * n)       // free unknowns 0
        for (r, p) in pivots.enumerated() { z[p] = form[r, m * n] }
        return b * RationalMatrix(rows: m, columns: n) { z[$0 * n + $1] }
    }

    /// A basis of span{A_w v} (or of span{v A_w} when transposed), as accepted vectors.
    /// When the span is all of Q^n, the unit vectors stand for it (callers use only proper spans).
    static func spin(_ v: [Rational], _ ms: [RationalMatrix], transposed: Bool, modular: ModularMatrices? = nil) -> [[Rational]] {
        let n = v.count
        // the reductions of A_w v mod p span at most what the A_w v span over Q, so a full span
        // mod p is a full span over Q, found without rational arithmetic
        if let modular, modular.spansAll(from: v) { return (0..<n).map { i in (0..<n).map { Rational($0 == i ? 1 : 0) } } }
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
        let inverse = t.inverse()!   // T is a basis of Q^n
        let conjugated = ms.map { inverse * $0 * t }
        return (conjugated.map { c in RationalMatrix(rows: m, columns: m) { c[$0, $1] } },
                conjugated.map { c in RationalMatrix(rows: n - m, columns: n - m) { c[m + $0, m + $1] } })
    }
}

/// The matrices reduced modulo p = 2^61 - 1 (transposed for spinning rows), for a quick test:
/// the reductions of the A_w v span at most what the A_w v span over Q, so a span that fills
/// F_p^n proves a full span over Q. nil entries: a denominator vanished mod p (no conclusion).
struct ModularMatrices {
    let n: Int
    let matrices: [[UInt]]?

    init(_ ms: [RationalMatrix], transposed: Bool) {
        n = ms.first?.rows ?? 0
        var out: [[UInt]] = []
        for m in ms {
            var entries = [UInt](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n {
                guard let r = ModularMatrices.residue(transposed ? m[j, i] : m[i, j]) else { matrices = nil; return }
                entries[i * n + j] = r
            } }
            out.append(entries)
        }
        matrices = out
    }

    static func residue(_ x: Rational) -> UInt? {
        let p = Mersenne61.p
        if x.denominator.isOne { return x.numerator.mod(p) }
        let d = x.denominator.mod(p)
        return d == 0 ? nil : Mersenne61.mul(x.numerator.mod(p), ModularArithmetic.inverse(d, p))
    }

    /// Whether the vectors A_w v mod p span F_p^n.
    func spansAll(from v: [Rational]) -> Bool {
        guard let matrices else { return false }
        let start = v.compactMap(ModularMatrices.residue)
        guard start.count == n else { return false }
        var rows: [[UInt]] = [], pivots: [Int] = [], pending = [start]
        while let x = pending.popLast(), rows.count < n {
            var w = x
            for (row, q) in zip(rows, pivots) where w[q] != 0 {   // rows are normalised at their pivot
                let f = w[q]
                for j in 0..<n where row[j] != 0 { w[j] = Mersenne61.add(w[j], Mersenne61.neg(Mersenne61.mul(f, row[j]))) }
            }
            guard let q = w.firstIndex(where: { $0 != 0 }) else { continue }
            let inverse = ModularArithmetic.inverse(w[q], Mersenne61.p)
            rows.append(w.map { Mersenne61.mul($0, inverse) }); pivots.append(q)
            for m in matrices {
                pending.append((0..<n).map { i in (0..<n).reduce(UInt(0)) { Mersenne61.add($0, Mersenne61.mul(m[i * n + $1], x[$1])) } })
            }
        }
        return rows.count == n
    }
}
