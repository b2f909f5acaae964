import ExactNumbers

/// A sparse multivariate polynomial with exact rational coefficients.
///
/// Storage is three flat arrays (no per-term allocation): the coefficients, the packed
/// monomial entries of all terms back to back, and the offsets where each term's entries
/// start. Terms are kept in the canonical order (see `MonomialKernels.precedes`) with no
/// zero coefficients, so equal polynomials have equal storage.
public struct Polynomial: Sendable {
    @usableFromInline internal var coefficients: [Rational]
    @usableFromInline internal var entries: [UInt64]
    @usableFromInline internal var offsets: [Int]

    @usableFromInline
    internal init(coefficients: [Rational], entries: [UInt64], offsets: [Int]) {
        self.coefficients = coefficients; self.entries = entries; self.offsets = offsets
    }

    public static let zero = Polynomial(coefficients: [], entries: [], offsets: [0])

    public init(_ c: Rational) {
        self = c.isZero ? .zero : Polynomial(coefficients: [c], entries: [], offsets: [0, 0])
    }
    public init(_ c: Int) { self.init(Rational(c)) }

    /// The polynomial consisting of one variable.
    public static func variable(_ index: Int) -> Polynomial {
        precondition(index >= 0 && index < 1 << 32, "variable index out of range")
        return Polynomial(coefficients: [.one], entries: [Monomial.pack(variable: index, exponent: 1)], offsets: [0, 1])
    }

    /// c * m.
    public init(coefficient c: Rational, monomial m: Monomial) {
        self = c.isZero ? .zero : Polynomial(coefficients: [c], entries: Array(m.entries), offsets: [0, m.entries.count])
    }

    /// Sum of the given terms (any order, repeats are added).
    public init<S: Sequence>(terms: S) where S.Element == (Rational, Monomial) {
        var acc = TermAccumulator()
        for (c, m) in terms { acc.add(c, m.entries) }
        self = acc.finish()
    }

    public var isZero: Bool { coefficients.isEmpty }
    public var termCount: Int { coefficients.count }
    public var isConstant: Bool { termCount == 0 || (termCount == 1 && offsets[1] == 0) }
    /// The constant term.
    public var constantTerm: Rational {
        // canonical order puts the degree-0 term last
        if let last = coefficients.indices.last, offsets[last] == offsets[last + 1] { return coefficients[last] }
        return .zero
    }

    @inlinable internal func monomialSlice(_ i: Int) -> ArraySlice<UInt64> { entries[offsets[i]..<offsets[i + 1]] }

    /// Terms in canonical order.
    public var terms: TermSequence { TermSequence(polynomial: self) }

    public struct TermSequence: RandomAccessCollection, Sendable {
        let polynomial: Polynomial
        public var startIndex: Int { 0 }
        public var endIndex: Int { polynomial.termCount }
        public subscript(i: Int) -> (coefficient: Rational, monomial: Monomial) {
            (polynomial.coefficients[i], Monomial(entries: polynomial.monomialSlice(i)))
        }
    }

    /// Total degree; nil for the zero polynomial, which has no degree.
    public var totalDegree: Int? {
        // canonical order puts a term of highest degree first
        isZero ? nil : Monomial(entries: monomialSlice(0)).totalDegree
    }

    /// Degree in the selected variables; nil for the zero polynomial.
    public func degree(where inSet: (Int) -> Bool) -> Int? {
        if isZero { return nil }
        var best = 0
        for i in 0..<termCount { best = max(best, Monomial(entries: monomialSlice(i)).degree(where: inSet)) }
        return best
    }
    public func degree<C: Collection>(in variables: C) -> Int? where C.Element == Int {
        let set = Set(variables)
        return degree { set.contains($0) }
    }

    /// Variables that occur, increasing.
    public var variables: [Int] {
        Array(Set(entries.map { Int($0 >> 32) })).sorted()
    }

