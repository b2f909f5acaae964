import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks

/// A stack of linear layers (recurrent, input and bias terms only; no multiplicative term,
/// no activation of either kind) as one linear system over the stacked state
/// s = (h^1, ..., h^L) of dimension N = sum n_l:
///     s_t = A s_{t-1} + B x_t + c,   s_0 = (h^1_0, ..., h^L_0),   y_t = C s_t + c_out.
/// Layer l reads h^{l-1}_t of the same step, so A and B are built by substituting the
/// lower layers' update into each layer's input term (A is block lower triangular).
/// Then y_T = gamma_T + sum_{s=1..T} M_{T-s} x_s with Markov parameters M_k = C A^k B.
public struct LinearStateSpace: Sendable {
    public let A: RationalMatrix
    public let B: RationalMatrix
    public let C: RationalMatrix
    public let offset: [Rational]
    /// c_out, the readout bias (zeros without one).
    public let outputOffset: [Rational]
    public let initialState: [Rational]
    public var stateDimension: Int { A.rows }
    public var inputDim: Int { B.columns }
    public var outputCount: Int { C.rows }

    /// nil when some layer has a multiplicative term or an activation.
    public init?(_ model: NetworkModel) {
        guard model.layers.allSatisfy({ !$0.isMultiplicative && $0.activation == nil && $0.outputActivation == nil }) else { return nil }
        let N = model.layers.reduce(0) { $0 + $1.hidden }, d = model.inputDim
        var a = RationalMatrix(rows: N, columns: N), b = RationalMatrix(rows: N, columns: d)
        var c = [Rational](repeating: .zero, count: N)
        // What the current layer reads, as (rows of A, rows of B, offset): x_t itself for layer 1.
        var readA = RationalMatrix(rows: d, columns: N)
        var readB = RationalMatrix.identity(d)
        var readC = [Rational](repeating: .zero, count: d)
        var start = 0
        for layer in model.layers {
            let n = layer.hidden, m = readB.rows
            var la = RationalMatrix(rows: n, columns: N), lb = RationalMatrix(rows: n, columns: d)
            var lc = layer.bias ?? [Rational](repeating: .zero, count: n)
            if let w = layer.recurrent { for i in 0..<n { for j in 0..<n { la[i, start + j] = w[i][j] } } }
            if let u = layer.input {
                let um = RationalMatrix(u)
                la = la + um * readA
                lb = um * readB
                for i in 0..<n { for k in 0..<m where !u[i][k].isZero { lc[i] += u[i][k] * readC[k] } }
            }
            for i in 0..<n {
                for j in 0..<N { a[start + i, j] = la[i, j] }
                for k in 0..<d { b[start + i, k] = lb[i, k] }
                c[start + i] = lc[i]
            }
            (readA, readB, readC) = (la, lb, lc)
            start += n
        }
        A = a; B = b; offset = c
        initialState = model.layers.flatMap { $0.h0 }
        let last = N - (model.layers.last?.hidden ?? 0)
        C = RationalMatrix(rows: model.outputCount, columns: N) { i, j in j >= last ? model.readout[i][j - last] : .zero }
        outputOffset = (0..<model.outputCount).map(model.readoutOffset)
    }

    /// M_0, ..., M_{count-1}, each outputs x d.
    public func markovParameters(count: Int) -> [RationalMatrix] {
        var v = B, out: [RationalMatrix] = []
        out.reserveCapacity(count)
        for k in 0..<count {
            out.append(C * v)
            if k + 1 < count { v = A * v }
        }
        return out
    }

    /// gamma_0, ..., gamma_T: the part of y_t that does not depend on the inputs.
    public func constantOutputs(upTo T: Int) -> [[Rational]] {
        var s = RationalMatrix(rows: stateDimension, columns: 1, elements: initialState)
        let c = RationalMatrix(rows: stateDimension, columns: 1, elements: offset)
        var out: [[Rational]] = []
        for t in 0...max(T, 0) {
            if t > 0 { s = A * s + c }
            out.append(zip((C * s).elements, outputOffset).map { $0 + $1 })
        }
        return out
    }
}
