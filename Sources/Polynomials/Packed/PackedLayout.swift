/// Where a packed monomial keeps its exponents: fields of `bits` bits, the total degree
/// first, then variables 0, 1, ..., most significant first, a field never straddling two
/// words. Comparing the words as unsigned integers, first word first, is then the canonical
/// term order (degree first, then the larger exponent of the lowest variable), and the
/// product of two monomials is their word-wise sum.
///
/// The top bit of every field is a guard that values keep clear: every field holds less
/// than 2^(bits-1), so the sum of two fields never carries into the next one. Every exponent
/// is at most the total degree, so a product whose degree fits (`fits(degree:)`, checked
/// before any word is added) cannot overflow a field; one that does not fit widens the
/// layout first instead of wrapping.
public struct PackedLayout: Hashable, Sendable, CustomStringConvertible {
    public let variableCount: Int
    public let bits: Int
    public let fieldsPerWord: Int
    public let words: Int

    /// Field widths past 33 bits would let an exponent exceed `Monomial.maxExponent`.
    public static let maxBits = 33

    public init(variableCount: Int, bits: Int) {
        precondition(variableCount >= 0, "negative variable count")
        precondition(bits >= 2 && bits <= PackedLayout.maxBits, "packed field width \(bits) outside 2...\(PackedLayout.maxBits)")
        self.variableCount = variableCount
        self.bits = bits
        fieldsPerWord = 64 / bits
        words = (variableCount + 1 + fieldsPerWord - 1) / fieldsPerWord
    }

    /// The narrowest layout whose fields hold total degree `degree` (at least 3 value bits,
    /// so a layout is not widened at every early step).
    public init(variableCount: Int, degree: Int) {
        precondition(degree >= 0, "negative degree")
        let valueBits = max(3, Int.bitWidth - degree.leadingZeroBitCount)
        precondition(valueBits + 1 <= PackedLayout.maxBits, "degree \(degree) past Monomial.maxExponent")
        self.init(variableCount: variableCount, bits: valueBits + 1)
    }

    /// The largest exponent (and total degree) a field holds.
    public var maxValue: Int { (1 << (bits - 1)) - 1 }

    /// Whether monomials of total degree up to `degree` fit: every exponent is at most the
    /// total degree, so the degree field bounds them all.
    public func fits(degree: Int) -> Bool { degree <= maxValue }

    /// The layout both operands of a sum or product can be moved into, holding degree `degree`.
    public func joined(_ other: PackedLayout, degree: Int) -> PackedLayout {
        let n = max(variableCount, other.variableCount)
        let wide = PackedLayout(variableCount: n, degree: degree)
        return PackedLayout(variableCount: n, bits: max(bits, other.bits, wide.bits))
    }

    /// Word and shift of field f (0 = total degree, 1 + v = variable v).
    @inlinable @inline(__always)
    func position(ofField f: Int) -> (word: Int, shift: Int) {
        (f / fieldsPerWord, (fieldsPerWord - 1 - f % fieldsPerWord) * bits)
    }

    @inlinable @inline(__always)
    var fieldMask: UInt64 { (1 << UInt64(bits)) - 1 }

    /// Exponent of variable v (or the total degree for `degreeField`) in a packed monomial.
    @inlinable @inline(__always)
    func field(_ f: Int, of m: UnsafePointer<UInt64>) -> Int {
        let (w, s) = position(ofField: f)
        return Int((m[w] >> UInt64(s)) & fieldMask)
    }

    public var description: String { "\(variableCount) variables, \(bits)-bit fields, \(words) word(s) per monomial" }
}
