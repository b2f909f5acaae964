import CGMP

/// An exact rational number p/q in lowest terms with q > 0. Values whose numerator and
/// denominator fit in an Int (excluding Int.min) are held inline; others in a GMP `mpq_t`.
/// Invariant: `big != nil` exactly when the value does not fit inline.
@frozen
public struct Rational: @unchecked Sendable {
    @usableFromInline internal let num: Int
    @usableFromInline internal let den: Int
    @usableFromInline internal var big: MPQBox?

    /// Inline value; caller guarantees den > 0, gcd(num, den) = 1, neither is Int.min.
    @inlinable @inline(__always)
    internal init(num: Int, den: Int) { self.num = num; self.den = den; self.big = nil }

    @usableFromInline
    internal init(bigBox: MPQBox) { self.num = 0; self.den = 1; self.big = bigBox }

    @usableFromInline
    internal init(box: MPQBox) {
        let p = box.pointer
        let n = cgmp_mpq_numref(p), d = cgmp_mpq_denref(p)
        if __gmpz_fits_slong_p(n) != 0 && __gmpz_fits_slong_p(d) != 0 {
            let nv = __gmpz_get_si(n), dv = __gmpz_get_si(d)
            if nv != Int.min && dv != Int.min { self.init(num: nv, den: dv); return }
        }
        self.init(bigBox: box)
    }

    @inlinable
    public init(_ value: Int) {
        if value == Int.min { self.init(BigInt(value)) } else { self.init(num: value, den: 1) }
    }

    public init(_ value: BigInt) {
        if value.big == nil { self.init(num: value.small, den: 1); return }
        let box = MPQBox.make()
        __gmpz_set(cgmp_mpq_numref(box.pointer), value.big!.pointer)
        self.init(box: box)
    }

    /// numerator / denominator, reduced; traps if the denominator is zero.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational with zero denominator")
        let box = MPQBox.make()
        numerator.withMPZ { __gmpz_set(cgmp_mpq_numref(box.pointer), $0) }
        denominator.withMPZ { __gmpz_set(cgmp_mpq_denref(box.pointer), $0) }
        __gmpq_canonicalize(box.pointer)
        self.init(box: box)
    }

    @usableFromInline
    internal func withMPQ<R>(_ body: (UnsafePointer<__mpq_struct>) throws -> R) rethrows -> R {
        if let b = big { return try body(b.pointer) }
        var tmp = __mpq_struct()
        __gmpq_init(&tmp)
        defer { __gmpq_clear(&tmp) }
        __gmpz_set_si(cgmp_mpq_numref(&tmp), num)
        __gmpz_set_si(cgmp_mpq_denref(&tmp), den)
        return try withUnsafePointer(to: &tmp) { try body($0) }
    }

    @usableFromInline
    internal static func fromGMP(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) -> Rational {
        let box = MPQBox.make()
        body(box.pointer)
        return Rational(box: box)
    }

    public static let zero = Rational(num: 0, den: 1)
    public static let one = Rational(num: 1, den: 1)

    @inlinable public var isZero: Bool { big == nil && num == 0 }
    @inlinable public var isOne: Bool { big == nil && num == 1 && den == 1 }
    @inlinable public var isInteger: Bool {
        if big == nil { return den == 1 }
        return __gmpz_cmp_ui(cgmp_mpq_denref_const(big!.pointer), 1) == 0
    }
    @inlinable public var signum: Int {
        if let b = big { return Int(cgmp_mpq_sgn(b.pointer)) }
        return num.signum()
    }

    public var numerator: BigInt {
        if big == nil { return BigInt(small: num) }
        return BigInt.fromGMP { __gmpz_set($0, cgmp_mpq_numref_const(big!.pointer)) }
    }
    public var denominator: BigInt {
        if big == nil { return BigInt(small: den) }
        return BigInt.fromGMP { __gmpz_set($0, cgmp_mpq_denref_const(big!.pointer)) }
    }

    /// Nonnegative residue of the numerator times the inverse of the denominator modulo the
    /// prime p, or nil if p divides the denominator.
    public func mod(_ p: UInt) -> UInt? {
        if isInteger { return numerator.mod(p) }   // no inverse of 1 (a Fermat power)
        let n = numerator.mod(p), d = denominator.mod(p)
        guard d != 0 else { return nil }
        return ModularArithmetic.mulmod(n, ModularArithmetic.inverse(d, p), p)
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    @inlinable public init(integerLiteral value: Int) { self.init(value) }
}

