import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// What proves rank <= r at a cut (the lower bound is the certificate's minor).
public enum LiftedUpperBound: Sendable, Equatable {
    public enum Side: String, Sendable { case reachable, observable }
    /// r = |Mon_k|: the unfolding factors through the lifted state.
    case liftDimension
    /// dim R_k <= |Gamma_k| dim R_{k-1} (or the same for O), from the sizes alone.
    case countingBound(Side)
    /// The side's space was computed over Q (fraction-free spans).
    case exactSpan(Side)
    /// A closure certificate of the side's spaces, checked exactly (`SpanClosure`).
    case closure(Side)
    /// Both spaces over Q and the exact rank of the Gram matrix of their bases.
    case exactGram
    /// dim O_k <= dim V_{T-k}, the graded observable spaces of a Hadamard first layer
    /// (`GradedObservable`), met by a minor of values at points.
    case gradedObservable
    /// A bilinear stack's degree pattern on one side (`HomogeneousBoundProof`), met by a minor
    /// of values at points.
    case multiHomogeneous(HomogeneousBoundProof.Side)
}

/// One cut of a lifted computation, with what was measured on the way.
public struct LiftedCut: Sendable {
    /// S = 1...k.
    public let cut: Int
    public let rank: Int
    /// |Mon_k|.
    public let liftDimension: Int
    /// The exact dimensions of R_k and O_k over Q, where they were computed (nil where the
    /// rank was decided without them).
    public let reachableDimension: Int?
    public let observableDimension: Int?
    /// The numbers of path generators kept on each side: the shape of the Gram matrix whose
    /// rank gave the certificate (dim R_k and dim O_k modulo 2^61 - 1 on the modular path,
    /// over Q when every span was computed exactly).
    public let gramShape: (rows: Int, columns: Int)
    public let certificate: UnfoldingMinor
    /// What proves the rank is no larger.
    public let upperBound: LiftedUpperBound
    /// Both bounds, checkable from the model without expanding y_T (`LiftedEvidence.verify()`).
    public let evidence: LiftedEvidence

    init(cut: Int, rank: Int, liftDimension: Int, reachableDimension: Int?, observableDimension: Int?,
         gramShape: (rows: Int, columns: Int), certificate: UnfoldingMinor, upperBound: LiftedUpperBound,
         proof: LiftedEvidence.Proof, system sys: LiftedSystem) {
        self.cut = cut; self.rank = rank; self.liftDimension = liftDimension
        self.reachableDimension = reachableDimension; self.observableDimension = observableDimension
        self.gramShape = gramShape; self.certificate = certificate; self.upperBound = upperBound
        evidence = LiftedEvidence(model: sys.space.model, output: sys.space.output, length: sys.length, cut: cut,
                                  firstStep: sys.lowest, monomials: sys.mons, minor: certificate, proof: proof, kind: upperBound)
    }

    /// A cut decided by the graded observable pass: rank = dim V_{T-k}, met by a point minor.
    init(graded cut: Int, length T: Int, model: NetworkModel, output: Int, levels: [GradedObservable.Level],
         minor: UnfoldingMinor, sampled: Int) {
        let top = levels[levels.count - 1]
        self.cut = cut; rank = minor.rank
        liftDimension = top.pieces.count * top.upper.count
        reachableDimension = nil
        // rank <= dim O_k <= dim V_j = rank
        observableDimension = minor.rank
        gramShape = (sampled, sampled); certificate = minor; upperBound = .gradedObservable
        evidence = LiftedEvidence(model: model, output: output, length: T, cut: cut, firstStep: cut, monomials: [], minor: minor,
                                  proof: .graded(GradedObservableProof(levels: levels.map(\.proof))), kind: .gradedObservable)
    }

    /// A cut of a bilinear stack decided by a degree pattern: rank = the pattern's bound, met by
    /// a point minor; |Mon_k| is the state side's count (a bound whichever side decided).
    init(homogeneous cut: Int, length T: Int, model: NetworkModel, output: Int, proof: HomogeneousBoundProof,
         minor: UnfoldingMinor, sampled: Int) {
        self.cut = cut; rank = minor.rank
        liftDimension = BilinearStack.stateMonomials(model, stepsAfter: T - cut).intValue ?? .max
        reachableDimension = nil
        observableDimension = proof.side == .state ? minor.rank : nil
        gramShape = (sampled, sampled); certificate = minor; upperBound = .multiHomogeneous(proof.side)
        evidence = LiftedEvidence(model: model, output: output, length: T, cut: cut, firstStep: cut, monomials: [], minor: minor,
                                  proof: .homogeneous(proof), kind: .multiHomogeneous(proof.side))
    }
}

