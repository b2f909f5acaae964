import ExactNumbers
import RecurrentNetworks

/// What proves a delayed-copy verdict, checkable by exact evaluation of the network alone
/// (neither the symbolic unrolling nor the state space that `DelayedCopy.check` compared).
/// A linear stack computes y_T affine in the inputs, so y_T is known exactly from its values
/// at 0 and at each unit input e_{t,i}: y_T(0) is its constant, y_T(e_{t,i}) - y_T(0) the
/// coefficient of x_t[i].
public struct DelayedCopyEvidence: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// y_T = x_{T - delay} (0 for T <= delay) for T = 1...comparedLengths, which covers
        /// every length once comparedLengths >= N + (delay + 1) d (Docs/memory.md).
        case copies(comparedLengths: Int)
        /// (delay + 1) d > N: no linear system with N states copies with this delay (its
        /// Hankel block would need rank (delay + 1) d).
        case tooFewStates
        /// y_T differs from x_{T - delay} at this length.
        case differs(atLength: Int)
    }

    public let model: NetworkModel
    public let delay: Int
    public let verdict: Verdict

    public init(model: NetworkModel, delay: Int, verdict: Verdict) { self.model = model; self.delay = delay; self.verdict = verdict }

    /// Whether the verdict is that the model copies with this delay.
    public var copies: Bool { if case .copies = verdict { return true }; return false }

    /// Checks the verdict by exact evaluations: (d T + 1) evaluations of T steps per length.
    public func verify() -> Bool {
        let d = model.inputDim, N = model.layers.reduce(0) { $0 + $1.hidden }
        guard delay >= 0, model.outputCount == d,
              model.layers.allSatisfy({ !$0.isMultiplicative && $0.activation == nil && $0.outputActivation == nil }) else { return false }
        // (delay + 1) d without overflow
        let (next, o1) = delay.addingReportingOverflow(1)
        let (needed, o2) = next.multipliedReportingOverflow(by: d)
        switch verdict {
        case .tooFewStates: return o1 || o2 || needed > N
        case .copies(let K):
            guard !o1, !o2, K >= N + needed else { return false }
            return (1...K).allSatisfy(copies(atLength:))
        case .differs(let T): return T >= 1 && !copies(atLength: T)
        }
    }

    /// Whether y_T = x_{T - delay} exactly (every output; affine, so 1 + d T evaluations decide).
    func copies(atLength T: Int) -> Bool {
        let d = model.inputDim
        let zero = [[Rational]](repeating: [Rational](repeating: .zero, count: d), count: T)
        let y0 = model.evaluate(inputs: zero)
        guard y0.allSatisfy(\.isZero) else { return false }
        for t in 1...T {
            for i in 0..<d {
                var x = zero
                x[t - 1][i] = 1
                let y = model.evaluate(inputs: x)
                for j in 0..<d where y[j] != (t == T - delay && i == j ? 1 : 0) { return false }
            }
        }
        return true
    }
}
