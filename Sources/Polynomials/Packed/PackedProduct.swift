import ExactNumbers

// Word-level helpers on packed monomials of k words.
@inline(__always)
func packedGreater(_ x: UnsafePointer<UInt64>, _ y: UnsafePointer<UInt64>, _ k: Int) -> Bool {
    for w in 0..<k where x[w] != y[w] { return x[w] > y[w] }
    return false
}

/// x > y as 0 or 1, without branches (the heap's child choice is a coin flip for the
/// branch predictor).
@inline(__always)
func packedGreaterBit(_ x: UnsafePointer<UInt64>, _ y: UnsafePointer<UInt64>, _ k: Int) -> Int {
    var greater = 0, equal = 1
    for w in 0..<k {
        let a = x[w], b = y[w]
        greater |= equal & (a > b ? 1 : 0)
        equal &= (a == b ? 1 : 0)
    }
    return greater
}

@inline(__always)
func packedEqual(_ x: UnsafePointer<UInt64>, _ y: UnsafePointer<UInt64>, _ k: Int) -> Bool {
    for w in 0..<k where x[w] != y[w] { return false }
    return true
}

extension PackedPolynomial {
    /// The product by Johnson's heap algorithm: a max-heap holds, for each term p_i of the
    /// smaller factor, the next unused pair p_i q_j keyed by the packed sum of exponents. Pairs
    /// leave the heap in canonical order, so equal monomials come out together and each
    /// output coefficient is summed in one integer accumulator: no hash table, no sort, and
    /// the live data is the heap (one entry per term of the smaller factor).
    /// Cost: n m pairs, each one integer multiply-add and a sift of the heap (log2 n levels).
    /// The layout is widened first when the product's degree would not fit (never wraps).
    public static func * (a: PackedPolynomial, b: PackedPolynomial) -> PackedPolynomial {
        let layout = a.layout.joined(b.layout, degree: (a.totalDegree ?? 0) + (b.totalDegree ?? 0))
        if a.isZero || b.isZero { return .zero(layout) }
        let a = a.moved(to: layout), b = b.moved(to: layout)
        let (p, q) = a.termCount <= b.termCount ? (a, b) : (b, a)
        let denominator = p.denominator * q.denominator
        if p.termCount == 1 { return q.timesTerm(p, denominator: denominator) }
        let k = layout.words, n = p.termCount, m = q.termCount
        let pc = BigInt.borrowed(p.coefficients), qc = BigInt.borrowed(q.coefficients)
        // Word coefficients whose every output sum fits 127 bits (at most min(n, m) pairs per
        // monomial) are summed in an Int128 directly, without the accumulator's checks.
        let words = Self.wordSums(pc, qc, pairsPerMonomial: min(n, m))
        var output: HeapOutput? = nil
        withExtendedLifetime((p, q)) {
            p.exponents.withUnsafeBufferPointer { pe in q.exponents.withUnsafeBufferPointer { qe in
                pc.withUnsafeBufferPointer { pcb in qc.withUnsafeBufferPointer { qcb in
                    words.p.withUnsafeBufferPointer { pw in words.q.withUnsafeBufferPointer { qw in
                        let f = HeapFactors(n: n, m: m, k: k, pE: pe.baseAddress!, qE: qe.baseAddress!,
                                            pc: pcb.baseAddress!, qc: qcb.baseAddress!,
                                            pw: words.fit ? pw.baseAddress : nil, qw: words.fit ? qw.baseAddress : nil)
                        let all = HeapRows(starts: [Int](repeating: 0, count: n), ends: [Int](repeating: m, count: n))
                        if n * m < parallelPairs {
                            output = f.product(all)
                            return
                        }
                        // Two cores: the pairs at or above a splitting monomial on one, the rest on
                        // the other; the halves hold disjoint monomials, so their concatenation is the
                        // product in order, the same whichever thread finishes first.
                        let (upper, lower) = f.split(all)
                        let halves = Parallel.both({ f.product(upper) }, { f.product(lower) })
                        halves.0.append(moving: halves.1)
                        output = halves.0
                    } }
                } }
            } }
        }
        let (outExponents, outCoefficients) = output!.arrays()
        return .normalised(layout: layout, exponents: outExponents, coefficients: outCoefficients, denominator: denominator)
    }

    /// The factors' coefficients as words, and whether every sum of up to `pairsPerMonomial`
    /// products of them fits an Int128 (bits(p) + bits(q) + bits(pairs) <= 126).
    static func wordSums(_ p: [BigInt.Borrowed], _ q: [BigInt.Borrowed], pairsPerMonomial: Int) -> (fit: Bool, p: [Int], q: [Int]) {
        func bits(_ c: [BigInt.Borrowed]) -> Int? {
            var top: UInt = 0
            for x in c { if !x.isWord { return nil }; top |= x.small.magnitude }
            return UInt.bitWidth - top.leadingZeroBitCount
        }
        guard let bp = bits(p), let bq = bits(q),
              bp + bq + (Int.bitWidth - pairsPerMonomial.leadingZeroBitCount) <= 126 else { return (false, [], []) }
        return (true, p.map(\.small), q.map(\.small))
    }

