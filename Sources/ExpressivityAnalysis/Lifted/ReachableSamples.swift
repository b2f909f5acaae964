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
    /// nil when a weight's denominator vanishes modulo p. Points are drawn in a fixed order
    /// and evaluated `batch` at a time (shared between the cores, every polynomial's terms read once
    /// per batch), then offered to the span one by one in that order: the points kept are
    /// those of a one-at-a-time run, the batch's tail after the stop is discarded.
    static func sample(_ space: LiftedStateSpace, monomials: [Monomial], cut k: Int, seed: UInt64 = 1,
                       batch: Int = 32) -> ReachableSamples? {
        let p = ModularLift.prime, d = space.inputDim, n = space.stateDimension
        // G and z_0 modulo p
        var polynomials: [[(coefficient: UInt, factors: [(variable: Int, exponent: Int)])]] = []
        for g in space.step {
            var terms: [(coefficient: UInt, factors: [(variable: Int, exponent: Int)])] = []
            for (c, m) in g.terms {
                guard let r = c.mod(p) else { return nil }
                terms.append((r, m.factors))
            }
            polynomials.append(terms)
        }
        let step = BatchPolynomials(polynomials)
        let lift = BatchPolynomials(monomials.map { [(UInt(1), $0.factors)] })
        var initial: [UInt] = []
        for h in space.model.layers.flatMap(\.h0) {
            guard let r = h.mod(p) else { return nil }
            initial.append(r)
        }
        let z0 = initial
        var rng = SeededGenerator(seed: seed)
        var span = ModularBasis(dimension: monomials.count)
        var out = ReachableSamples()
        var misses = 0
        while span.rank < monomials.count && misses < 2 {
            // inputs: uniform residues below p, themselves integers (the certificate's points)
            let points = (0..<batch).map { _ in (0..<(k * d)).map { _ in Int(rng.next() % UInt64(p)) } }
            let share = (batch + Parallel.width - 1) / Parallel.width
            let parts = stride(from: 0, to: batch, by: share).map { Array(points[$0..<min($0 + share, batch)]) }
            let vectors = Parallel.map(parts) { part -> [[UInt]] in
                let b = part.count
                // variable-major: value of variable v at point s is values[v * b + s]
                var z = [UInt](repeating: 0, count: n * b)
                for i in 0..<n { for s in 0..<b { z[i * b + s] = z0[i] } }
                var values = [UInt](repeating: 0, count: (d + n) * b)
                for t in 0..<k {
                    for i in 0..<d { for s in 0..<b { values[i * b + s] = UInt(part[s][t * d + i]) } }
                    values.replaceSubrange((d * b)..., with: z)
                    z = step.evaluate(values, batch: b, p)
                }
                for i in 0..<(d * b) { values[i] = 0 }
                values.replaceSubrange((d * b)..., with: z)
                let lifted = lift.evaluate(values, batch: b, p)
                return (0..<b).map { s in (0..<monomials.count).map { lifted[$0 * b + s] } }
            }.flatMap { $0 }
            for (point, v) in zip(points, vectors) {
                guard span.rank < monomials.count && misses < 2 else { break }
                if span.insert(v) {
                    out.points.append(point); out.vectors.append(v); misses = 0
                } else {
                    misses += 1
                }
            }
        }
        return out
    }
}

/// Polynomials modulo 2^61 - 1 flattened for evaluation at a batch of points: the inner
/// loops run over the points, so each coefficient and factor is read once per batch.
struct BatchPolynomials: Sendable {
    /// Polynomial i has the terms termStart[i] ..< termStart[i + 1]; term j the factors
    /// factorStart[j] ..< factorStart[j + 1].
    let termStart: [Int]
    let coefficients: [UInt]
    let factorStart: [Int]
    let variables: [Int]
    let exponents: [Int]

    init(_ polynomials: [[(coefficient: UInt, factors: [(variable: Int, exponent: Int)])]]) {
        var ts = [0], cs: [UInt] = [], fs = [0], vs: [Int] = [], es: [Int] = []
        for terms in polynomials {
            for (c, factors) in terms {
                cs.append(c)
                for (v, e) in factors { vs.append(v); es.append(e) }
                fs.append(vs.count)
            }
            ts.append(cs.count)
        }
        termStart = ts; coefficients = cs; factorStart = fs; variables = vs; exponents = es
    }

    /// The polynomials at b points: values and result are variable-major (x_v at point s is
    /// values[v * b + s]; polynomial i at point s is result[i * b + s]).
    func evaluate(_ values: [UInt], batch b: Int, _ p: UInt) -> [UInt] {
        let count = termStart.count - 1
        var out = [UInt](repeating: 0, count: count * b)
        var term = [UInt](repeating: 0, count: b)
        values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                term.withUnsafeMutableBufferPointer { w in
                    for i in 0..<count {
                        for j in termStart[i]..<termStart[i + 1] {
                            for s in 0..<b { w[s] = coefficients[j] }
                            for f in factorStart[j]..<factorStart[j + 1] {
                                let v = variables[f] * b, e = exponents[f]
                                if e == 1 {
                                    // exponent 1 is by far the commonest: one product, no powmod
                                    for s in 0..<b { w[s] = Mersenne61.mul(w[s], x[v + s]) }
                                } else {
                                    for s in 0..<b { w[s] = Mersenne61.mul(w[s], ModularArithmetic.powmod(x[v + s], UInt(e), p)) }
                                }
                            }
                            for s in 0..<b { o[i * b + s] = Mersenne61.add(o[i * b + s], w[s]) }
                        }
                    }
                }
            }
        }
        return out
    }
}
