import ExactNumbers
import ExactLinearAlgebra

/// An exact upper bound on the observable spaces O_t (t = k...T) or the reachable spaces R_t
/// (t = 0...k) of a lifted system, without computing them over Q (Docs/separation-rank.md,
/// "closure certificates").
///
/// For each t the certificate holds a rational matrix U_t in reduced row echelon form. For the
/// observable side it proves O_t <= rowspace(U_t) for every t >= k from two exact checks:
/// c lies in rowspace(U_T), and C_gamma^T rowspace(U_t) <= rowspace(U_{t-1}) for every gamma
/// (equivalently C_gamma ker(U_{t-1}) <= ker(U_t)); by induction from O_T = span{c} and
/// O_{t-1} = sum_gamma C_gamma^T O_t. The reachable side is the mirror: lift_0 in
/// rowspace(U_0) and C_gamma rowspace(U_{t-1}) <= rowspace(U_t). So dim O_k (resp. dim R_k)
/// <= rank U_k, and with a modular lower bound equal to it the dimension is exact.
///
/// The matrices are found modulo several primes (the spans' reduced echelon forms, which
/// agree for all but finitely many primes), combined by Chinese remaindering and rational
/// reconstruction; a wrong guess fails the exact checks and more primes are tried.
struct SpanClosure {
    enum Side { case observable, reachable }

    /// A subspace of Q^n as the row space of a matrix in reduced row echelon form: rows
    /// scaled to integers (row i has the entry scale[i] at pivots[i] and 0 at the other
    /// pivots).
    struct Echelon {
        let columns: Int
        let pivots: [Int]
        let rows: [[BigInt]]
        let scales: [BigInt]
        var rank: Int { pivots.count }
        /// The columns without a pivot.
        var free: [Int] { SpanClosure.freeColumns(pivots: pivots, columns: columns) }

        /// A basis of the kernel {v : U v = 0}, one integer vector per free column f:
        /// v[f] = L, v[pivot_i] = -L row_i[f] / scale_i, with L clearing the denominators.
        func kernel() -> [[BigInt]] {
            free.map { f in
                var l = BigInt.one
                for (row, s) in zip(rows, scales) where !row[f].isZero { l = lcm(l, s / gcd(s, row[f])) }
                var v = [BigInt](repeating: .zero, count: columns)
                v[f] = l
                for ((row, s), p) in zip(zip(rows, scales), pivots) where !row[f].isZero {
                    v[p] = -(l * row[f]).dividedExactly(by: s)
                }
                return v
            }
        }

        /// Whether v lies in the row space (v is orthogonal to the kernel).
        func contains(_ v: [BigInt], kernel: [[BigInt]]) -> Bool {
            kernel.allSatisfy { dot(support($0), $0, v).isZero }
        }
    }

    let side: Side
    /// The cut: the chain covers t = cut...T (observable) or 0...cut (reachable).
    let cut: Int
    /// forms[t] for the steps the chain covers (nil elsewhere).
    let forms: [Echelon?]

    /// The certified upper bound on the dimension of O_t or R_t.
    func bound(at t: Int) -> Int? { forms[t]?.rank }

    /// The forms at the given steps (all covered) as evidence.
    func spans(_ steps: ClosedRange<Int>) -> [Int: LiftedSpan] {
        Dictionary(uniqueKeysWithValues: steps.map { ($0, LiftedSpan.generatedBy(forms[$0]!.rows)) })
    }

    /// The columns 0..<columns without a pivot (one kernel vector each).
    static func freeColumns(pivots: [Int], columns: Int) -> [Int] {
        var isPivot = [Bool](repeating: false, count: columns)
        for p in pivots { isPivot[p] = true }
        return (0..<columns).filter { !isPivot[$0] }
    }

    /// The steps t whose transition (into Mon_t) the chain crosses.
    static func crossed(side: Side, cut k: Int, length T: Int) -> [Int] {
        side == .observable ? Array(stride(from: k + 1, through: T, by: 1)) : Array(stride(from: 1, through: k, by: 1))
    }

    /// Indices of the nonzero entries of v.
    static func support(_ v: [BigInt]) -> [Int] { v.indices.filter { !v[$0].isZero } }

    static func dot(_ indices: [Int], _ a: [BigInt], _ b: [BigInt]) -> BigInt {
        var s = BigInt.zero
        for i in indices where !b[i].isZero { s += a[i] * b[i] }
        return s
    }
}

