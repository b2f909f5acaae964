/// Word-size arithmetic modulo a prime p < 2^63, shared by the modular kernels.
public enum ModularArithmetic {
    @inlinable @inline(__always)
    public static func mulmod(_ a: UInt, _ b: UInt, _ p: UInt) -> UInt {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        return p.dividingFullWidth((hi, lo)).remainder
    }

    public static func powmod(_ a: UInt, _ e: UInt, _ p: UInt) -> UInt {
        var result: UInt = 1 % p, base = a % p, e = e
        while e > 0 {
            if e & 1 == 1 { result = mulmod(result, base, p) }
            base = mulmod(base, base, p); e >>= 1
        }
        return result
    }

    /// Inverse of a modulo the prime p (a != 0 mod p), by Fermat.
    public static func inverse(_ a: UInt, _ p: UInt) -> UInt { powmod(a, p - 2, p) }

    /// Deterministic Miller-Rabin for n < 2^64.
    public static func isPrime(_ n: UInt) -> Bool {
        if n < 2 { return false }
        for q: UInt in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] where n % q == 0 { return n == q }
        var d = n - 1, s = 0
        while d & 1 == 0 { d >>= 1; s += 1 }
        witness: for a: UInt in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
            var x = powmod(a, d, n)
            if x == 1 || x == n - 1 { continue }
            for _ in 0..<max(0, s - 1) {
                x = mulmod(x, x, n)
                if x == n - 1 { continue witness }
            }
            return false
        }
        return true
    }

    /// The primes just below 2^bits, largest first: a fixed, reproducible sequence.
    public static func primes(below bound: UInt, count: Int) -> [UInt] {
        var result: [UInt] = []
        var candidate = bound - 1
        while result.count < count && candidate > 2 {
            if isPrime(candidate) { result.append(candidate) }
            candidate -= 1
        }
        return result
    }
}
