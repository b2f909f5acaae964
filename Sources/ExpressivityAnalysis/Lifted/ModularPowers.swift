import ExactNumbers
import Polynomials

/// A monomial in at most 16 variables packed into two words, `bits` bits per exponent.
/// The top bit of every field is a guard: exponents stay below 2^(bits-1), so a product is
/// one addition per word with no carry between fields, and a set guard bit after an
/// addition is an overflow that is reported, never wrapped. Integer order of packed keys
/// is a monomial order (addition preserves it), which the sorted products rely on.
struct PackedKey: Hashable, Comparable {
    var hi: UInt64
    var lo: UInt64
    static let zero = PackedKey(hi: 0, lo: 0)
    @inline(__always) static func < (a: PackedKey, b: PackedKey) -> Bool { a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo }
    @inline(__always) static func + (a: PackedKey, b: PackedKey) -> PackedKey { PackedKey(hi: a.hi &+ b.hi, lo: a.lo &+ b.lo) }
    @inline(__always) static func & (a: PackedKey, b: PackedKey) -> PackedKey { PackedKey(hi: a.hi & b.hi, lo: a.lo & b.lo) }
    @inline(__always) var isZero: Bool { hi == 0 && lo == 0 }
}

/// Where each variable's exponent sits in a PackedKey.
struct PackedLayout {
    let variables: Int
    let bits: Int
    let perWord: Int
    /// The guard bits of all fields.
    let guards: PackedKey

    /// nil when the variables do not fit in two words at 8 bits each.
    init?(variables: Int) {
        guard variables >= 0 && variables <= 16 else { return nil }
        let b = variables <= 4 ? 32 : variables <= 8 ? 16 : 8
        self.variables = variables; bits = b; perWord = 64 / b
        var g = PackedKey.zero
        for v in 0..<variables { g = g + PackedLayout.field(v, b).with(1 << UInt64(b - 1)) }
        guards = g
    }

    private struct Field { let word: Int; let shift: Int
        func with(_ value: UInt64) -> PackedKey { word == 0 ? PackedKey(hi: value << UInt64(shift), lo: 0) : PackedKey(hi: 0, lo: value << UInt64(shift)) }
    }
    private static func field(_ v: Int, _ bits: Int) -> Field {
        let per = 64 / bits
        return Field(word: v / per, shift: (per - 1 - v % per) * bits)   // variable 0 most significant
    }

    var maxExponent: Int { (1 << (bits - 1)) - 1 }

    /// The packed monomial, or nil when an exponent does not fit.
    func pack(_ m: Monomial) -> PackedKey? {
        var k = PackedKey.zero
        for (v, e) in m.factors {
            guard v < variables, e <= maxExponent else { return nil }
            k = k + PackedLayout.field(v, bits).with(UInt64(e))
        }
        return k
    }

    func unpack(_ k: PackedKey) -> Monomial {
        let mask = UInt64(1) << UInt64(bits) - 1
        var factors: [(variable: Int, exponent: Int)] = []
        for v in 0..<variables {
            let f = PackedLayout.field(v, bits)
            let e = ((f.word == 0 ? k.hi : k.lo) >> UInt64(f.shift)) & mask
            if e != 0 { factors.append((v, Int(e))) }
        }
        return Monomial(factors)
    }

    /// The mask selecting the fields of the given variables.
    func mask(_ selected: Range<Int>) -> PackedKey {
        var k = PackedKey.zero
        for v in selected { k = k + PackedLayout.field(v, bits).with(UInt64(1) << UInt64(bits) - 1) }
        return k
    }

    func overflows(_ k: PackedKey) -> Bool { !(k & guards).isZero }

}

/// A polynomial modulo a prime on packed monomials, terms sorted by key. Terms whose
/// residue sums to zero are kept: the support is the product's support without
/// cancellation, a superset of the support over Q.
struct ModularPackedPolynomial {
    var keys: [PackedKey]
    var residues: [UInt]
    var termCount: Int { keys.count }

    /// self * g, by merging the copies of self shifted by each term of g (each copy stays
    /// sorted); nil when an exponent would overflow its field.
    func times(_ g: ModularPackedPolynomial, _ layout: PackedLayout) -> ModularPackedPolynomial? {
        var lists: [ModularPackedPolynomial] = []
        lists.reserveCapacity(g.termCount)
        for (gk, gc) in zip(g.keys, g.residues) {
            var ks = [PackedKey](), rs = [UInt]()
            ks.reserveCapacity(termCount); rs.reserveCapacity(termCount)
            for (k, c) in zip(keys, residues) {
                let s = k + gk
                if layout.overflows(s) { return nil }
                ks.append(s); rs.append(Mersenne61.mul(c, gc))
            }
            lists.append(ModularPackedPolynomial(keys: ks, residues: rs))
        }
        while lists.count > 1 {
            var next: [ModularPackedPolynomial] = []
            var i = 0
            while i + 1 < lists.count { next.append(lists[i].merged(with: lists[i + 1])); i += 2 }
            if i < lists.count { next.append(lists[i]) }
            lists = next
        }
        return lists.first ?? ModularPackedPolynomial(keys: [], residues: [])
    }

