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
    /// A bound that holds for generic weights only is not reached by these weights.
    case belowGeneric = "below-generic"
    /// The claim fails on this case: a bug or a counterexample.
    case violated
    /// The claim is not checked by this version of the tool.
    case notImplemented = "not-implemented"

    var severity: Int {
        switch self { case .attained: return 0; case .holds: return 1; case .belowGeneric: return 2; case .notImplemented: return 3; case .violated: return 4 }
    }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.severity < b.severity }
}

/// One checked case: the measured value beside the bound.
public struct ClaimCase: Sendable {
    public var description: String
    public var measured: String
    public var boundFormula: String
    public var boundValue: String
    public var verdict: Verdict
    /// For rank claims checked on an unfolding: the certificate (verify it against
    /// `unfolding`) and the matrix itself.
    public var certificate: RankCertificate?
    public var unfolding: IntegerMatrix?
    /// The model, as a file a person can re-run (set on failing cases).
    public var modelJSON: String?
    /// Size used to order cases when looking for the smallest counterexample.
    public var size: Int
}

public struct ClaimReport: Sendable {
    public var id: Int
    public var title: String
    public var source: String
    public var cases: [ClaimCase]
    public var note: String?

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

    /// The largest T <= maxLength whose unrolling stays within maxTerms.
    public func feasibleLength(_ m: NetworkModel, upTo T: Int? = nil) -> Int {
        m.longestUnrollableLength(upTo: T ?? maxLength, maxTerms: maxTerms)
    }
}