    /// Products of at least this many term pairs are split over two cores.
    static let parallelPairs = 1 << 18

    /// For each row i of the smaller factor, the pairs p_i q_j with starts[i] <= j < ends[i].
    struct HeapRows: Sendable {
        var starts: [Int], ends: [Int]
    }

    /// The factors of one product as raw views (valid inside the product's scope).
    struct HeapFactors: @unchecked Sendable {
        let n: Int, m: Int, k: Int
        let pE: UnsafePointer<UInt64>, qE: UnsafePointer<UInt64>
        let pc: UnsafePointer<BigInt.Borrowed>, qc: UnsafePointer<BigInt.Borrowed>
        /// The coefficients as words when every output sum fits an Int128 (`wordSums`), else nil.
        let pw: UnsafePointer<Int>?, qw: UnsafePointer<Int>?

        /// Rows split at a pivot monomial: the pairs at or above it, and those below (q is
        /// descending, so each row's boundary is a binary search). The pivot is the p_{n/2} q_j
        /// that halves the pair count, found by bisection on j (the count above p_{n/2} q_j
        /// grows with j), so both cores get about the same number of pairs.
        func split(_ rows: HeapRows) -> (HeapRows, HeapRows) {
            var pivot = [UInt64](repeating: 0, count: k)
            var sum = [UInt64](repeating: 0, count: k)
            var boundaries = [Int](repeating: 0, count: n)
            let total = zip(rows.starts, rows.ends).reduce(0) { $0 + $1.1 - $1.0 }
            pivot.withUnsafeMutableBufferPointer { pv in
                sum.withUnsafeMutableBufferPointer { sb in
                    /// Pairs at or above p_{n/2} q_j; each row's boundary into `boundaries`.
                    func above(_ j: Int) -> Int {
                        for w in 0..<k { pv[w] = pE[(n / 2) * k + w] &+ qE[j * k + w] }
                        var count = 0
                        for i in 0..<n {
                            var lo = rows.starts[i], hi = rows.ends[i]  // first j whose pair is below the pivot
                            while lo < hi {
                                let mid = (lo + hi) / 2
                                for w in 0..<k { sb[w] = pE[i * k + w] &+ qE[mid * k + w] }
                                if packedGreater(pv.baseAddress!, sb.baseAddress!, k) { hi = mid } else { lo = mid + 1 }
                            }
                            boundaries[i] = lo
                            count += lo - rows.starts[i]
                        }
                        return count
                    }
                    var lo = 0, hi = m - 1
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if above(mid) * 2 < total { lo = mid + 1 } else { hi = mid }
                    }
                    _ = above(lo)
                }
            }
            var upper = rows, lower = rows
            for i in 0..<n { upper.ends[i] = boundaries[i]; lower.starts[i] = boundaries[i] }
            return (upper, lower)
        }

        func product(_ rows: HeapRows) -> HeapOutput {
            let out = HeapOutput(words: k)
            rows.starts.withUnsafeBufferPointer { s in rows.ends.withUnsafeBufferPointer { t in
                // a constant word count lets the compiler unroll the word loops
                switch k {
                case 1: heapProduct(k: 1, s.baseAddress!, t.baseAddress!, out)
                case 2: heapProduct(k: 2, s.baseAddress!, t.baseAddress!, out)
                case 3: heapProduct(k: 3, s.baseAddress!, t.baseAddress!, out)
                default: heapProduct(k: k, s.baseAddress!, t.baseAddress!, out)
                }
            } }
            return out
        }

        /// The heap loop, with chains as in FLINT's heap products: a node holds one monomial
        /// and the chain of rows whose next pair has it. Each output monomial pops the nodes
        /// holding it (one bottom-up sift each: the hole goes to a leaf along the larger
        /// children, one branch-free comparison per level, then the moved entry climbs back),
        /// sums their pairs in one integer accumulator, and inserts each row's next pair from
        /// a new leaf upwards, joining a chain when it meets its own monomial on the way.
        /// A row's next pair is usually small, so an insertion climbs a level or two: the
        /// heap's log n is paid per output node, not per pair.
        @inline(__always)
        func heapProduct(k: Int, _ starts: UnsafePointer<Int>, _ ends: UnsafePointer<Int>,
                         _ out: HeapOutput) {
            let acc = IntegerAccumulator()
            // node slots 0...n (slot `count` is a zero sentinel: no key is smaller), then the
            // held, current and fresh keys
            let key = UnsafeMutablePointer<UInt64>.allocate(capacity: (n + 4) &* k)
            key.initialize(repeating: 0, count: (n + 4) &* k)
            let head = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)   // node -> first row of its chain
            let chain = UnsafeMutablePointer<Int>.allocate(capacity: n)      // row -> next row of its chain, or -1
            let next = UnsafeMutablePointer<Int>.allocate(capacity: n)       // row -> its next j
            let popped = UnsafeMutablePointer<Int>.allocate(capacity: n)
            defer { key.deallocate(); head.deallocate(); chain.deallocate(); next.deallocate(); popped.deallocate() }
            let held = key + (n + 1) &* k, current = key + (n + 2) &* k, fresh = key + (n + 3) &* k
            var count = 0

