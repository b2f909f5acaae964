import ExactNumbers

/// Univariate polynomials over Q as coefficient lists c_0, c_1, ... (activations, sigma, rho).
public enum Univariate {
    /// c_0 + c_1 x + ... by Horner's rule.
    public static func evaluate(_ coefficients: [Rational], at x: Rational) -> Rational {
        var acc = Rational.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// Coefficients c_0..c_{n-1} of the unique polynomial p of degree < n with p(x_i) = y_i,
    /// by Newton's divided differences (O(n^2) exact operations) expanded to the monomial
    /// basis. The x_i must be distinct.
    public static func interpolate(through points: [(x: Rational, y: Rational)]) throws -> [Rational] {
        let n = points.count
        guard n > 0 else { return [] }
        var seen = Set<Rational>()
        for p in points where !seen.insert(p.x).inserted {
            throw UnivariateError.repeatedAbscissa(p.x.description)
        }
        var diff = points.map(\.y)
        for level in 1..<max(n, 1) {
            for i in stride(from: n - 1, through: level, by: -1) {
                diff[i] = (diff[i] - diff[i - 1]) / (points[i].x - points[i - level].x)
            }
        }
        // Horner on the Newton form: p = d_0 + (x - x_0)(d_1 + (x - x_1)(d_2 + ...)).
        var c: [Rational] = [diff[n - 1]]
        for i in stride(from: n - 2, through: 0, by: -1) {
            var next = [Rational](repeating: .zero, count: c.count + 1)
            for (k, ck) in c.enumerated() {
                next[k + 1] += ck
                next[k] -= ck * points[i].x
            }
            next[0] += diff[i]
            c = next
        }
        return c
    }
}

public enum UnivariateError: Error, CustomStringConvertible, Equatable {
    case repeatedAbscissa(String)
    public var description: String {
        switch self { case .repeatedAbscissa(let x): return "interpolation: the point x = \(x) is given twice" }
    }
}