public enum LiftedRank {
    /// Separation ranks of y_T at the cuts S = 1...k for every k in `cuts` (default 0...T).
    ///
    /// The system is built and its spans computed modulo 2^61 - 1 from path vectors (each
    /// kept generator is C_gamma_k ... C_gamma_1 lift_0 for a recorded sequence, an exact
    /// vector reduced mod p). The Gram rank r_p of the path generators mod p is a certified
    /// lower bound; the rank is declared exact only when an exact upper bound meets it:
    /// |Mon_k|, the exact dimension of one side, or the exact rank of the Gram matrix of
    /// both exact spans (`ModularLift.cuts`); otherwise every span is computed over Q
    /// (`exactCuts`). The certificate is the mod-p minor of path vectors, or the fully exact
    /// computation's.
    public static func cuts(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                            maxLift: Int = 20_000, maxTerms: Int = 5_000_000,
                            maxEntries: Int = Unfolding.defaultMaxEntries, maxWork: Double = defaultMaxExpansionWork) throws -> [LiftedCut] {
        try outcomes(model: model, length: T, cuts: wanted, output: output, maxLift: maxLift, maxTerms: maxTerms,
                     maxEntries: maxEntries, maxWork: maxWork).map { try $0.outcome.get() }
    }

    /// `cuts`, each cut with its rank or the refusal that stopped it: a cut past a limit does not
    /// take the others with it (a profile prints them). Throws only for an invalid model.
    public static func outcomes(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                                maxLift: Int = 20_000, maxTerms: Int = 5_000_000,
                                maxEntries: Int = Unfolding.defaultMaxEntries, maxWork: Double = defaultMaxExpansionWork) throws
        -> [(cut: Int, outcome: Result<LiftedCut, LiftedError>)] {
        let ks = try requested(wanted, length: T, model: model)
        guard !ks.isEmpty else { return [] }
        var refused: [Int: LiftedError] = [:]
        let refuse = { (k: Int, e: LiftedError) in refused[k] = e }
        // a bilinear stack: the degree patterns of either side, closed forms met by a point
        // minor; first, as they cost no pass (a depth-3 RAC with d = 1 has rank 1 at every cut,
        // which the graded pass took 24 minutes to find at T = 6). A minor past maxWork leaves
        // the cut to the passes below; its refusal is kept if they refuse too
        var minorRefused: [Int: LiftedError] = [:]
        var decided = try homogeneousCuts(model: model, length: T, cuts: ks, output: output, maxLift: maxLift, maxWork: maxWork,
                                          refusing: { minorRefused[$0] = $1 })
        // a Hadamard first layer: the graded observable pass decides the cuts where the rank
        // meets dim V_{T-k}; the others go on below
        var pending = ks.filter { decided[$0] == nil }
        do {
            decided.merge(try gradedCuts(model: model, length: T, cuts: pending, output: output, maxLift: maxLift, maxTerms: maxTerms,
                                         maxWork: maxWork, refusing: refuse)) { a, _ in a }
        } catch let e as LiftedError {
            for k in pending where refused[k] == nil { refused[k] = e }
        }
        pending = ks.filter { decided[$0] == nil && refused[$0] == nil }
        if !pending.isEmpty {
            // several cuts: the lifted system for all of them, as without the graded pass (its
            // bounds for early cuts come from passes over every cut; asked for the early cuts
            // alone it can take another route and refuse where the whole profile does not)
            do {
                for c in try systemCuts(model: model, length: T, cuts: ks.count > 1 ? ks : pending, output: output, maxLift: maxLift,
                                        maxTerms: maxTerms, maxEntries: maxEntries, maxWork: maxWork) where decided[c.cut] == nil {
                    decided[c.cut] = c
                    refused[c.cut] = nil
                }
            } catch let e as LiftedError {
                for k in pending { refused[k] = e }
            }
        }
        return ks.map { k in (k, decided[k].map { .success($0) } ?? .failure(minorRefused[k] ?? refused[k]!)) }
    }

