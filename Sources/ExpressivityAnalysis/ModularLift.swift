import ExactNumbers
import Polynomials
import ExactLinearAlgebra

/// Arithmetic modulo the Mersenne prime 2^61 - 1: a product of two residues is reduced by
/// folding its high bits (2^61 = 1 mod p) instead of a 128-bit division.
enum Mersenne61 {
    static let p: UInt = (1 << 61) - 1
    @inline(__always) static func mul(_ a: UInt, _ b: UInt) -> UInt {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        // a b = hi 2^64 + lo = (hi << 3 | lo >> 61) 2^61 + (lo & p), and 2^61 = 1 mod p
        let r = (hi << 3 | lo >> 61) + (lo & p)
        return r >= p ? r - p : r
    }
    @inline(__always) static func add(_ a: UInt, _ b: UInt) -> UInt { let r = a + b; return r >= p ? r - p : r }
    @inline(__always) static func neg(_ a: UInt) -> UInt { a == 0 ? 0 : p - a }
}

/// An echelon basis of a subspace of F_p^n grown from path generators (see EchelonSpan).
struct ModularSpan {
    let dimension: Int
    let prime: UInt
    private(set) var rows: [[UInt]] = []
    private(set) var pivots: [Int] = []
    private(set) var generators: [[UInt]] = []
    private(set) var origins: [(parent: Int, gamma: Int)] = []

    init(dimension: Int, prime: UInt) { self.dimension = dimension; self.prime = prime }

    var isFull: Bool { rows.count == dimension }

    @discardableResult
    mutating func add(_ v: [UInt], origin: (parent: Int, gamma: Int)) -> Bool {
        if isFull { return false }
        let p = prime
        var r = v
        for (row, piv) in zip(rows, pivots) where r[piv] != 0 {
            let f = Mersenne61.neg(r[piv])
            for j in piv..<dimension where row[j] != 0 { r[j] = Mersenne61.add(r[j], Mersenne61.mul(f, row[j])) }
        }
        guard let piv = r.firstIndex(where: { $0 != 0 }) else { return false }
        let inv = ModularArithmetic.inverse(r[piv], p)
        for j in piv..<dimension where r[j] != 0 { r[j] = Mersenne61.mul(r[j], inv) }
        let at = pivots.firstIndex { $0 > piv } ?? pivots.count
        rows.insert(r, at: at); pivots.insert(piv, at: at)
        generators.append(v); origins.append(origin)
        return true
    }
}

/// The lifted system modulo a prime, with exact recomputation where a span is proper.
struct ModularLift {
    static let prime: UInt = Mersenne61.p
    let sys: LiftedSystem
    let transitions: [[[(gamma: Int32, column: Int32, coefficient: UInt)]]]
    let initial: [UInt]
    let final: [UInt]

    /// nil when the prime divides a denominator of the system.
    init?(_ sys: LiftedSystem) {
        let p = ModularLift.prime
        guard let ts = sys.modular else { return nil }
        var i: [UInt] = [], f: [UInt] = []
        for c in sys.initial { guard let r = c.mod(p) else { return nil }; i.append(r) }
        for c in sys.final { guard let r = c.mod(p) else { return nil }; f.append(r) }
        self.sys = sys; transitions = ts; initial = i; final = f
    }

    func forward(_ v: [UInt], into t: Int) -> [[UInt]] {

        var out = [[UInt]](repeating: [UInt](repeating: 0, count: sys.mons[t].count), count: sys.gammas[t - 1].count)
        for (i, row) in transitions[t - 1].enumerated() {
            for e in row where v[Int(e.column)] != 0 {
                out[Int(e.gamma)][i] = Mersenne61.add(out[Int(e.gamma)][i], Mersenne61.mul(e.coefficient, v[Int(e.column)]))
            }
        }
        return out
    }

    func backward(_ w: [UInt], from t: Int) -> [[UInt]] {
        var out = [[UInt]](repeating: [UInt](repeating: 0, count: sys.mons[t - 1].count), count: sys.gammas[t - 1].count)
        for (i, row) in transitions[t - 1].enumerated() where w[i] != 0 {
            for e in row {
                let (g, c) = (Int(e.gamma), Int(e.column))
                out[g][c] = Mersenne61.add(out[g][c], Mersenne61.mul(e.coefficient, w[i]))
            }
        }
        return out
    }

