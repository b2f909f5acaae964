import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks

/// Exact equivalence of single-layer models on one-hot words, as weighted automata.
enum WeightedAutomaton {
    /// Whether two single layers without activations give the same output 0 on every one-hot
    /// word of every length (the empty word included): the difference automaton, of dimension
    /// n_a + n_b (augmented), has its reachable space spanned by words of length < n_a + n_b, and
    /// the outputs agree everywhere iff [c_a; -c_b] annihilates that space. Exact, no word
    /// enumeration: at most n_a + n_b basis vectors, each mapped by every symbol once.
    static func equivalent(_ a: NetworkModel, _ b: NetworkModel) -> Bool {
        guard a.inputDim == b.inputDim, let ra = LinearRepresentation(a, output: 0), let rb = LinearRepresentation(b, output: 0) else {
            return false
        }
        let na = ra.dimension, m = a.inputDim
        // one-hot symbol s: A~_0 + A~_{s+1}, block-diagonal over the two automata (summed once)
        let stepsA = (0..<m).map { ra.transitions[0] + ra.transitions[$0 + 1] }
        let stepsB = (0..<m).map { rb.transitions[0] + rb.transitions[$0 + 1] }
        func step(_ v: [Rational], _ s: Int) -> [Rational] {
            LinearRepresentation.apply(stepsA[s], Array(v[0..<na])) + LinearRepresentation.apply(stepsB[s], Array(v[na...]))
        }
        let difference = ra.final + rb.final.map { -$0 }
        // the reachable space: every kept vector's images are explored, so the kept vectors span
        // a space closed under the steps (an exact fraction-free basis; scaling keeps spans)
        var basis = IntegerBasis(dimension: difference.count)
        var pending = [ra.initial + rb.initial]
        while let v = pending.popLast() {
            guard basis.insert(LiftedSystem.integerScaled(v).vector) else { continue }
            if zip(v, difference).reduce(Rational.zero, { $0 + $1.0 * $1.1 }) != .zero { return false }
            for s in 0..<m { pending.append(step(v, s)) }
        }
        return true
    }
}