    /// The sum of two sorted polynomials.
    func merged(with b: ModularPackedPolynomial) -> ModularPackedPolynomial {
        var ks = [PackedKey](), rs = [UInt]()
        ks.reserveCapacity(keys.count + b.keys.count); rs.reserveCapacity(keys.count + b.keys.count)
        var i = 0, j = 0
        while i < keys.count && j < b.keys.count {
            let x = keys[i], y = b.keys[j]
            if x == y { ks.append(x); rs.append(Mersenne61.add(residues[i], b.residues[j])); i += 1; j += 1 }
            else if x < y { ks.append(x); rs.append(residues[i]); i += 1 }
            else { ks.append(y); rs.append(b.residues[j]); j += 1 }
        }
        while i < keys.count { ks.append(keys[i]); rs.append(residues[i]); i += 1 }
        while j < b.keys.count { ks.append(b.keys[j]); rs.append(b.residues[j]); j += 1 }
        return ModularPackedPolynomial(keys: ks, residues: rs)
    }

    /// The polynomial modulo p (sorted), or nil when p divides a denominator or an exponent
    /// does not fit.
    init?(_ f: Polynomial, _ layout: PackedLayout) {
        var terms: [(PackedKey, UInt)] = []
        for (c, m) in f.terms {
            guard let k = layout.pack(m), let r = c.mod(Mersenne61.p) else { return nil }
            terms.append((k, r))
        }
        terms.sort { $0.0 < $1.0 }
        keys = terms.map(\.0); residues = terms.map(\.1)
    }

    init(keys: [PackedKey], residues: [UInt]) { self.keys = keys; self.residues = residues }
}

/// A polynomial on packed monomials that the memoised powers multiply: modulo p
/// (`ModularPackedPolynomial`) or with integer coefficients (`IntegerPackedPolynomial`).
protocol PackedFactor {
    var termCount: Int { get }
    /// The constant 1.
    static var one: Self { get }
    /// The product, or nil when an exponent would overflow its field.
    func times(_ g: Self, _ layout: PackedLayout) -> Self?
}

extension ModularPackedPolynomial: PackedFactor {
    static var one: ModularPackedPolynomial { ModularPackedPolynomial(keys: [.zero], residues: [1]) }
}

/// Powers G^mu of a step map on packed monomials (the packed twin of StepPowers): each
/// from its parent mu - e_v times one G_v, memoised, lower degrees evicted on request.
final class PackedStepPowers<P: PackedFactor> {
    let layout: PackedLayout
    let step: [P]
    let inputDim: Int
    let maxTerms: Int
    private var cache: [PackedKey: P] = [.zero: P.one]
    private var degrees: [PackedKey: Int] = [:]
    /// Terms held by the cache (memory the caller counts against its limit).
    private(set) var cachedTerms = 1

    init(step: [P], inputDim: Int, layout: PackedLayout, maxTerms: Int) {
        self.layout = layout; self.step = step; self.inputDim = inputDim; self.maxTerms = maxTerms
    }

    /// G^mu, or nil when an exponent overflows its field.
    func power(_ mu: Monomial) throws -> P? {
        guard let key = layout.pack(mu) else { return nil }
        if let p = cache[key] { return p }
        let (v, parentMonomial) = StepPowers.parent(of: mu)
        guard let parent = try power(parentMonomial) else { return nil }
        let g = step[v - inputDim]
        // |parent| |G_v| bounds the product's terms: refuse before multiplying
        let (pairs, overflow) = parent.termCount.multipliedReportingOverflow(by: g.termCount)
        if overflow || pairs > maxTerms { throw LiftedError.powerTooLarge(terms: overflow ? Int.max : pairs, limit: maxTerms) }
        guard let p = parent.times(g, layout) else { return nil }
        cache[key] = p
        degrees[key] = mu.totalDegree
        cachedTerms += p.termCount
        return p
    }

    func evict(belowDegree k: Int) {
        for (key, d) in degrees where d < k {
            cachedTerms -= cache[key]?.termCount ?? 0
            cache[key] = nil; degrees[key] = nil
        }
    }
}

/// Powers G^mu of the step map modulo p.
typealias ModularStepPowers = PackedStepPowers<ModularPackedPolynomial>

extension PackedStepPowers where P == ModularPackedPolynomial {
    /// nil when the step map does not reduce modulo p or does not pack.
    convenience init?(step: [Polynomial], inputDim: Int, layout: PackedLayout, maxTerms: Int) {
        var s: [ModularPackedPolynomial] = []
        for g in step { guard let m = ModularPackedPolynomial(g, layout) else { return nil }; s.append(m) }
        self.init(step: s, inputDim: inputDim, layout: layout, maxTerms: maxTerms)
    }
}

/// Insertion-ordered indices of packed monomials: an open-addressing table with a
/// multiplicative hash (the lifted construction looks up every term of every power).
struct PackedIndex {
    private(set) var list: [PackedKey] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Int32](repeating: -1, count: size); mask = size - 1
    }

    @inline(__always) private static func hash(_ k: PackedKey) -> Int {
        let h = (k.hi &* 0x9E37_79B9_7F4A_7C15) ^ (k.lo &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The index of k, inserting it at the end when new.
    @inline(__always) mutating func index(of k: PackedKey) -> Int32 {
        var i = PackedIndex.hash(k) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if list[Int(s)] == k { return s }
            i = (i + 1) & mask
        }
        let s = Int32(list.count)
        slots[i] = s; list.append(k)
        if 2 * list.count > slots.count { grow() }
        return s
    }

    /// The index of k, nil when it is not in the list.
    @inline(__always) func position(of k: PackedKey) -> Int32? {
        var i = PackedIndex.hash(k) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if list[Int(s)] == k { return s }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size); mask = size - 1
        for (n, k) in list.enumerated() {
            var i = PackedIndex.hash(k) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(n)
        }
    }
}
