import ExactNumbers

extension Matrix where Element == Rational {
    /// Coefficients p_0..p_n of det(lambda I - A) = sum_k p_k lambda^k (p_n = 1), by
    /// Faddeev-LeVerrier: M_1 = I, p_{n-k} = -tr(A M_k)/k, M_{k+1} = A M_k + p_{n-k} I.
    /// O(n^4) exact operations: meant for the small state matrices of recurrent layers.
    public func characteristicPolynomial() -> [Rational] {
        precondition(rows == columns, "characteristic polynomial of a \(rows)x\(columns) matrix")
        let n = rows
        var p = [Rational](repeating: .zero, count: n + 1)
        p[n] = 1
        guard n > 0 else { return p }
        var m = Matrix.identity(n)
        for k in 1...n {
            let am = self * m
            var trace = Rational.zero
            for i in 0..<n { trace += am[i, i] }
            p[n - k] = -trace / Rational(k)
            m = am
            for i in 0..<n { m[i, i] += p[n - k] }
        }
        return p
    }
}
