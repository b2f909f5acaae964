import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

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
    /// y + a b congruent mod p and below 2^63, for y < 2^63 and residues a, b < p: the product folded
    /// below 2^62 (2^61 = 1 mod p), added, and 4p = 2^63 - 4 subtracted once when the sum
    /// passes 2^63 (to below 2^62 + 4). `reduce` finishes it.
    @inline(__always) static func addLazily(_ y: UInt, _ a: UInt, _ b: UInt) -> UInt {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let s = y &+ ((hi << 3 | lo >> 61) &+ (lo & p))
        return s >= 1 << 63 ? s &- 4 &* p : s
    }
    /// The residue of any x < 2^64.
    @inline(__always) static func reduce(_ x: UInt) -> UInt {
        let r = (x >> 61) &+ (x & p)   // below 2^61 + 8
        return r >= p ? r &- p : r
    }
    @inline(__always) static func neg(_ a: UInt) -> UInt { a == 0 ? 0 : p - a }
}

/// The lifted system modulo a prime, with exact recomputation where a span is proper.
struct ModularLift {
    static let prime: UInt = Mersenne61.p
    let sys: LiftedSystem
    let transitions: [[[(gamma: Int32, column: Int32, coefficient: UInt)]]]
    let initial: [UInt]
    let final: [UInt]
    /// The work (modular operations) a closure certificate may take before the exact spans
    /// (or a refusal) take over: a closure that needs too many primes must not run unbounded.
    var closureWork: Double = defaultMaxExpansionWork

    /// nil when the prime divides a denominator of the system.
    init?(_ sys: LiftedSystem) {
        let p = ModularLift.prime
        guard let ts = sys.modular else { return nil }
        var i: [UInt] = [], f: [UInt] = []
        for c in sys.initial { guard let r = c.mod(p) else { return nil }; i.append(r) }
        for c in sys.final { guard let r = c.mod(p) else { return nil }; f.append(r) }
        self.sys = sys; transitions = ts; initial = i; final = f
    }

    /// C_gamma v for every gamma and every v of a batch (images[v][gamma]), v on Mon_{t-1}:
    /// each transition entry is read once for the whole batch.
    func forward(_ vs: [[UInt]], into t: Int) -> [[[UInt]]] {
        let n = sys.mons[t].count, gammas = sys.gammas[t - 1].count, m = sys.mons[t - 1].count, B = vs.count
        // inputs column-major (the batch innermost) and the columns where the whole batch is 0
        var x = [UInt](repeating: 0, count: m * B)
        var live = [Bool](repeating: false, count: m)
        for (b, v) in vs.enumerated() { for (c, w) in v.enumerated() where w != 0 { x[c * B + b] = w; live[c] = true } }
        var out = [UInt](repeating: 0, count: n * gammas * B)
        out.withUnsafeMutableBufferPointer { o in
            x.withUnsafeBufferPointer { x in
                live.withUnsafeBufferPointer { live in
                    for (i, row) in transitions[t - 1].enumerated() {
                        row.withUnsafeBufferPointer { entries in
                            for e in entries where live[Int(e.column)] {
                                let at = (Int(e.gamma) * n + i) * B, from = Int(e.column) * B
                                for b in 0..<B { o[at + b] = Mersenne61.addLazily(o[at + b], e.coefficient, x[from + b]) }
                            }
                        }
                    }
                }
            }
        }
        return ModularLift.unpack(out, batch: B, gammas: gammas, length: n)
    }