    /// The coefficient of one monomial (zero if absent), by binary search in the canonical order.
    public func coefficient(of m: Monomial) -> Rational {
        var lo = 0, hi = termCount
        while lo < hi {
            let mid = (lo + hi) / 2
            let s = monomialSlice(mid)
            if s.elementsEqual(m.entries) { return coefficients[mid] }
            if MonomialKernels.precedes(s, m.entries) { lo = mid + 1 } else { hi = mid }
        }
        return .zero
    }

    /// Largest bit size of a numerator or denominator.
    /// The most variables in any one term (0 for constants).
    public var maxVariables: Int {
        var m = 0
        for i in 0..<termCount { m = max(m, offsets[i + 1] - offsets[i]) }
        return m
    }

    /// Bits of the least common multiple of the coefficients' denominators (0 when all are
    /// integers): sums of products of coefficients have denominators dividing its powers.
    public var denominatorLCMBits: Int {
        var l = BigInt.one
        for c in coefficients where !c.isInteger { l = lcm(l, c.denominator) }
        return l == .one ? 0 : l.bitWidth
    }

    public var maxCoefficientBits: Int {
        coefficients.reduce(0) { max($0, $1.numerator.bitWidth, $1.denominator.bitWidth) }
    }
}

extension Polynomial: Equatable, Hashable {
    public static func == (a: Polynomial, b: Polynomial) -> Bool {
        a.coefficients == b.coefficients && a.offsets == b.offsets && a.entries == b.entries
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(coefficients); hasher.combine(entries); hasher.combine(offsets)
    }
}

extension Polynomial: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

// MARK: - Accumulation of terms

/// Collects terms, adding coefficients of equal monomials through an open-addressing hash
/// table keyed by an additive monomial hash; `finish()` drops zeros and sorts once.
@usableFromInline
struct TermAccumulator {
    var coefficients: [Rational] = []
    var entries: [UInt64] = []
    var offsets: [Int] = [0]
    var hashes: [UInt64] = []
    /// Open addressing; a slot holds (high 32 bits of the hash) << 32 | (term index + 1),
    /// 0 when empty, so most mismatches are rejected without touching the term arrays.
    var table: [UInt64] = [UInt64](repeating: 0, count: 64)
    var mask: Int = 63

    init(expectedTerms: Int = 16) {
        var size = 64
        while size < expectedTerms * 2 { size <<= 1 }
        table = [UInt64](repeating: 0, count: size); mask = size - 1
        coefficients.reserveCapacity(expectedTerms); hashes.reserveCapacity(expectedTerms)
        offsets.reserveCapacity(expectedTerms + 1)
    }

    var count: Int { coefficients.count }

    /// The additive monomial hash is linear in the exponents, so its low bits are
    /// structured; a multiplicative mix spreads the high bits over the table.
    @inline(__always) static func slot(_ h: UInt64, _ mask: Int) -> Int {
        let mixed = (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 20) & mask
    }

    /// Adds c * monomial (entries sorted by variable).
    mutating func add(_ c: Rational, _ m: ArraySlice<UInt64>) {
        add(c, m, hash: MonomialKernels.hash(m))
    }

    mutating func add(_ c: Rational, _ m: ArraySlice<UInt64>, hash h: UInt64) {
        let (found, slot) = m.withUnsafeBufferPointer { probe(h, $0) }
        if let t = found { coefficients[t] += c } else { insert(c, m, hash: h, slot: slot) }
    }

    /// Adds ca * cb * (a b), merging the monomials into `scratch` and accumulating the
    /// coefficient in place (no temporaries for a repeated monomial).
    mutating func addProduct(_ ca: Rational, _ cb: Rational, _ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>,
                             hash h: UInt64, scratch: inout [UInt64]) {
        scratch.removeAll(keepingCapacity: true)
        MonomialKernels.merge(a, b, into: &scratch)
        let (found, slot) = scratch.withUnsafeBufferPointer { probe(h, $0) }
        if let t = found { coefficients[t].addProduct(ca, cb) } else { insert(ca * cb, scratch[...], hash: h, slot: slot) }
    }

