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
    /// `recipes`: how a basis of each space arises from the one before, as the path spans
    /// modulo 2^61 - 1 record it (recipes[t][j] = (parent, gamma): generator j at t is
    /// C_gamma (or C_gamma^T) applied to generator `parent` one step earlier), so each prime
    /// replays r_t vectors per step instead of spanning |Gamma| r_t candidates.
    static func find(_ sys: LiftedSystem, side: Side, cut k: Int, transitions: LiftedSystem.ExactTransitions,
                     recipes: [[(parent: Int, gamma: Int)]], maxPrimes: Int = 256,
                     maxWork: Double = .infinity) throws -> SpanClosure? {
        let T = sys.length
        let steps = side == .observable ? Array(k...T) : Array(0...k)
        // the integer transitions the chain crosses: into t for t in (k+1)...T or 1...k
        var exact: [Int: [[(gamma: Int, column: Int, coefficient: BigInt)]]] = [:]
        for t in crossed(side: side, cut: k, length: T) { exact[t] = try transitions(t).rows }
        let start = side == .observable ? LiftedSystem.integerScaled(sys.final).vector : LiftedSystem.integerScaled(sys.initial).vector
        // each crossed transition's entries split by gamma, once (the replay applies one gamma at a time)
        // (a step sharing a later step's transition shares its split too)
        var split: [Int: [GammaSlice]] = [:]
        for t in exact.keys.sorted(by: >) { split[sys.shares[t]] = split[sys.shares[t]] ?? GammaSlice.split(exact[t]!, gammas: sys.gammas[t - 1].count) }
        let slices = Dictionary(uniqueKeysWithValues: exact.keys.map { ($0, split[sys.shares[$0]]!) })
        var reference: [Int: [Int]]? = nil          // pivots per step of the primes kept
        var residues: [Int: [[BigInt]]] = [:]       // CRT images of the non-pivot entries
        var modulus = BigInt.one
        var used = 0
        var nextAttempt = 1
        var probe: Probe? = nil                     // the entry that failed to reconstruct last
        // one prime's work: the echelon forms (r_t^2 |Mon_t| per step) and the transitions applied
        let perPrime = steps.reduce(0.0) { w, t in
            let n = Double(sys.mons[t].count)
            return w + n * n * n + Double(exact[t]?.reduce(0) { $0 + $1.count } ?? 0)
        }
        // one prime's chain of reduced forms (nil: the recipe's vectors are dependent modulo it)
        let chains: @Sendable ([UInt]) -> [[Int: ModularForm]?] = { ps in
            replayChains(sys, side: side, steps: steps, start: start, slices: slices, recipes: recipes, fields: ps.map { SmallPrimeField($0) })
        }
        // absorbs one prime's chain; the closure once the combined forms check out
        func absorb(_ p: UInt, _ chain: [Int: ModularForm]) -> SpanClosure? {
            let pivots = chain.mapValues(\.pivots)
            if let ref = reference {
                if pivots != ref {
                    // a prime whose spans are larger proves the reference unlucky: restart from it
                    let mine = pivots.values.reduce(0) { $0 + $1.count }, theirs = ref.values.reduce(0) { $0 + $1.count }
                    guard mine > theirs else { return nil }
                    reference = nil; residues = [:]; modulus = .one; used = 0; nextAttempt = 1; probe = nil
                }
            }
            if reference == nil {
                reference = pivots
                residues = chain.mapValues { e in e.freeEntries.map { _ in [BigInt]() } }
            }
            // combine the entries at the free columns, row by row
            for (t, e) in chain {
                for (i, values) in e.freeEntries.enumerated() {
                    if residues[t]![i].isEmpty {
                        residues[t]![i] = values.map { BigInt(Int($0)) }
                    } else {
                        residues[t]![i] = zip(residues[t]![i], values).map { Multimodular.combine($0, modulus: modulus, with: UInt($1), prime: p) }
                    }
                }
            }
            modulus = modulus * BigInt(Int(p)); used += 1
            // an attempt whose probe entry (the one that failed last) still has no reconstruction
            // costs one entry; the first attempts come at 1, 2, 3, 4, 6, 9, ... primes
            guard used >= nextAttempt || probe != nil else { return nil }
            nextAttempt = max(used + 1, used * 3 / 2)
            if let q = probe, Multimodular.reconstruct(residues[q.step]![q.row][q.entry], modulus: modulus) == nil { return nil }
            guard let forms = reconstruct(residues, pivots: reference!, sys: sys, side: side, steps: steps, modulus: modulus, failed: &probe) else { return nil }
            let closure = SpanClosure(side: side, cut: k, forms: forms)
            if closure.verify(sys, start: start, exact: exact) { return closure }
            probe = nil   // every entry reconstructed, wrongly: back to the growing schedule
            return nil
        }
        // two primes per core at a time (one pass over the words serves both), absorbed in
        // prime order: the result is the sequential one
        let primes = ModularArithmetic.primes(below: 1 << 31, count: maxPrimes)
        let perRound = 2 * Parallel.width
        var next = 0
        while next < primes.count {
            let batch = primes[next..<min(next + perRound, primes.count)].enumerated().filter { i, _ in
                Double(next + i + 1) * perPrime <= maxWork
            }.map(\.element)
            if batch.isEmpty { return nil }
            let groups = stride(from: 0, to: batch.count, by: 2).map { Array(batch[$0..<min($0 + 2, batch.count)]) }
            let results = Parallel.map(groups, chains).flatMap { $0 }
            for (p, c) in zip(batch, results) {
                next += 1
                if let c, let closure = absorb(p, c) { return closure }
            }
            if batch.count < perRound { return nil }   // the budget ran out inside the batch
        }
        return nil
    }

    /// A position among the combined residues: step, row, free entry.
    struct Probe { let step: Int, row: Int, entry: Int }

    /// Rational matrices from the combined residues, or nil as soon as one entry has no
    /// reconstruction yet (that entry in `failed`).
    static func reconstruct(_ residues: [Int: [[BigInt]]], pivots: [Int: [Int]], sys: LiftedSystem, side: Side,
                            steps: [Int], modulus: BigInt, failed: inout Probe?) -> [Echelon?]? {
        var forms = [Echelon?](repeating: nil, count: sys.length + 1)
        for t in steps {
            let n = sys.mons[t].count, piv = pivots[t]!
            let free = freeColumns(pivots: piv, columns: n)
            var rows: [[BigInt]] = [], scales: [BigInt] = []
            for (i, values) in residues[t]!.enumerated() {
                var fractions: [Rational] = []
                fractions.reserveCapacity(values.count)
                for (entry, v) in values.enumerated() {
                    guard let q = Multimodular.reconstruct(v, modulus: modulus) else { failed = Probe(step: t, row: i, entry: entry); return nil }
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
        // Per crossed step, observable: C^T rowspace(after) <= rowspace(before); reachable:
        // C rowspace(before) <= rowspace(after). Either as stated (map the source's rows, test
        // against the target's kernel) or dually (map the target's kernel the other way, test
        // against the source's rows): the fewer vectors to map wins. Each mapped vector is one
        // independent check, shared between the cores.
        struct Step: Sendable {
            let t: Int
            let mapped: [[BigInt]]
            let dual: Bool
            /// What the images are tested against: the target's kernel, or the source's rows.
            let tests: [(support: [Int], vector: [BigInt])]
        }
        var steps: [Step] = []
        for t in SpanClosure.crossed(side: side, cut: cut, length: T) {
            guard let before = forms[t - 1], let after = forms[t], exact[t] != nil else { return false }
            let (source, target) = side == .observable ? (after, before) : (before, after)
            if source.rank <= target.columns - target.rank {
                steps.append(Step(t: t, mapped: source.rows, dual: false, tests: target.kernel().map { (SpanClosure.support($0), $0) }))
            } else {
                steps.append(Step(t: t, mapped: target.kernel(), dual: true, tests: source.rows.map { (SpanClosure.support($0), $0) }))
            }
        }
        let plan = steps
        let jobs = plan.indices.flatMap { s in plan[s].mapped.indices.map { (step: s, vector: $0) } }
        let forward = side == .reachable
        let passed = Parallel.map(jobs) { job -> Bool in
            let step = plan[job.step], rows = exact[step.t]!, v = step.mapped[job.vector]
            // the map C (forward) or C^T (backward); the dual check uses the other one
            let images = forward != step.dual ? sys.forward(v, into: step.t, rows) : sys.backward(v, from: step.t, rows)
            return images.allSatisfy { image in step.tests.allSatisfy { SpanClosure.dot($0.support, $0.vector, image).isZero } }
        }
        return passed.allSatisfy { $0 }
    }

    /// The reduced echelon forms of the spans of the recipe's vectors modulo several primes in
    /// one pass: each coefficient's words are read once for all of them (the replay streams the exact transitions, so the pass is memory-bound);
    /// one chain per prime, nil where the vectors are dependent modulo it.
    static func replayChains(_ sys: LiftedSystem, side: Side, steps: [Int], start: [BigInt],
                             slices: [Int: [GammaSlice]], recipes: [[(parent: Int, gamma: Int)]],
                             fields: [SmallPrimeField], record: ((Int, Int, [UInt64]) -> Void)? = nil) -> [[Int: ModularForm]?] {
        var out = [[Int: ModularForm]?](repeating: [:], count: fields.count)
        // the current step's vectors per prime, row-major (count x width)
        var width = start.count
        var vectors = fields.map { f in start.map { UInt64($0.mod(UInt(f.p))) } }
        let order = side == .observable ? Array(steps.reversed()) : steps
        // the coefficients' residues per (shared) transition and gamma, reduced once per call
        var reduced: [Int: [[[UInt64]]?]] = [:]
        for (i, t) in order.enumerated() {
            let n = sys.mons[t].count
            if i > 0 {
                let s = order[i - 1], into = side == .observable ? s : t
                let step = slices[into]!
                let recipe = recipes[t]
                var next = fields.map { _ in [UInt64](repeating: 0, count: recipe.count * n) }
                // the vectors made with one gamma together: each entry of C_gamma is read once
                // for the group, the group's sources and targets held side by side
                var groups = [[Int]](repeating: [], count: step.count)
                for (j, origin) in recipe.enumerated() { groups[origin.gamma].append(j) }
                for (g, members) in groups.enumerated() where !members.isEmpty {
                    let slice = step[g], m = members.count
                    let owner = sys.shares[into]
                    if reduced[owner] == nil { reduced[owner] = [[[UInt64]]?](repeating: nil, count: step.count) }
                    if reduced[owner]![g] == nil { reduced[owner]![g] = slice.residues(fields) }
                    let residues = reduced[owner]![g]!
                    for (f, field) in fields.enumerated() where out[f] != nil {
                        var xs = [UInt64](repeating: 0, count: width * m)
                        for (q, j) in members.enumerated() {
                            let from = recipe[j].parent * width
                            for a in 0..<width { xs[a * m + q] = vectors[f][from + a] }
                        }
                        var acc = [UInt64](repeating: 0, count: n * m)
                        residues[f].withUnsafeBufferPointer { c in
                            slice.rows.withUnsafeBufferPointer { rows in
                                slice.columns.withUnsafeBufferPointer { columns in
                                    xs.withUnsafeBufferPointer { x in
                                        acc.withUnsafeMutableBufferPointer { y in
                                            for e in 0..<c.count {
                                                // observable: C^T (row -> column); reachable: C (column -> row)
                                                let (a, b) = side == .observable ? (Int(rows[e]), Int(columns[e])) : (Int(columns[e]), Int(rows[e]))
                                                let ce = c[e], from = a * m, to = b * m
                                                for q in 0..<m where x[from + q] != 0 { y[to + q] = field.addLazily(y[to + q], ce, x[from + q]) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        for (q, j) in members.enumerated() {
                            for b in 0..<n { next[f][j * n + b] = field.reduce(acc[b * m + q]) }
                        }
                    }
                }
                vectors = next
                width = n
            }
            for (f, field) in fields.enumerated() where out[f] != nil {
                record?(f, t, vectors[f])
                // eliminate a copy: the next step's recipe names these vectors by their index
                var matrix = vectors[f]
                if let form = field.reducedForm(&matrix, rows: vectors[f].count / max(width, 1), columns: width) {
                    out[f]![t] = form
                } else {
                    out[f] = nil
                }
            }
        }
        return out
    }
}

/// Arithmetic modulo a prime p < 2^31 by Barrett reduction (products stay below 2^62).
struct SmallPrimeField {
    let p: UInt64
    private let m: UInt64   // floor((2^64 - 1) / p)
    /// The largest multiple of p not above 2^63.
    private let ceiling: UInt64
    init(_ p: UInt) { self.p = UInt64(p); m = UInt64.max / UInt64(p); ceiling = UInt64(p) * ((1 << 63) / UInt64(p)) }
    /// y + a b, congruent mod p and below 2^63, without a division: for y < 2^63 and reduced
    /// a, b (a b < 2^62) the sum stays below 2^64, and one subtraction of a multiple of p
    /// brings it under 2^63 again (to below 2^62 + p). Reduce the result before using it as
    /// a factor.
    @inline(__always) func addLazily(_ y: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let s = y &+ a &* b
        return s >= 1 << 63 ? s &- ceiling : s
    }
    @inline(__always) func reduce(_ x: UInt64) -> UInt64 {
        let q = x.multipliedFullWidth(by: m).high
        var r = x &- q &* p
        while r >= p { r -= p }
        return r
    }
    @inline(__always) func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { reduce(a &* b) }
    func inverse(_ a: UInt64) -> UInt64 { UInt64(ModularArithmetic.inverse(UInt(a), UInt(p))) }
}

/// A reduced row echelon form modulo a prime: its pivot columns and, row by row, its
/// entries at the other (free) columns (the pivot entries are 1, the rest 0).
struct ModularForm {
    let columns: Int
    let pivots: [Int]
    let freeEntries: [[UInt64]]
}

/// One crossed transition split by gamma: the entries of C_gamma as (row, column) pairs with
/// exact coefficients, reduced modulo each prime on use. A coefficient is kept as its sign and
/// 64-bit words, so a reduction is a few word operations, not a GMP call.
struct GammaSlice {
    var rows: [Int32] = []
    var columns: [Int32] = []
    /// Entry e's words are words[offsets[e] ..< offsets[e + 1]], least significant first.
    var offsets: [Int32] = [0]
    var words: [UInt64] = []
    var negative: [Bool] = []

    static func split(_ transition: [[(gamma: Int, column: Int, coefficient: BigInt)]], gammas: Int) -> [GammaSlice] {
        var out = [GammaSlice](repeating: GammaSlice(), count: gammas)
        for (r, row) in transition.enumerated() {
            for e in row where !e.coefficient.isZero {
                out[e.gamma].rows.append(Int32(r)); out[e.gamma].columns.append(Int32(e.column))
                out[e.gamma].words += e.coefficient.magnitudeWords.map(UInt64.init)
                out[e.gamma].offsets.append(Int32(out[e.gamma].words.count))
                out[e.gamma].negative.append(e.coefficient.signum < 0)
            }
        }
        return out
    }

    /// The coefficients modulo each field's prime, the words read once for all of them:
    /// sum_i w_i (2^64i mod p) in two words per prime (each product below 2^95), reduced once.
    func residues(_ fields: [SmallPrimeField]) -> [[UInt64]] {
        var longest = 0
        for e in rows.indices { longest = max(longest, Int(offsets[e + 1] - offsets[e])) }
        // powers[f * longest + i] = 2^64i mod p_f
        let bases = fields.map { $0.reduce($0.reduce(UInt64.max) &+ 1) }
        var powers = [UInt64](repeating: 1, count: fields.count * max(longest, 1))
        for (f, field) in fields.enumerated() where longest > 1 {
            for i in 1..<longest { powers[f * longest + i] = field.mul(powers[f * longest + i - 1], bases[f]) }
        }
        var out = [[UInt64]](repeating: [UInt64](repeating: 0, count: rows.count), count: fields.count)
        var lo = [UInt64](repeating: 0, count: fields.count), hi = lo
        words.withUnsafeBufferPointer { w in
            powers.withUnsafeBufferPointer { pw in
                for e in rows.indices {
                    let start = Int(offsets[e]), end = Int(offsets[e + 1])
                    for f in fields.indices { lo[f] = 0; hi[f] = 0 }
                    for i in start..<end {
                        let word = w[i]
                        for f in fields.indices {
                            let (h, l) = word.multipliedFullWidth(by: pw[f * longest + i - start])
                            let (s, carry) = lo[f].addingReportingOverflow(l)
                            lo[f] = s; hi[f] = hi[f] &+ h &+ (carry ? 1 : 0)
                        }
                    }
                    for (f, field) in fields.enumerated() {
                        let r = field.reduce(field.reduce(hi[f]) &* bases[f] &+ field.reduce(lo[f]))
                        out[f][e] = negative[e] && r != 0 ? field.p - r : r
                    }
                }
            }
        }
        return out
    }

}

extension SmallPrimeField {
    /// The reduced row echelon form of the rows of `a` (rows x columns, row-major; overwritten
    /// by its echelon form), or nil when the rows are dependent. Forward elimination, then back
    /// substitution on the free columns only: about r^2 n / 2 - r^3 / 6 products forward and
    /// r^2 (n - r) / 2 back, for r rows and n columns.
    func reducedForm(_ a: inout [UInt64], rows m: Int, columns n: Int) -> ModularForm? {
        var pivots: [Int] = []
        let ok: Bool = a.withUnsafeMutableBufferPointer { A in
            var r = 0
            // rows below the pivots hold values below 2^63 congruent to the true ones
            // (addLazily); a column is reduced when searched, a row when it becomes a pivot row
            for c in 0..<n where r < m {
                for i in r..<m { A[i * n + c] = reduce(A[i * n + c]) }
                guard let found = (r..<m).first(where: { A[$0 * n + c] != 0 }) else { continue }
                if found != r { for j in c..<n { A.swapAt(found * n + j, r * n + j) } }
                let inv = inverse(A[r * n + c])
                for j in c..<n { A[r * n + j] = mul(reduce(A[r * n + j]), inv) }
                for i in (r + 1)..<m {
                    let f = A[i * n + c]
                    if f == 0 { continue }
                    let g = p - f
                    for j in c..<n { A[i * n + j] = addLazily(A[i * n + j], g, A[r * n + j]) }
                }
                pivots.append(c); r += 1
            }
            return r == m
        }
        guard ok else { return nil }
        // row i of the reduced form = echelon row i - sum_{j > i} E[i][pivot_j] (reduced row j)
        let free = SpanClosure.freeColumns(pivots: pivots, columns: n)
        var out = [[UInt64]](repeating: [], count: m)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var v = free.map { a[i * n + $0] }
            for j in (i + 1)..<m {
                let e = a[i * n + pivots[j]]
                if e == 0 { continue }
                let g = p - e
                for q in v.indices { v[q] = addLazily(v[q], g, out[j][q]) }
            }
            out[i] = v.map(reduce)
        }
        return ModularForm(columns: n, pivots: pivots, freeEntries: out)
    }
}