extension Rational: Equatable {
    @inlinable
    public static func == (a: Rational, b: Rational) -> Bool {
        switch (a.big, b.big) {
        case (nil, nil): return a.num == b.num && a.den == b.den
        case (let x?, let y?): return __gmpq_equal(x.pointer, y.pointer) != 0
        default: return false
        }
    }
}

extension Rational: Comparable {
    public static func < (a: Rational, b: Rational) -> Bool {
        if a.big == nil && b.big == nil {
            if a.den == b.den { return a.num < b.num }
            let (l, o1) = a.num.multipliedReportingOverflow(by: b.den)
            let (r, o2) = b.num.multipliedReportingOverflow(by: a.den)
            if !o1 && !o2 { return l < r }
        }
        return a.withMPQ { x in b.withMPQ { y in __gmpq_cmp(x, y) < 0 } }
    }
}

extension Rational: Hashable {
    public func hash(into hasher: inout Hasher) {
        if big == nil { hasher.combine(num); hasher.combine(den) } else {
            hasher.combine(numerator); hasher.combine(denominator)
        }
    }
}

// MARK: - Arithmetic

@inlinable @inline(__always)
internal func smallGCD(_ a: Int, _ b: Int) -> Int {
    var x = a.magnitude, y = b.magnitude
    if x == 0 { return Int(y) }
    if y == 0 { return Int(x) }
    let shift = (x | y).trailingZeroBitCount
    x >>= x.trailingZeroBitCount
    repeat {
        y >>= y.trailingZeroBitCount
        if x > y { swap(&x, &y) }
        y -= x
    } while y != 0
    return Int(x << shift)
}

extension Rational {
    @inlinable
    public static func + (a: Rational, b: Rational) -> Rational {
        if a.big == nil && b.big == nil {
            if a.den == 1 && b.den == 1 {
                let (s, o) = a.num.addingReportingOverflow(b.num)
                if !o && s != Int.min { return Rational(num: s, den: 1) }
            } else if let r = smallAdd(a.num, a.den, b.num, b.den) { return r }
        }
        return slowAdd(a, b)
    }

    /// a/b + c/d on machine words (Knuth 4.5.1); nil on overflow.
    @usableFromInline
    static func smallAdd(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        let g = smallGCD(b, d)
        if g == 1 {
            let (ad, o1) = a.multipliedReportingOverflow(by: d)
            let (cb, o2) = c.multipliedReportingOverflow(by: b)
            let (n, o3) = ad.addingReportingOverflow(cb)
            let (q, o4) = b.multipliedReportingOverflow(by: d)
            if o1 || o2 || o3 || o4 || n == Int.min { return nil }
            return Rational(num: n, den: q)
        }
        let (ad, o1) = a.multipliedReportingOverflow(by: d / g)
        let (cb, o2) = c.multipliedReportingOverflow(by: b / g)
        let (t, o3) = ad.addingReportingOverflow(cb)
        if o1 || o2 || o3 || t == Int.min { return nil }
        if t == 0 { return .zero }
        let g2 = smallGCD(t, g)
        let (q, o4) = (b / g).multipliedReportingOverflow(by: d / g2)
        if o4 { return nil }
        return Rational(num: t / g2, den: q)
    }

    @usableFromInline @inline(never)
    static func slowAdd(_ a: Rational, _ b: Rational) -> Rational {
        a.withMPQ { x in b.withMPQ { y in fromGMP { __gmpq_add($0, x, y) } } }
    }

    @inlinable
    public static prefix func - (a: Rational) -> Rational {
        if a.big == nil { return Rational(num: -a.num, den: a.den) }
        return a.withMPQ { x in fromGMP { __gmpq_neg($0, x) } }
    }

