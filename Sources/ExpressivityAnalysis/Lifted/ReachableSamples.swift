import ExactNumbers
import Polynomials

/// Vectors of the reachable space R_k = span{lift_k(z_k(x_1..x_k))} taken at points: the
/// network run forward modulo p from integer inputs, then lifted to the monomials Mon_k.
/// Each is the reduction of an exact vector of R_k (the point is an integer vector), so the
/// Gram minors they give are certified lower bounds; they replace the forward half of the
/// lifted system, whose early steps are the largest (Docs/separation-rank.md).
struct ReachableSamples {
    /// The inputs of steps 1..k, flattened (step t's input is points[i][(t-1)d ..< t d]).
    var points: [[Int]] = []
    /// lift_k(z_k(point)) modulo p, one per kept point: independent modulo p.
    var vectors: [[UInt]] = []

    /// Samples until the span of the kept vectors is all of Q^{Mon_k} or two points in a row
    /// add nothing (a point in a proper span by accident has probability about deg / p);
    /// nil when a weight's denominator vanishes modulo p.
    static func sample(_ space: LiftedStateSpace, monomials: [Monomial], cut k: Int, seed: UInt64 = 1) -> ReachableSamples? {
        let p = ModularLift.prime, d = space.inputDim, n = space.stateDimension
        // G and z_0 modulo p
        var step: [[(coefficient: UInt, factors: [(variable: Int, exponent: Int)])]] = []
        for g in space.step {
            var terms: [(coefficient: UInt, factors: [(variable: Int, exponent: Int)])] = []
            for (c, m) in g.terms {
                guard let r = c.mod(p) else { return nil }
                terms.append((r, m.factors))
            }
            step.append(terms)
        }
        var z0: [UInt] = []
        for h in space.model.layers.flatMap(\.h0) {
            guard let r = h.mod(p) else { return nil }
            z0.append(r)
        }
        var rng = SeededGenerator(seed: seed)
        var span = ModularBasis(dimension: monomials.count)
        var out = ReachableSamples()
        var misses = 0
        while span.rank < monomials.count && misses < 2 {
            // inputs: uniform residues below p, themselves integers (the certificate's points)
            let point = (0..<(k * d)).map { _ in Int(rng.next() % UInt64(p)) }
            var z = z0
            for t in 0..<k {
                var values = [UInt](repeating: 0, count: d + n)
                for i in 0..<d { values[i] = UInt(point[t * d + i]) }
                for i in 0..<n { values[d + i] = z[i] }
                z = step.map { evaluate($0, at: values, p) }
            }
            var values = [UInt](repeating: 0, count: d + n)
            for i in 0..<n { values[d + i] = z[i] }
            let v = monomials.map { evaluate([(1, $0.factors)], at: values, p) }
            if span.insert(v) {
                out.points.append(point); out.vectors.append(v); misses = 0
            } else {
                misses += 1
            }
        }
        return out
    }

    static func evaluate(_ terms: [(coefficient: UInt, factors: [(variable: Int, exponent: Int)])], at x: [UInt], _ p: UInt) -> UInt {
        var sum: UInt = 0
        for (c, factors) in terms {
            var term = c
            for (v, e) in factors where term != 0 {
                // exponent 1 is by far the commonest: one product, no powmod
                term = Mersenne61.mul(term, e == 1 ? x[v] : ModularArithmetic.powmod(x[v], UInt(e), p))
            }
            sum = Mersenne61.add(sum, term)
        }
        return sum
    }
}
