#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ExactNumbers

/// A heap product's output terms in order, in buffers grown by `realloc` (a large block moves
/// by remapping pages, not by copying), moved once into the polynomial's arrays at the end.
/// BigInt values are moved bitwise: no reference counting per term.
final class HeapOutput: @unchecked Sendable {
    let words: Int
    private(set) var count = 0
    private var capacity = 0
    private var exponents: UnsafeMutablePointer<UInt64>?
    private var coefficients: UnsafeMutablePointer<BigInt>?

    init(words: Int) { self.words = words }

    deinit {
        coefficients?.deinitialize(count: count)
        free(exponents); free(coefficients)
    }

    private func grow(to n: Int) {
        guard let e = realloc(exponents, n * words * MemoryLayout<UInt64>.stride),
              let c = realloc(coefficients, n * MemoryLayout<BigInt>.stride) else {
            fatalError("out of memory for \(n) product terms")
        }
        exponents = e.assumingMemoryBound(to: UInt64.self)
        coefficients = c.assumingMemoryBound(to: BigInt.self)
        capacity = n
    }

    @inline(__always)
    func append(_ monomial: UnsafePointer<UInt64>, _ c: BigInt, k: Int) {
        if count == capacity { grow(to: max(1024, 2 * capacity)) }
        let e = exponents! + count &* k
        for w in 0..<k { e[w] = monomial[w] }
        (coefficients! + count).initialize(to: c)
        count += 1
    }

    /// Appends every term of `other` (all of whose monomials are smaller), leaving it empty.
    func append(moving other: HeapOutput) {
        if other.count == 0 { return }
        if count + other.count > capacity { grow(to: count + other.count) }
        (exponents! + count * words).update(from: other.exponents!, count: other.count * words)
        (coefficients! + count).moveInitialize(from: other.coefficients!, count: other.count)
        count += other.count
        other.count = 0
    }

    /// The terms as arrays (exponents k words per term), leaving this output empty.
    func arrays() -> (exponents: [UInt64], coefficients: [BigInt]) {
        let n = count, k = words
        let e = [UInt64](unsafeUninitializedCapacity: n * k) { buffer, initialised in
            if n > 0 { buffer.baseAddress!.initialize(from: exponents!, count: n * k) }
            initialised = n * k
        }
        let c = [BigInt](unsafeUninitializedCapacity: n) { buffer, initialised in
            if n > 0 { buffer.baseAddress!.moveInitialize(from: coefficients!, count: n) }
            initialised = n
        }
        count = 0
        return (e, c)
    }
}