    /// The graded observable pass (`GradedObservable`) for the cuts 1 <= k < T: the cuts whose
    /// point minor reaches dim V_{T-k}, with that as the rank. Empty when the first layer is not
    /// a Hadamard layer with an invertible state matrix.
    static func gradedCuts(model: NetworkModel, length T: Int, cuts ks: [Int], output: Int, maxLift: Int,
                           maxTerms: Int, maxWork: Double = defaultMaxExpansionWork,
                           refusing: ((Int, LiftedError) -> Void)? = nil) throws -> [Int: LiftedCut] {
        let inside = ks.filter { $0 >= 1 && $0 < T }
        guard let low = inside.min(), let engine = try GradedObservable(model, output: output, maxTerms: maxTerms),
              let levels = try engine.levels(upTo: T - low, length: T, maxLift: maxLift) else { return [:] }
        var out: [Int: LiftedCut] = [:]
        for k in inside {
            guard let (minor, n) = try refusingPerCut(k, refusing, { try meeting(levels[T - k].dimension, model: model, output: output,
                                                                                 length: T, cut: k, maxWork: maxWork) }) else { continue }
            out[k] = LiftedCut(graded: k, length: T, model: model, output: output, levels: Array(levels[0...(T - k)]),
                               minor: minor, sampled: n)
        }
        return out
    }

    /// The cuts 1 <= k < T of a bilinear stack where a point minor meets the smallest of the
    /// degree patterns' bounds (past inputs, future inputs, state at the cut less the killed
    /// states, or less the multiples of an equation of the reachable states), with that as the
    /// rank. Bounds above `maxLift` are not sampled.
    /// With `refusing`, a cut past `maxWork` is reported there and the others go on; without,
    /// its error is thrown.
    static func homogeneousCuts(model: NetworkModel, length T: Int, cuts ks: [Int], output: Int, maxLift: Int,
                                maxWork: Double = defaultMaxExpansionWork,
                                refusing: ((Int, LiftedError) -> Void)? = nil) throws -> [Int: LiftedCut] {
        // a single layer is the lifted system's automaton (Mon = {h}), far cheaper than point
        // minors: 99 cuts of a 2rnn with n = 128 at T = 100 take 1.6 s there and minutes here
        guard model.depth >= 2, BilinearStack.applies(to: model) else { return [:] }
        let inside = ks.filter { $0 >= 1 && $0 < T }
        guard !inside.isEmpty else { return [:] }
        let killed = KilledStates.find(model)
        let proofs = [HomogeneousBoundProof(side: .state, killed: killed), HomogeneousBoundProof(side: .past),
                      HomogeneousBoundProof(side: .future)]
        var out: [Int: LiftedCut] = [:]
        for k in inside {
            let bounds = proofs.compactMap { p in p.bound(model: model, length: T, cut: k).map { (p, $0) } }
            guard let (proof, b) = bounds.min(by: { $0.1 < $1.1 }), let bound = b.intValue, bound <= maxLift,
                  let (minor, n) = try refusingPerCut(k, refusing, { try sample(bound, model: model, output: output, length: T, cut: k,
                                                                                maxWork: maxWork) }) else { continue }
            if minor.rank == bound {
                out[k] = LiftedCut(homogeneous: k, length: T, model: model, output: output, proof: proof, minor: minor, sampled: n)
                continue
            }
            // below every count: an equation of the reachable states may take the state count
            // down to the minor's rank (searched only here: the search costs more than a count)
            for f in ReachableEquation.find(model, cut: k) {
                let p = HomogeneousBoundProof(side: .reachable, equation: f)
                if let b = p.bound(model: model, length: T, cut: k), b == BigInt(minor.rank) {
                    out[k] = LiftedCut(homogeneous: k, length: T, model: model, output: output, proof: p, minor: minor, sampled: n)
                    break
                }
            }
        }
        return out
    }

    /// `body`'s value; a `LiftedError` is handed to `refusing` (nil: the cut is left) or thrown
    /// without it.
    static func refusingPerCut<R>(_ k: Int, _ refusing: ((Int, LiftedError) -> Void)?, _ body: () throws -> R?) throws -> R? {
        guard let refusing else { return try body() }
        do { return try body() } catch let e as LiftedError { refusing(k, e); return nil }
    }

    /// A point minor of rank `bound` at cut k, sampled in growing batches (a rank short of its
    /// batch is found without the full one), with the batch size; nil when it falls short.
    /// Each batch is refused before the work when it would pass `maxWork` (`PointMinor.work`):
    /// a rank short of a small batch costs little however large the bound.
    static func meeting(_ bound: Int, model: NetworkModel, output: Int, length T: Int, cut k: Int,
                        maxWork: Double) throws -> (UnfoldingMinor, Int)? {
        guard let (minor, n) = try sample(bound, model: model, output: output, length: T, cut: k, maxWork: maxWork),
              minor.rank == bound else { return nil }
        return (minor, n)
    }

