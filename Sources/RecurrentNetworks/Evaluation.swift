import ExactNumbers
import Polynomials

extension NetworkModel {
    /// y_T for concrete rational inputs x_1..x_T, by running the recurrence on numbers: a
    /// second implementation of the semantics, independent of the symbolic `Unrolling`
    /// (the tests check one against the other), and the cheap way to evaluate networks whose
    /// polynomial would be too large to expand (high-degree activations).
    public func evaluate(inputs: [[Rational]]) -> [Rational] {
        func apply(_ c: [Rational]?, _ z: Rational) -> Rational { c.map { Univariate.evaluate($0, at: z) } ?? z }
        var h = layers.map(\.h0)
        var passed = h
        for x in inputs {
            precondition(x.count == inputDim, "input of width \(x.count) for inputDim \(inputDim)")
            var u = x
            for (l, layer) in layers.enumerated() {
                let n = layer.hidden, old = h[l]
                var pre = [Rational](repeating: 0, count: n)
                for term in layer.terms {
                    for i in 0..<n {
                        switch term {
                        case .bilinear(let a): for j in 0..<n { for k in 0..<u.count { pre[i] += a[i][j][k] * old[j] * u[k] } }
                        case .hadamard(let hd):
                            var s = Rational.zero, v = Rational.zero
                            for j in 0..<n { s += hd.state[i][j] * old[j] }
                            for k in 0..<u.count { v += hd.input[i][k] * u[k] }
                            pre[i] += s * v
                        case .cp(let cp):
                            for r in 0..<cp.rank {
                                var s = Rational.zero, v = Rational.zero
                                for j in 0..<n { s += cp.state[r][j] * old[j] }
                                for k in 0..<u.count { v += cp.input[r][k] * u[k] }
                                pre[i] += cp.output[i][r] * s * v
                            }
                        case .recurrent(let w): for j in 0..<n { pre[i] += w[i][j] * old[j] }
                        case .input(let ui): for k in 0..<u.count { pre[i] += ui[i][k] * u[k] }
                        case .bias(let b): pre[i] += b[i]
                        }
                    }
                }
                h[l] = pre.map { apply(layer.activation, $0) }
                passed[l] = h[l].map { apply(layer.outputActivation, $0) }
                u = passed[l]
            }
        }
        return readout.enumerated().map { i, row in zip(row, passed[depth - 1]).reduce(readoutOffset(i)) { $0 + $1.0 * $1.1 } }
    }
}
