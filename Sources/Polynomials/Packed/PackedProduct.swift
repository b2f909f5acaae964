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
        var outExponents: [UInt64] = [], outCoefficients: [BigInt] = []
        withExtendedLifetime((p, q)) {
            p.exponents.withUnsafeBufferPointer { pe in q.exponents.withUnsafeBufferPointer { qe in
                pc.withUnsafeBufferPointer { pcb in qc.withUnsafeBufferPointer { qcb in
                    let f = HeapFactors(n: n, m: m, k: k, pE: pe.baseAddress!, qE: qe.baseAddress!,
                                        pc: pcb.baseAddress!, qc: qcb.baseAddress!)
                    let all = HeapRows(starts: [Int](repeating: 0, count: n), ends: [Int](repeating: m, count: n))
                    if n * m < parallelPairs {
                        (outExponents, outCoefficients) = f.product(all)
                        return
                    }
                    // Two cores: the pairs at or above a splitting monomial on one, the rest on
                    // the other; the halves hold disjoint monomials, so their concatenation is the
                    // product in order, the same whichever thread finishes first.
                    let (upper, lower) = f.split(all)
                    let halves = Parallel.both({ f.product(upper) }, { f.product(lower) })
                    outExponents = halves.0.exponents + halves.1.exponents
                    outCoefficients = halves.0.coefficients + halves.1.coefficients
                } }
            } }
        }
        return .normalised(layout: layout, exponents: outExponents, coefficients: outCoefficients, denominator: denominator)
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

        /// Rows split at the monomial p_{n/2} q_{m/2}: pairs at or above it, and those below
        /// (q is descending, so each row's boundary is found by binary search).
        func split(_ rows: HeapRows) -> (HeapRows, HeapRows) {
            var pivot = [UInt64](repeating: 0, count: k)
            for w in 0..<k { pivot[w] = pE[(n / 2) * k + w] &+ qE[(m / 2) * k + w] }
            var upper = rows, lower = rows
            var sum = [UInt64](repeating: 0, count: k)
            pivot.withUnsafeBufferPointer { pv in
                sum.withUnsafeMutableBufferPointer { sb in
                    for i in 0..<n {
                        var lo = rows.starts[i], hi = rows.ends[i]  // first j whose pair is below the pivot
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            for w in 0..<k { sb[w] = pE[i * k + w] &+ qE[mid * k + w] }
                            if packedGreater(pv.baseAddress!, sb.baseAddress!, k) { hi = mid } else { lo = mid + 1 }
                        }
                        upper.ends[i] = lo; lower.starts[i] = lo
                    }
                }
            }
            return (upper, lower)
        }

        func product(_ rows: HeapRows) -> (exponents: [UInt64], coefficients: [BigInt]) {
            var e: [UInt64] = [], c: [BigInt] = []
            let pairs = zip(rows.starts, rows.ends).reduce(0) { $0 + $1.1 - $1.0 }
            let expected = min(pairs, 4 * (n + m))
            e.reserveCapacity(expected * k); c.reserveCapacity(expected)
            rows.starts.withUnsafeBufferPointer { s in rows.ends.withUnsafeBufferPointer { t in
                // a constant word count lets the compiler unroll the word loops
                switch k {
                case 1: heapProduct(k: 1, s.baseAddress!, t.baseAddress!, &e, &c)
                case 2: heapProduct(k: 2, s.baseAddress!, t.baseAddress!, &e, &c)
                case 3: heapProduct(k: 3, s.baseAddress!, t.baseAddress!, &e, &c)
                default: heapProduct(k: k, s.baseAddress!, t.baseAddress!, &e, &c)
                }
            } }
            return (e, c)
        }

        /// The heap loop. Each step replaces the root by the next pair of its row (or by the
        /// last entry when the row is used up) and sifts it down bottom-up: the hole goes to a
        /// leaf along the larger children (one branch-free comparison per level), then the
        /// entry climbs back, usually not far, as a row's next pair is usually small.
        @inline(__always)
        func heapProduct(k: Int, _ starts: UnsafePointer<Int>, _ ends: UnsafePointer<Int>,
                         _ outExponents: inout [UInt64], _ outCoefficients: inout [BigInt]) {
            let acc = IntegerAccumulator()
            // slots 0..<n, a sentinel slot (zero: no key is smaller), the held and current keys
            let key = UnsafeMutablePointer<UInt64>.allocate(capacity: (n + 3) * k)
            let rows = UnsafeMutablePointer<Int>.allocate(capacity: n)
            let next = UnsafeMutablePointer<Int>.allocate(capacity: n)
            defer { key.deallocate(); rows.deallocate(); next.deallocate() }
            let held = key + (n + 1) * k, current = key + (n + 2) * k
            var count = 0
            for i in 0..<n where starts[i] < ends[i] {
                rows[count] = i; next[i] = starts[i]
                for w in 0..<k { key[count * k + w] = pE[i * k + w] &+ qE[starts[i] * k + w] }
                count += 1
            }
            for w in 0..<k { key[count * k + w] = 0 }
            // heapify (rows with a common start are already in order; a split's are not)
            func siftDown(_ start: Int) {
                var pos = start
                let r = rows[pos]
                for w in 0..<k { held[w] = key[pos * k + w] }
                while true {
                    var c = 2 * pos + 1
                    if c >= count { break }
                    c += packedGreaterBit(key + (c + 1) * k, key + c * k, k)
                    if !packedGreater(key + c * k, held, k) { break }
                    for w in 0..<k { key[pos * k + w] = key[c * k + w] }
                    rows[pos] = rows[c]
                    pos = c
                }
                for w in 0..<k { key[pos * k + w] = held[w] }
                rows[pos] = r
            }
            if count > 1 { for s in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(s) } }
            var started = false
            while count > 0 {
                let i = rows[0]
                if !started || !packedEqual(key, current, k) {
                    if started {
                        let v = acc.value
                        acc.reset()
                        if !v.isZero {
                            outExponents.append(contentsOf: UnsafeBufferPointer(start: current, count: k))
                            outCoefficients.append(v)
                        }
                    }
                    for w in 0..<k { current[w] = key[w] }
                    started = true
                }
                let j = next[i]
                acc.addProduct(pc[i], qc[j])
                var row = i
                if j + 1 < ends[i] {
                    next[i] = j + 1
                    for w in 0..<k { held[w] = pE[i * k + w] &+ qE[(j + 1) * k + w] }
                } else {
                    count -= 1
                    if count == 0 { break }
                    row = rows[count]
                    for w in 0..<k { held[w] = key[count * k + w]; key[count * k + w] = 0 }
                }
                var pos = 0
                while true {
                    var c = 2 * pos + 1
                    if c >= count { break }
                    // slot count is the zero sentinel, never chosen over a real entry
                    c += packedGreaterBit(key + (c + 1) * k, key + c * k, k)
                    for w in 0..<k { key[pos * k + w] = key[c * k + w] }
                    rows[pos] = rows[c]
                    pos = c
                }
                while pos > 0 {
                    let parent = (pos - 1) / 2
                    if !packedGreater(held, key + parent * k, k) { break }
                    for w in 0..<k { key[pos * k + w] = key[parent * k + w] }
                    rows[pos] = rows[parent]
                    pos = parent
                }
                for w in 0..<k { key[pos * k + w] = held[w] }
                rows[pos] = row
            }
            let v = acc.value
            if started && !v.isZero {
                outExponents.append(contentsOf: UnsafeBufferPointer(start: current, count: k))
                outCoefficients.append(v)
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