    /// An exact span, or the whole lifted space.
    enum ExactSpan { case full, proper(EchelonSpan) }

    func cuts(_ ks: [Int]) throws -> [LiftedCut] {
        let T = sys.length, p = ModularLift.prime
        let lo = ks.min()!, hi = ks.max()!
        var reach: [ModularSpan] = []
        var r0 = ModularSpan(dimension: sys.mons[0].count, prime: p)
        r0.add(initial, origin: (-1, -1))
        reach.append(r0)
        for t in stride(from: 1, through: hi, by: 1) {
            var next = ModularSpan(dimension: sys.mons[t].count, prime: p)
            for (gi, g) in reach[t - 1].generators.enumerated() {
                if next.isFull { break }
                for (gamma, v) in forward(g, into: t).enumerated() where !next.isFull { next.add(v, origin: (gi, gamma)) }
            }
            reach.append(next)
        }
        var observe = [ModularSpan?](repeating: nil, count: T + 1)
        var oT = ModularSpan(dimension: sys.mons[T].count, prime: p)
        oT.add(final, origin: (-1, -1))
        observe[T] = oT
        for t in stride(from: T, to: lo, by: -1) {
            var prev = ModularSpan(dimension: sys.mons[t - 1].count, prime: p)
            for (gi, w) in observe[t]!.generators.enumerated() {
                if prev.isFull { break }
                for (gamma, v) in backward(w, from: t).enumerated() where !prev.isFull { prev.add(v, origin: (gi, gamma)) }
            }
            observe[t - 1] = prev
        }
        // exact spans, only where the modular one is proper
        var exactReach: [Int: ExactSpan] = [:], exactObserve: [Int: ExactSpan] = [:]
        var exactRows: [Int: [[(gamma: Int, column: Int, coefficient: Rational)]]] = [:]
        func rows(_ t: Int) throws -> [[(gamma: Int, column: Int, coefficient: Rational)]] {
            if let r = exactRows[t] { return r }
            let r = try sys.exactTransition(t)
            exactRows[t] = r
            return r
        }
        func reachExact(_ k: Int) throws -> ExactSpan {
            if let e = exactReach[k] { return e }
            let result: ExactSpan
            if reach[k].isFull { result = .full } else {
                var span = EchelonSpan(dimension: sys.mons[k].count)
                if k == 0 { span.add(sys.initial, origin: (-1, -1)) } else {
                    let c = try rows(k)
                    for v in sources(try reachExact(k - 1), dimension: sys.mons[k - 1].count) {
                        if span.isFull { break }
                        for w in sys.forward(v, into: k, c) where !span.isFull { span.add(w, origin: (-1, -1)) }
                    }
                }
                result = span.isFull ? .full : .proper(span)
            }
            exactReach[k] = result
            return result
        }
        func observeExact(_ k: Int) throws -> ExactSpan {
            if let e = exactObserve[k] { return e }
            let result: ExactSpan
            if observe[k]!.isFull { result = .full } else {
                var span = EchelonSpan(dimension: sys.mons[k].count)
                if k == T { span.add(sys.final, origin: (-1, -1)) } else {
                    let c = try rows(k + 1)
                    for w in sources(try observeExact(k + 1), dimension: sys.mons[k + 1].count) {
                        if span.isFull { break }
                        for v in sys.backward(w, from: k + 1, c) where !span.isFull { span.add(v, origin: (-1, -1)) }
                    }
                }
                result = span.isFull ? .full : .proper(span)
            }
            exactObserve[k] = result
            return result
        }
        var out: [LiftedCut] = []
        for k in ks {
            let r = reach[k], o = observe[k]!, D = sys.mons[k].count
            // modular rank and certificate from the path generators
            let gram = r.generators.map { g in o.generators.map { h in dot(g, h) } }
            let (rp, pr, pc) = ModularLift.rankWithPivots(gram, p)
            // exact rank
            let exact: Int
            let (er, eo) = (try reachExact(k), try observeExact(k))
            switch (er, eo) {
            case (.full, .full): exact = D
            case (.full, .proper(let s)): exact = s.rows.count
            case (.proper(let s), .full): exact = s.rows.count
            case (.proper(let a), .proper(let b)):
                let g = RationalMatrix(rows: a.rows.count, columns: b.rows.count) { i, j in
                    zip(a.rows[i], b.rows[j]).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
                }
                exact = g.rows == 0 || g.columns == 0 ? 0 : g.rank()
            }
            let dims = (dimension(er, D), dimension(eo, D))
            if exact == rp {
                let cert = LiftedRankCertificate(
                    rank: rp,
                    rowMonomials: pr.map { path(reach.map(\.origins), step: k, generator: $0, forward: true) },
                    columnMonomials: pc.map { path(observe.map { $0?.origins ?? [] }, step: k, generator: $0, forward: false) },
                    prime: p, residues: pr.flatMap { i in pc.map { j in gram[i][j] } })
                out.append(LiftedCut(cut: k, rank: exact, liftDimension: D, reachableDimension: dims.0,
                                     observableDimension: dims.1, certificate: cert))
            } else {
                // the prime was unlucky: the fully exact computation gives the certificate
                out.append(try LiftedRank.exactCuts(sys, cuts: [k])[0])
            }
        }
        return out
    }

