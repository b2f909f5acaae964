import ExactNumbers
import RecurrentNetworks

/// A lower bound on the separation rank at a cut from values alone: y_T at N points of the
/// steps 1..k (rows) and N points of the steps k+1..T (columns), modulo 2^61 - 1. That matrix
/// is V_S U V_E^T with U the unfolding and V_S, V_E the input monomials at the points, so a
/// nonsingular r x r minor modulo p proves rank U >= r (the points are integers, the values
/// p-integral). No polynomial is expanded and no lifted space built: the cost is N^2 (T - k)
/// network steps and one N x N elimination modulo p.
enum PointMinor {
    /// Word operations of a minor of N points a side: N^2 (T - k) network steps (each about
    /// sum_l n_l^2 m_l products, m_l the layer's input width, for the widest term) and the
    /// N^3 elimination modulo p.
    static func work(_ model: NetworkModel, length T: Int, cut k: Int, size N: Int) -> Double {
        var width = model.inputDim, step = 0.0
        for layer in model.layers {
            step += Double(layer.hidden) * Double(layer.hidden) * Double(max(width, 1))
            width = layer.hidden
        }
        let n = Double(N)
        return n * n * Double(max(T - k, 0)) * step + n * n * n
    }

    /// nil when a weight's denominator is divisible by p, or the cut is not inside 1..T-1.
    static func sample(_ model: NetworkModel, output: Int, length T: Int, cut k: Int, size N: Int,
                       seed: UInt64 = 1) -> UnfoldingMinor? {
        let p = Mersenne61.p, d = model.inputDim, j = T - k
        guard k >= 1, j >= 1, N >= 1, let net = ModularNetwork(model, prime: p) else { return nil }
        var rng = SeededGenerator(seed: seed)
        let draw = { (count: Int) -> [Int] in (0..<count).map { _ in Int(rng.next() % UInt64(p)) } }
        let past = (0..<N).map { _ in draw(k * d) }
        let future = (0..<N).map { _ in draw(j * d) }
        // the N past states, one batch
        var start = net.initial(batch: N)
        for t in 0..<k {
            var inputs = [UInt](repeating: 0, count: d * N)
            for i in 0..<d { for s in 0..<N { inputs[i * N + s] = UInt(past[s][t * d + i]) } }
            net.advance(&start, inputs: inputs)
        }
        // column u: every past state run through future point u (columns shared between the cores)
        let share = (N + Parallel.width - 1) / Parallel.width
        let from = start
        let columns = Parallel.map(stride(from: 0, to: N, by: share).map { $0..<min($0 + share, N) }) { range -> [[UInt]] in
            range.map { u in
                var z = from
                for t in 0..<j { net.advance(&z, inputs: (0..<d).map { UInt(future[u][t * d + $0]) }) }
                return net.output(output, z)
            }
        }.flatMap { $0 }
        let values = (0..<N).map { s in columns.map { $0[s] } }
        let (r, rows, cols) = ModularLift.rankWithPivots(values)
        return UnfoldingMinor(rank: r, cut: k, inputDim: d, rowMonomials: [], columnMonomials: [], prime: p,
                              residues: rows.flatMap { i in cols.map { values[i][$0] } },
                              rowPoints: rows.map { past[$0] }, columnPoints: cols.map { future[$0] })
    }
}