    /// C_gamma^T w for every gamma and every w of a batch (images[w][gamma]), w on Mon_t.
    func backward(_ ws: [[UInt]], from t: Int) -> [[[UInt]]] {
        let n = sys.mons[t - 1].count, gammas = sys.gammas[t - 1].count, B = ws.count
        var out = [UInt](repeating: 0, count: n * gammas * B)
        var w = [UInt](repeating: 0, count: B)
        out.withUnsafeMutableBufferPointer { o in
            for (i, row) in transitions[t - 1].enumerated() {
                var any = false
                for b in 0..<B { w[b] = ws[b][i]; any = any || w[b] != 0 }
                if !any { continue }
                w.withUnsafeBufferPointer { w in
                    row.withUnsafeBufferPointer { entries in
                        for e in entries {
                            let at = (Int(e.gamma) * n + Int(e.column)) * B
                            for b in 0..<B { o[at + b] = Mersenne61.addLazily(o[at + b], e.coefficient, w[b]) }
                        }
                    }
                }
            }
        }
        return ModularLift.unpack(out, batch: B, gammas: gammas, length: n)
    }

    /// images[b][gamma] from a flat buffer indexed ((gamma n) + i) B + b, of lazy sums (reduced here).
    private static func unpack(_ out: [UInt], batch B: Int, gammas: Int, length n: Int) -> [[[UInt]]] {
        (0..<B).map { b in (0..<gammas).map { g in (0..<n).map { i in Mersenne61.reduce(out[(g * n + i) * B + b]) } } }
    }

    /// An exact span, or the whole lifted space.
    enum ExactSpan { case full, proper(IntegerSpan) }

