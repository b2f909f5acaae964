import Testing
import ExactNumbers
import _TestSupport

@Suite("BigInt")
struct BigIntTests {
    @Test("ring laws on random values mixing inline and GMP representations")
    func ringLaws() {
        var g = SeededGenerator(seed: 1)
        for _ in 0..<500 {
            let bits = [8, 40, 62, 63, 64, 130][Int.random(in: 0..<6, using: &g)]
            let a = BigInt.random(bits: bits, using: &g), b = BigInt.random(bits: 63, using: &g), c = BigInt.random(bits: 100, using: &g)
            #expect(a + b == b + a)
            #expect(a * b == b * a)
            #expect((a + b) + c == a + (b + c))
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - a == 0)
            #expect(a + (-a) == .zero)
            #expect((a + b) - b == a)
            if !b.isZero {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                #expect(q * b + r == a)
                #expect(r.magnitude < b.magnitude)
                #expect((a * b).dividedExactly(by: b) == a)
            }
        }
    }

    @Test("overflow at the inline boundary goes to GMP and comes back")
    func boundary() {
        let max = BigInt(Int.max)
        #expect((max + 1).description == "9223372036854775808")
        #expect((max + 1) - 1 == max)
        #expect(BigInt(Int.min).description == "-9223372036854775808")
        #expect(-BigInt(Int.min) == max + 1)
        #expect(max * max == BigInt(2).power(126) - BigInt(2).power(64) + 1)  // (2^63-1)^2
        #expect((max * max).dividedExactly(by: max) == max)
        #expect(BigInt(Int.min) + 1 == BigInt(Int.min + 1))
        #expect(BigInt(Int.min + 1).intValue == Int.min + 1)
        #expect((max + 1).intValue == nil)
        // hashes agree across a value reached through GMP and built inline
        #expect(Set([(max + 5) - 10, max - 5]).count == 1)
    }

    @Test("text round trip and rejection of non-integers")
    func text() {
        var g = SeededGenerator(seed: 2)
        for _ in 0..<200 {
            let a = BigInt.random(bits: Int.random(in: 1...300, using: &g), using: &g)
            #expect(BigInt(a.description) == a)
        }
        #expect(BigInt("-12") == -12)
        #expect(BigInt("+7") == 7)
        for bad in ["", "-", "1.5", "12a", "0x10", " 3"] { #expect(BigInt(bad) == nil) }
    }

    @Test("gcd, lcm, powers and ordering")
    func numberTheory() {
        #expect(gcd(BigInt(12), BigInt(-18)) == 6)
        #expect(gcd(BigInt(0), BigInt(0)) == 0)
        #expect(lcm(BigInt(4), BigInt(6)) == 12)
        #expect(BigInt(2).power(100).description == "1267650600228229401496703205376")
        #expect(BigInt(-3).power(3) == -27)
        #expect(BigInt(2).power(70) > BigInt(2).power(69))
        #expect(-BigInt(2).power(70) < BigInt(Int.min))
        var g = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let a = BigInt.random(bits: 90, using: &g), b = BigInt.random(bits: 70, using: &g)
            let d = gcd(a, b)
            if !d.isZero {
                #expect((a % d).isZero && (b % d).isZero)
                #expect(gcd(a.dividedExactly(by: d), b.dividedExactly(by: d)) == 1)
                #expect(d * lcm(a, b) == (a * b).magnitude)
            }
            #expect((a < b) != (b < a) || a == b)
        }
    }

    @Test("issue 11 item 6: mod is right for every modulus, 2^63 and above included (the small path used to wrap m into a negative Int)")
    func modLargeModulus() {
        let big = (UInt(1) << 63) + 5, top = UInt.max
        for x in [0, 1, -1, 7, -7, Int.max, Int.min, 123_456_789, -987_654_321] {
            let b = BigInt(x)
            for m: UInt in [big, top, UInt(1) << 63, 3, 1_000_003] {
                // independently: the Euclidean remainder by BigInt division
                let M = BigInt(String(m))!
                var expected = b.quotientAndRemainder(dividingBy: M).remainder
                if expected.signum < 0 { expected = expected + M }
                #expect(BigInt(String(b.mod(m)))! == expected, "x = \(x), m = \(m)")
            }
        }
        #expect(BigInt(-1).mod(big) == big - 1)
        #expect(BigInt(Int.min).mod(UInt(1) << 63) == 0)
        #expect(BigInt(Int.max).mod(top) == UInt(Int.max))
    }
}

