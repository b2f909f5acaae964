import CGMP

// The bridge that lets kernels written directly on GMP (matrix elimination, where
// in-place updates avoid one allocation per operation) read and write BigInt values.
extension BigInt {
    /// Copies the value into an initialised `mpz_t`.
    @inlinable
    package func copy(into z: UnsafeMutablePointer<__mpz_struct>) {
        if let b = big { __gmpz_set(z, b.pointer) } else { __gmpz_set_si(z, small) }
    }

    /// A value copied from an initialised `mpz_t`.
    package init(copying z: UnsafePointer<__mpz_struct>) {
        if __gmpz_fits_slong_p(z) != 0 {
            let v = __gmpz_get_si(z)
            if v != Int.min { self.init(small: v); return }
        }
        let box = MPZBox.make()
        __gmpz_set(box.pointer, z)
        self.init(box: box)
    }
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
