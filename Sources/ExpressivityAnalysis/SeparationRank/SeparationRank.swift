import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// The algorithms that compute a separation rank (all exact; they agree in the tests).
public enum SeparationRankMethod: String, CaseIterable, Sendable {
    /// Pick the fastest applicable: evaluation when S or E is empty, lifted for cut
    /// partitions at depth <= 2 (single layers included), split at depth >= 3, unfolding for
    /// partitions that are not cuts.
    case auto
    /// Expand y_T and take the certified rank of its unfolding. Any model, any partition.
    case unfolding
    /// Reachable/observable spaces of the single layer's weighted automaton; never expands.
    case automaton
    /// Meet in the middle at the cut: z(x_S) and F(z, x_E) expanded separately.
    case split
    /// Any model, cut partitions: exact reachable and observable spaces of the lifted
    /// linear system (state monomials the future can reach); never expands y_T.
    case lifted
    /// S or E empty: the rank is 1 when y_T is not the zero polynomial, else 0. A nonzero
    /// exact evaluation of y_T at a point proves the 1; only when the points tried all give
    /// 0 is y_T expanded to decide.
    case evaluation
}

/// A bound placed beside a measured rank. Its identity says which statement it is; the
/// value, the side and the text are derived from it.
public struct RankBound: Equatable, Sendable {
    public enum Kind: String, Sendable { case upper, lower }

    /// The statements the tool knows (Docs/separation-rank.md states each with its source).
    public enum Identity: Equatable, Sendable {
        /// S or E is empty: rank <= 1 by definition.
        case oneSideEmpty
        /// A single layer without activations factors through its (augmented) state at each
        /// of the `switches` changes between S and E: rank <= stateSize^switches.
        case singleLayerStates(stateSize: Int, augmented: Bool, switches: Int)
        /// A single layer has degree <= 1 in each step: rank <= min(w^|S|, w^|E|), w = d or d + 1.
        case singleLayerMonomials(inputDim: Int, withConstant: Bool, startSize: Int, endSize: Int)
        /// Levine et al.: a depth-2 RAC with generic weights at even T has Start-End rank
        /// >= ((min(M, R), T/2)).
        case levineDepth2RAC(inputDim: Int, minHidden: Int, half: Int)
        /// rank <= |Mon_k|: the unfolding factors through the lifted state at the cut.
        case liftedState(liftDimension: Int)
        /// rank <= the number of state monomials z^mu in F(z, x_E) (the split method).
        case stateSplit(stateMonomials: Int)
        /// rank <= a count the lifted method proved at the cut without the lifted system: a
        /// bilinear stack's degree pattern (algorithm 6) or dim V_{T-k} (algorithm 5).
        case cutCount(LiftedUpperBound, value: Int)
    }

    public let identity: Identity
    public let kind: Kind
    public let value: BigInt
    /// true: the bound holds for generic weights only (all weights off a measure-zero set);
    /// a particular network may fall short of it without contradicting the theorem.
    public let genericOnly: Bool

    public init(_ identity: Identity) {
        self.identity = identity
        switch identity {
        case .oneSideEmpty: (kind, value, genericOnly) = (.upper, 1, false)
        case .singleLayerStates(let n, _, let b): (kind, value, genericOnly) = (.upper, BigInt(n).power(b), false)
        case .singleLayerMonomials(let d, let c, let s, let e):
            let w = BigInt(d + (c ? 1 : 0))
            (kind, value, genericOnly) = (.upper, min(w.power(s), w.power(e)), false)
        case .levineDepth2RAC(let m, let r, let half):
            (kind, value, genericOnly) = (.lower, TheoryBounds.multichoose(min(m, r), half), true)
        case .liftedState(let n): (kind, value, genericOnly) = (.upper, BigInt(n), false)
        case .stateSplit(let n): (kind, value, genericOnly) = (.upper, BigInt(n), false)
        case .cutCount(_, let n): (kind, value, genericOnly) = (.upper, BigInt(n), false)
        }
    }