extension SpanClosure {
    /// Finds and checks the closure of one side of `sys` (observable: t = cut...T, reachable:
    /// t = 0...cut), trying up to `maxPrimes` primes; nil when none checked out by then.
    ///
    /// `recipes` (optional): how a basis of each space arises from the one before, as the
    /// path spans modulo 2^61 - 1 record it (recipes[t][j] = (parent, gamma): generator j at t
    /// is C_gamma (or C_gamma^T) applied to generator `parent` one step earlier). With them
    /// each further prime replays r_t vectors per step instead of spanning |Gamma| r_t.
    static func find(_ sys: LiftedSystem, side: Side, cut k: Int, transitions: LiftedSystem.ExactTransitions,
                     recipes: [[(parent: Int, gamma: Int)]]? = nil, maxPrimes: Int = 256,
                     maxWork: Double = .infinity) throws -> SpanClosure? {
        let T = sys.length
        let steps = side == .observable ? Array(k...T) : Array(0...k)
        // the integer transitions the chain crosses: into t for t in (k+1)...T or 1...k
        var exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]] = [:]
        for t in crossed(side: side, cut: k, length: T) { exact[t] = try transitions(t).rows }
        let start = side == .observable ? LiftedSystem.integerScaled(sys.final).vector : LiftedSystem.integerScaled(sys.initial).vector

        // each crossed transition's entries grouped by gamma, once (the replay applies one gamma at a time)
        var grouped: [Int: [[(row: Int, column: Int, coefficient: BigInt)]]] = [:]
        if recipes != nil {
            for (t, rows) in exact {
                var byGamma = [[(row: Int, column: Int, coefficient: BigInt)]](repeating: [], count: sys.gammas[t - 1].count)
                for (r, row) in rows.enumerated() { for e in row where !e.coefficient.isZero { byGamma[e.gamma].append((r, e.column, e.coefficient)) } }
                grouped[t] = byGamma
            }
        }
        var reference: [Int: [Int]]? = nil          // pivots per step of the primes kept
        var residues: [Int: [[BigInt]]] = [:]       // CRT images of the non-pivot entries
        var modulus = BigInt.one
        var used = 0
        var nextAttempt = 1
        // one prime's work: the echelon forms (r_t^2 |Mon_t| per step) and the transitions applied
        let perPrime = steps.reduce(0.0) { w, t in
            let n = Double(sys.mons[t].count)
            return w + n * n * n + Double(exact[t]?.reduce(0) { $0 + $1.count } ?? 0)
        }
        for (index, p) in ModularArithmetic.primes(below: 1 << 31, count: maxPrimes).enumerated() {
            if Double(index + 1) * perPrime > maxWork { return nil }
            let field = SmallPrimeField(p)
            let chain: [Int: ModularEchelon]
            if let recipes {
                guard let replayed = replayChain(sys, side: side, steps: steps, start: start, grouped: grouped, recipes: recipes, field: field) else {
                    continue   // the recipe's vectors are dependent modulo this prime
                }
                chain = replayed
            } else {
                chain = modularChain(sys, side: side, steps: steps, start: start, exact: exact, field: field)
            }
            let pivots = chain.mapValues(\.pivots)
            if let ref = reference {
                if pivots != ref {
                    // a prime whose spans are larger proves the reference unlucky: restart from it
                    let mine = pivots.values.reduce(0) { $0 + $1.count }, theirs = ref.values.reduce(0) { $0 + $1.count }
                    guard mine > theirs else { continue }
                    reference = nil; residues = [:]; modulus = .one; used = 0; nextAttempt = 1
                }
            }
            if reference == nil {
                reference = pivots
                residues = chain.mapValues { e in e.rows.map { _ in [BigInt]() } }
            }
            // combine the entries at the free columns, row by row
            for (t, e) in chain {
                let free = e.free
                for (i, row) in e.rows.enumerated() {
                    let values = free.map { row[$0] }
                    if residues[t]![i].isEmpty {
                        residues[t]![i] = values.map { BigInt(Int($0)) }
                    } else {
                        residues[t]![i] = zip(residues[t]![i], values).map { Multimodular.combine($0, modulus: modulus, with: UInt($1), prime: p) }
                    }
                }
            }
            modulus = modulus * BigInt(Int(p)); used += 1
            guard used >= nextAttempt else { continue }
            nextAttempt = max(used + 1, used * 3 / 2)
            guard let forms = reconstruct(residues, pivots: reference!, sys: sys, side: side, steps: steps, modulus: modulus) else { continue }
            let closure = SpanClosure(side: side, cut: k, forms: forms)
            if closure.verify(sys, start: start, exact: exact) { return closure }
        }
        return nil
    }

    /// Rational matrices from the combined residues, or nil as soon as one entry has no
    /// reconstruction yet.
    static func reconstruct(_ residues: [Int: [[BigInt]]], pivots: [Int: [Int]], sys: LiftedSystem, side: Side,
                            steps: [Int], modulus: BigInt) -> [Echelon?]? {
        var forms = [Echelon?](repeating: nil, count: sys.length + 1)
        for t in steps {
            let n = sys.mons[t].count, piv = pivots[t]!
            let free = freeColumns(pivots: piv, columns: n)
            var rows: [[BigInt]] = [], scales: [BigInt] = []
            for (i, values) in residues[t]!.enumerated() {
                var fractions: [Rational] = []
                fractions.reserveCapacity(values.count)
                for v in values {
                    guard let q = Multimodular.reconstruct(v, modulus: modulus) else { return nil }
                    fractions.append(q)
                }
                // the row times the lcm of its denominators: integer, pivot entry = that lcm
                let l = fractions.reduce(BigInt.one) { $1.denominator.isOne ? $0 : lcm($0, $1.denominator) }
                var row = [BigInt](repeating: .zero, count: n)
                row[piv[i]] = l
                for (f, q) in zip(free, fractions) where !q.isZero { row[f] = (q * Rational(l)).numerator }
                rows.append(row); scales.append(l)
            }
            forms[t] = Echelon(columns: n, pivots: piv, rows: rows, scales: scales)
        }
        return forms
    }

    /// The exact checks: the start vector in the first space, and each step map (or its
    /// transpose) carrying one space into the next.
    func verify(_ sys: LiftedSystem, start: [BigInt], exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]]) -> Bool {
        let T = sys.length
        let first = side == .observable ? T : 0
        guard let f = forms[first], f.contains(start, kernel: f.kernel()) else { return false }
        for t in SpanClosure.crossed(side: side, cut: cut, length: T) {
            guard let before = forms[t - 1], let after = forms[t], let rows = exact[t] else { return false }
            // observable: C^T rowspace(after) <= rowspace(before); reachable: C rowspace(before) <= rowspace(after).
            // Either as stated (map the source's rows, test against the target's kernel) or dually
            // (map the target's kernel the other way, test against the source's rows): the
            // fewer vectors to map wins.
            let (source, target) = side == .observable ? (after, before) : (before, after)
            let map: ([BigInt]) -> [[BigInt]] = side == .observable ? { sys.backward($0, from: t, rows) } : { sys.forward($0, into: t, rows) }
            let dual: ([BigInt]) -> [[BigInt]] = side == .observable ? { sys.forward($0, into: t, rows) } : { sys.backward($0, from: t, rows) }
            if source.rank <= target.columns - target.rank {
                let kernel = target.kernel()
                for row in source.rows {
                    for image in map(row) where !target.contains(image, kernel: kernel) { return false }
                }
            } else {
                let sourceRows = source.rows.map { (SpanClosure.support($0), $0) }
                for a in target.kernel() {
                    for image in dual(a) {
                        for (s, row) in sourceRows where !SpanClosure.dot(s, row, image).isZero { return false }
                    }
                }
            }
        }
        return true
    }

    /// The reduced echelon forms modulo one prime of the spans of the recipe's vectors; nil
    /// when they are dependent modulo the prime.
    static func replayChain(_ sys: LiftedSystem, side: Side, steps: [Int], start: [BigInt],
                            grouped: [Int: [[(row: Int, column: Int, coefficient: BigInt)]]],
                            recipes: [[(parent: Int, gamma: Int)]], field: SmallPrimeField) -> [Int: ModularEchelon]? {
        var out: [Int: ModularEchelon] = [:]
        var vectors = [start.map { UInt64($0.mod(UInt(field.p))) }]
        let order = side == .observable ? Array(steps.reversed()) : steps
        for (i, t) in order.enumerated() {
            if i > 0 {
                let s = order[i - 1], into = side == .observable ? s : t
                // the step's entries of each gamma the recipe uses, reduced modulo p once
                let byGamma = grouped[into]!
                var reduced = [[UInt64]?](repeating: nil, count: byGamma.count)
                let n = sys.mons[t].count
                vectors = recipes[t].map { origin in
                    let g = origin.gamma
                    if reduced[g] == nil { reduced[g] = byGamma[g].map { UInt64($0.coefficient.mod(UInt(field.p))) } }
                    let coefficients = reduced[g]!
                    var v = [UInt64](repeating: 0, count: n)
                    let source = vectors[origin.parent]
                    for (e, c) in zip(byGamma[g], coefficients) where c != 0 {
                        if side == .observable {
                            if source[e.row] != 0 { v[e.column] = field.add(v[e.column], field.mul(c, source[e.row])) }
                        } else if source[e.column] != 0 {
                            v[e.row] = field.add(v[e.row], field.mul(c, source[e.column]))
                        }
                    }
                    return v
                }
            }
            var form = ModularEchelon(columns: sys.mons[t].count)
            for v in vectors { form.insert(v, field) }
            guard form.rows.count == vectors.count else { return nil }
            out[t] = form
        }
        return out
    }

    /// The reduced echelon forms of the spaces modulo one prime, by the same recursion.
    static func modularChain(_ sys: LiftedSystem, side: Side, steps: [Int], start: [BigInt],
                             exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]],
                             field: SmallPrimeField) -> [Int: ModularEchelon] {
        var out: [Int: ModularEchelon] = [:]
        var current = ModularEchelon(columns: start.count)
        current.insert(start.map { UInt64($0.mod(UInt(field.p))) }, field)
        let order = side == .observable ? steps.reversed() : steps
        var previous: Int? = nil
        for t in order {
            if let s = previous {
                // observable: from O_s (s = t + 1) back through C_s^T; reachable: from R_s (s = t - 1) through C_t
                let into = side == .observable ? s : t
                let rows = exact[into]!.map { $0.map { (gamma: $0.gamma, column: $0.column, coefficient: UInt64($0.coefficient.mod(UInt(field.p)))) } }
                let gammas = sys.gammas[into - 1].count
                var next = ModularEchelon(columns: sys.mons[t].count)
                for v in current.rows where !next.isFull {
                    for image in field.apply(rows, to: v, gammas: gammas, columns: next.columns, transpose: side == .observable) where !next.isFull {
                        next.insert(image, field)
                    }
                }
                current = next
            }
            out[t] = current
            previous = t
        }
        return out
    }
}