            // fresh = p_i q_{next[i]}: insert row i, or chain it to a node on its path with that key
            // (both helpers inlined, so the word count k stays a constant in their loops)
            @inline(__always) func insert(_ i: Int) {
                var pos = count
                while pos > 0 {
                    let parent = (pos &- 1) >> 1
                    let pk = key + parent &* k
                    if packedEqual(fresh, pk, k) { chain[i] = head[parent]; head[parent] = i; return }
                    if !packedGreater(fresh, pk, k) { break }
                    pos = parent
                }
                var hole = count
                while hole > pos {
                    let parent = (hole &- 1) >> 1
                    for w in 0..<k { key[hole &* k &+ w] = key[parent &* k &+ w] }
                    head[hole] = head[parent]
                    hole = parent
                }
                for w in 0..<k { key[pos &* k &+ w] = fresh[w] }
                head[pos] = i; chain[i] = -1
                count += 1
                for w in 0..<k { key[count &* k &+ w] = 0 }
            }

            // removes the root node: the last node takes its place and sifts down bottom-up
            @inline(__always) func removeRoot() {
                count -= 1
                let last = head[count]
                for w in 0..<k { held[w] = key[count &* k &+ w]; key[count &* k &+ w] = 0 }
                if count == 0 { return }
                var pos = 0
                while true {
                    var c = 2 &* pos &+ 1
                    if c >= count { break }
                    c += packedGreaterBit(key + (c &+ 1) &* k, key + c &* k, k)
                    for w in 0..<k { key[pos &* k &+ w] = key[c &* k &+ w] }
                    head[pos] = head[c]
                    pos = c
                }
                while pos > 0 {
                    let parent = (pos &- 1) >> 1
                    if !packedGreater(held, key + parent &* k, k) { break }
                    for w in 0..<k { key[pos &* k &+ w] = key[parent &* k &+ w] }
                    head[pos] = head[parent]
                    pos = parent
                }
                for w in 0..<k { key[pos &* k &+ w] = held[w] }
                head[pos] = last
            }

            for i in 0..<n where starts[i] < ends[i] {
                next[i] = starts[i]
                for w in 0..<k { fresh[w] = pE[i &* k &+ w] &+ qE[starts[i] &* k &+ w] }
                insert(i)
            }
            while count > 0 {
                for w in 0..<k { current[w] = key[w] }
                var npop = 0
                repeat {
                    var r = head[0]
                    while r >= 0 { popped[npop] = r; npop += 1; r = chain[r] }
                    removeRoot()
                } while count > 0 && packedEqual(key, current, k)
                let v: BigInt
                if let pw, let qw {
                    var sum: Int128 = 0
                    for t in 0..<npop { let r = popped[t]; sum &+= Int128(pw[r]) &* Int128(qw[next[r]]) }
                    v = sum == 0 ? .zero : BigInt(sum)
                } else {
                    acc.reset()
                    for t in 0..<npop { let r = popped[t]; acc.addProduct(pc[r], qc[next[r]]) }
                    v = acc.value
                }
                if !v.isZero { out.append(current, v, k: k) }
                for t in 0..<npop {
                    let r = popped[t]
                    let j = next[r] + 1
                    if j < ends[r] {
                        next[r] = j
                        for w in 0..<k { fresh[w] = pE[r &* k &+ w] &+ qE[j &* k &+ w] }
                        insert(r)
                    }
                }
            }
        }
    }

    /// self times the one-term polynomial t: adding one monomial keeps the order.
    func timesTerm(_ t: PackedPolynomial, denominator: BigInt) -> PackedPolynomial {
        let k = layout.words, c = t.coefficients[0]
        var e = exponents
        for i in 0..<termCount { for w in 0..<k { e[i * k + w] &+= t.exponents[w] } }
        let coefficients = c.isOne ? self.coefficients : self.coefficients.map { $0 * c }
        return .normalised(layout: layout, exponents: e, coefficients: coefficients, denominator: denominator)
    }

    /// self^e by repeated multiplication (the sparse side drives each product).
    public func power(_ e: Int) -> PackedPolynomial {
        precondition(e >= 0, "negative polynomial power")
        if e == 0 { return PackedPolynomial(Rational.one, layout: layout) }
        var r = self
        for _ in 1..<e { r = r * self }
        return r
    }
}
