import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks
import ExpressivityAnalysis

/// How one case compares with the claim's bound.
public enum Verdict: String, Sendable, Comparable {
    /// The bound is met with equality.
    case attained
    /// The bound holds strictly.
    case holds
    /// The case neither supports nor contradicts the claim (e.g. depth ties a shallow layer
    /// where the claim is that depth does better): not a win.
    case inconclusive
    /// A bound that holds for generic weights only is not reached by these weights.
    case belowGeneric = "below-generic"
    /// The claim fails on this case: a bug or a counterexample.
    case violated
    /// The claim is not checked by this version of the tool.
    case notImplemented = "not-implemented"

    var severity: Int {
        switch self {
        case .attained: return 0
        case .holds: return 1
        case .inconclusive: return 2
        case .belowGeneric: return 3
        case .notImplemented: return 4
        case .violated: return 5
        }
    }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.severity < b.severity }
}

/// What a case measured, or what its bound allows: typed, with a headline number where
/// there is one (so tables and data frames compare numbers, not prose).
public enum Measurement: Sendable, Equatable {
    /// Total degree of y_T in the inputs (nil: y_T is identically zero).
    case degree(Int?)
    /// Total and per-step degree of y_T.
    case degreeProfile(total: Int?, perStep: [Int?])
    /// A separation rank or Hankel rank.
    case rank(Int)
    /// A bound on a rank (may exceed Int: (d+1)^|S| grows fast).
    case rankBound(BigInt)
    /// The least hidden size (of a shallow layer for the memory claim) or a capacity (nil: none).
    case capacity(Int?)
    /// A construction equals the target on every word checked.
    case agreement(Bool)
    /// A function is unchanged by every reordering of the steps tried.
    case orderSymmetric(Bool)
    /// The augmented transition matrices commute pairwise (exact).
    case transitionsCommute(Bool)
    /// A witness, written out, that a function is not order-symmetric (nil: none found).
    case asymmetryWitness(String?)
    /// A 2RNN's degree beside a layerwise stack's degree at the length it was measured.
    case degreeSeparation(bilinear: Int, layerwise: Int?, layerwiseLength: Int)
    /// The one-hot degree of a task and the length it was reached at; nil: not above the bound on `tried`.
    case oneHotDegree(Int?, length: Int?, tried: ClosedRange<Int>)
    /// The deep network's memory capacity and the first failing delay, if any.
    case memoryCapacity(Int?, failure: String?)
    /// Whether some model of a class computes a task, with the least size's interval (nil: none known).
    case classVerdict(BilinearClass, possible: Bool, lower: Int?, upper: Int?)
    /// Not computed (too large for this run).
    case notComputed