    /// The point minor `meeting` samples for `bound`, whatever its rank (nil only when no
    /// batch could be sampled): a rank below the bound is still a certified lower bound.
    static func sample(_ bound: Int, model: NetworkModel, output: Int, length T: Int, cut k: Int,
                       maxWork: Double) throws -> (UnfoldingMinor, Int)? {
        var n = min(bound + 2, 64)
        var found: (UnfoldingMinor, Int)?
        while true {
            let work = PointMinor.work(model, length: T, cut: k, size: n)
            if work > maxWork { throw LiftedError.minorTooLarge(length: T, cut: k, size: n, work: work, limit: maxWork) }
            guard let m = PointMinor.sample(model, output: output, length: T, cut: k, size: n) else { break }
            found = (m, n)
            if m.rank < n || n >= bound + 2 { break }
            n = min(2 * n, bound + 2)
        }
        return found
    }

    /// The cuts asked for (default 0...T), checked, and the model validated.
    static func requested(_ wanted: [Int]?, length T: Int, model: NetworkModel) throws -> [Int] {
        precondition(T >= 1, "the lifted method needs T >= 1")
        let ks = wanted ?? Array(0...T)
        precondition(ks.allSatisfy { $0 >= 0 && $0 <= T })
        try model.validate()
        return ks
    }

    /// The lifted system's ranks alone (what `cuts` does where the graded pass does not decide).
    static func systemCuts(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                           maxLift: Int = 20_000, maxTerms: Int = 5_000_000,
                           maxEntries: Int = Unfolding.defaultMaxEntries, maxWork: Double = defaultMaxExpansionWork) throws -> [LiftedCut] {
        let ks = try requested(wanted, length: T, model: model)
        guard !ks.isEmpty else { return [] }
        let space = try LiftedStateSpace(model, output: output)
        // one cut: the system above it, the reachable side sampled (the steps below the cut
        // are the largest); the whole system only when that cannot decide
        if ks.count == 1, let k = ks.first, k >= 1, k < T {
            let upper = try LiftedSystem(space, length: T, lowest: k, maxLift: maxLift, maxTerms: maxTerms, maxEntries: maxEntries)
            // a time-invariant system (Mon_k repeats above the cut, so it does below: a single
            // layer) shares one transition between all steps: its forward pass costs no more than
            // the backward one, and less than sampling the network at points
            let invariant = k + 1 < T && upper.mons[k] == upper.mons[k + 1]
            if !invariant, var modular = ModularLift(upper) {
                modular.closureWork = maxWork
                if let cut = try modular.sampledCut(k) { return [cut] }
            }
        }
        let sys = try LiftedSystem(space, length: T, maxLift: maxLift, maxTerms: maxTerms, maxEntries: maxEntries)
        guard var modular = ModularLift(sys) else {
            return try exactCuts(sys, cuts: ks)   // a denominator divisible by the prime
        }
        modular.closureWork = maxWork
        return try modular.cuts(ks)
    }

    /// The same ranks with every span computed exactly over Q (no modular shortcut).
    public static func exactCuts(model: NetworkModel, length T: Int, cuts wanted: [Int]? = nil, output: Int = 0,
                                 maxLift: Int = 20_000, maxTerms: Int = 5_000_000,
                                 maxEntries: Int = Unfolding.defaultMaxEntries) throws -> [LiftedCut] {
        precondition(T >= 1, "the lifted method needs T >= 1")
        try model.validate()
        let space = try LiftedStateSpace(model, output: output)
        let sys = try LiftedSystem(space, length: T, maxLift: maxLift, maxTerms: maxTerms, maxEntries: maxEntries)
        return try exactCuts(sys, cuts: wanted ?? Array(0...T))
    }