    /// The bound as a formula with its numbers filled in.
    public var formula: String {
        switch identity {
        case .oneSideEmpty: return "1 (one side is empty)"
        case .singleLayerStates(let n, let augmented, let b):
            let size = augmented ? "n + 1 = \(n) (augmented hidden size)" : "n = \(n) (hidden size)"
            return b == 1 ? size : "N^b = \(n)^\(b) with N = \(size), b = \(b) switches between S and E"
        case .singleLayerMonomials(_, let c, _, _):
            return c ? "min((d+1)^|S|, (d+1)^|E|) = \(value)" : "min(d^|S|, d^|E|) = \(value)"
        case .levineDepth2RAC(let m, let r, let half):
            return "((min(M, R), T/2)) = C(min(M,R) + T/2 - 1, T/2) = \(value) with M = \(m), R = \(r), T/2 = \(half)"
        case .liftedState(let n): return "|Mon_k| = \(n)"
        case .stateSplit(let n): return "#{z^mu in F(z, x_E)} = \(n)"
        case .cutCount(let how, let n):
            switch how {
            case .multiHomogeneous(.past): return "past input monomials of degrees e_s = \(n)"
            case .multiHomogeneous(.future): return "future input monomials of degrees e_s = \(n)"
            case .multiHomogeneous(.state): return "state monomials of degrees delta_l (less killed states) = \(n)"
            case .multiHomogeneous(.reachable): return "|Mon(delta)| - |Mon(delta - p)| = \(n)"
            default: return "dim V_(T-k) = \(n)"
            }
        }
    }

    /// Where the bound comes from.
    public var source: String {
        switch identity {
        case .oneSideEmpty: return "definition"
        case .singleLayerStates:
            return "single layer: y_T = c~^T A~(x_T)...A~(x_1) h~_0 factors through the state at each switch between S and E"
        case .singleLayerMonomials: return "monomials: a single layer is of degree <= 1 in each step"
        case .levineDepth2RAC: return "Levine et al., depth-2 RAC, even T (recalled, not quoted: Docs/separation-rank.md)"
        case .liftedState: return "lifted state at the cut (state monomials the rest of the sequence reaches)"
        case .stateSplit: return "state split at the cut (y_T = sum_mu z(x_S)^mu F_mu(x_E))"
        case .cutCount(.multiHomogeneous(.reachable), _):
            return "degree pattern of a bilinear stack, less the multiples of an equation f of degree p of the reachable states (Docs/separation-rank.md, algorithm 6)"
        case .cutCount(.multiHomogeneous, _): return "degree pattern of a bilinear stack (Docs/separation-rank.md, algorithm 6)"
        case .cutCount: return "graded observable space of a Hadamard first layer (Docs/separation-rank.md, algorithm 5)"
        }
    }

    /// A statement of the papers (as opposed to one from the architecture or the method).
    public var isTheorem: Bool {
        switch identity {
        case .singleLayerStates, .levineDepth2RAC: return true
        case .oneSideEmpty, .singleLayerMonomials, .liftedState, .stateSplit, .cutCount: return false
        }
    }

    /// The measured rank is on the wrong side of the bound.
    public func crossed(by rank: Int) -> Bool {
        kind == .upper ? BigInt(rank) > value : BigInt(rank) < value
    }
    /// Crossing a bound that holds for every network: a bug or a counterexample.
    public func violated(by rank: Int) -> Bool { !genericOnly && crossed(by: rank) }
    /// Falling short of a generic bound: these weights are not generic (or the reading of the
    /// theorem is wrong); worth a look, not proof of a bug.
    public func shortOfGeneric(by rank: Int) -> Bool { genericOnly && crossed(by: rank) }
    public func attained(by rank: Int) -> Bool { BigInt(rank) == value }
}

public struct SeparationRankResult: Equatable, Sendable {
    public var depth: Int
    public var length: Int
    public var partition: Partition
    public var startSet: [Int]
    public var rank: Int
    public var method: SeparationRankMethod
    /// Size of the matrix whose rank was taken (after reductions), for the record.
    public var matrixShape: (rows: Int, columns: Int)
    public var bounds: [RankBound]
    /// For the lifted method: the sizes measured on the way and the rank's certificate
    /// (an r x r nonsingular submatrix of the unfolding, named by its monomials).
    public var lifted: LiftedCut?
    /// What proves the rank, checkable with `evidence.verify()`.
    public var evidence: SeparationRankEvidence

    public var violatedBounds: [RankBound] { bounds.filter { $0.violated(by: rank) } }
    public var genericShortfalls: [RankBound] { bounds.filter { $0.shortOfGeneric(by: rank) } }

    public static func == (a: Self, b: Self) -> Bool {
        a.evidence == b.evidence && a.depth == b.depth && a.length == b.length && a.partition == b.partition && a.startSet == b.startSet
            && a.rank == b.rank && a.method == b.method && a.matrixShape == b.matrixShape && a.bounds == b.bounds
    }
}

