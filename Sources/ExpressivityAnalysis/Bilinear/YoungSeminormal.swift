import ExactNumbers
import ExactLinearAlgebra

/// The irreducible representations of the symmetric group S_n over Q in Young's seminormal
/// form (recalled, not derived here; the tests check the Coxeter relations and the regular
/// character; Docs/bilinear-hierarchy.md, argument 7): one per partition of n, with a basis
/// indexed by the standard Young tableaux of that shape.
///
/// For a standard tableau T and the adjacent transposition s_i = (i, i+1) of entries, let
/// r = c(i+1) - c(i), c(k) = column - row of k in T (the axial distance). Then s_i v_T = v_T
/// when i, i+1 share a row, -v_T when they share a column, and otherwise, with T' = s_i T
/// (standard again),
///     s_i v_T = (1/r) v_T + v_T'            when i+1 lies below i in T,
///     s_i v_T = (1/r) v_T + (1 - 1/r^2) v_T' when it lies above.
/// The matrices are rational and satisfy s_i^2 = 1, (s_i s_i+1)^3 = 1 and (s_i s_j)^2 = 1 for
/// |i - j| > 1 (tested), so they define a representation of S_n.
enum YoungSeminormal {
    /// One irreducible on a task's symbols: its shape and rho(symbol) for each symbol.
    struct Irreducible {
        let shape: [Int]
        let symbols: [RationalMatrix]
        var dimension: Int { symbols[0].rows }
    }

    /// Every irreducible of S_n (n = the task's degree, at most 5) evaluated on the task's
    /// generators; nil above 5 points.
    static func irreducibles(of task: StateTrackingTask) -> [Irreducible]? {
        let n = task.degree
        guard n <= 5, let words = words(for: task.generators, degree: n) else { return nil }
        return partitions(n).map { shape in
            let s = adjacentTranspositions(shape), one = RationalMatrix.identity(s.first?.rows ?? 1)
            return Irreducible(shape: shape, symbols: words.map { w in w.reduce(one) { $0 * s[$1] } })
        }
    }

    /// The partitions of n, largest first part first.
    static func partitions(_ n: Int) -> [[Int]] {
        func below(_ n: Int, _ cap: Int) -> [[Int]] {
            if n == 0 { return [[]] }
            return stride(from: min(n, cap), through: 1, by: -1).flatMap { k in below(n - k, k).map { [k] + $0 } }
        }
        return below(n, n)
    }

    /// The standard Young tableaux of a shape: rows of the entries 1...n, increasing along
    /// rows and down columns.
    static func standardTableaux(_ shape: [Int]) -> [[[Int]]] {
        let n = shape.reduce(0, +)
        var out: [[[Int]]] = []
        var rows = [[Int]](repeating: [], count: shape.count)
        func place(_ k: Int) {
            if k > n { out.append(rows); return }
            for r in shape.indices where rows[r].count < shape[r] && (r == 0 || rows[r - 1].count > rows[r].count) {
                rows[r].append(k); place(k + 1); rows[r].removeLast()
            }
        }
        place(1)
        return out
    }

    /// The matrices of s_1 ... s_{n-1} (s_i swaps the entries i and i+1) on column vectors
    /// indexed by `standardTableaux(shape)`.
    static func adjacentTranspositions(_ shape: [Int]) -> [RationalMatrix] {
        let tableaux = standardTableaux(shape), n = shape.reduce(0, +)
        let index = Dictionary(uniqueKeysWithValues: tableaux.enumerated().map { ($1, $0) })
        func position(_ t: [[Int]], _ k: Int) -> (row: Int, column: Int) {
            for (r, row) in t.enumerated() { if let c = row.firstIndex(of: k) { return (r, c) } }
            preconditionFailure("entry \(k) not in the tableau")
        }
        return (1..<max(n, 1)).map { i in
            var m = RationalMatrix(rows: tableaux.count, columns: tableaux.count)
            for (j, t) in tableaux.enumerated() {
                let a = position(t, i), b = position(t, i + 1)
                if a.row == b.row { m[j, j] = 1; continue }
                if a.column == b.column { m[j, j] = -1; continue }
                let r = Rational((b.column - b.row) - (a.column - a.row))
                let swapped = t.map { $0.map { $0 == i ? i + 1 : $0 == i + 1 ? i : $0 } }
                m[j, j] = 1 / r
                m[index[swapped]!, j] = b.row > a.row ? 1 : 1 - 1 / (r * r)
            }
            return m
        }
    }

