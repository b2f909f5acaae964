import ExactNumbers

/// The structural degree of a polynomial: intervals for its total degree and for its
/// degree in each step's inputs, propagated through the recurrence with coefficient values
/// ignored except for which weights are zero. The upper ends bound the true degrees (no
/// cancellation is assumed); generic weights with the same zero pattern attain them unless
/// the architecture itself cancels.
public struct DegreeShape: UnrollValue, Equatable {
    /// nil: the zero polynomial.
    public var total: ClosedRange<Int>?
    /// steps[t-1] for t = 1...; steps beyond the array are 0...0.
    public var steps: [ClosedRange<Int>]

    public static let zero = DegreeShape(total: nil, steps: [])
    public init(total: ClosedRange<Int>?, steps: [ClosedRange<Int>]) { self.total = total; self.steps = steps }

    public var isZeroValue: Bool { total == nil }
    public var size: Int { 1 }
    public func step(_ t: Int) -> ClosedRange<Int>? {
        guard total != nil else { return nil }
        return t - 1 < steps.count ? steps[t - 1] : 0...0
    }

    public static func constant(_ c: Rational) -> DegreeShape { c.isZero ? .zero : DegreeShape(total: 0...0, steps: []) }
    public static func input(step t: Int, coordinate k: Int, inputDim d: Int) -> DegreeShape {
        var s = [ClosedRange<Int>](repeating: 0...0, count: t)
        s[t - 1] = 1...1
        return DegreeShape(total: 1...1, steps: s)
    }

    static func hull(_ a: ClosedRange<Int>, _ b: ClosedRange<Int>) -> ClosedRange<Int> {
        min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }

    public static func combination(_ terms: [(Rational, DegreeShape)]) -> DegreeShape {
        var out = DegreeShape.zero
        for (c, v) in terms where !c.isZero {
            guard let vt = v.total else { continue }
            guard let ot = out.total else { out = v; continue }
            out.total = hull(ot, vt)
            let n = max(out.steps.count, v.steps.count)
            out.steps = (0..<n).map { i in
                hull(i < out.steps.count ? out.steps[i] : 0...0, i < v.steps.count ? v.steps[i] : 0...0)
            }
        }
        return out
    }

    /// Degrees saturate here instead of overflowing: a saturated shape only ever feeds
    /// the size estimate, which then refuses the expansion.
    public static let saturation = Int.max / 4
    static func sat(_ x: Int, _ y: Int) -> Int { min(saturation, x + y) }
    static func satMul(_ x: Int, _ k: Int) -> Int {
        let (p, o) = x.multipliedReportingOverflow(by: k)
        return o ? saturation : min(saturation, p)
    }
    public var isSaturated: Bool { (total?.upperBound ?? 0) >= DegreeShape.saturation }

    public static func * (a: DegreeShape, b: DegreeShape) -> DegreeShape {
        guard let at = a.total, let bt = b.total else { return .zero }
        let n = max(a.steps.count, b.steps.count)
        return DegreeShape(
            total: sat(at.lowerBound, bt.lowerBound)...sat(at.upperBound, bt.upperBound),
            steps: (0..<n).map { i in
                let x = i < a.steps.count ? a.steps[i] : 0...0, y = i < b.steps.count ? b.steps[i] : 0...0
                return sat(x.lowerBound, y.lowerBound)...sat(x.upperBound, y.upperBound)
            })
    }

    public func power(_ k: Int) -> DegreeShape {
        guard let t = total else { return k == 0 ? DegreeShape(total: 0...0, steps: []) : .zero }
        return DegreeShape(total: DegreeShape.satMul(t.lowerBound, k)...DegreeShape.satMul(t.upperBound, k),
                           steps: steps.map { DegreeShape.satMul($0.lowerBound, k)...DegreeShape.satMul($0.upperBound, k) })
    }

    /// An upper bound on the number of terms: the product over steps 1...length of the number
    /// of monomials in d variables with degree in that step's interval (saturating).
    public func termBound(length: Int, inputDim d: Int) -> Double {
        termBound(widths: [Int](repeating: d, count: max(length, 1)))
    }

    /// The same bound when step t has widths[t-1] variables (a block of symbolic states
    /// placed at one step, as the split method's tail does).
    public func termBound(widths: [Int]) -> Double {
        guard total != nil else { return 0 }
        if isSaturated { return .infinity }
        var product = 1.0
        for (i, d) in widths.enumerated() {
            let t = i + 1
            let r = step(t) ?? 0...0
            // a step's degree bounds the exponent of each of its variables: past this the
            // estimate is infinite, so every refusal comes long before an exponent could pass
            // Monomial.maxExponent (2^32 - 1) and wrap
            if r.upperBound > 1_000_000 { return .infinity }
            var count = 0.0
            for e in r { count += DegreeShape.monomialCount(degree: e, variables: d) }
            product *= count
        }
        // every term's total degree lies in `total` too: the monomials of those degrees in all
        // the variables bound the count as well (a linear RNN: T d + 1, not 2^T). One term per
        // degree: only for a short interval (a wide one gives a weak bound anyway)
        if let tr = total, tr.count <= 64 {
            let variables = widths.reduce(0, +)
            var byTotal = 0.0
            for e in tr { byTotal += DegreeShape.monomialCount(degree: e, variables: variables) }
            product = min(product, byTotal)
        }
        return product
    }

    /// C(e + d - 1, d - 1): monomials of degree exactly e in d variables (as a bound; Double
    /// only sizes a memory estimate, never an exact result).
    static func monomialCount(degree e: Int, variables d: Int) -> Double {
        var c = 1.0
        for i in 1..<max(d, 1) { c = c * Double(e + i) / Double(i) }
        return c
    }
}