public enum SeparationRank {
    public struct Options: Sendable {
        public var method: SeparationRankMethod = .auto
        public var output: Int = 0
        public var maxTerms: Int = 5_000_000
        public var maxEntries: Int = Unfolding.defaultMaxEntries
        /// The lifted method's largest lifted state (coordinates at one step).
        public var maxLift: Int = 20_000
        /// The largest estimated memory of an expansion, in bytes (`NetworkModel.checkExpansion`);
        /// it also caps the matrices and lifted systems at `maxBytes / bytesPerEntry` entries.
        public var maxBytes: Int = defaultMaxExpansionBytes
        /// The largest estimated work of an expansion, in coefficient operations.
        public var maxWork: Double = defaultMaxExpansionWork
        /// What one entry of a coefficient matrix, a transition or a cached power term is
        /// counted as against `maxBytes` (an exact rational inline, or a residue with its index).
        public static let bytesPerEntry = 32
        /// Keep the unfolding and its certificate in the evidence of the unfolding method
        /// (off: the evidence says `.notRecorded` and `verify()` rebuilds it).
        public var recordsUnfolding = true
        /// The entry limit in force: `maxEntries`, or less when `maxBytes` is lower.
        public var entryLimit: Int { min(maxEntries, maxBytes / Options.bytesPerEntry) }
        /// What one counted entry of a lifted system (a modular transition entry or cached
        /// power term) costs in resident memory, with the hash indices, the cache and the later
        /// closure's exact transitions: measured 79-165 bytes (2rnn depth 3, T = 12 and 13;
        /// Docs/resources.md), rounded up.
        public static let liftedBytesPerEntry = 192
        /// The lifted system's entry limit: `maxEntries`, or less when `maxBytes` is lower.
        public var liftedEntryLimit: Int { min(maxEntries, maxBytes / Options.liftedBytesPerEntry) }
        public init(method: SeparationRankMethod = .auto, output: Int = 0, maxTerms: Int = 5_000_000,
                    maxEntries: Int = Unfolding.defaultMaxEntries, maxLift: Int = 20_000,
                    maxBytes: Int = defaultMaxExpansionBytes, maxWork: Double = defaultMaxExpansionWork) {
            self.method = method; self.output = output; self.maxTerms = maxTerms; self.maxEntries = maxEntries
            self.maxLift = maxLift; self.maxBytes = maxBytes; self.maxWork = maxWork
        }
    }

    /// The separation rank of y_T for one partition.
    public static func compute(model: NetworkModel, length T: Int, partition: Partition,
                               options: Options = Options()) throws -> SeparationRankResult {
        try model.validate()
        guard options.output >= 0 && options.output < model.outputCount else {
            throw UnrollError.outputOutOfRange(index: options.output, outputs: model.outputCount)
        }
        let s = try partition.startSet(length: T)
        let cut = try partition.cutPosition(length: T)
        var method = try resolve(options.method, model: model, output: options.output, length: T, startSet: s, cut: cut?.k,
                                 partition: partition)
        var rank = 0
        var shape = (rows: 0, columns: 0)
        var extra: [RankBound] = []
        var lifted: LiftedCut?
        var lower = SeparationRankEvidence.LowerBound.notRecorded, upper = SeparationRankEvidence.UpperBound.notRecorded
        switch method {
        case .lifted:
            do {
                let c = try LiftedRank.cuts(model: model, length: T, cuts: [cut!.k], output: options.output,
                                            maxLift: options.maxLift, maxTerms: options.maxTerms, maxEntries: options.liftedEntryLimit,
                                            maxWork: options.maxWork)[0]
                rank = c.rank; shape = c.gramShape; lifted = c
                extra = liftBounds(c)
                (lower, upper) = liftedEvidence(c)
            } catch let lifted as LiftedError where options.method == .auto {
                // auto only: the lift is past its limits, the split method may still expand
                let r = try AutoRefused.both(lifted) { try splitRank(model: model, length: T, cut: cut!.k, options: options) }
                rank = r.rank; shape = r.shape; extra = [RankBound(r.bound)]; method = .split
                (lower, upper) = (r.lower, .stateSplit(stateMonomials: r.stateMonomials))
            }
        case .automaton:
            try checkAutomatonSize(model, length: T, options: options)
            let rep = LinearRepresentation(model, output: options.output)!
            rank = rep.cutRanks(length: T)[cut!.k]  // the prefix (S or E) ends at k; ranks are symmetric
            shape = (rep.dimension, rep.dimension)
            upper = .automaton(dimension: rep.dimension)
        case .split:
            let k = cut!.k  // the prefix (S or E) ends at k
            let r = try splitRank(model: model, length: T, cut: k, options: options)
            rank = r.rank; shape = r.shape; extra = [RankBound(r.bound)]
            (lower, upper) = (r.lower, .stateSplit(stateMonomials: r.stateMonomials))
        case .evaluation:
            (rank, shape, lower, upper) = try oneSidedRank(model: model, length: T, startSet: s, options: options)
        case .unfolding, .auto:
            (rank, shape, lower, upper) = try unfoldingRank(try expand(model: model, length: T, options: options), startSet: s,
                                                            inputDim: model.inputDim, options: options)
        }
        let evidence = SeparationRankEvidence(model: model, length: T, startSet: s, output: options.output, rank: rank,
                                              lowerBound: rank == 0 && lower == .notRecorded ? .trivial : lower, upperBound: upper)
        return SeparationRankResult(depth: model.depth, length: T, partition: partition, startSet: s, rank: rank,
                                    method: method, matrixShape: shape,
                                    bounds: TheoryBounds.bounds(model: model, length: T, startSet: s, output: options.output) + extra,
                                    lifted: lifted, evidence: evidence)
    }