@Suite("In-place integer kernels")
struct IntegerKernelTests {
    @Test("the accumulator's sum of products equals the plain BigInt sum, across the word/GMP boundaries")
    func accumulator() {
        var g = SeededGenerator(seed: 11)
        let sum = IntegerAccumulator()
        // word products that overflow, sums that overflow, Int.min, big x small, big x big
        let edges: [BigInt] = [BigInt(Int.max), BigInt(Int.min), BigInt(Int.min) + 1, BigInt(1 << 32), BigInt(-(1 << 31)), 1, -1, 0]
        for round in 0..<400 {
            sum.reset()
            var expected = BigInt.zero
            for _ in 0..<Int.random(in: 0...12, using: &g) {
                let pick = { (g: inout SeededGenerator) -> BigInt in
                    Int.random(in: 0..<3, using: &g) == 0 ? edges[Int.random(in: 0..<edges.count, using: &g)]
                        : BigInt.random(bits: [3, 31, 62, 63, 64, 200][Int.random(in: 0..<6, using: &g)], using: &g)
                }
                let a = pick(&g), b = pick(&g)
                sum.addProduct(a, b)
                expected += a * b
            }
            #expect(sum.value == expected, "round \(round)")
            // reading the value does not disturb the running sum
            sum.addProduct(3, 5)
            #expect(sum.value == expected + 15, "round \(round)")
        }
    }

    @Test("issue 14: word products summed in 128 bits spill to GMP exactly when the sum overflows; borrowed reads agree; 128-bit values convert exactly")
    func accumulator128() {
        let sum = IntegerAccumulator()
        // (2^63 - 1)^2 < 2^126 is exact in 128 bits; eight of them pass 2^128, so the running
        // sum spills to GMP (BigInt(Int.min) itself lives in GMP, so it does not reach this path)
        let m = BigInt(Int.max), values = [BigInt(Int.max), BigInt(-Int.max), BigInt(-5)]
        for _ in 0..<8 { sum.addProduct(m.borrowed, m.borrowed) }
        #expect(sum.value == m * m * 8)
        for _ in 0..<8 { sum.addProduct(m, -m) }
        #expect(sum.value == 0)
        for _ in 0..<5 { sum.addProduct(-m, m) }
        #expect(sum.value == m * m * -5)
        sum.reset()
        for a in values { for b in values { sum.addProduct(a.borrowed, b.borrowed) } }
        #expect(sum.value == values.reduce(BigInt.zero, +) * values.reduce(BigInt.zero, +))
        let two64 = BigInt(1).shiftedLeft(64)
        let cases: [(Int128, BigInt)] = [(0, 0), (-1, -1), (Int128(Int.max) + 1, BigInt(Int.max) + 1), (Int128(1) << 64, two64),
                                         (-(Int128(1) << 64) - 7, -two64 - 7), (Int128.max, two64 * two64 / 2 - 1), (Int128.min, -(two64 * two64 / 2))]
        for (v, expected) in cases { #expect(BigInt(v) == expected, "\(v)") }
    }

    @Test("values whose limbs live in their own box (from 128 bits, copied from a sum) read right in every GMP operation and outlive their source")
    func limbsInBox() {
        var g = SeededGenerator(seed: 13)
        let sum = IntegerAccumulator()
        for round in 0..<300 {
            // a 65..127-bit value from Int128, and a 70..400-bit one copied out of the accumulator
            let bits = 65 + round % 63
            let magnitude = (Int128(1) << (bits - 1)) | Int128(truncatingIfNeeded: UInt64.random(in: 0...UInt64.max, using: &g))
            let v = round % 2 == 0 ? magnitude : -magnitude
            let a = BigInt(v), expectedA = BigInt(String(v))!
            let c = BigInt.random(bits: 70 + round, using: &g)
            sum.reset(); sum.addProduct(c, 1)
            let b = sum.value
            sum.reset(); sum.addProduct(7, 7)   // the accumulator's own mpz is reused; b keeps its value
            #expect(a == expectedA && b == c, "round \(round)")
            #expect(a.description == String(v) && a.hashValue == expectedA.hashValue)
            #expect(a * b == expectedA * c && a + b - c == expectedA && (a * b).dividedExactly(by: b) == a)
            #expect(gcd(a * 6, b * 6) == gcd(expectedA, c) * 6 && (a < b) == (expectedA < c) && -a == -expectedA)
            #expect(a.bitWidth == bits && BigInt(String(b.description))! == b)
        }
    }

    @Test("magnitude words rebuild |v|, least significant first")
    func magnitudeWords() {
        var g = SeededGenerator(seed: 12)
        #expect(BigInt.zero.magnitudeWords.isEmpty)
        #expect(BigInt(Int.min).magnitudeWords == [UInt(1) << 63])
        for _ in 0..<200 {
            let v = BigInt.random(bits: Int.random(in: 1...400, using: &g), using: &g)
            let rebuilt = v.magnitudeWords.reversed().reduce(BigInt.zero) { $0.shiftedLeft(64) + BigInt(Int($1 >> 1)).shiftedLeft(1) + BigInt(Int($1 & 1)) }
            #expect(rebuilt == v.magnitude)
        }
    }
}
