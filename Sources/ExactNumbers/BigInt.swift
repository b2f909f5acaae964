import CGMP

/// An arbitrary-precision integer. Values with |v| <= Int.max are held inline (no
/// allocation); larger ones in a GMP `mpz_t`. Invariant: `big != nil` exactly when
/// the value does not fit inline, so equality and hashing never need GMP for
/// small values.
@frozen
public struct BigInt: @unchecked Sendable {
    @usableFromInline internal let small: Int
    @usableFromInline internal let big: MPZBox?

    @inlinable @inline(__always)
    internal init(small: Int) { self.small = small; self.big = nil }

    /// A value known not to fit a word (no check).
    @usableFromInline
    internal init(wide box: MPZBox) { self.small = 0; self.big = box }

    @usableFromInline
    internal init(box: MPZBox) {
        let p = box.pointer
        if __gmpz_fits_slong_p(p) != 0 {
            let v = __gmpz_get_si(p)
            if v != Int.min { self.small = v; self.big = nil; return }
        }
        self.small = 0; self.big = box
    }

    @inlinable
    public init(_ value: Int) {
        if value == Int.min { self = BigInt.makeIntMin() } else { self.init(small: value) }
    }

    @usableFromInline @inline(never)
    internal static func makeIntMin() -> BigInt {
        let box = MPZBox.make()
        __gmpz_set_si(box.pointer, Int.min)
        return BigInt(box: box)
    }

    /// Calls `body` with a read-only GMP view of the value (a temporary for inline values).
    @usableFromInline
    internal func withMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        if let b = big { return try body(b.pointer) }
        var tmp = __mpz_struct()
        __gmpz_init_set_si(&tmp, small)
        defer { __gmpz_clear(&tmp) }
        return try withUnsafePointer(to: &tmp) { try body($0) }
    }

    /// Builds a value by letting GMP write into a fresh `mpz_t`.
    @usableFromInline
    internal static func fromGMP(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let box = MPZBox.make()
        body(box.pointer)
        return BigInt(box: box)
    }

    public static let zero = BigInt(small: 0)
    public static let one = BigInt(small: 1)

    @inlinable public var isZero: Bool { big == nil && small == 0 }
    @inlinable public var isOne: Bool { big == nil && small == 1 }

    /// -1, 0 or 1.
    @inlinable public var signum: Int {
        if let b = big { return Int(cgmp_mpz_sgn(b.pointer)) }
        return small.signum()
    }

    /// The value as an Int, or nil when it does not fit.
    @inlinable public var intValue: Int? {
        if big == nil { return small }
        return withMPZ { __gmpz_fits_slong_p($0) != 0 ? __gmpz_get_si($0) : nil }
    }

    /// The 64-bit words of |value|, least significant first (empty for zero): what a kernel
    /// that reduces one number modulo many primes reads, without a GMP call per prime.
    public var magnitudeWords: [UInt] {
        if big == nil { return small == 0 ? [] : [small.magnitude] }
        return withMPZ { z in (0..<Int(__gmpz_size(z))).map { UInt(__gmpz_getlimbn(z, $0)) } }
    }

    /// Number of bits of |value| (0 for zero).
    public var bitWidth: Int {
        if big == nil { return small == 0 ? 0 : Int.bitWidth - small.magnitude.leadingZeroBitCount }
        return withMPZ { Int(__gmpz_sizeinbase($0, 2)) }
    }

    /// Nonnegative residue modulo m, for any m > 0 (m = 0 traps, as Int's % does).
    @inlinable
    public func mod(_ m: UInt) -> UInt {
        if big == nil {
            // m >= 2^63 has no Int form: |small| <= 2^63 <= m, so the residue is small or m - |small|
            if m > UInt(Int.max) { return small >= 0 ? UInt(small) : m - small.magnitude }
            let r = small % Int(m)
            return UInt(bitPattern: r < 0 ? r + Int(m) : r)
        }
        return withMPZ { UInt(__gmpz_fdiv_ui($0, m)) }
    }
}

// MARK: - Literals, equality, order, hashing

extension BigInt: ExpressibleByIntegerLiteral {
    @inlinable public init(integerLiteral value: Int) { self.init(value) }
}

extension BigInt: Equatable {
    @inlinable
    public static func == (a: BigInt, b: BigInt) -> Bool {
        switch (a.big, b.big) {
        case (nil, nil): return a.small == b.small
        case (let x?, let y?): return __gmpz_cmp(x.pointer, y.pointer) == 0
        default: return false
        }
    }
}

extension BigInt: Comparable {
    @inlinable
    public static func < (a: BigInt, b: BigInt) -> Bool {
        if a.big == nil && b.big == nil { return a.small < b.small }
        return a.withMPZ { x in b.withMPZ { y in __gmpz_cmp(x, y) < 0 } }
    }
}

extension BigInt: Hashable {
    public func hash(into hasher: inout Hasher) {
        if let b = big {
            let p = b.pointer
            let n = Int(cgmp_mpz_size(p))
            hasher.combine(cgmp_mpz_sgn(p))
            for i in 0..<n { hasher.combine(__gmpz_getlimbn(p, i)) }
        } else {
            hasher.combine(small)
        }
    }
}

// MARK: - Arithmetic