    /// The number a table compares, where there is one.
    public var value: BigInt? {
        func big(_ x: Int?) -> BigInt? { x.map { BigInt($0) } }
        switch self {
        case .rankBound(let b): return b
        case .degree(let d): return big(d)
        case .degreeProfile(let total, _): return big(total)
        case .rank(let r): return BigInt(r)
        case .capacity(let c): return big(c)
        case .degreeSeparation(let b, _, _): return BigInt(b)
        case .oneHotDegree(let d, _, _): return big(d)
        case .memoryCapacity(let c, _): return big(c)
        case .classVerdict(_, let possible, _, let upper): return possible ? big(upper) : nil
        case .agreement, .orderSymmetric, .transitionsCommute, .asymmetryWitness, .notComputed: return nil
        }
    }
    /// What is measured: a column name for tidy data.
    public var quantity: String {
        switch self {
        case .degree: return "degree"
        case .degreeProfile: return "degree"
        case .rank, .rankBound: return "rank"
        case .capacity: return "capacity"
        case .agreement: return "agreement"
        case .orderSymmetric: return "order_symmetric"
        case .transitionsCommute: return "transitions_commute"
        case .asymmetryWitness: return "asymmetry_witness"
        case .degreeSeparation: return "degree"
        case .oneHotDegree: return "one_hot_degree"
        case .memoryCapacity: return "capacity"
        case .classVerdict: return "least_size"
        case .notComputed: return "none"
        }
    }
    /// The yes/no answer of a check, where it is one.
    public var holds: Bool? {
        switch self {
        case .agreement(let b), .orderSymmetric(let b), .transitionsCommute(let b): return b
        case .asymmetryWitness(let w): return w != nil
        case .classVerdict(_, let possible, _, _): return possible
        default: return nil
        }
    }
    public var text: String {
        func d(_ x: Int?) -> String { x.map(String.init) ?? "-" }
        switch self {
        case .degree(let x): return "degree \(d(x))"
        case .degreeProfile(let total, let perStep): return "total \(d(total)), per step [\(perStep.map(d).joined(separator: ", "))]"
        case .rank(let r): return "rank \(r)"
        case .rankBound(let b): return "rank \(b)"
        case .capacity(let c): return c.map(String.init) ?? "none"
        case .agreement(let b): return b ? "equal" : "differs"
        case .orderSymmetric(let b): return b ? "symmetric" : "not symmetric"
        case .transitionsCommute(let b): return b ? "commute" : "do not commute"
        case .asymmetryWitness(let w): return w ?? "no reordering changed the output"
        case .degreeSeparation(let b, let l, let T): return "2RNN degree \(b); layerwise degree \(d(l)) at T=\(T)"
        case .oneHotDegree(let x, let T, let tried):
            if let x, let T { return "one-hot degree \(x) at T=\(T)" }
            return "one-hot degree not above the bound for T in \(tried)"
        case .memoryCapacity(let c, let failure):
            return "deep capacity \(c.map(String.init) ?? "none")" + (c.map { " (every delay 0...\($0) copied exactly)" } ?? "")
                + (failure.map { "; \($0)" } ?? "")
        case let .classVerdict(_, possible, lower, upper):
            guard possible else { return "none at any size" }
            switch (lower, upper) {
            case let (l?, u?): return l == u ? "least size \(l)" : "least size \(l)...\(u)"
            case let (l?, nil): return "least size >= \(l)"
            default: return "some size"
            }
        case .notComputed: return "not computed"
        }
    }
}

/// One checked case: the measured value beside the bound.
public struct ClaimCase: Sendable {
    public var description: String
    /// The grid model the case is about and its length, where it is one.
    public var spec: FamilySpec?
    public var length: Int?
    /// The model the case is about when it is not a grid spec's (a model the caller passed).
    public var model: NetworkModel? = nil
    /// The second model of a case that compares two (claim 4's layerwise stack).
    public var comparedModel: NetworkModel? = nil
    public var measured: Measurement
    public var boundFormula: String
    /// What the bound allows or predicts, in the same terms as `measured`.
    public var bound: Measurement
    public var boundValue: String { bound.text }
    public var verdict: Verdict
    /// For rank claims checked on an unfolding: the certificate (verify it against
    /// `unfolding`) and the matrix itself.
    public var certificate: RankCertificate?
    public var unfolding: IntegerMatrix?
    /// The model, as a file a person can re-run (set on failing cases).
    public var modelJSON: String?
    /// Size used to order cases when looking for the smallest counterexample.
    public var size: Int
    /// What proves the measured value, where the analysis gives it (`verify()`).
    public var evidence: ClaimEvidence? = nil
    /// The task a case is about, where it is one (the evidence must be about it).
    public var task: StateTrackingTask? = nil
    /// The automaton task a hierarchy case is about.
    public var automatonTask: AutomatonTask? = nil
    /// The deep stack a memory case is about (the evidence must be its construction).
    public var memoryShape: MemoryShape? = nil