    @inlinable
    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    @inlinable
    public static func * (a: Rational, b: Rational) -> Rational {
        if a.big == nil && b.big == nil {
            if a.den == 1 && b.den == 1 {
                let (s, o) = a.num.multipliedReportingOverflow(by: b.num)
                if !o && s != Int.min { return Rational(num: s, den: 1) }
            } else if let r = smallMul(a.num, a.den, b.num, b.den) { return r }
        }
        return slowMul(a, b)
    }

    @usableFromInline
    static func smallMul(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        if a == 0 || c == 0 { return .zero }
        let g1 = smallGCD(a, d), g2 = smallGCD(c, b)
        let (n, o1) = (a / g1).multipliedReportingOverflow(by: c / g2)
        let (q, o2) = (b / g2).multipliedReportingOverflow(by: d / g1)
        if o1 || o2 || n == Int.min { return nil }
        return Rational(num: n, den: q)
    }

    @usableFromInline @inline(never)
    static func slowMul(_ a: Rational, _ b: Rational) -> Rational {
        a.withMPQ { x in b.withMPQ { y in fromGMP { __gmpq_mul($0, x, y) } } }
    }

    /// The multiplicative inverse; traps on zero (use `divided(by:)` for a throwing form).
    public var reciprocal: Rational {
        precondition(!isZero, "reciprocal of zero")
        if big == nil { return num < 0 ? Rational(num: -den, den: -num) : Rational(num: den, den: num) }
        return withMPQ { x in Rational.fromGMP { __gmpq_inv($0, x) } }
    }

    public static func / (a: Rational, b: Rational) -> Rational { a * b.reciprocal }

    public func divided(by b: Rational) throws -> Rational {
        guard !b.isZero else { throw ExactNumberError.divisionByZero }
        return self / b
    }

    @inlinable public static func += (a: inout Rational, b: Rational) { a = a + b }
    @inlinable public static func -= (a: inout Rational, b: Rational) { a = a - b }
    @inlinable public static func *= (a: inout Rational, b: Rational) { a = a * b }
    public static func /= (a: inout Rational, b: Rational) { a = a / b }

    public var magnitude: Rational { signum < 0 ? -self : self }

    /// self += a * b. Fused, and in place on self's GMP storage when that storage is not
    /// shared and all three are integers: the hot path of polynomial products with large
    /// integer coefficients, where it saves two allocations per term pair.
    @inlinable
    public mutating func addProduct(_ a: Rational, _ b: Rational) {
        if big == nil && a.big == nil && b.big == nil && den == 1 && a.den == 1 && b.den == 1 {
            let (p, o1) = a.num.multipliedReportingOverflow(by: b.num)
            let (s, o2) = num.addingReportingOverflow(p)
            if !o1 && !o2 && s != Int.min { self = Rational(num: s, den: 1); return }
        }
        addProductSlow(a, b)
    }

    @usableFromInline @inline(never)
    mutating func addProductSlow(_ a: Rational, _ b: Rational) {
        if big != nil, isInteger, a.isInteger, b.isInteger, isKnownUniquelyReferenced(&big) {
            let target = cgmp_mpq_numref(big!.pointer)
            a.withMPQ { x in b.withMPQ { y in
                __gmpz_addmul(target, cgmp_mpq_numref_const(x), cgmp_mpq_numref_const(y))
            } }
            if __gmpz_fits_slong_p(target) != 0 {
                let v = __gmpz_get_si(target)
                if v != Int.min { self = Rational(num: v, den: 1) }
            }
            return
        }
        self = self + a * b
    }

    /// self^e for any integer e (negative e needs self != 0).
    public func power(_ e: Int) -> Rational {
        if e < 0 { return reciprocal.power(-e) }
        let n = numerator.power(e), d = denominator.power(e)
        return Rational(n, d)
    }
}

// MARK: - Text

extension Rational: LosslessStringConvertible, CustomStringConvertible {
    /// Canonical text: "p" for integers, "p/q" otherwise, q > 0, lowest terms.
    public var description: String {
        if big == nil { return den == 1 ? String(num) : "\(num)/\(den)" }
        return isInteger ? numerator.description : "\(numerator)/\(denominator)"
    }