    static func liftedEvidence(_ c: LiftedCut) -> (SeparationRankEvidence.LowerBound, SeparationRankEvidence.UpperBound) {
        (c.rank == 0 ? .trivial : .minor(c.certificate), .lifted(c.evidence))
    }

    /// Ranks at every cut k = 1...T-1 (the bond dimensions of the network's tensor train).
    public static func profile(model: NetworkModel, length T: Int, options: Options = Options()) throws -> [SeparationRankResult] {
        try model.validate()
        guard T >= 2 else { return [] }
        if options.method == .automaton, LinearRepresentation.applies(to: model, output: options.output) {
            try checkAutomatonSize(model, length: T, options: options)
            let rep = LinearRepresentation(model, output: options.output)!
            let ranks = rep.cutRanks(length: T)
            return (1..<T).map { k in
                let s = Array(1...k)
                return SeparationRankResult(depth: 1, length: T, partition: .cut(k), startSet: s, rank: ranks[k],
                                            method: .automaton, matrixShape: (rep.dimension, rep.dimension),
                                            bounds: TheoryBounds.bounds(model: model, length: T, startSet: s, output: options.output),
                                            evidence: SeparationRankEvidence(model: model, length: T, startSet: s, output: options.output,
                                                                             rank: ranks[k], lowerBound: ranks[k] == 0 ? .trivial : .notRecorded,
                                                                             upperBound: .automaton(dimension: rep.dimension)))
            }
        }
        if options.method == .auto || options.method == .lifted {
            return try profileOutcomes(model: model, length: T, options: options).map { try $0.result.get() }
        }
        if options.method == .unfolding || options.method == .auto {
            // one expansion serves every cut
            return try profileFromExpansion(try expand(model: model, length: T, options: options), model: model, length: T,
                                            options: options)
        }
        return try (1..<T).map { try compute(model: model, length: T, partition: .cut($0), options: options) }
    }

    /// One cut of a profile: its rank, or the refusal that stopped it.
    public struct ProfileCut: Sendable {
        public let cut: Int
        public let result: Result<SeparationRankResult, any Error>
    }