    /// Checks the evidence and that it proves the measured value (the verdict then follows
    /// from comparing that value with the bound). nil when the case carries no evidence.
    public func verify() throws -> Bool? {
        guard let e = evidence else { return nil }
        // the evidence must be about this case: its model and length (a case that names neither
        // proves nothing about evidence that names them), or its task
        let reference = model ?? spec?.model()
        func about(_ m: NetworkModel, length T: Int) -> Bool { reference == m && length == T }
        func about(_ t: StateTrackingTask) -> Bool { task.map { $0.name == t.name && $0.generators == t.generators } ?? false }
        switch (e, measured) {
        // degree cases are about y_T (output 0), not a layer's passed value
        case let (.degree(d), .degree(total)):
            guard about(d.model, length: d.length), d.layer == nil, d.output == 0, d.measured.total == total else { return false }
        case let (.degree(d), .degreeProfile(total, perStep)):
            guard about(d.model, length: d.length), d.layer == nil, d.output == 0,
                  d.measured == DegreeProfile(total: total, perStep: perStep) else { return false }
        // rank cases are Start-End ranks of output 0
        case let (.separationRank(r), .rank(rank)):
            guard about(r.model, length: r.length), r.output == 0, r.rank == rank,
                  r.startSet == (try? Partition.startEnd.startSet(length: r.length)) else { return false }
        case let (.hankel(h, t), .rank(rank)): guard about(t), h.length == length, h.rank == rank else { return false }
        case let (.delayedCopies(es), .memoryCapacity(capacity, failure)):
            // the shape's construction copies at every delay 0...capacity (the bound above it is
            // the theorem of Docs/memory.md), and a reported failure is one the evidence shows
            guard let shape = memoryShape else { return false }
            let deep = es.filter { e in
                (try? DelayedCopy.model(depth: shape.depth, hidden: shape.hidden, inputDim: shape.inputDim, delay: e.delay)) == e.model
            }
            if let c = capacity {
                guard c == DelayedCopy.capacity(depth: shape.depth, hidden: shape.hidden, inputDim: shape.inputDim),
                      (0...c).allSatisfy({ tau in deep.contains { $0.delay == tau && $0.copies } }) else { return false }
            }
            guard (failure == nil) == es.allSatisfy(\.copies) else { return false }
        case let (.degreeSeparation(b, l), .degreeSeparation(bilinear, layerwise, length)):
            guard about(b.model, length: b.length), b.layer == nil, b.output == 0, b.measured.total == bilinear,
                  l?.measured.total == layerwise, (l?.length ?? length) == length else { return false }
            if let l { guard l.model == comparedModel, l.layer == nil, l.output == 0 else { return false } }
        case let (.oneHotDegree(w, t), .oneHotDegree(degree, length, _)):
            guard about(t) else { return false }
            // the witness proves degree >= its support, which is what the verdict needs
            guard w.degree == degree, w.length == length else { return false }
        case let (.construction(_, t), .agreement(holds)): guard about(t), holds else { return false }
        case let (.classMember(c, cls, t), .classVerdict(measuredClass, possible, lower, upper)):
            // the construction is in the case's class; the lower bound is recomputed from the task
            // (the Hankel rank, certified again, or argument 7 for blocks)
            guard about(t), cls == measuredClass, lower == BilinearHierarchy.lowerBound(for: cls, t) else { return false }
            // the construction's size in the class is the upper bound reported
            guard possible, let upper, upper >= 1, cls.size(of: c.model) == upper else { return false }
        case let (.automatonClassMember(m, cls, t), .classVerdict(measuredClass, possible, lower, upper)):
            // the lower bound is recomputed from the task by running the analysis again (the same
            // code: it ties the case to the task, it is not an independent proof of the bound)
            guard automatonTask == t, cls == measuredClass, possible, let upper, cls.size(of: m) == upper,
                  lower == AutomatonHierarchy(t).verdicts.first(where: { $0.bilinearClass == cls })?.lower else { return false }
        case let (.automatonImpossibility(i, t), .classVerdict(cls, possible, _, _)):
            guard automatonTask == t, !possible, i.applies(to: cls) else { return false }
        case let (.impossibility(i, t), .classVerdict(cls, possible, _, _)):
            // the argument applies to the case's class (2 and 3 to commuting layers without an
            // additive term, 4 to positive spectra with one)
            guard about(t), !possible, i.applies(to: cls) else { return false }
        default: return false
        }
        return try e.verify()
    }
}

/// The deep linear stack a memory case compares: depth, width of every layer, input width.
public struct MemoryShape: Sendable, Equatable {
    public var depth: Int, hidden: Int, inputDim: Int
    public init(depth: Int, hidden: Int, inputDim: Int) { self.depth = depth; self.hidden = hidden; self.inputDim = inputDim }
}

