/// A monomial: a product of variables to positive powers, stored sparsely as packed
/// entries `variable << 32 | exponent`, sorted by variable. Inside a polynomial a
/// monomial is a slice of one shared buffer, so iterating terms allocates nothing.
public struct Monomial: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline internal var entries: ArraySlice<UInt64>

    @inlinable internal init(entries: ArraySlice<UInt64>) { self.entries = entries }

    /// The monomial with the given (variable, exponent) pairs; zero exponents are dropped,
    /// repeated variables multiply.
    public init(_ factors: [(variable: Int, exponent: Int)]) {
        var map: [Int: Int] = [:]
        for f in factors {
            precondition(f.variable >= 0 && f.variable < 1 << 32 && f.exponent >= 0, "bad monomial factor")
            map[f.variable, default: 0] += f.exponent
        }
        precondition(map.values.allSatisfy { $0 <= Monomial.maxExponent }, "monomial exponent past Monomial.maxExponent")
        let packed = map.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { Monomial.pack(variable: $0.key, exponent: $0.value) }
        self.entries = ArraySlice(packed)
    }

    public static let one = Monomial(entries: [])

    /// The largest exponent a monomial holds (32 bits per exponent). A product or power past
    /// it stops the program rather than wrap into another variable; the front ends (parser,
    /// size estimates) refuse such requests before the arithmetic.
    public static let maxExponent = Int(UInt32.max)

    @inlinable @inline(__always)
    public static func pack(variable: Int, exponent: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: variable) << 32 | UInt64(truncatingIfNeeded: exponent)
    }
    @inlinable @inline(__always) static func variable(of e: UInt64) -> Int { Int(e >> 32) }
    @inlinable @inline(__always) static func exponent(of e: UInt64) -> Int { Int(e & 0xFFFF_FFFF) }

    /// (variable, exponent) pairs in increasing variable order.
    public var factors: [(variable: Int, exponent: Int)] {
        entries.map { (Monomial.variable(of: $0), Monomial.exponent(of: $0)) }
    }
    public var totalDegree: Int { entries.reduce(0) { $0 + Monomial.exponent(of: $1) } }
    public func exponent(of variable: Int) -> Int {
        for e in entries where Monomial.variable(of: e) == variable { return Monomial.exponent(of: e) }
        return 0
    }
    /// Degree in the variables selected by `inSet`.
    public func degree(where inSet: (Int) -> Bool) -> Int {
        var d = 0
        for e in entries where inSet(Monomial.variable(of: e)) { d += Monomial.exponent(of: e) }
        return d
    }
    /// Splits into the part in the selected variables and the rest.
    public func split(where inSet: (Int) -> Bool) -> (selected: Monomial, rest: Monomial) {
        var a: [UInt64] = [], b: [UInt64] = []
        for e in entries { if inSet(Monomial.variable(of: e)) { a.append(e) } else { b.append(e) } }
        return (Monomial(entries: a[...]), Monomial(entries: b[...]))
    }

    public static func == (a: Monomial, b: Monomial) -> Bool { a.entries.elementsEqual(b.entries) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for e in entries { hasher.combine(e) }
    }

    public static func * (a: Monomial, b: Monomial) -> Monomial {
        var out: [UInt64] = []
        MonomialKernels.merge(a.entries, b.entries, into: &out)
        return Monomial(entries: out[...])
    }

    public var description: String { description(in: .standard) }
    public func description(in space: VariableSpace) -> String {
        if entries.isEmpty { return "1" }
        return entries.map { e -> String in
            let name = space.name(of: Monomial.variable(of: e))
            let k = Monomial.exponent(of: e)
            return k == 1 ? name : "\(name)^\(k)"
        }.joined(separator: "*")
    }
}

/// Canonical term order: higher total degree first; within a degree, lexicographic with
/// variable 0 > variable 1 > ... (the monomial with the larger exponent at the first
/// variable where they differ comes first).
@usableFromInline
enum MonomialKernels {
    @inlinable
    static func precedes(_ a: ArraySlice<UInt64>, _ b: ArraySlice<UInt64>) -> Bool {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            precedes(pa.baseAddress, pa.count, degree(pa.baseAddress, pa.count), pb.baseAddress, pb.count, degree(pb.baseAddress, pb.count))
        } }
    }

    @inlinable @inline(__always)
    static func degree(_ a: UnsafePointer<UInt64>?, _ n: Int) -> UInt64 {
        var d: UInt64 = 0
        for i in 0..<n { d &+= a![i] & 0xFFFF_FFFF }
        return d
    }

    /// The order on raw entries with precomputed total degrees (the sort's hot path).
    @inlinable @inline(__always)
    static func precedes(_ a: UnsafePointer<UInt64>?, _ na: Int, _ da: UInt64,
                         _ b: UnsafePointer<UInt64>?, _ nb: Int, _ db: UInt64) -> Bool {
        if da != db { return da > db }
        let n = min(na, nb)
        var i = 0
        while i < n {
            let x = a![i], y = b![i]
            if x != y {
                let vx = x >> 32, vy = y >> 32
                if vx != vy { return vx < vy }
                return (x & 0xFFFF_FFFF) > (y & 0xFFFF_FFFF)
            }
            i += 1
        }
        return na > nb
    }

    /// Appends the product of two sorted monomials to `out`.
    @inlinable
    static func merge(_ a: ArraySlice<UInt64>, _ b: ArraySlice<UInt64>, into out: inout [UInt64]) {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in merge(pa, pb, into: &out) } }
    }

    /// The merge on raw buffers (the product's inner loop).
    @inlinable
    static func merge(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, into out: inout [UInt64]) {
        var i = 0, j = 0
        let na = a.count, nb = b.count
        while i < na && j < nb {
            let x = a[i], y = b[j]
            let vx = x >> 32, vy = y >> 32
            if vx == vy {
                let e = (x & 0xFFFF_FFFF) + (y & 0xFFFF_FFFF)
                precondition(e <= 0xFFFF_FFFF, "monomial exponent past Monomial.maxExponent")
                out.append(x &+ (y & 0xFFFF_FFFF)); i += 1; j += 1
            }
            else if vx < vy { out.append(x); i += 1 } else { out.append(y); j += 1 }
        }
        while i < na { out.append(a[i]); i += 1 }
        while j < nb { out.append(b[j]); j += 1 }
    }

    /// A hash that is additive over multiplication: hash(ab) = hash(a) + hash(b).
    @inlinable @inline(__always)
    static func variableWeight(_ v: UInt64) -> UInt64 {
        var z = v &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    @inlinable
    static func hash(_ m: ArraySlice<UInt64>) -> UInt64 {
        var h: UInt64 = 0x1234_5678
        for e in m { h = h &+ variableWeight(e >> 32) &* (e & 0xFFFF_FFFF) }
        return h
    }
}
