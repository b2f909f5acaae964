import ExactNumbers

/// Division, gcd and real-root counting for univariate polynomials over Q (coefficient lists
/// c_0, c_1, ...), exact: what the spectral class tests need (diagonalisable, real or positive
/// spectrum) without computing a single eigenvalue.
extension Univariate {
    /// The list without trailing zeros ([] is the zero polynomial).
    public static func trimmed(_ p: [Rational]) -> [Rational] {
        var q = p
        while let last = q.last, last.isZero { q.removeLast() }
        return q
    }

    /// Quotient and remainder of a by b (b nonzero): a = q b + r, deg r < deg b.
    public static func divide(_ a: [Rational], by b: [Rational]) -> (quotient: [Rational], remainder: [Rational]) {
        let b = trimmed(b)
        precondition(!b.isEmpty, "division by the zero polynomial")
        var r = trimmed(a)
        guard r.count >= b.count else { return ([], r) }
        var q = [Rational](repeating: .zero, count: r.count - b.count + 1)
        let lead = b.last!
        while r.count >= b.count {
            let shift = r.count - b.count, c = r.last! / lead
            q[shift] = c
            for (i, bi) in b.enumerated() where !bi.isZero { r[shift + i] -= c * bi }
            r.removeLast()   // its coefficient is now zero
            r = trimmed(r)
        }
        return (q, r)
    }

    /// The monic greatest common divisor ([] when both are zero).
    public static func gcd(_ a: [Rational], _ b: [Rational]) -> [Rational] {
        var (x, y) = (trimmed(a), trimmed(b))
        while !y.isEmpty { (x, y) = (y, divide(x, by: y).remainder) }
        guard let lead = x.last else { return [] }
        return x.map { $0 / lead }
    }

    public static func derivative(_ p: [Rational]) -> [Rational] {
        trimmed(p.enumerated().dropFirst().map { Rational($0.offset) * $0.element })
    }

    /// p / gcd(p, p'): the product of p's distinct irreducible factors (monic). Over Q (char 0)
    /// a matrix is diagonalisable over C exactly when the squarefree part of its
    /// characteristic polynomial annihilates it.
    public static func squarefreePart(_ p: [Rational]) -> [Rational] {
        let p = trimmed(p)
        guard p.count > 1 else { return p.isEmpty ? [] : [1] }
        let q = divide(p, by: gcd(p, derivative(p))).quotient
        return q.map { $0 / q.last! }
    }

    /// The number of distinct real roots of p in the open interval (lower, +infinity), or in
    /// all of R when `lower` is nil, by Sturm's theorem: the sign changes of the Sturm sequence
    /// p, p', -rem(p_{i-1}, p_i), ... at the ends. p must be nonzero.
    public static func realRootCount(_ p: [Rational], above lower: Rational? = nil) -> Int {
        var p = squarefreePart(p)   // same roots, and the sequence ends in a constant
        precondition(!p.isEmpty, "roots of the zero polynomial")
        if let a = lower, Univariate.evaluate(p, at: a).isZero {
            p = divide(p, by: [-a, 1]).quotient   // (x - a) is a simple factor: drop the root at a
        }
        var sequence = [p]
        var next = derivative(p)
        while !next.isEmpty {
            sequence.append(next)
            let r = divide(sequence[sequence.count - 2], by: next).remainder
            next = r.map { -$0 }
        }
        func changes(_ signs: [Int]) -> Int {
            let nonzero = signs.filter { $0 != 0 }
            return zip(nonzero, nonzero.dropFirst()).filter { $0 != $1 }.count
        }
        func sign(_ x: Rational) -> Int { x.isZero ? 0 : (x < .zero ? -1 : 1) }
        // at +infinity: the leading coefficient's sign; at -infinity: times (-1)^degree
        let atPlus = sequence.map { sign($0.last!) }
        let atLower: [Int]
        if let a = lower {
            atLower = sequence.map { sign(Univariate.evaluate($0, at: a)) }
        } else {
            atLower = sequence.map { q in sign(q.last!) * ((q.count - 1) % 2 == 0 ? 1 : -1) }
        }
        return changes(atLower) - changes(atPlus)
    }
}