/// The evidence a claim case carries: the analysis's own.
public enum ClaimEvidence: Sendable {
    case degree(DegreeEvidence)
    case separationRank(SeparationRankEvidence)
    case hankel(HankelEvidence, task: StateTrackingTask)
    /// Every delayed-copy check a memory comparison ran (the deep construction at each delay,
    /// then the shallow one).
    case delayedCopies([DelayedCopyEvidence])
    /// The 2RNN's degree and the layerwise stack's (nil: not expanded at any length).
    case degreeSeparation(bilinear: DegreeEvidence, layerwise: DegreeEvidence?)
    /// A coefficient that proves the task's one-hot degree is at least its support.
    case oneHotDegree(OneHotDegreeWitness, task: StateTrackingTask)
    /// Why a construction computes the task at every length.
    case construction(TaskConstructionEvidence, task: StateTrackingTask)
    /// A construction in a class of the bilinear hierarchy that computes the task.
    case classMember(TaskConstructionEvidence, BilinearClass, task: StateTrackingTask)
    /// Why no model of a class computes the task: the premise of the argument, on the task.
    case impossibility(BilinearHierarchy.Impossibility, task: StateTrackingTask)
    /// The same two for an automaton task (arguments 12-15).
    case automatonClassMember(NetworkModel, BilinearClass, task: AutomatonTask)
    case automatonImpossibility(AutomatonHierarchy.Impossibility, task: AutomatonTask)

    public func verify() throws -> Bool {
        switch self {
        case .degree(let e): return try e.verify()
        case .separationRank(let e): return try e.verify()
        case let .hankel(e, task): return e.verify(for: task)
        case .delayedCopies(let es): return !es.isEmpty && es.allSatisfy { $0.verify() }
        case let .degreeSeparation(b, l): return try b.verify() && (try l?.verify() ?? true)
        case let .oneHotDegree(w, task): return w.verify(for: task)
        case let .construction(e, task): return e.verify(for: task)
        case let .impossibility(i, task): return i.holds(for: task)
        case let .classMember(e, c, task): return c.contains(e.model) && e.verify(for: task)
        case let .automatonClassMember(m, c, task): return c.contains(m) && AutomatonHierarchy.computes(m, task)
        case let .automatonImpossibility(i, task): return i.holds(for: task)
        }
    }
}

/// Where a statement comes from. The papers' full texts could not be read from this machine,
/// so each checked statement says how it reached the tool.
public enum Provenance: String, Sendable, CaseIterable {
    /// Words quoted from the paper (its abstract, the only part readable here).
    case quoted
    /// Read from a third-party summary of the paper.
    case readFromSummary = "read from a summary"
    /// Recalled from the published paper, not checked against its text here.
    case recalled
    /// Derived in this project and proven in Docs/.
    case derivedHere = "derived here"
}

public enum Reference: String, Sendable, CaseIterable {
    case depthPaper, levinePaper, bilinearPaper, automataTheory, thisProject

    public var citation: String {
        switch self {
        case .depthPaper: return Claims.depthPaper
        case .levinePaper: return Claims.levinePaper
        case .bilinearPaper: return Claims.bilinearPaper
        case .automataTheory: return "Fliess (1974); Carlyle and Paz (1971): minimal weighted automata and Hankel rank"
        case .thisProject: return "this project (Docs/)"
        }
    }
    public var short: String {
        switch self {
        case .depthPaper: return "Lizaire et al. 2026"
        case .levinePaper: return "Levine et al. 2018"
        case .bilinearPaper: return "Ebrahimi & Memisevic 2025"
        case .automataTheory: return "Fliess; Carlyle-Paz"
        case .thisProject: return "here"
        }
    }
}

/// One statement behind a claim: where it is from and how it reached the tool.
public struct Attribution: Sendable, Equatable {
    public var reference: Reference
    public var provenance: Provenance
    public var statement: String
    public init(_ reference: Reference, _ provenance: Provenance, _ statement: String) {
        self.reference = reference; self.provenance = provenance; self.statement = statement
    }

