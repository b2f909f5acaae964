import ExactNumbers
import RecurrentNetworks

/// One shape of linear stack compared with the widest shallow linear RNN of no more weights.
public struct MemoryComparison: Sendable {
    public var depth: Int, hidden: Int, inputDim: Int
    public var parameters: Int
    /// The exact capacity floor(L (n - d) / d) (nil: n < d): proven for every weight, and the
    /// construction's copies with every delay 0...deepCapacity are checked for all lengths.
    public var deepCapacity: Int?
    public var shallowWidth: Int
    public var shallowParameters: Int
    /// floor(N/d) - 1, the same formula at L = 1, reached by the construction (checked).
    public var shallowCapacity: Int?
    /// Delays whose check failed (empty when all are exact), with the failing model.
    public var failures: [(delay: Int, reason: String, model: NetworkModel)]
    /// The construction at its largest delay.
    public var deepModel: NetworkModel?
    /// The evidence of every check, in order: the deep construction at each delay 0...deepCapacity,
    /// then the shallow one at its capacity.
    public var evidence: [DelayedCopyEvidence] = []

    /// Refuses (MemoryError.tooLarge) when the checks would exceed `maxWork` term operations.
    public init(depth L: Int, hidden n: Int, inputDim d: Int, maxWork: Double = 2e10) throws {
        depth = L; hidden = n; inputDim = d
        let c = MemoryComparison.closedForms(depth: L, hidden: n, inputDim: d)
        (parameters, deepCapacity, shallowWidth, shallowParameters, shallowCapacity) =
            (c.parameters, c.deepCapacity, c.shallowWidth, c.shallowParameters, c.shallowCapacity)
        // the work of every check, from the widths alone: refused before any model is built
        // (issue 11: verify --max-depth 300 used to allocate gigabytes first)
        let work = MemoryComparison.work(depth: L, hidden: n, inputDim: d, stopAbove: maxWork)
        if work > maxWork { throw MemoryError.tooLarge(estimate: work, limit: maxWork, what: "term operations", remedy: .raiseWorkLimit, atLeast: true) }
        // every model to check, built once: the deep construction at each delay, then the shallow one
        var jobs: [(delay: Int, model: NetworkModel, label: String)] = []
        for tau in deepCapacity.map({ Array(0...$0) }) ?? [] {
            jobs.append((tau, try DelayedCopy.model(depth: L, hidden: n, inputDim: d, delay: tau), ""))
        }
        deepModel = jobs.last?.model
        if let s = shallowCapacity { jobs.append((s, try DelayedCopy.model(depth: 1, hidden: shallowWidth, inputDim: d, delay: s), "shallow: ")) }
        failures = []
        for job in jobs {
            let c = try DelayedCopy.check(job.model, delay: job.delay, maxWork: maxWork)
            evidence.append(c.evidence)
            if !c.exact { failures.append((job.delay, job.label + (c.failure ?? "symbolic and state-space checks disagree"), job.model)) }
        }
    }

    /// Term operations of every check a comparison runs (deep construction at each delay, then
    /// the shallow one), from the widths alone; the sum stops growing once past `stopAbove`.
    public static func work(depth L: Int, hidden n: Int, inputDim d: Int, stopAbove limit: Double = .infinity) -> Double {
        let parameters = DelayedCopy.parameterCount(depth: L, hidden: n, inputDim: d)
        let shallowWidth = DelayedCopy.shallowWidth(parameterBudget: parameters, inputDim: d)
        var work = 0.0
        if let cap = DelayedCopy.capacity(depth: L, hidden: n, inputDim: d) {
            work = DelayedCopy.checkWork(widths: Array(repeating: n, count: L), inputDim: d, delays: 0...cap, stopAbove: limit)
            if work > limit { return work }
        }
        if let s = DelayedCopy.capacity(depth: 1, hidden: shallowWidth, inputDim: d) {
            work += DelayedCopy.checkWork(widths: [shallowWidth], inputDim: d, delay: s)
        }
        return work
    }

    /// Deep capacity beyond the shallow network's (negative when the shallow one is longer).
    public var gain: Int { MemoryComparison.gain(deepCapacity, shallowCapacity) }
    static func gain(_ deep: Int?, _ shallow: Int?) -> Int { (deep ?? -1) - (shallow ?? -1) }

    /// The columns that need no check, from the widths alone (also what a refused row keeps).
    public static func closedForms(depth L: Int, hidden n: Int, inputDim d: Int)
        -> (parameters: Int, deepCapacity: Int?, shallowWidth: Int, shallowParameters: Int, shallowCapacity: Int?, gain: Int) {
        let parameters = DelayedCopy.parameterCount(depth: L, hidden: n, inputDim: d)
        let deep = DelayedCopy.capacity(depth: L, hidden: n, inputDim: d)
        let width = DelayedCopy.shallowWidth(parameterBudget: parameters, inputDim: d)
        let shallow = DelayedCopy.capacity(depth: 1, hidden: width, inputDim: d)
        return (parameters, deep, width, DelayedCopy.parameterCount(depth: 1, hidden: width, inputDim: d), shallow, gain(deep, shallow))
    }
}