    /// A word in the adjacent transpositions (0-based: t swaps points t and t+1) for each
    /// permutation of 0..<n, read left to right in the tasks' order (first the first
    /// letter, then the next): breadth-first through S_n. nil above n = 7 (5040 elements).
    static func words(for permutations: [[Int]], degree n: Int) -> [[Int]]? {
        guard n >= 1, n <= 7 else { return nil }
        let identity = Array(0..<n)
        var word: [[Int]: [Int]] = [identity: []]
        var queue = [identity], next = 0
        while next < queue.count {
            let p = queue[next]; next += 1
            for t in 0..<(n - 1) {
                var swap = identity; swap.swapAt(t, t + 1)
                let q = StateTrackingTask.compose(p, swap)
                if word[q] == nil { word[q] = word[p]! + [t]; queue.append(q) }
            }
        }
        return permutations.map { word[$0]! }
    }

    /// Whether the matrices commuting with all of `ms` (d x d) form a field: dimension 1 (the
    /// scalars), or dimension 2, spanned by I and T with T^2 = a T + b I and a^2 + 4 b not a
    /// rational square. false otherwise (not decided: a larger commutant may or may not be a
    /// division algebra).
    static func commutantIsField(_ ms: [RationalMatrix]) -> Bool {
        guard let d = ms.first?.rows else { return false }
        let basis = CompositionFactors.commutant(ms)
        if basis.columns == 1 { return true }
        guard basis.columns == 2 else { return false }
        // T: a basis element that is not a multiple of I
        let candidates = (0..<2).map { c in RationalMatrix(rows: d, columns: d) { i, j in basis[i * d + j, c] } }
        guard let t = candidates.first(where: { x in !(0..<d).allSatisfy { i in (0..<d).allSatisfy { j in x[i, j] == (i == j ? x[0, 0] : .zero) } } }) else { return false }
        // T^2 = a T + b I: read a, b off two entries, then check the identity everywhere
        let t2 = t * t
        guard let (i, j) = (0..<d).lazy.flatMap({ i in (0..<d).lazy.map { (i, $0) } }).first(where: { i, j in i != j && t[i, j] != .zero }) else { return false }
        let a = t2[i, j] / t[i, j], b = t2[0, 0] - a * t[0, 0]
        guard t2 == RationalMatrix(rows: d, columns: d, { r, c in a * t[r, c] + (r == c ? b : .zero) }) else { return false }
        return YoungSeminormal.isRationalSquare(a * a + 4 * b) == false
    }

    /// Whether q = (u / v)^2 for rationals (numerator and denominator squares in lowest terms);
    /// false for negatives; nil when a part passes 63 bits (undecided: the caller then
    /// certifies nothing).
    static func isRationalSquare(_ q: Rational) -> Bool? {
        guard q.signum >= 0 else { return false }
        func square(_ x: BigInt) -> Bool? {
            guard let v = x.intValue else { return nil }
            var (lo, hi) = (0, min(v, 3_037_000_499))   // floor(sqrt(2^63 - 1))
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if mid * mid <= v { lo = mid } else { hi = mid - 1 }
            }
            return lo * lo == v
        }
        guard let top = square(q.numerator), let bottom = square(q.denominator) else { return nil }
        return top && bottom
    }
}