    /// The minimal-automaton theorem claims 6 and 7 both rest on.
    public static let hankelTheorem = Attribution(.automataTheory, .recalled,
        "the least size of a weighted automaton computing f is the rank of its Hankel matrix (f of the empty word, C h_0, included)")
    /// "Lizaire et al. 2026, quoted: ..." or "derived here: ...".
    public var text: String {
        reference == .thisProject ? "\(provenance.rawValue): \(statement)" : "\(reference.short), \(provenance.rawValue): \(statement)"
    }
}

public struct ClaimReport: Sendable {
    public var id: Int
    public var title: String
    /// Each statement the claim rests on, with its provenance.
    public var attributions: [Attribution]
    public var cases: [ClaimCase]
    public var note: String?
    /// What the grid asked for but the size limit left unchecked, e.g. "rac L=3 seed=1: T = 5...6".
    public var skipped: [String]

    public init(id: Int, title: String, attributions: [Attribution], cases: [ClaimCase], note: String? = nil, skipped: [String] = []) {
        self.id = id; self.title = title; self.attributions = attributions; self.cases = cases; self.note = note
        self.skipped = skipped
    }

    /// The references with how each reached the tool, e.g. "Lizaire et al. 2026 (quoted); derived here".
    public var sourceSummary: String {
        var parts: [String] = []
        for a in attributions {
            let p = a.reference == .thisProject ? a.provenance.rawValue : "\(a.reference.short) (\(a.provenance.rawValue))"
            if !parts.contains(p) { parts.append(p) }
        }
        return parts.joined(separator: "; ")
    }

    /// How many cases got each verdict, best first.
    public var verdictCounts: [(Verdict, Int)] {
        Dictionary(grouping: cases, by: \.verdict).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
    }

    /// The worst verdict over the cases (attained only when every case is attained).
    public var verdict: Verdict {
        if cases.isEmpty { return .notImplemented }
        return cases.map(\.verdict).max()!
    }
    /// The smallest case with the worst verdict.
    public var worstCase: ClaimCase? {
        let v = verdict
        return cases.filter { $0.verdict == v }.min { $0.size < $1.size }
    }
    public var failed: Bool { verdict == .violated }
}

/// The models a claim is checked on: families x depths x seeds.
public struct ClaimGrid: Sendable {
    public var maxDepth: Int
    public var maxLength: Int
    public var seeds: [UInt64]
    public var hidden: Int
    public var inputDim: Int
    /// Weights are nonzero integers in [-range, range]; large ranges avoid non-generic accidents.
    public var range: Int
    public var maxTerms: Int

    public init(maxDepth: Int = 3, maxLength: Int = 6, seeds: [UInt64] = [1, 2], hidden: Int = 2, inputDim: Int = 2,
                range: Int = 1000, maxTerms: Int = 50_000) {
        self.maxDepth = maxDepth; self.maxLength = maxLength; self.seeds = seeds; self.hidden = hidden
        self.inputDim = inputDim; self.range = range; self.maxTerms = maxTerms
    }

    public func models(_ family: ModelFamily, depths: ClosedRange<Int>? = nil, hidden h: Int? = nil, inputDim d: Int? = nil)
        -> [(spec: FamilySpec, model: NetworkModel)] {
        var out: [(FamilySpec, NetworkModel)] = []
        for L in depths ?? 1...maxDepth {
            for s in seeds {
                let spec = FamilySpec(family: family, depth: L, hidden: h ?? hidden, inputDim: d ?? inputDim, seed: s, range: range)
                out.append((spec, spec.model()))
            }
        }
        return out
    }

    /// The longest length <= T within the limit; the lengths past it are reported to `skip`
    /// as "name: T = a...b (above the term limit N)".
    static func feasible(_ m: NetworkModel, name: String, upTo T: Int, from first: Int = 1, maxTerms: Int,
                         skip: (String) -> Void) -> Int {
        let reach = m.longestUnrollableLength(upTo: T, maxTerms: maxTerms)
        let start = max(reach + 1, first)
        if start <= T {
            skip("\(name): T = \(start == T ? "\(T)" : "\(start)...\(T)") (its unrolling may pass the term limit \(maxTerms))")
        }
        return reach
    }
}