    /// `profile` with the lifted method (auto or lifted), each cut with its rank or its refusal:
    /// a cut past a limit does not take the others with it. Under auto, refused cuts fall back
    /// to one expansion of y_T; if that refuses too, they carry both refusals (`AutoRefused`).
    /// Throws only for an invalid model or options.
    public static func profileOutcomes(model: NetworkModel, length T: Int, options: Options = Options()) throws -> [ProfileCut] {
        try model.validate()
        guard T >= 2 else { return [] }
        precondition(options.method == .auto || options.method == .lifted, "profileOutcomes is the lifted method's")
        let lifted = try LiftedRank.outcomes(model: model, length: T, cuts: Array(1..<T), output: options.output,
                                             maxLift: options.maxLift, maxTerms: options.maxTerms, maxEntries: options.liftedEntryLimit,
                                             maxWork: options.maxWork)
        var out: [ProfileCut] = lifted.map { k, outcome in
            ProfileCut(cut: k, result: outcome.map { c in
                let s = Array(1...c.cut)
                let (lower, upper) = liftedEvidence(c)
                return SeparationRankResult(depth: model.depth, length: T, partition: .cut(c.cut), startSet: s, rank: c.rank,
                                            method: .lifted, matrixShape: c.gramShape,
                                            bounds: TheoryBounds.bounds(model: model, length: T, startSet: s, output: options.output)
                                                + liftBounds(c),
                                            lifted: c,
                                            evidence: SeparationRankEvidence(model: model, length: T, startSet: s, output: options.output,
                                                                             rank: c.rank, lowerBound: lower, upperBound: upper))
            }.mapError { $0 as any Error })
        }
        let refused = lifted.compactMap { k, o -> (Int, LiftedError)? in if case .failure(let e) = o { return (k, e) } else { return nil } }
        guard options.method == .auto, !refused.isEmpty else { return out }
        // one expansion serves every refused cut
        do {
            let expanded = try profileFromExpansion(try expand(model: model, length: T, options: options), model: model, length: T,
                                                    options: options)
            for (k, _) in refused { out[k - 1] = ProfileCut(cut: k, result: .success(expanded[k - 1])) }
        } catch let e as any LimitRefusal {
            for (k, l) in refused { out[k - 1] = ProfileCut(cut: k, result: .failure(AutoRefused(lifted: l, fallback: e))) }
        }
        return out
    }

    /// Every cut read off one expanded y_T.
    static func profileFromExpansion(_ y: Polynomial, model: NetworkModel, length T: Int, options: Options) throws
        -> [SeparationRankResult] {
        try (1..<T).map { k in
            let s = Array(1...k)
            let (rank, shape, lower, upper) = try unfoldingRank(y, startSet: s, inputDim: model.inputDim, options: options)
            return SeparationRankResult(depth: model.depth, length: T, partition: .cut(k), startSet: s, rank: rank,
                                        method: .unfolding, matrixShape: shape,
                                        bounds: TheoryBounds.bounds(model: model, length: T, startSet: s, output: options.output),
                                        evidence: SeparationRankEvidence(model: model, length: T, startSet: s, output: options.output,
                                                                         rank: rank, lowerBound: lower, upperBound: upper))
        }
    }

    /// rank <= |Mon_k|: the unfolding factors through the lifted state at the cut.
    /// |Mon_k|, and the count that decided the cut where it is smaller (the rank itself: a
    /// minor met it).
    static func liftBounds(_ c: LiftedCut) -> [RankBound] {
        var out = [RankBound(.liftedState(liftDimension: c.liftDimension))]
        switch c.upperBound {
        case .multiHomogeneous, .gradedObservable:
            if c.rank < c.liftDimension { out.append(RankBound(.cutCount(c.upperBound, value: c.rank))) }
        default: break
        }
        return out
    }

    /// Certified rank of y's unfolding with rows in the steps of `startSet`, with the
    /// unfolding and its certificate as evidence when `options.recordsUnfolding`.
    static func unfoldingRank(_ y: Polynomial, startSet: [Int], inputDim d: Int, options: Options) throws
        -> (Int, (rows: Int, columns: Int), SeparationRankEvidence.LowerBound, SeparationRankEvidence.UpperBound) {
        let u = try Unfolding(y, startSteps: startSet, inputDim: d, maxEntries: options.entryLimit)
        let shape = (u.matrix.rows, u.matrix.columns)
        if u.matrix.rows == 0 || u.matrix.columns == 0 { return (0, shape, .trivial, .zeroPolynomial) }
        guard options.recordsUnfolding else { return (u.matrix.rank(), shape, .notRecorded, .notRecorded) }
        let c = UnfoldingCertificate(u)
        return (c.rank, shape, .unfolding(c), .kernel)
    }

