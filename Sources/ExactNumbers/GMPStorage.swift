import CGMP

// GMP values live at a stable heap address (ManagedBuffer element storage) so that
// pointers handed to GMP stay valid and Swift's exclusivity rules are never crossed.
// Boxes are immutable once built: every operation writes a fresh box, which makes
// BigInt and Rational plain values with no copy-on-write bookkeeping.

/// One GMP integer: the header is the `mpz_t`; the elements are its limbs when the value was
/// written once from known limbs (`make(limbs:)`: one allocation instead of two, as a product's
/// output terms need), else unused and GMP owns the limbs (`make()`). An inline box is never
/// handed to GMP as an output (it could not reallocate the limbs), only read.
@usableFromInline
final class MPZBox: ManagedBuffer<__mpz_struct, mp_limb_t> {
    @usableFromInline
    static func make() -> MPZBox {
        let box = unsafeDowncast(MPZBox.create(minimumCapacity: 0) { _ in __mpz_struct() }, to: MPZBox.self)
        box.withUnsafeMutablePointerToHeader { __gmpz_init($0) }
        return box
    }

    /// A box whose value is sign * the `count` limbs `body` writes (the top limb nonzero).
    static func make(limbs count: Int, negative: Bool, _ body: (UnsafeMutablePointer<mp_limb_t>) -> Void) -> MPZBox {
        let box = unsafeDowncast(MPZBox.create(minimumCapacity: count) { _ in __mpz_struct() }, to: MPZBox.self)
        box.withUnsafeMutablePointers { z, limbs in
            body(limbs)
            z.pointee = __mpz_struct(_mp_alloc: Int32(count), _mp_size: Int32(negative ? -count : count), _mp_d: limbs)
        }
        return box
    }

    deinit {
        withUnsafeMutablePointers { z, limbs in if z.pointee._mp_d != limbs { __gmpz_clear(z) } }
    }

    @usableFromInline
    var pointer: UnsafeMutablePointer<__mpz_struct> {
        withUnsafeMutablePointerToHeader { $0 }
    }
}

@usableFromInline
final class MPQBox: ManagedBuffer<Void, __mpq_struct> {
    @usableFromInline
    static func make() -> MPQBox {
        let box = unsafeDowncast(MPQBox.create(minimumCapacity: 1) { _ in () }, to: MPQBox.self)
        box.withUnsafeMutablePointerToElements { __gmpq_init($0) }
        return box
    }
    deinit { withUnsafeMutablePointerToElements { __gmpq_clear($0) } }

    @usableFromInline
    var pointer: UnsafeMutablePointer<__mpq_struct> {
        withUnsafeMutablePointerToElements { $0 }
    }
}

/// Errors raised when text or floating-point input has no exact value.
public enum ExactNumberError: Error, Equatable, CustomStringConvertible {
    case invalidNumber(String)
    case zeroDenominator(String)
    /// A decimal exponent past the supported magnitude (the value would have millions of digits).
    case exponentTooLarge(String, limit: Int)
    case notFinite(Double)
    case divisionByZero
    /// A modulus a modular routine cannot use (not prime, or outside its range).
    case badModulus(UInt, String)
    /// A residue that is not reduced modulo the prime.
    case unreducedResidue(index: Int, value: UInt64, modulus: UInt)

    public var description: String {
        switch self {
        case .invalidNumber(let s): return "not an exact number: \"\(s)\""
        case .zeroDenominator(let s): return "zero denominator in \"\(s)\""
        case let .exponentTooLarge(s, limit): return "the exponent of \"\(s)\" is past the supported range -\(limit)...\(limit)"
        case .notFinite(let d): return "\(d) has no exact rational value"
        case .divisionByZero: return "division by zero"
        case let .badModulus(p, why): return "modulus \(p): \(why)"
        case let .unreducedResidue(i, v, p): return "residue \(v) at index \(i) is not reduced modulo \(p)"
        }
    }
}