    static func exactCuts(_ sys: LiftedSystem, cuts ks: [Int]) throws -> [LiftedCut] {
        let T = sys.length
        guard let lo = ks.min(), let hi = ks.max() else { return [] }
        let rows = LiftedSystem.ExactTransitions(sys)
        // forward: R_0 ... R_hi; backward: O_T ... O_lo (observe[t] is O_t). The integer
        // transitions are scaled, so the generators at step k are the path vectors times
        // reachScale[k] (resp. observeScale[k]).
        let (initial, initialScale) = LiftedSystem.integerScaled(sys.initial)
        var reach = [IntegerSpan.single(initial)], reachScale = [initialScale]
        for t in stride(from: 1, through: hi, by: 1) {
            let (c, scale) = try rows(t)
            reach.append(.spanned(dimension: sys.mons[t].count, by: reach[t - 1].generators) { sys.forward($0, into: t, c) })
            reachScale.append(reachScale[t - 1] * scale)
        }
        let (final, finalScale) = LiftedSystem.integerScaled(sys.final)
        var observe = [IntegerSpan?](repeating: nil, count: T + 1), observeScale = [BigInt](repeating: .one, count: T + 1)
        observe[T] = .single(final); observeScale[T] = finalScale
        for t in stride(from: T, to: lo, by: -1) {
            let (c, scale) = try rows(t)
            observe[t - 1] = .spanned(dimension: sys.mons[t - 1].count, by: observe[t]!.generators) { sys.backward($0, from: t, c) }
            observeScale[t - 1] = observeScale[t] * scale
        }
        return ks.map { k in
            let r = reach[k], o = observe[k]!
            // the Gram matrix of the path vectors: unfolding entries
            let unscale = Rational(BigInt.one, reachScale[k] * observeScale[k])
            let gram = RationalMatrix(rows: r.generators.count, columns: o.generators.count) { i, j in
                Rational(zip(r.generators[i], o.generators[j]).reduce(BigInt.zero) { $0 + $1.0 * $1.1 }) * unscale
            }
            let cert = gram.rows == 0 || gram.columns == 0 ? nil : gram.certifiedRank()
            let rank = cert?.rank ?? 0
            let rowsUsed = cert?.pivotRows ?? [], colsUsed = cert?.pivotColumns ?? []
            let minor = gram.submatrix(rows: rowsUsed, columns: colsUsed)
            // a prime keeping the minor nonsingular: the certificate's own
            let prime = certificatePrime(minor)
            let certificate = UnfoldingMinor(
                rank: rank, cut: k, inputDim: sys.inputDim,
                rowMonomials: rowsUsed.map { path(reach.map(\.origins), step: k, generator: $0, forward: true, system: sys) },
                columnMonomials: colsUsed.map { path(observe.map { $0?.origins ?? [] }, step: k, generator: $0, forward: false, system: sys) },
                prime: prime, residues: minor.elements.map { $0.mod(prime)! })
            let proof = LiftedEvidence.Proof.gram(
                reachable: Dictionary(uniqueKeysWithValues: (0...k).map { ($0, LiftedSpan.generatedBy(reach[$0].generators)) }),
                observable: Dictionary(uniqueKeysWithValues: (k...T).map { ($0, LiftedSpan.generatedBy(observe[$0]!.generators)) }))
            return LiftedCut(cut: k, rank: rank, liftDimension: sys.mons[k].count, reachableDimension: r.rank,
                             observableDimension: o.rank, gramShape: (r.generators.count, o.generators.count),
                             certificate: certificate, upperBound: .exactGram, proof: proof, system: sys)
        }
    }

    /// The first of the primes below 2^61 that divides no denominator of the (nonsingular)
    /// minor and not its determinant.
    static func certificatePrime(_ minor: RationalMatrix) -> UInt {
        let det = minor.rows == 0 ? Rational.one : minor.determinant()
        for p in ModularArithmetic.primes(below: 1 << 61, count: 64) {
            if let d = det.mod(p), d != 0, minor.elements.allSatisfy({ $0.mod(p) != nil }) { return p }
        }
        preconditionFailure("a nonzero rational is a unit modulo all but finitely many primes")
    }

    /// The input monomial whose row (forward: x_1^gamma_1 ... x_k^gamma_k) or column
    /// (backward: x_{k+1}^gamma_{k+1} ... x_T^gamma_T) of the unfolding a kept generator is,
    /// read back through the recorded origins.
    static func path(_ origins: [[(parent: Int, gamma: Int)]], step k: Int, generator i: Int, forward: Bool,
                     system sys: LiftedSystem) -> Monomial {
        var factors: [(variable: Int, exponent: Int)] = []
        var (t, g) = (k, i)
        while forward ? t >= 1 : t < sys.length {
            let o = origins[t][g]
            let step = forward ? t : t + 1
            factors += shifted(sys.gammas[step - 1][o.gamma], toStep: step, inputDim: sys.inputDim)
            (t, g) = (forward ? t - 1 : t + 1, o.parent)
        }
        return Monomial(factors)
    }

    /// gamma (variables 0..<d) as a monomial in step t's inputs.
    static func shifted(_ gamma: Monomial, toStep t: Int, inputDim d: Int) -> [(variable: Int, exponent: Int)] {
        gamma.factors.map { ((t - 1) * d + $0.variable, $0.exponent) }
    }
}