    func dimension(_ e: ExactSpan, _ full: Int) -> Int {
        switch e { case .full: return full; case .proper(let s): return s.rows.count }
    }

    /// Vectors spanning an exact span: its generators, or the unit vectors of a full space.
    func sources(_ e: ExactSpan, dimension n: Int) -> [[Rational]] {
        switch e {
        case .proper(let s): return s.generators
        case .full: return (0..<n).map { i in (0..<n).map { $0 == i ? Rational.one : .zero } }
        }
    }

    func dot(_ a: [UInt], _ b: [UInt]) -> UInt {
        var s: UInt = 0
        for (x, y) in zip(a, b) where x != 0 && y != 0 { s = Mersenne61.add(s, Mersenne61.mul(x, y)) }
        return s
    }

    /// Rank modulo p with the input rows and columns of the pivots (their minor is nonzero).
    static func rankWithPivots(_ m: [[UInt]], _ p: UInt) -> (Int, [Int], [Int]) {
        guard let cols = m.first?.count, cols > 0 else { return (0, [], []) }
        var a = m, rowOrder = Array(0..<m.count)
        var pivotRows: [Int] = [], pivotCols: [Int] = []
        var r = 0
        for c in 0..<cols where r < a.count {
            guard let piv = (r..<a.count).first(where: { a[$0][c] != 0 }) else { continue }
            a.swapAt(r, piv); rowOrder.swapAt(r, piv)
            let inv = ModularArithmetic.inverse(a[r][c], p)
            for i in (r + 1)..<a.count where a[i][c] != 0 {
                let f = p - ModularArithmetic.mulmod(a[i][c], inv, p)
                for j in c..<cols where a[r][j] != 0 { a[i][j] = (a[i][j] + ModularArithmetic.mulmod(f, a[r][j], p)) % p }
            }
            pivotRows.append(rowOrder[r]); pivotCols.append(c)
            r += 1
        }
        return (r, pivotRows, pivotCols)
    }

    /// The input monomial of a path generator (forward: steps 1..k; backward: k+1..T).
    func path(_ origins: [[(parent: Int, gamma: Int)]], step k: Int, generator i: Int, forward: Bool) -> Monomial {
        var factors: [(variable: Int, exponent: Int)] = []
        var (t, g) = (k, i)
        if forward {
            while t >= 1 {
                let o = origins[t][g]
                factors += LiftedRank.shifted(sys.gammas[t - 1][o.gamma], toStep: t, inputDim: sys.inputDim)
                (t, g) = (t - 1, o.parent)
            }
        } else {
            while t < sys.length {
                let o = origins[t][g]
                factors += LiftedRank.shifted(sys.gammas[t][o.gamma], toStep: t + 1, inputDim: sys.inputDim)
                (t, g) = (t + 1, o.parent)
            }
        }
        return Monomial(factors)
    }
}
