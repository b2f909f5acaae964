import ExactNumbers
import ExactLinearAlgebra

/// An echelon basis of a subspace, grown one vector at a time (exact over Q, or modulo a
/// prime): the reduction a PathSpan delegates to.
protocol EchelonBasis {
    associatedtype Scalar
    init(dimension: Int)
    var dimension: Int { get }
    /// The dimension of the span so far.
    var rank: Int { get }
    /// Adds v when it is outside the span; returns whether it was added.
    mutating func insert(_ v: [Scalar]) -> Bool
}

/// A span grown from path generators one step at a time: its echelon basis, and every
/// accepted generator unreduced with how it was made (parent generator one step earlier,
/// gamma index), so a kept vector can be read back as a row or column of the unfolding.
struct PathSpan<Basis: EchelonBasis> {
    private(set) var basis: Basis
    private(set) var generators: [[Basis.Scalar]] = []
    private(set) var origins: [(parent: Int, gamma: Int)] = []

    init(dimension: Int) { basis = Basis(dimension: dimension) }

    var rank: Int { basis.rank }
    var isFull: Bool { basis.rank == basis.dimension }

    /// Adds v when it is outside the span; returns whether it was added.
    @discardableResult
    mutating func add(_ v: [Basis.Scalar], origin: (parent: Int, gamma: Int)) -> Bool {
        guard !isFull, basis.insert(v) else { return false }
        generators.append(v); origins.append(origin)
        return true
    }

    /// The span of step(g)[gamma] over the given generators g and every gamma, recording
    /// (generator index, gamma) as each kept vector's origin; stops once full.
    static func spanned(dimension: Int, by generators: [[Basis.Scalar]], _ step: ([Basis.Scalar]) -> [[Basis.Scalar]]) -> Self {
        var span = Self(dimension: dimension)
        for (gi, g) in generators.enumerated() {
            if span.isFull { break }
            for (gamma, v) in step(g).enumerated() where !span.isFull { span.add(v, origin: (gi, gamma)) }
        }
        return span
    }

    /// The same span with the images of up to 8 generators computed in one call (one read of
    /// a transition serves the batch): candidates are offered in the same order, so the span
    /// and its origins are those of `spanned(dimension:by:_:)`. A batch never holds more
    /// generators than the span could still take (`images` candidates each), so little is
    /// computed past the point where it fills.
    static func spanned(dimension: Int, by generators: [[Basis.Scalar]], images: Int,
                        batched step: ([[Basis.Scalar]]) -> [[[Basis.Scalar]]]) -> Self {
        var span = Self(dimension: dimension)
        var start = 0
        while start < generators.count && !span.isFull {
            let wanted = (dimension - span.rank + max(images, 1) - 1) / max(images, 1)
            let end = min(start + min(max(wanted, 1), 8), generators.count)
            for (offset, candidates) in step(Array(generators[start..<end])).enumerated() {
                for (gamma, v) in candidates.enumerated() where !span.isFull { span.add(v, origin: (start + offset, gamma)) }
            }
            start = end
        }
        return span
    }

    /// The span of one vector (lift_0 or c), the start of a pass.
    static func single(_ v: [Basis.Scalar]) -> Self {
        var span = Self(dimension: v.count)
        span.add(v, origin: (-1, -1))
        return span
    }
}

extension PathSpan: Sendable where Basis: Sendable, Basis.Scalar: Sendable {}

typealias ModularSpan = PathSpan<ModularBasis>
typealias IntegerSpan = PathSpan<IntegerBasis>

/// A reduced row echelon basis modulo 2^61 - 1. Each row is 1 at its pivot and 0 at the
/// other pivots, so only the free (non-pivot) columns are ever read: a candidate is reduced
/// on the free columns alone, rank x (n - rank) products, whether it is kept or not (a
/// nearly full span, the usual case at a deep cut, rejects a candidate in a few products).
struct ModularBasis: EchelonBasis, Sendable {
    let dimension: Int
    private(set) var rows: [[UInt]] = []
    private(set) var pivots: [Int] = []
    /// The columns without a pivot, increasing.
    private var free: [Int]

    init(dimension: Int) { self.dimension = dimension; free = Array(0..<dimension) }

    var rank: Int { rows.count }

    mutating func insert(_ v: [UInt]) -> Bool {
        // the residual v - sum_i v[p_i] row_i vanishes on the pivots; on the free columns:
        var r = free.map { v[$0] }
        for (row, piv) in zip(rows, pivots) where v[piv] != 0 {
            let f = Mersenne61.neg(v[piv])
            for (q, j) in free.enumerated() where row[j] != 0 { r[q] = Mersenne61.add(r[q], Mersenne61.mul(f, row[j])) }
        }
        guard let at = r.firstIndex(where: { $0 != 0 }) else { return false }
        let piv = free[at]
        let inv = ModularArithmetic.inverse(r[at], Mersenne61.p)
        var new = [UInt](repeating: 0, count: dimension)
        for (q, j) in free.enumerated() where r[q] != 0 { new[j] = Mersenne61.mul(r[q], inv) }
        free.remove(at: at)
        // clear the new pivot column in the other rows (they are nonzero only on free columns)
        for i in rows.indices where rows[i][piv] != 0 {
            let f = Mersenne61.neg(rows[i][piv])
            rows[i][piv] = 0
            for j in free where new[j] != 0 { rows[i][j] = Mersenne61.add(rows[i][j], Mersenne61.mul(f, new[j])) }
        }
        let position = pivots.firstIndex { $0 > piv } ?? pivots.count
        rows.insert(new, at: position); pivots.insert(piv, at: position)
        return true
    }
}

/// An exact basis of a subspace of Q^n by fraction-free Gauss-Jordan (Bareiss): integer
/// rows whose pivot entries all equal the common scale delta and whose other pivot columns
/// are zero (delta times the reduced row echelon form), so their entries are minors of the
/// accepted vectors and stay as small as the data allows. A candidate v is reduced in one
/// pass, w = delta v - sum_i v[p_i] row_i; no rational arithmetic and no gcd per entry.
struct IntegerBasis: EchelonBasis {
    let dimension: Int
    private(set) var rows: [[BigInt]] = []
    private(set) var pivots: [Int] = []
    private(set) var delta = BigInt.one

    init(dimension: Int) { self.dimension = dimension }

    var rank: Int { rows.count }

    mutating func insert(_ v: [BigInt]) -> Bool {
        // w = delta v - sum_i v[p_i] row_i vanishes on every pivot column
        var w = delta.isOne ? v : v.map { $0.isZero ? $0 : delta * $0 }
        for (row, p) in zip(rows, pivots) where !v[p].isZero {
            let f = v[p]
            for j in 0..<dimension where !row[j].isZero { w[j] -= f * row[j] }
        }
        guard let q = w.firstIndex(where: { !$0.isZero }) else { return false }
        // new scale w[q] = det of the new pivot block (Schur complement: delta times the
        // reduced v at q); old rows cleared at q: (w[q] row - row[q] w) / delta, exact since
        // delta times the reduced echelon form is adj(A_P) A, an integer matrix
        let pivot = w[q]
        rows = rows.map { row in
            let f = row[q]
            return (0..<dimension).map { j in
                let x = f.isZero ? (row[j].isZero ? BigInt.zero : pivot * row[j]) : pivot * row[j] - f * w[j]
                return delta.isOne || x.isZero ? x : x.dividedExactly(by: delta)
            }
        }
        delta = pivot
        rows.append(w); pivots.append(q)
        return true
    }
}