    static func resolve(_ m: SeparationRankMethod, model: NetworkModel, output: Int, length T: Int, startSet s: [Int],
                        cut: Int?, partition: Partition) throws -> SeparationRankMethod {
        let automatonOK = LinearRepresentation.applies(to: model, output: output) && cut != nil
        let oneSided = s.isEmpty || s.count == T
        switch m {
        case .auto:
            // measured (Docs/performance.md): lifted is far faster at every depth, single layers
            // included (it contains the automaton, Mon = {1, h}); where its lift is too large
            // for the limits, compute() falls back to split
            if oneSided { return .evaluation }
            guard cut != nil else { return .unfolding }
            return .lifted
        case .lifted:
            guard cut != nil else {
                throw SeparationRankError.methodNotApplicable(.lifted, reason: "needs a cut partition (S or E = 1...k); \(partition) is not")
            }
            return .lifted
        case .evaluation:
            guard oneSided else {
                throw SeparationRankError.methodNotApplicable(.evaluation, reason: "needs S or E empty; \(partition) at T = \(T) splits the steps")
            }
            return .evaluation
        case .automaton:
            guard automatonOK else {
                throw SeparationRankError.methodNotApplicable(.automaton, reason: "needs a single layer without activations and a cut partition (S or E = 1...k); \(partition) with depth \(model.depth) is not")
            }
            return .automaton
        case .split:
            guard cut != nil else {
                throw SeparationRankError.methodNotApplicable(.split, reason: "needs a cut partition (S or E = 1...k); \(partition) is not")
            }
            return .split
        case .unfolding: return .unfolding
        }
    }

    /// Refuses an automaton whose dense transitions pass --max-entries, or whose spans
    /// would take more than `maxAutomatonWork` rational operations (hidden 1000, d = 1,
    /// T = 6: 2.4 10^10, refused).
    static func checkAutomatonSize(_ model: NetworkModel, length T: Int, options: Options) throws {
        let n = model.layers[0].hidden + 1
        let entries = LinearRepresentation.entries(of: model)
        if entries > Double(options.entryLimit) {
            throw SeparationRankError.matrixTooLarge(rows: n, columns: n * (model.inputDim + 1), limit: options.entryLimit)
        }
        let work = LinearRepresentation.cutRanksWork(of: model, length: T)
        if work > maxAutomatonWork {
            throw SeparationRankError.automatonTooLarge(work: work, limit: maxAutomatonWork, hidden: n - 1, inputDim: model.inputDim, length: T)
        }
    }

    /// The most rational operations the automaton method may take (beyond it, the lifted
    /// method works on the monomials that occur instead of dense (n + 1)-square maps).
    public static let maxAutomatonWork = 1e10

    /// Rank when S or E is empty (the unfolding has one row or one column): 1 iff y_T != 0.
    /// y_T is evaluated exactly at a few seeded integer points first; a nonzero value proves
    /// y_T != 0. A polynomial that vanishes at all of them is expanded to decide.
    static func oneSidedRank(model: NetworkModel, length T: Int, startSet: [Int], options: Options) throws
        -> (Int, (rows: Int, columns: Int), SeparationRankEvidence.LowerBound, SeparationRankEvidence.UpperBound) {
        // the evaluation's numbers grow with the degree: try it only while that stays small
        var shape = Unrolling<DegreeShape>(model)
        for _ in 0..<T { shape.advance() }
        let degree = (try shape.output(options.output)).total?.upperBound ?? 0
        var g = SeededGenerator(seed: 0x5eed)
        for _ in 0..<(degree <= 100_000 ? 4 : 0) {
            var point: [[Rational]] = []
            for _ in 0..<T {
                var x: [Rational] = []
                for _ in 0..<model.inputDim { x.append(Rational(Int.random(in: -7...7, using: &g))) }
                point.append(x)
            }
            if !model.evaluate(inputs: point)[options.output].isZero { return (1, (rows: 1, columns: 1), .nonzeroValue(at: point), .oneSideEmpty) }
        }
        let y = try expand(model: model, length: T, options: options)
        guard let (c, m) = y.terms.first else { return (0, (rows: 0, columns: 0), .trivial, .zeroPolynomial) }
        // a nonzero coefficient is a 1 x 1 minor (S empty: its row is 1; E empty: its column)
        let minor = startSet.isEmpty
            ? UnfoldingMinor.minor(cut: 0, inputDim: model.inputDim, rowMonomials: [.one], columnMonomials: [m], entries: [c])
            : UnfoldingMinor.minor(cut: T, inputDim: model.inputDim, rowMonomials: [m], columnMonomials: [.one], entries: [c])
        return (1, (rows: 1, columns: 1), .minor(minor!), .oneSideEmpty)
    }

