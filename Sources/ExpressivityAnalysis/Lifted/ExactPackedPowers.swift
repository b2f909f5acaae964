import ExactNumbers
import Polynomials

/// A polynomial with integer coefficients on packed monomials, terms sorted by key, no zero
/// coefficients.
struct IntegerPackedPolynomial: PackedFactor {
    var keys: [PackedKey]
    var coefficients: [BigInt]
    var termCount: Int { keys.count }
    static var one: IntegerPackedPolynomial { IntegerPackedPolynomial(keys: [.zero], coefficients: [.one]) }

    /// self * g by a heap merge of the |g| shifted copies of self (each stays sorted): the
    /// pairs that meet on one monomial are summed in place, so a coefficient is allocated once
    /// per output term. nil when an exponent would overflow its field.
    func times(_ g: IntegerPackedPolynomial, _ layout: PackedLayout) -> IntegerPackedPolynomial? {
        let n = keys.count, m = g.keys.count
        let sum = IntegerAccumulator()
        guard n > 0 && m > 0 else { return IntegerPackedPolynomial(keys: [], coefficients: []) }
        // the heap holds one (next key, stream) per copy j of self; position[j] is its term of self
        var heap: [(key: PackedKey, stream: Int)] = []
        heap.reserveCapacity(m)
        var position = [Int](repeating: 0, count: m)
        for j in 0..<m {
            let k = keys[0] + g.keys[j]
            if layout.overflows(k) { return nil }
            heap.append((k, j))
        }
        heap.sort { $0.key < $1.key }   // a sorted array is a heap
        var outKeys: [PackedKey] = [], outCoefficients: [BigInt] = []
        outKeys.reserveCapacity(n + m); outCoefficients.reserveCapacity(n + m)
        while !heap.isEmpty {
            let current = heap[0].key
            sum.reset()
            while !heap.isEmpty && heap[0].key == current {
                let j = heap[0].stream, i = position[j]
                sum.addProduct(coefficients[i], g.coefficients[j])
                if i + 1 < n {
                    position[j] = i + 1
                    let k = keys[i + 1] + g.keys[j]
                    if layout.overflows(k) { return nil }
                    heap[0] = (k, j)
                } else {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                }
                IntegerPackedPolynomial.siftDown(&heap)
            }
            let c = sum.value
            if !c.isZero { outKeys.append(current); outCoefficients.append(c) }
        }
        return IntegerPackedPolynomial(keys: outKeys, coefficients: outCoefficients)
    }

    @inline(__always) static func siftDown(_ heap: inout [(key: PackedKey, stream: Int)]) {
        var i = 0
        let count = heap.count
        while true {
            let l = 2 * i + 1
            if l >= count { return }
            let r = l + 1
            let c = r < count && heap[r].key < heap[l].key ? r : l
            if heap[c].key < heap[i].key { heap.swapAt(c, i); i = c } else { return }
        }
    }
}

/// Powers of the step map with its denominators cleared, (D G)^mu for the least common
/// denominator D of G's coefficients, exact on packed monomials: the twin of StepPowers
/// (rational powers on unpacked monomials) that builds the exact transitions the closure
/// certificates check against, several times faster.
struct ExactPackedPowers {
    let powers: PackedStepPowers<IntegerPackedPolynomial>
    let denominator: BigInt
    var layout: PackedLayout { powers.layout }

    /// nil when a monomial of the step map does not pack.
    init?(step: [Polynomial], inputDim: Int, layout: PackedLayout, maxTerms: Int) {
        // D G_v for every v at once: one common denominator for the whole step map
        let (numerators, d) = LiftedSystem.integerScaled(step.flatMap { $0.terms.map(\.coefficient) })
        var next = numerators.makeIterator()
        var s: [IntegerPackedPolynomial] = []
        for g in step {
            var terms: [(PackedKey, BigInt)] = []
            for (_, m) in g.terms {
                guard let k = layout.pack(m) else { return nil }
                terms.append((k, next.next()!))
            }
            terms.sort { $0.0 < $1.0 }
            s.append(IntegerPackedPolynomial(keys: terms.map(\.0), coefficients: terms.map(\.1)))
        }
        powers = PackedStepPowers(step: s, inputDim: inputDim, layout: layout, maxTerms: maxTerms)
        denominator = d
    }

    /// (D G)^mu, or nil when an exponent overflows its field.
    func power(_ mu: Monomial) throws -> IntegerPackedPolynomial? { try powers.power(mu) }
}