/// Arithmetic modulo a prime p < 2^31 by Barrett reduction (products stay below 2^62).
struct SmallPrimeField {
    let p: UInt64
    private let m: UInt64   // floor(2^64 / p)
    init(_ p: UInt) { self.p = UInt64(p); m = UInt64.max / UInt64(p) }
    @inline(__always) func reduce(_ x: UInt64) -> UInt64 {
        let q = x.multipliedFullWidth(by: m).high
        var r = x &- q &* p
        while r >= p { r -= p }
        return r
    }
    @inline(__always) func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { reduce(a &* b) }
    @inline(__always) func add(_ a: UInt64, _ b: UInt64) -> UInt64 { let r = a + b; return r >= p ? r - p : r }
    func inverse(_ a: UInt64) -> UInt64 { UInt64(ModularArithmetic.inverse(UInt(a), UInt(p))) }

    /// C_gamma v (or C_gamma^T v) for every gamma, from a transition's rows.
    func apply(_ rows: [[(gamma: Int, column: Int, coefficient: UInt64)]], to v: [UInt64], gammas: Int, columns: Int,
               transpose: Bool) -> [[UInt64]] {
        var out = [[UInt64]](repeating: [UInt64](repeating: 0, count: columns), count: gammas)
        for (i, row) in rows.enumerated() {
            if transpose {
                let w = v[i]
                if w == 0 { continue }
                for e in row where e.coefficient != 0 { out[e.gamma][e.column] = add(out[e.gamma][e.column], mul(e.coefficient, w)) }
            } else {
                for e in row where e.coefficient != 0 && v[e.column] != 0 { out[e.gamma][i] = add(out[e.gamma][i], mul(e.coefficient, v[e.column])) }
            }
        }
        return out
    }
}