extension BigInt {
    @inlinable
    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.big == nil && b.big == nil {
            let (s, o) = a.small.addingReportingOverflow(b.small)
            if !o && s != Int.min { return BigInt(small: s) }
        }
        return slowAdd(a, b)
    }
    @usableFromInline @inline(never)
    static func slowAdd(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { x in b.withMPZ { y in fromGMP { __gmpz_add($0, x, y) } } }
    }

    @inlinable
    public static func - (a: BigInt, b: BigInt) -> BigInt {
        if a.big == nil && b.big == nil {
            let (s, o) = a.small.subtractingReportingOverflow(b.small)
            if !o && s != Int.min { return BigInt(small: s) }
        }
        return slowSub(a, b)
    }
    @usableFromInline @inline(never)
    static func slowSub(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { x in b.withMPZ { y in fromGMP { __gmpz_sub($0, x, y) } } }
    }

    @inlinable
    public static func * (a: BigInt, b: BigInt) -> BigInt {
        if a.big == nil && b.big == nil {
            let (s, o) = a.small.multipliedReportingOverflow(by: b.small)
            if !o && s != Int.min { return BigInt(small: s) }
        }
        return slowMul(a, b)
    }
    @usableFromInline @inline(never)
    static func slowMul(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { x in b.withMPZ { y in fromGMP { __gmpz_mul($0, x, y) } } }
    }

    @inlinable
    public static prefix func - (a: BigInt) -> BigInt {
        if a.big == nil { return BigInt(small: -a.small) }  // small is never Int.min
        return a.withMPZ { x in fromGMP { __gmpz_neg($0, x) } }
    }

    @inlinable public static func += (a: inout BigInt, b: BigInt) { a = a + b }
    @inlinable public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
    @inlinable public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    public var magnitude: BigInt { signum < 0 ? -self : self }

    /// Truncating division (rounds toward zero), like Swift's `Int`. Traps on zero divisor
    /// only through `precondition`; use `quotientAndRemainder(dividingBy:)` checked callers.
    public func quotientAndRemainder(dividingBy d: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!d.isZero, "BigInt division by zero")
        if big == nil && d.big == nil {
            // |small| <= Int.max so no overflow is possible
            return (BigInt(small: small / d.small), BigInt(small: small % d.small))
        }
        var q = BigInt.zero, r = BigInt.zero
        withMPZ { x in d.withMPZ { y in
            let qb = MPZBox.make(), rb = MPZBox.make()
            __gmpz_tdiv_qr(qb.pointer, rb.pointer, x, y)
            q = BigInt(box: qb); r = BigInt(box: rb)
        } }
        return (q, r)
    }
    public static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
    public static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Exact division when b divides a (faster than general division in GMP).
    public func dividedExactly(by b: BigInt) -> BigInt {
        precondition(!b.isZero, "BigInt division by zero")
        if big == nil && b.big == nil { return BigInt(small: small / b.small) }
        return withMPZ { x in b.withMPZ { y in BigInt.fromGMP { __gmpz_divexact($0, x, y) } } }
    }

    public func power(_ e: Int) -> BigInt {
        precondition(e >= 0, "negative exponent for an integer power")
        if big == nil {
            if small == 0 || small == 1 { return e == 0 ? .one : self }
            if small == -1 { return e % 2 == 0 ? .one : self }
        }
        return withMPZ { x in BigInt.fromGMP { __gmpz_pow_ui($0, x, UInt(e)) } }
    }

    /// Multiplies by 2^k (k >= 0).
    public func shiftedLeft(_ k: Int) -> BigInt {
        withMPZ { x in BigInt.fromGMP { __gmpz_mul_2exp($0, x, mp_bitcnt_t(k)) } }
    }
}

/// Greatest common divisor, always >= 0; gcd(0, 0) = 0.
public func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
    if a.big == nil && b.big == nil {
        var x = a.small.magnitude, y = b.small.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return BigInt(small: Int(x))
    }
    return a.withMPZ { x in b.withMPZ { y in BigInt.fromGMP { __gmpz_gcd($0, x, y) } } }
}

/// Least common multiple, always >= 0; lcm(a, 0) = 0.
public func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
    a.withMPZ { x in b.withMPZ { y in BigInt.fromGMP { __gmpz_lcm($0, x, y) } } }
}

// MARK: - Text

extension BigInt: LosslessStringConvertible, CustomStringConvertible {
    public var description: String {
        if big == nil { return String(small) }
        return withMPZ { x in
            let size = __gmpz_sizeinbase(x, 10) + 2
            var buf = [CChar](repeating: 0, count: Int(size))
            __gmpz_get_str(&buf, 10, x)
            return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Reads an optionally signed decimal integer ("-12", "+7"); nil otherwise.
    public init?(_ text: String) {
        var digits = Substring(text)
        var negative = false
        if let f = digits.first, f == "-" || f == "+" { negative = f == "-"; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count <= 18, let v = Int(digits) { self.init(negative ? -v : v); return }
        let box = MPZBox.make()
        guard __gmpz_set_str(box.pointer, String(digits), 10) == 0 else { return nil }
        if negative { __gmpz_neg(box.pointer, box.pointer) }
        self.init(box: box)
    }
}
