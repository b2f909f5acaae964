import CGMP

// The bridge that lets kernels written directly on GMP (matrix elimination, where
// in-place updates avoid one allocation per operation) read and write BigInt values.
extension BigInt {
    /// Copies the value into an initialised `mpz_t`.
    @inlinable
    package func copy(into z: UnsafeMutablePointer<__mpz_struct>) {
        if let b = big { __gmpz_set(z, b.pointer) } else { __gmpz_set_si(z, small) }
    }

    /// A 128-bit value (inline when it fits a word; else its limbs in the box's own storage).
    package init(_ v: Int128) {
        if let small = Int(exactly: v) { self.init(small); return }
        let m = v.magnitude
        let hi = UInt(truncatingIfNeeded: m >> 64)
        let box = MPZBox.make(limbs: hi == 0 ? 1 : 2, negative: v < 0) { limbs in
            limbs[0] = mp_limb_t(UInt(truncatingIfNeeded: m))
            if hi != 0 { limbs[1] = mp_limb_t(hi) }
        }
        self.init(wide: box)
    }

    /// A value copied from an initialised `mpz_t` (its limbs in the box's own storage).
    package init(copying z: UnsafePointer<__mpz_struct>) {
        if __gmpz_fits_slong_p(z) != 0 {
            let v = __gmpz_get_si(z)
            if v != Int.min { self.init(small: v); return }
        }
        let size = Int(z.pointee._mp_size.magnitude)
        let box = MPZBox.make(limbs: size, negative: z.pointee._mp_size < 0) { limbs in
            limbs.update(from: z.pointee._mp_d, count: size)
        }
        self.init(wide: box)
    }
}

extension BigInt {
    /// A value read without reference counting, for inner loops that read the same stored
    /// integers millions of times (a polynomial product's coefficients): valid only while
    /// the BigInt it was taken from is alive and unchanged.
    @frozen
    package struct Borrowed {
        package let small: Int
        @usableFromInline let mpz: UnsafePointer<__mpz_struct>?
        /// Whether the value is `small` (held in a word).
        package var isWord: Bool { mpz == nil }
    }

    package var borrowed: Borrowed { Borrowed(small: small, mpz: big.map { UnsafePointer($0.pointer) }) }

    /// Borrowed views of every value; valid while `values` is alive and unchanged.
    package static func borrowed(_ values: [BigInt]) -> [Borrowed] { values.map(\.borrowed) }
}

/// A fixed-size array of mutable GMP integers, freed with the owner.
package final class MPZArray {
    package let count: Int
    package let base: UnsafeMutablePointer<__mpz_struct>

    package init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        for i in 0..<count { __gmpz_init(base + i) }
    }
    deinit {
        for i in 0..<count { __gmpz_clear(base + i) }
        base.deallocate()
    }
    @inlinable package subscript(i: Int) -> UnsafeMutablePointer<__mpz_struct> { base + i }
}

/// A running integer sum of products, updated in place (one GMP integer reused): a kernel
/// that adds many products into one output coefficient allocates once per output, not once
/// per product. Products of two machine words are exact in 128 bits and summed there first
/// (as FLINT's small-coefficient products sum in three words), while the sum fits.
package final class IntegerAccumulator {
    private let z: UnsafeMutablePointer<__mpz_struct>
    private let word: UnsafeMutablePointer<__mpz_struct>
    private var pending: Int128 = 0
    /// Whether z holds anything (else the sum is `pending` alone).
    private var wide = false

    package init() {
        z = .allocate(capacity: 1); __gmpz_init(z)
        word = .allocate(capacity: 1); __gmpz_init(word)
    }
    deinit {
        __gmpz_clear(z); z.deallocate()
        __gmpz_clear(word); word.deallocate()
    }

    package func reset() {
        if wide { __gmpz_set_ui(z, 0); wide = false }
        pending = 0
    }

    /// sum += a b for words: |a b| <= 2^126, so the product is exact in 128 bits.
    @inline(__always)
    private func addWords(_ a: Int, _ b: Int) {
        let p = Int128(a) * Int128(b)
        let (s, o) = pending.addingReportingOverflow(p)
        if !o { pending = s; return }
        flushPending()
        pending = p
    }

    /// z += pending, pending := 0.
    private func flushPending() {
        if pending == 0 { return }
        let m = pending.magnitude
        __gmpz_set_ui(word, UInt(truncatingIfNeeded: m >> 64))
        __gmpz_mul_2exp(word, word, 64)
        __gmpz_add_ui(word, word, UInt(truncatingIfNeeded: m))
        if pending < 0 { __gmpz_sub(z, z, word) } else { __gmpz_add(z, z, word) }
        wide = true
        pending = 0
    }

    /// sum += a b.
    package func addProduct(_ a: BigInt, _ b: BigInt) {
        if a.big == nil && b.big == nil { addWords(a.small, b.small) }
        else if b.big == nil { a.withMPZ { addProduct($0, b.small) } }
        else if a.big == nil { b.withMPZ { addProduct($0, a.small) } }
        else {
            wide = true
            a.withMPZ { pa in b.withMPZ { pb in __gmpz_addmul(z, pa, pb) } }
        }
    }

    /// sum += a b, for borrowed values (no reference counting in the loop).
    package func addProduct(_ a: BigInt.Borrowed, _ b: BigInt.Borrowed) {
        switch (a.mpz, b.mpz) {
        case (nil, nil): addWords(a.small, b.small)
        case (let x?, nil): addProduct(x, b.small)
        case (nil, let y?): addProduct(y, a.small)
        case (let x?, let y?): wide = true; __gmpz_addmul(z, x, y)
        }
    }

    private func addProduct(_ x: UnsafePointer<__mpz_struct>, _ w: Int) {
        wide = true
        if w >= 0 { __gmpz_addmul_ui(z, x, UInt(w)) } else { __gmpz_submul_ui(z, x, w.magnitude) }
    }

    /// The sum so far.
    package var value: BigInt {
        if !wide { return BigInt(pending) }
        flushPending()
        return BigInt(copying: z)
    }
}