    /// Reads "-12", "3/4", "0.125", ".5", "2.", "1.5e-3" exactly; nil otherwise.
    public init?(_ text: String) {
        guard let value = try? Rational(parsing: text) else { return nil }
        self = value
    }

    /// The largest |e| of a decimal "d.ddde<e>" (10^100000 has 332,193 bits).
    public static let maxDecimalExponent = 100_000

    /// As `init?(_:)`, but says what is wrong.
    public init(parsing text: String) throws {
        let s = text.trimmingASCIIWhitespace()
        if let slash = s.firstIndex(of: "/") {
            let dText = String(s[s.index(after: slash)...])
            // the sign belongs to the numerator only: "3/-4" is not canonical input
            guard let n = BigInt(String(s[..<slash])), dText.first != "-", dText.first != "+", let d = BigInt(dText)
            else { throw ExactNumberError.invalidNumber(text) }
            guard !d.isZero else { throw ExactNumberError.zeroDenominator(text) }
            self.init(n, d)
            return
        }
        if let n = BigInt(s) { self.init(n); return }
        // Decimal: [sign] digits [. digits] [e|E [sign] digits], with at least one digit.
        var rest = Substring(s)
        var negative = false
        if let f = rest.first, f == "-" || f == "+" { negative = f == "-"; rest = rest.dropFirst() }
        var mantissa = rest, exponentText: Substring = ""
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = rest[..<e]; exponentText = rest[rest.index(after: e)...]
            guard !exponentText.isEmpty else { throw ExactNumberError.invalidNumber(text) }
        }
        var intPart = mantissa, fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]; fracPart = mantissa[mantissa.index(after: dot)...]
        }
        let isDigits = { (t: Substring) in t.allSatisfy { $0.isASCII && $0.isNumber } }
        guard isDigits(intPart), isDigits(fracPart), !(intPart.isEmpty && fracPart.isEmpty)
        else { throw ExactNumberError.invalidNumber(text) }
        var exponent = 0
        if !exponentText.isEmpty {
            let digitsOnly = exponentText.drop { $0 == "-" || $0 == "+" }
            guard exponentText.count - digitsOnly.count <= 1, !digitsOnly.isEmpty, digitsOnly.allSatisfy({ $0.isASCII && $0.isNumber })
            else { throw ExactNumberError.invalidNumber(text) }
            guard let e = Int(exponentText), abs(e) <= Rational.maxDecimalExponent else {
                throw ExactNumberError.exponentTooLarge(text, limit: Rational.maxDecimalExponent)
            }
            exponent = e
        }
        guard let digits = BigInt(String(intPart) + String(fracPart) + (intPart.isEmpty && fracPart.isEmpty ? "0" : ""))
        else { throw ExactNumberError.invalidNumber(text) }
        let scale = exponent - fracPart.count
        var value = scale >= 0 ? Rational(digits * BigInt(10).power(scale))
                               : Rational(digits, BigInt(10).power(-scale))
        if negative { value = -value }
        self = value
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !ws($0) }), let last = lastIndex(where: { !ws($0) }) else { return "" }
        return String(self[first...last])
    }
}

// MARK: - Floating point, exactly

extension Rational {
    /// The exact value of a binary64 float: 0.1 is 3602879701896397/36028797018963968.
    /// Throws for NaN and infinities, which have no rational value.
    public init(_ value: Double) throws {
        guard value.isFinite else { throw ExactNumberError.notFinite(value) }
        if value == 0 { self = .zero; return }
        let isNormal = value.exponentBitPattern != 0
        var mantissa = Int(value.significandBitPattern) | (isNormal ? 1 << 52 : 0)
        var exponent = (isNormal ? Int(value.exponentBitPattern) : 1) - 1075
        let tz = mantissa.trailingZeroBitCount
        mantissa >>= tz; exponent += tz
        if value.sign == .minus { mantissa = -mantissa }
        if exponent >= 0 {
            self.init(BigInt(mantissa).shiftedLeft(exponent))
        } else {
            self.init(BigInt(mantissa), BigInt.one.shiftedLeft(-exponent))
        }
    }

    /// Nearest double, for display only (never used in exact paths).
    public var approximateDouble: Double {
        withMPQ { __gmpq_get_d($0) }
    }
}