    /// The term holding monomial m, or the empty slot where it belongs.
    @inline(__always)
    func probe(_ h: UInt64, _ m: UnsafeBufferPointer<UInt64>) -> (term: Int?, slot: Int) {
        var slot = TermAccumulator.slot(h, mask)
        let tag = h >> 32
        return entries.withUnsafeBufferPointer { e in
            while true {
                let s = table[slot]
                if s == 0 { return (nil, slot) }
                let t = Int(s & 0xFFFF_FFFF) - 1
                if s >> 32 == tag && hashes[t] == h && offsets[t + 1] - offsets[t] == m.count
                    && memcmpEqual(e.baseAddress! + offsets[t], m.baseAddress, m.count) {
                    return (t, slot)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    mutating func insert(_ c: Rational, _ m: ArraySlice<UInt64>, hash h: UInt64, slot: Int) {
        table[slot] = (h >> 32) << 32 | UInt64(coefficients.count + 1)
        coefficients.append(c); hashes.append(h)
        entries.append(contentsOf: m); offsets.append(entries.count)
        if coefficients.count * 2 > mask { grow() }
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        table = [UInt64](repeating: 0, count: size); mask = size - 1
        for t in 0..<hashes.count {
            let h = hashes[t]
            var slot = TermAccumulator.slot(h, mask)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = (h >> 32) << 32 | UInt64(t + 1)
        }
    }

    func finish() -> Polynomial {
        var order = (0..<coefficients.count).filter { !coefficients[$0].isZero }
        var c: [Rational] = [], e: [UInt64] = [], o: [Int] = [0]
        entries.withUnsafeBufferPointer { ent in
            offsets.withUnsafeBufferPointer { off in
                let base = ent.baseAddress
                var degrees = [UInt64](repeating: 0, count: coefficients.count)
                for t in order { degrees[t] = MonomialKernels.degree(base.map { $0 + off[t] }, off[t + 1] - off[t]) }
                degrees.withUnsafeBufferPointer { deg in
                    order.sort { s, t in
                        MonomialKernels.precedes(base.map { $0 + off[s] }, off[s + 1] - off[s], deg[s],
                                                 base.map { $0 + off[t] }, off[t + 1] - off[t], deg[t])
                    }
                }
                c.reserveCapacity(order.count); o.reserveCapacity(order.count + 1)
                e.reserveCapacity(ent.count)
                for t in order {
                    c.append(coefficients[t])
                    for k in off[t]..<off[t + 1] { e.append(ent[k]) }
                    o.append(e.count)
                }
            }
        }
        return Polynomial(coefficients: c, entries: e, offsets: o)
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>?, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b![i] { return false }
    return true
}

// MARK: - Ring operations

extension Polynomial {
    /// Sum by merging the two canonical term lists: O(n + m) comparisons.
    public static func + (a: Polynomial, b: Polynomial) -> Polynomial { linearCombination(a, .one, b, .one) }
    public static func - (a: Polynomial, b: Polynomial) -> Polynomial { linearCombination(a, .one, b, -1) }
    public static prefix func - (a: Polynomial) -> Polynomial { a.scaled(by: -1) }
    public static func += (a: inout Polynomial, b: Polynomial) { a = a + b }
    public static func -= (a: inout Polynomial, b: Polynomial) { a = a - b }
    public static func *= (a: inout Polynomial, b: Polynomial) { a = a * b }

    /// x*a + y*b in one merge.
    public static func linearCombination(_ a: Polynomial, _ x: Rational, _ b: Polynomial, _ y: Rational) -> Polynomial {
        if x.isZero || a.isZero { return b.scaled(by: y) }
        if y.isZero || b.isZero { return a.scaled(by: x) }
        var c: [Rational] = [], e: [UInt64] = [], o: [Int] = [0]
        c.reserveCapacity(a.termCount + b.termCount)
        e.reserveCapacity(a.entries.count + b.entries.count)
        var i = 0, j = 0
        func push(_ coeff: Rational, _ m: ArraySlice<UInt64>) {
            if coeff.isZero { return }
            c.append(coeff); e.append(contentsOf: m); o.append(e.count)
        }
        while i < a.termCount && j < b.termCount {
            let ma = a.monomialSlice(i), mb = b.monomialSlice(j)
            if ma.elementsEqual(mb) {
                push(x * a.coefficients[i] + y * b.coefficients[j], ma); i += 1; j += 1
            } else if MonomialKernels.precedes(ma, mb) {
                push(x * a.coefficients[i], ma); i += 1
            } else {
                push(y * b.coefficients[j], mb); j += 1
            }
        }
        while i < a.termCount { push(x * a.coefficients[i], a.monomialSlice(i)); i += 1 }
        while j < b.termCount { push(y * b.coefficients[j], b.monomialSlice(j)); j += 1 }
        return Polynomial(coefficients: c, entries: e, offsets: o)
    }

    public func scaled(by s: Rational) -> Polynomial {
        if s.isZero { return .zero }
        if s.isOne { return self }
        var r = self
        for i in r.coefficients.indices { r.coefficients[i] = r.coefficients[i] * s }
        return r
    }
    public static func * (s: Rational, p: Polynomial) -> Polynomial { p.scaled(by: s) }

    /// Product by a hash table over the output monomials (hash additive, so each pair's
    /// slot is found from the factors' hashes). The smaller factor drives the outer loop.
    public static func * (a: Polynomial, b: Polynomial) -> Polynomial {
        if a.isZero || b.isZero { return .zero }
        let (p, q) = a.termCount <= b.termCount ? (a, b) : (b, a)
        if p.termCount == 1 { return q.timesTerm(p.coefficients[0], p.monomialSlice(0)) }
        let hq = (0..<q.termCount).map { MonomialKernels.hash(q.monomialSlice($0)) }
        // Products usually collapse many pairs onto one monomial: start the table near the
        // factors' size (cache-resident) and let it grow, rather than sizing it for n*m.
        let expected = min(p.termCount * q.termCount, 4 * (p.termCount + q.termCount))
        var acc = TermAccumulator(expectedTerms: expected)
        acc.entries.reserveCapacity(expected * (p.entries.count / p.termCount + q.entries.count / q.termCount))
        var scratch: [UInt64] = []
        scratch.reserveCapacity(64)
        p.entries.withUnsafeBufferPointer { pe in
            q.entries.withUnsafeBufferPointer { qe in
                for i in 0..<p.termCount {
                    let mi = UnsafeBufferPointer(rebasing: pe[p.offsets[i]..<p.offsets[i + 1]])
                    let ci = p.coefficients[i]
                    let hi = MonomialKernels.hash(p.monomialSlice(i))
                    for j in 0..<q.termCount {
                        let mj = UnsafeBufferPointer(rebasing: qe[q.offsets[j]..<q.offsets[j + 1]])
                        acc.addProduct(ci, q.coefficients[j], mi, mj, hash: hi &+ hq[j], scratch: &scratch)
                    }
                }
            }
        }
        return acc.finish()
    }

    /// The largest exponent of any variable in any term (0 for constants).
    public var maxExponent: Int {
        var m: UInt64 = 0
        for e in entries { m = max(m, e & 0xFFFF_FFFF) }
        return Int(m)
    }

    /// self^e by repeated multiplication from the sparser side (binary powering squares
    /// dense intermediates, which is slower for sparse inputs).
    public func power(_ e: Int) -> Polynomial {
        precondition(e >= 0, "negative polynomial power")
        if e == 0 { return Polynomial(1) }
        if termCount == 1 {
            var m: [UInt64] = []
            for x in monomialSlice(0) {
                let (k, overflow) = (x & 0xFFFF_FFFF).multipliedReportingOverflow(by: UInt64(e))
                precondition(!overflow && k <= 0xFFFF_FFFF, "monomial exponent past Monomial.maxExponent")
                m.append((x & ~0xFFFF_FFFF) | k)
            }
            return Polynomial(coefficients: [coefficients[0].power(e)], entries: m, offsets: [0, m.count])
        }
        var r = self
        for _ in 1..<e { r = r * self }
        return r
    }
}

// MARK: - Evaluation and substitution

extension Polynomial {
    /// Exact value at a point; `value(v)` gives variable v's value.
    public func evaluate(_ value: (Int) -> Rational) -> Rational {
        var cache: [Int: Rational] = [:]
        var total = Rational.zero
        for i in 0..<termCount {
            var t = coefficients[i]
            for e in monomialSlice(i) {
                let v = Int(e >> 32), k = Int(e & 0xFFFF_FFFF)
                let x = cache[v] ?? { let x = value(v); cache[v] = x; return x }()
                t *= k == 1 ? x : x.power(k)
                if t.isZero { break }
            }
            total += t
        }
        return total
    }

    /// Replaces each variable in `map` by its polynomial; others stay.
    public func substituting(_ map: [Int: Polynomial]) -> Polynomial {
        var powers: [UInt64: Polynomial] = [:]  // packed (variable, exponent) -> power
        var expanded: [(Rational, Polynomial)] = []
        var acc = TermAccumulator()
        for i in 0..<termCount {
            var kept: [UInt64] = []
            var factor = Polynomial(coefficients[i])
            for e in monomialSlice(i) {
                if let p = map[Int(e >> 32)] {
                    let pw = powers[e] ?? { let x = p.power(Int(e & 0xFFFF_FFFF)); powers[e] = x; return x }()
                    factor = factor * pw
                } else {
                    kept.append(e)
                }
            }
            if factor.termCount == 1 && factor.offsets[1] == 0 {
                acc.add(factor.coefficients[0], kept[...])
            } else {
                expanded.append((1, factor.timesTerm(1, kept[...])))
            }
        }
        // one combination at the end instead of a merge per term
        return Polynomial.combination(expanded + [(1, acc.finish())])
    }

    /// Splits by the selected variables: f = sum over selected monomials a of a * g_a(rest).
    public func grouped(where inSet: (Int) -> Bool) -> [Monomial: Polynomial] {
        var groups: [Monomial: [(Rational, Monomial)]] = [:]
        for (c, m) in terms {
            let (a, b) = m.split(where: inSet)
            groups[a, default: []].append((c, b))
        }
        return groups.mapValues { Polynomial(terms: $0) }
    }
}

extension Polynomial {
    /// sum_i c_i p_i in one pass (hash accumulation, one sort): cheaper than repeated
    /// pairwise merges when there are many summands.
    public static func combination(_ terms: [(Rational, Polynomial)]) -> Polynomial {
        let live = terms.filter { !$0.0.isZero && !$0.1.isZero }
        if live.isEmpty { return .zero }
        if live.count == 1 { return live[0].1.scaled(by: live[0].0) }
        if live.count == 2 { return linearCombination(live[0].1, live[0].0, live[1].1, live[1].0) }
        var acc = TermAccumulator(expectedTerms: live.reduce(0) { $0 + $1.1.termCount })
        for (c, p) in live {
            for i in 0..<p.termCount { acc.add(c * p.coefficients[i], p.monomialSlice(i)) }
        }
        return acc.finish()
    }

    /// c * m * self: the canonical order is a monomial order, so multiplying every term by
    /// one monomial keeps the terms sorted (no hashing, no sort).
    func timesTerm(_ c: Rational, _ m: ArraySlice<UInt64>) -> Polynomial {
        var coeffs: [Rational] = [], e: [UInt64] = [], o: [Int] = [0]
        coeffs.reserveCapacity(termCount); o.reserveCapacity(termCount + 1)
        e.reserveCapacity(entries.count + termCount * m.count)
        for i in 0..<termCount {
            coeffs.append(c * coefficients[i])
            MonomialKernels.merge(monomialSlice(i), m, into: &e)
            o.append(e.count)
        }
        return Polynomial(coefficients: coeffs, entries: e, offsets: o)
    }
}
