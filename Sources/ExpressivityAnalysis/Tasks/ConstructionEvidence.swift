import ExactNumbers
import RecurrentNetworks

/// Why a construction computes a task on every word of every length: a finite check of the
/// model's tables, and induction on the length (the state after a word is determined by the
/// group element the word reaches).
public enum TaskConstructionEvidence: Sendable, Equatable {
    /// One bilinear layer of width |G| with h_0 = e_id, A(e_s) e_j = e_{j s} and readout e_id:
    /// by induction h_t = e_{g_t} for the prefix's element g_t, so y_T = [g_T = id] = f(w).
    case regularRepresentation(NetworkModel)
    /// One unit with sigma inside the recurrence: its tables map (element, symbol) to the
    /// product and rho maps the element to f (`recurrentActivationIsExact`).
    case recurrentActivation(NetworkModel)
    /// Any single layer without activations that equals the regular representation on every
    /// one-hot word (exact weighted-automaton equivalence, Docs/bilinear-hierarchy.md).
    case equivalentToRegularRepresentation(NetworkModel)

    public var model: NetworkModel {
        switch self {
        case .regularRepresentation(let m), .recurrentActivation(let m), .equivalentToRegularRepresentation(let m): return m
        }
    }

    /// Checks the tables on the model's own weights (exact).
    public func verify(for task: StateTrackingTask) -> Bool {
        switch self {
        case .recurrentActivation(let m):
            return task.recurrentActivationIsExact(m, words: 1)
        case .equivalentToRegularRepresentation(let m):
            let regular = task.regularRepresentationModel()
            return TaskConstructionEvidence.regularRepresentation(regular).verify(for: task) && WeightedAutomaton.equivalent(m, regular)
        case .regularRepresentation(let m):
            let times = task.multiplicationTable, n = times.count, d = task.alphabetSize
            guard m.depth == 1, m.inputDim == d, let layer = m.layers.first, layer.hidden == n, layer.terms.count == 1,
                  case .bilinear(let a) = layer.terms[0], layer.activation == nil, layer.outputActivation == nil,
                  !m.hasReadoutBias, m.readout.count == 1 else { return false }
            let unit = (0..<n).map { Rational($0 == 0 ? 1 : 0) }
            guard layer.h0 == unit, m.readout[0] == unit else { return false }
            for i in 0..<n {
                for j in 0..<n {
                    for s in 0..<d where a[i][j][s] != (times[j][s] == i ? 1 : 0) { return false }
                }
            }
            return true
        }
    }
}
