/// Chinese remaindering and rational reconstruction: the two halves of a multimodular
/// computation. A result obtained this way is a guess until checked exactly; the callers
/// verify it (Docs/separation-rank.md, "closure certificates").
public enum Multimodular {
    /// The x in [0, m p) with x = a (mod m) and x = r (mod p), for m coprime to the prime p.
    public static func combine(_ a: BigInt, modulus m: BigInt, with r: UInt, prime p: UInt) -> BigInt {
        let am = a.mod(p), mm = m.mod(p)
        precondition(mm != 0, "the moduli must be coprime")
        // x = a + m k with k = (r - a) / m (mod p)
        let diff = r >= am ? r - am : p - (am - r)
        let k = ModularArithmetic.mulmod(diff, ModularArithmetic.inverse(mm, p), p)
        return a + m * BigInt(Int(k))
    }

    /// The n/d with |n|, d > 0 both below sqrt(m/2), n = a d (mod m) and gcd(n, d) = 1, when it
    /// exists (it is then unique); nil otherwise. Wang's algorithm: the extended Euclidean
    /// remainder sequence of (m, a) stopped at the first remainder below the bound.
    public static func reconstruct(_ a: BigInt, modulus m: BigInt) -> Rational? {
        precondition(m.signum > 0)
        let a = a % m, twice = { (x: BigInt) in x * x * BigInt(2) }
        var (r0, r1) = (m, a.signum < 0 ? a + m : a)
        var (t0, t1) = (BigInt.zero, BigInt.one)
        while twice(r1) >= m {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        guard !t1.isZero, twice(t1) < m, gcd(r1, t1).isOne else { return nil }
        return t1.signum < 0 ? Rational(-r1, -t1) : Rational(r1, t1)
    }
}
