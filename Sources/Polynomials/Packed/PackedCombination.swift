import ExactNumbers

extension PackedPolynomial {
    /// sum_i c_i p_i by merging the canonical term lists (at most 8 at a time; more are merged
    /// in groups of 8, then the groups). Over the common denominator D = lcm(den(c_i) den(p_i))
    /// each term is an integer sum of scale_i * coefficient, scale_i = num(c_i) D / (den(c_i) den(p_i)).
    public static func combination(_ terms: [(Rational, PackedPolynomial)]) -> PackedPolynomial {
        var layout = terms.first?.1.layout ?? PackedLayout(variableCount: 0, degree: 0)
        var degree = 0
        for (_, p) in terms {
            degree = max(degree, p.totalDegree ?? 0)
            layout = layout.joined(p.layout, degree: degree)
        }
        let live = terms.filter { !$0.0.isZero && !$0.1.isZero }
        if live.isEmpty { return .zero(layout) }
        if live.count > 8 {
            let groups = stride(from: 0, to: live.count, by: 8).map { combination(Array(live[$0..<min($0 + 8, live.count)])) }
            return combination(groups.map { (Rational.one, $0) })
        }
        let parts = live.map { $0.1.moved(to: layout) }
        var denominator = BigInt.one
        for (i, (c, _)) in live.enumerated() { denominator = lcm(denominator, c.denominator * parts[i].denominator) }
        let scales = live.enumerated().map { i, t in
            t.0.numerator * denominator.dividedExactly(by: t.0.denominator * parts[i].denominator)
        }
        if parts.count == 1 {
            let s = scales[0]
            return .normalised(layout: layout, exponents: parts[0].exponents,
                               coefficients: s.isOne ? parts[0].coefficients : parts[0].coefficients.map { $0 * s },
                               denominator: denominator)
        }
        let k = layout.words
        let all = parts.map { 0..<$0.termCount }
        let total = parts.reduce(0) { $0 + $1.termCount }
        var outExponents: [UInt64], outCoefficients: [BigInt]
        if total < 1 << 16 {
            (outExponents, outCoefficients) = merge(parts, scales, all)
        } else {
            // two cores: the terms at or above the middle monomial of the largest summand, and
            // those below (disjoint monomials, concatenated in order)
            let largest = parts.indices.max { parts[$0].termCount < parts[$1].termCount }!
            let pivot = Array(parts[largest].exponents[(parts[largest].termCount / 2 * k)..<((parts[largest].termCount / 2 + 1) * k)])
            let boundaries = parts.map { part in
                part.exponents.withUnsafeBufferPointer { e in pivot.withUnsafeBufferPointer { pv in
                    var lo = 0, hi = part.termCount  // first term below the pivot
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if packedGreater(pv.baseAddress!, e.baseAddress! + mid * k, k) { hi = mid } else { lo = mid + 1 }
                    }
                    return lo
                } }
            }
            let upper = zip(all, boundaries).map { $0.lowerBound..<$1 }, lower = zip(all, boundaries).map { $1..<$0.upperBound }
            let halves = Parallel.both({ merge(parts, scales, upper) }, { merge(parts, scales, lower) })
            outExponents = halves.0.exponents + halves.1.exponents
            outCoefficients = halves.0.coefficients + halves.1.coefficients
        }
        return .normalised(layout: layout, exponents: outExponents, coefficients: outCoefficients, denominator: denominator)
    }

    /// The merge of the given term ranges of the summands (same layout), each scaled.
    static func merge(_ parts: [PackedPolynomial], _ scales: [BigInt], _ ranges: [Range<Int>]) -> (exponents: [UInt64], coefficients: [BigInt]) {
        let k = parts[0].layout.words
        var outExponents: [UInt64] = [], outCoefficients: [BigInt] = []
        let total = ranges.reduce(0) { $0 + $1.count }
        outExponents.reserveCapacity(total * k); outCoefficients.reserveCapacity(total)
        let acc = IntegerAccumulator()
        var heads = ranges.map(\.lowerBound)
        let ends = ranges.map(\.upperBound)
        let buffers = parts.map { $0.exponents }
        while true {
            // the largest head monomial
            var best = -1
            for i in parts.indices where heads[i] < ends[i] {
                if best < 0 { best = i; continue }
                let greater = buffers[i].withUnsafeBufferPointer { x in buffers[best].withUnsafeBufferPointer { y in
                    packedGreater(x.baseAddress! + heads[i] * k, y.baseAddress! + heads[best] * k, k)
                } }
                if greater { best = i }
            }
            if best < 0 { break }
            let start = heads[best] * k
            acc.reset()
            for i in parts.indices where heads[i] < ends[i] {
                let same = i == best || buffers[i].withUnsafeBufferPointer { x in buffers[best].withUnsafeBufferPointer { y in
                    packedEqual(x.baseAddress! + heads[i] * k, y.baseAddress! + start, k)
                } }
                if same { acc.addProduct(scales[i], parts[i].coefficients[heads[i]]); heads[i] += 1 }
            }
            let v = acc.value
            if !v.isZero {
                outExponents.append(contentsOf: buffers[best][start..<(start + k)])
                outCoefficients.append(v)
            }
        }
        return (outExponents, outCoefficients)
    }
}
