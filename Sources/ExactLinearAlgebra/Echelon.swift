import ExactNumbers

extension Matrix where Element: ExactField {
    /// Reduced row echelon form over the field (Gauss-Jordan) and its pivot columns.
    /// Cost O(m n r) field operations; meant for moderate sizes and for tests.
    public func reducedRowEchelonForm() -> (form: Matrix, pivotColumns: [Int]) {
        var a = self
        var pivots: [Int] = []
        var r = 0
        for c in 0..<columns where r < rows {
            guard let p = (r..<rows).first(where: { !a[$0, c].isZero }) else { continue }
            if p != r { for j in 0..<columns { a.elements.swapAt(p * columns + j, r * columns + j) } }
            let inv = a[r, c].reciprocal
            for j in c..<columns where !a[r, j].isZero { a[r, j] = a[r, j] * inv }
            for i in 0..<rows where i != r && !a[i, c].isZero {
                let f = a[i, c]
                for j in c..<columns where !a[r, j].isZero { a[i, j] = a[i, j] - f * a[r, j] }
            }
            pivots.append(c)
            r += 1
        }
        return (a, pivots)
    }

    /// The inverse of a square matrix (Gauss-Jordan on [A | I]); nil when A is singular.
    public func inverse() -> Matrix? {
        precondition(rows == columns, "inverse of a non-square matrix")
        let n = rows
        let augmented = Matrix(rows: n, columns: 2 * n) { i, j in j < n ? self[i, j] : (j - n == i ? .one : .zero) }
        let (form, pivots) = augmented.reducedRowEchelonForm()
        guard pivots == Array(0..<n) else { return nil }   // [A | I] has rank n; A is invertible iff every pivot lies in A
        return Matrix(rows: n, columns: n) { i, j in form[i, n + j] }
    }

    /// A basis of {x : A x = 0} as the columns of a matrix (columns x (columns - rank)).
    public func nullspace() -> Matrix {
        let (form, pivots) = reducedRowEchelonForm()
        let free = (0..<columns).filter { !pivots.contains($0) }
        var basis = Matrix(rows: columns, columns: free.count)
        for (k, f) in free.enumerated() {
            basis[f, k] = .one
            for (i, p) in pivots.enumerated() { basis[p, k] = -form[i, f] }
        }
        return basis
    }

    /// Rank by Gauss-Jordan over the field (a third, independent route used in tests).
    public func rankGaussJordan() -> Int { reducedRowEchelonForm().pivotColumns.count }
}