/// A reduced row echelon basis modulo a small prime, grown one vector at a time.
struct ModularEchelon {
    let columns: Int
    private(set) var rows: [[UInt64]] = []
    private(set) var pivots: [Int] = []
    init(columns: Int) { self.columns = columns }
    var isFull: Bool { rows.count == columns }
    var free: [Int] { SpanClosure.freeColumns(pivots: pivots, columns: columns) }

    mutating func insert(_ v: [UInt64], _ field: SmallPrimeField) {
        var r = v
        for (row, piv) in zip(rows, pivots) where r[piv] != 0 {
            let f = field.p - r[piv]
            for j in 0..<columns where row[j] != 0 { r[j] = field.add(r[j], field.mul(f, row[j])) }
        }
        guard let piv = r.firstIndex(where: { $0 != 0 }) else { return }
        let inv = field.inverse(r[piv])
        for j in piv..<columns where r[j] != 0 { r[j] = field.mul(r[j], inv) }
        // keep the form reduced: clear the new pivot column in the other rows
        for i in rows.indices where rows[i][piv] != 0 {
            let f = field.p - rows[i][piv]
            for j in 0..<columns where r[j] != 0 { rows[i][j] = field.add(rows[i][j], field.mul(f, r[j])) }
        }
        let at = pivots.firstIndex { $0 > piv } ?? pivots.count
        rows.insert(r, at: at); pivots.insert(piv, at: at)
    }
}