    /// The ranks at the cuts ks. Each rank r_p of the Gram matrix of path generators modulo
    /// p is a certified lower bound; it is exact when it reaches an exact upper bound:
    /// |Mon_k|, or a counting bound (dim R_t <= |Gamma_t| dim R_{t-1}, the same for O), or
    /// the exact dimension of one side (computed only where that side's modular
    /// dimension is r_p, observable side first: its transitions are the cheap ones), or,
    /// when both sides are larger modulo p, the exact rank of the Gram matrix of exact bases.
    func cuts(_ ks: [Int]) throws -> [LiftedCut] {
        let T = sys.length, p = ModularLift.prime
        let lo = ks.min()!, hi = ks.max()!
        // the forward and the backward pass are independent: one per core
        let (reach, observe) = Parallel.both({ reachSpans(upTo: hi) }, { observeSpans(downTo: lo) })
        // exact spans, only where the modular one is proper
        var exactReach: [Int: ExactSpan] = [:], exactObserve: [Int: ExactSpan] = [:]
        let rows = LiftedSystem.ExactTransitions(sys)
        func reachExact(_ k: Int) throws -> ExactSpan {
            if let e = exactReach[k] { return e }
            let result: ExactSpan
            if reach[k].isFull { result = .full } else {
                let span: IntegerSpan
                if k == 0 { span = .single(LiftedSystem.integerScaled(sys.initial).vector) } else {
                    let c = try rows(k).rows
                    span = .spanned(dimension: sys.mons[k].count, by: sources(try reachExact(k - 1), dimension: sys.mons[k - 1].count)) {
                        sys.forward($0, into: k, c)
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
                let span: IntegerSpan
                if k == T { span = .single(LiftedSystem.integerScaled(sys.final).vector) } else {
                    let c = try rows(k + 1).rows
                    span = .spanned(dimension: sys.mons[k].count, by: sources(try observeExact(k + 1), dimension: sys.mons[k + 1].count)) {
                        sys.backward($0, from: k + 1, c)
                    }
                }
                result = span.isFull ? .full : .proper(span)
            }
            exactObserve[k] = result
            return result
        }
        // closure certificates: exact upper bounds on dim O_t for t >= lo and dim R_t for t <= hi,
        // found modulo small primes and checked exactly (nil: none found within the prime budget)
        var observeClosure: SpanClosure??, reachClosure: SpanClosure??
        func observeCertified(_ k: Int) throws -> Int? {
            if observeClosure == nil {
                observeClosure = .some(try SpanClosure.find(sys, side: .observable, cut: lo, transitions: rows, recipes: observe.map { $0?.origins ?? [] },
                                                                 maxWork: closureWork))
            }
            return observeClosure!?.bound(at: k)
        }
        func reachCertified(_ k: Int) throws -> Int? {
            if reachClosure == nil {
                reachClosure = .some(try SpanClosure.find(sys, side: .reachable, cut: hi, transitions: rows, recipes: reach.map(\.origins),
                                                                maxWork: closureWork))
            }
            return reachClosure!?.bound(at: k)
        }
        let (reachBound, observeBound) = sys.countingBounds
        // modular ranks and certificates from the path generators, the cuts shared between the cores
        let grams = Parallel.map(ks) { k -> (gram: [[UInt]], rank: Int, rows: [Int], columns: [Int]) in
            let gram = reach[k].generators.map { g in observe[k]!.generators.map { h in dot(g, h) } }
            // two bases of the whole lifted space mod p: their Gram matrix is nonsingular there
            if reach[k].isFull && observe[k]!.isFull { return (gram, gram.count, Array(gram.indices), Array(gram.indices)) }
            let (rp, pr, pc) = ModularLift.rankWithPivots(gram)
            return (gram, rp, pr, pc)
        }
        var out: [LiftedCut] = []
        for (k, g) in zip(ks, grams) {
            let r = reach[k], o = observe[k]!, D = sys.mons[k].count
            let (gram, rp, pr, pc) = g
            // the exact upper bound: the cheapest that can meet rp
            var exact: Int?
            var proof = LiftedUpperBound.exactGram
            var evidence = LiftedEvidence.Proof.liftDimension
            var dims: (Int?, Int?) = (r.isFull ? D : nil, o.isFull ? D : nil)
            if rp == D {
                exact = D; proof = .liftDimension; evidence = .liftDimension
            } else if min(reachBound[k], observeBound[k]) == rp {
                exact = rp
                if reachBound[k] == rp { dims.0 = rp }
                if observeBound[k] == rp { dims.1 = rp }
                proof = .countingBound(observeBound[k] == rp ? .observable : .reachable)
                evidence = .countingBound(observeBound[k] == rp ? .observable : .reachable)
            } else if o.rank == rp, try observeCertified(k) == rp {
                exact = rp; dims.1 = rp; proof = .closure(.observable)
                evidence = .closure(.observable, spans: observeClosure!!.spans(k...T))
            } else if r.rank == rp, try reachCertified(k) == rp {
                exact = rp; dims.0 = rp; proof = .closure(.reachable)
                evidence = .closure(.reachable, spans: reachClosure!!.spans(0...k))
            } else if o.rank == rp, case let e = try observeExact(k), dimension(e, D) == rp {
                exact = rp; dims.1 = rp; proof = .exactSpan(.observable)
                evidence = .closure(.observable, spans: ModularLift.spans(exactObserve, k...T))
            } else if r.rank == rp, case let e = try reachExact(k), dimension(e, D) == rp {
                exact = rp; dims.0 = rp; proof = .exactSpan(.reachable)
                evidence = .closure(.reachable, spans: ModularLift.spans(exactReach, 0...k))
            } else if r.rank > rp && o.rank > rp {
                let (er, eo) = (try reachExact(k), try observeExact(k))
                dims = (dimension(er, D), dimension(eo, D))
                evidence = .gram(reachable: ModularLift.spans(exactReach, 0...k), observable: ModularLift.spans(exactObserve, k...T))
                switch (er, eo) {
                case (.full, .full): exact = D
                case (.full, .proper(let s)): exact = s.rank
                case (.proper(let s), .full): exact = s.rank
                case (.proper(let a), .proper(let b)):
                    let g = RationalMatrix(rows: a.rank, columns: b.rank) { i, j in
                        Rational(zip(a.basis.rows[i], b.basis.rows[j]).reduce(BigInt.zero) { $0 + $1.0 * $1.1 })
                    }
                    exact = g.rows == 0 || g.columns == 0 ? 0 : g.rank()
                }
            }
            if let exact, exact == rp {
                let cert = UnfoldingMinor(
                    rank: rp, cut: k, inputDim: sys.inputDim,
                    rowMonomials: pr.map { LiftedRank.path(reach.map(\.origins), step: k, generator: $0, forward: true, system: sys) },
                    columnMonomials: pc.map { LiftedRank.path(observe.map { $0?.origins ?? [] }, step: k, generator: $0, forward: false, system: sys) },
                    prime: p, residues: pr.flatMap { i in pc.map { j in gram[i][j] } })
                out.append(LiftedCut(cut: k, rank: exact, liftDimension: D, reachableDimension: dims.0,
                                     observableDimension: dims.1, gramShape: (r.generators.count, o.generators.count),
                                     certificate: cert, upperBound: proof, proof: evidence, system: sys))
            } else {
                // the prime was unlucky: the fully exact computation decides, with its certificate
                out.append(try LiftedRank.exactCuts(sys, cuts: [k])[0])
            }
        }
        return out
    }

    /// The rank at the cut k of a system built only from k up (`sys.lowest == k`), its
    /// reachable side sampled at points (`ReachableSamples`): the Gram minor of samples and
    /// observable path vectors is the lower bound; the upper bound is |Mon_k|, the counting
    /// bound or a closure certificate of the observable side. nil when none of them meets the
    /// lower bound (the full system decides then).
    func sampledCut(_ k: Int) throws -> LiftedCut? {
        let T = sys.length, p = ModularLift.prime
        precondition(sys.lowest == k && k >= 1 && k < T)
        let D = sys.mons[k].count, counted = sys.countingBounds.observe[k]
        // the modular work on one core; on the other, the exact transitions a closure
        // certificate would need, built ahead and dropped once the bound is free
        let transitions = LiftedSystem.ExactTransitions(sys), stop = StopSignal()
        let crossed = SpanClosure.crossed(side: .observable, cut: k, length: T)
        let (modular, _) = Parallel.both({ () -> (spans: [ModularSpan?], samples: ReachableSamples, gram: [[UInt]],
                                                  pivots: (Int, [Int], [Int]))? in
            let spans = observeSpans(downTo: k)
            guard let samples = ReachableSamples.sample(sys.space, monomials: sys.mons[k], cut: k) else { stop.raise(); return nil }
            let gram = samples.vectors.map { g in spans[k]!.generators.map { h in dot(g, h) } }
            let pivots = ModularLift.rankWithPivots(gram)
            // the closure below is tried only when neither free bound meets the rank
            if pivots.0 == D || pivots.0 == counted || spans[k]!.rank != pivots.0 { stop.raise() }
            return (spans, samples, gram, pivots)
        }, { transitions.prebuild(crossed.reversed(), until: stop) })
        guard let (spans, samples, gram, (rp, pr, pc)) = modular else { return nil }
        let observe = spans[k]!
        let proof: LiftedUpperBound, evidence: LiftedEvidence.Proof
        if rp == D {
            (proof, evidence) = (.liftDimension, .liftDimension)
        } else if counted == rp {
            (proof, evidence) = (.countingBound(.observable), .countingBound(.observable))
        } else if observe.rank == rp,
                  let closure = try SpanClosure.find(sys, side: .observable, cut: k, transitions: transitions,
                                                     recipes: spans.map { $0?.origins ?? [] }, maxWork: closureWork),
                  closure.bound(at: k) == rp {
            (proof, evidence) = (.closure(.observable), .closure(.observable, spans: closure.spans(k...T)))
        } else {
            return nil
        }
        // the path vectors' origins, step by step, name the certificate's column monomials
        let origins = spans.map { $0?.origins ?? [] }
        let cert = UnfoldingMinor(
            rank: rp, cut: k, inputDim: sys.inputDim, rowMonomials: [],
            columnMonomials: pc.map { LiftedRank.path(origins, step: k, generator: $0, forward: false, system: sys) },
            prime: p, residues: pr.flatMap { i in pc.map { j in gram[i][j] } }, rowPoints: pr.map { samples.points[$0] })
        return LiftedCut(cut: k, rank: rp, liftDimension: D, reachableDimension: nil,
                         observableDimension: proof == .liftDimension ? (observe.isFull ? D : nil) : rp,
                         gramShape: (samples.vectors.count, observe.generators.count), certificate: cert, upperBound: proof, proof: evidence, system: sys)
    }

    /// The exact spans at the given steps as evidence: a step the recursion did not reach lies
    /// below (reachable) or above (observable) a step whose span is the whole space, so the
    /// whole space serves there.
    static func spans(_ exact: [Int: ExactSpan], _ steps: ClosedRange<Int>) -> [Int: LiftedSpan] {
        Dictionary(uniqueKeysWithValues: steps.map { t in
            switch exact[t] {
            case .proper(let s): return (t, LiftedSpan.generatedBy(s.generators))
            case .full, nil: return (t, LiftedSpan.whole)
            }
        })
    }

    func dimension(_ e: ExactSpan, _ full: Int) -> Int {
        switch e { case .full: return full; case .proper(let s): return s.rank }
    }

    /// Vectors spanning an exact span: its generators, or the unit vectors of a full space.
    func sources(_ e: ExactSpan, dimension n: Int) -> [[BigInt]] {
        switch e {
        case .proper(let s): return s.generators
        case .full: return (0..<n).map { i in (0..<n).map { $0 == i ? BigInt.one : .zero } }
        }
    }

    /// The reachable path spans R_0 ... R_high modulo p, one forward pass.
    func reachSpans(upTo high: Int) -> [ModularSpan] {
        var spans = [ModularSpan.single(initial)]
        for t in stride(from: 1, through: high, by: 1) {
            spans.append(.spanned(dimension: sys.mons[t].count, by: spans[t - 1].generators, images: sys.gammas[t - 1].count) {
                forward($0, into: t)
            })
        }
        return spans
    }

    /// The observable path spans O_T ... O_low modulo p (nil below low), one backward pass.
    func observeSpans(downTo low: Int) -> [ModularSpan?] {
        let T = sys.length
        var spans = [ModularSpan?](repeating: nil, count: T + 1)
        spans[T] = .single(final)
        for t in stride(from: T, to: low, by: -1) {
            spans[t - 1] = .spanned(dimension: sys.mons[t - 1].count, by: spans[t]!.generators, images: sys.gammas[t - 1].count) {
                backward($0, from: t)
            }
        }
        return spans
    }

    /// sum a_i b_i modulo p, summed lazily (`Mersenne61.addLazily`) and reduced once
    func dot(_ a: [UInt], _ b: [UInt]) -> UInt {
        var s: UInt = 0
        for (x, y) in zip(a, b) { s = Mersenne61.addLazily(s, x, y) }
        return Mersenne61.reduce(s)
    }

    /// Rank modulo 2^61 - 1 with the input rows and columns of the pivots (their minor is
    /// nonzero).
    static func rankWithPivots(_ m: [[UInt]]) -> (Int, [Int], [Int]) {
        guard let cols = m.first?.count, cols > 0 else { return (0, [], []) }
        var a = m, rowOrder = Array(0..<m.count)
        var pivotRows: [Int] = [], pivotCols: [Int] = []
        var r = 0
        for c in 0..<cols where r < a.count {
            guard let piv = (r..<a.count).first(where: { a[$0][c] != 0 }) else { continue }
            a.swapAt(r, piv); rowOrder.swapAt(r, piv)
            let inv = ModularArithmetic.inverse(a[r][c], Mersenne61.p)
            let pivot = a[r]
            for i in (r + 1)..<a.count where a[i][c] != 0 {
                let f = Mersenne61.neg(Mersenne61.mul(a[i][c], inv))
                for j in c..<cols where pivot[j] != 0 { a[i][j] = Mersenne61.add(a[i][j], Mersenne61.mul(f, pivot[j])) }
            }
            pivotRows.append(rowOrder[r]); pivotCols.append(c)
            r += 1
        }
        return (r, pivotRows, pivotCols)
    }
}