    static func expand(model: NetworkModel, length T: Int, options: Options) throws -> Polynomial {
        try model.expandedOutput(options.output, length: T, maxTerms: options.maxTerms, maxBytes: options.maxBytes,
                                 maxWork: options.maxWork).polynomial
    }

    /// rank(Phi Gamma) with Phi[alpha, mu] = coefficient of x_S^alpha in z(x_S)^mu and
    /// Gamma[mu, beta] = coefficient of x_E^beta in F_mu(x_E), where y_T = sum_mu z^mu F_mu
    /// and z is the full multi-layer state after step k. Independent rows I of Phi and
    /// columns J of Gamma (from their rank certificates) span the row and column spaces, so
    /// rank(Phi Gamma) = rank(Phi_I Gamma_J), a matrix of at most rank(Phi) x rank(Gamma).
    static func splitRank(model: NetworkModel, length T: Int, cut k: Int, options: Options)
        throws -> (rank: Int, shape: (rows: Int, columns: Int), bound: RankBound.Identity, stateMonomials: Int,
                   lower: SeparationRankEvidence.LowerBound) {
        let d = model.inputDim
        let headEstimate = try model.checkExpansion(length: k, maxTerms: options.maxTerms, maxBytes: options.maxBytes, maxWork: options.maxWork)
        // the tail F(z, x_E) and the powers z(x_S)^mu have no term estimate of their own in
        // estimatedMaxTerms: size the tail structurally first (z as one block of N variables
        // at step k); where that loose bound passes the limit, every product of the tail is
        // checked instead, before it is multiplied, by |a| |b| >= its terms (issue 11: a
        // deep model used to be refused only after a whole step, tens of GB later)
        // (k = 0, the mirror cut at the start: no x_S step to place z at; products checked)
        var tailEstimate = 0.0
        if k >= 1 {
            let N = model.layers.reduce(0) { $0 + $1.hidden }
            let block = DegreeShape.input(step: k, coordinate: 1, inputDim: 1)
            var tailShape = Unrolling<DegreeShape>(model, states: model.layers.map { [DegreeShape](repeating: block, count: $0.hidden) }, step: k)
            let widths = [Int](repeating: 1, count: k - 1) + [N] + [Int](repeating: d, count: T - k)
            for _ in k..<T {
                tailShape.advance()
                for v in tailShape.states.joined() { tailEstimate = max(tailEstimate, v.termBound(widths: widths)) }
            }
            tailEstimate = max(tailEstimate, try tailShape.output(options.output).termBound(widths: widths))
        }
        let checkProducts = k == 0 || tailEstimate > Double(options.maxTerms)
        // head, symbolic tail and the powers z^mu in the engine that suits the model (packed,
        // or sparse for long linear stretches: ExpansionEstimate.runsPacked)
        func sides<V: ExactUnrollValue>(_: V.Type) throws -> (groups: [Monomial: Polynomial], mus: [Monomial], columnsOfPhi: [Polynomial]) {
            var head = Unrolling<V>(model)
            for _ in 0..<k { head.advance() }
            let z = head.states.flatMap { $0 }
            // F(z, x_E): resume at step k from symbolic states z_j = variable zBase + j
            let zBase = T * d
            var offset = 0
            var symbolic: [[V]] = []
            for layer in model.layers {
                symbolic.append((0..<layer.hidden).map { V.variable(zBase + offset + $0) })
                offset += layer.hidden
            }
            var tail = Unrolling<V>(model, states: symbolic, step: k)
            for _ in k..<T {
                try tail.advance { a, b in
                    let (pairs, overflow) = a.multipliedReportingOverflow(by: b)
                    if checkProducts && (overflow || pairs > options.maxTerms) {
                        throw UnrollError.tooManyTerms(estimate: SizeEstimate(overflow ? 0x1p63 : Double(pairs)), limit: options.maxTerms, length: T)
                    }
                }
            }
            let f = try tail.output(options.output).polynomial
            let groups = f.grouped { $0 >= zBase }
            let mus = groups.keys.sorted { $0.totalDegree != $1.totalDegree ? $0.totalDegree < $1.totalDegree : $0.description < $1.description }
            // the powers z^mu, sized from the head's shapes before any is multiplied out
            var headShape = Unrolling<DegreeShape>(model)
            for _ in 0..<k { headShape.advance() }
            let zShape = headShape.states.flatMap { $0 }
            var powersEstimate = 0.0
            for mu in mus {
                var shape = DegreeShape.constant(1)
                for (v, e) in mu.factors { shape = shape * zShape[v - zBase].power(e) }
                powersEstimate += shape.termBound(length: k, inputDim: d)
            }
            guard powersEstimate <= Double(options.maxTerms) else {
                throw UnrollError.tooManyTerms(estimate: SizeEstimate(powersEstimate), limit: options.maxTerms, length: k)
            }
            // z^mu for each occurring mu, by multiplying up from cached smaller monomials
            var powers: [Monomial: V] = [.one: V.constant(.one)]
            func zPower(_ mu: Monomial) -> V {
                if let p = powers[mu] { return p }
                let factors = mu.factors
                let (v, e) = factors[0]
                let rest = Monomial(factors.dropFirst().map { ($0.variable, $0.exponent) } + (e > 1 ? [(v, e - 1)] : []))
                let p = zPower(rest) * z[v - zBase]
                powers[mu] = p
                return p
            }
            return (groups, mus, mus.map { zPower($0).polynomial })
        }
        let zCount = model.layers.reduce(0) { $0 + $1.hidden }
        let (groups, mus, columnsOfPhi) = headEstimate.runsPacked(variables: T * d + zCount)
            ? try sides(PackedPolynomial.self) : try sides(Polynomial.self)
        // Phi as an unfolding-like matrix: rows = x_S monomials, columns = mu
        var rowIndex: [Monomial: Int] = [:]
        var phiEntries: [(Int, Int, Rational)] = []
        for (j, p) in columnsOfPhi.enumerated() {
            for (c, m) in p.terms {
                let i = rowIndex[m] ?? { rowIndex[m] = rowIndex.count; return rowIndex.count - 1 }()
                phiEntries.append((i, j, c))
            }
        }
        var colIndex: [Monomial: Int] = [:]
        var gammaEntries: [(Int, Int, Rational)] = []
        for (i, mu) in mus.enumerated() {
            for (c, m) in groups[mu]!.terms {
                let j = colIndex[m] ?? { colIndex[m] = colIndex.count; return colIndex.count - 1 }()
                gammaEntries.append((i, j, c))
            }
        }
        for (r, c) in [(rowIndex.count, mus.count), (mus.count, colIndex.count)] where r * c > options.entryLimit {
            throw SeparationRankError.matrixTooLarge(rows: r, columns: c, limit: options.entryLimit)
        }
        var phi = RationalMatrix(rows: rowIndex.count, columns: mus.count)
        for (i, j, c) in phiEntries { phi[i, j] = c }
        var gamma = RationalMatrix(rows: mus.count, columns: colIndex.count)
        for (i, j, c) in gammaEntries { gamma[i, j] = c }
        // state-split bound: rank <= number of state monomials mu that occur
        let bound = RankBound.Identity.stateSplit(stateMonomials: mus.count)
        if phi.rows == 0 || gamma.columns == 0 || mus.isEmpty { return (0, (0, 0), bound, mus.count, .trivial) }
        let cPhi = phi.certifiedRank(), cGamma = gamma.certifiedRank()
        if cPhi.rank == 0 || cGamma.rank == 0 { return (0, (cPhi.rank, cGamma.rank), bound, mus.count, .trivial) }
        let phiI = phi.submatrix(rows: cPhi.pivotRows, columns: Array(0..<phi.columns))
        let gammaJ = gamma.submatrix(rows: Array(0..<gamma.rows), columns: cGamma.pivotColumns)
        let core = phiI * gammaJ
        // the core is the unfolding on rows I and columns J: its nonsingular minor is one of y's
        let c = core.certifiedRank()
        var rowMonomials = [Monomial](repeating: .one, count: rowIndex.count)
        for (m, i) in rowIndex { rowMonomials[i] = m }
        var columnMonomials = [Monomial](repeating: .one, count: colIndex.count)
        for (m, j) in colIndex { columnMonomials[j] = m }
        let rows = c.pivotRows.map { rowMonomials[cPhi.pivotRows[$0]] }, columns = c.pivotColumns.map { columnMonomials[cGamma.pivotColumns[$0]] }
        let minor = UnfoldingMinor.minor(cut: k, inputDim: d, rowMonomials: rows, columnMonomials: columns,
                                                entries: c.pivotRows.flatMap { i in c.pivotColumns.map { core[i, $0] } })
        return (c.rank, (core.rows, core.columns), bound, mus.count, c.rank == 0 ? .trivial : .minor(minor!))
    }
}
