import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// A task's group through its multiplication table: elements are indices into
/// `task.elements` (0 = the identity), each with a shortest word.
struct GroupTable {
    /// times[j][s]: element j followed by symbol s.
    let times: [[Int]]
    /// words[g]: a shortest word reaching element g (breadth-first through `times`).
    let words: [[Int]]
    var count: Int { times.count }

    init(_ task: StateTrackingTask) {
        times = task.multiplicationTable
        // breadth-first from the identity: each element's word is indexed by the element itself
        var found: [[Int]?] = [[]] + [[Int]?](repeating: nil, count: max(times.count - 1, 0))
        var queue = [0], next = 0
        while next < queue.count {
            let j = queue[next]; next += 1
            for (s, k) in times[j].enumerated() where found[k] == nil { found[k] = found[j]! + [s]; queue.append(k) }
        }
        words = found.map { $0! }   // the elements are the products of the generators: all reached
    }

    /// x y: y's word applied to x.
    func product(_ x: Int, _ y: Int) -> Int { words[y].reduce(x) { times[$0][$1] } }

    /// The least k >= 1 with g^k = identity.
    func order(of g: Int) -> Int {
        var (x, k) = (g, 1)
        while x != 0 { x = product(x, g); k += 1 }
        return k
    }

    /// The element h with g h = identity.
    func inverse(of g: Int) -> Int { (0..<count).first { product(g, $0) == 0 }! }

    /// The element a symbol acts as.
    func element(ofSymbol s: Int) -> Int { times[0][s] }

    static func eulerPhi(_ n: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        return (1...max(n, 1)).filter { gcd($0, n) == 1 }.count
    }
}

/// Rational blocks built from cyclotomic polynomials (Docs/bilinear-hierarchy.md, argument 7).
enum CyclotomicBlocks {
    /// (d, Phi_d) for every d | n, increasing: Phi_d = (x^d - 1) / prod_{e | d, e < d} Phi_e.
    static func polynomials(dividing n: Int) -> [(d: Int, phi: [Rational])] {
        var out: [(d: Int, phi: [Rational])] = []
        for d in (1...n) where n % d == 0 {
            var p = [Rational](repeating: .zero, count: d + 1); p[0] = -1; p[d] = 1
            for (e, q) in out where d % e == 0 { p = Univariate.divide(p, by: q).quotient }
            out.append((d, p))
        }
        return out
    }

    /// Writes the companion matrix of the monic p (multiplication by x on Q[x]/p, basis
    /// 1, x, ..., x^(r-1)) into m at the diagonal block starting at `offset`.
    static func companion(_ p: [Rational], into m: inout RationalMatrix, at offset: Int) {
        let r = p.count - 1
        for i in stride(from: 1, to: r, by: 1) { m[offset + i, offset + i - 1] = 1 }
        for i in 0..<r { m[offset + i, offset + r - 1] = -p[i] }
    }

    /// The readout c with c . vectors[g] = [g = identity] (vectors[0] is the identity's), nil
    /// when the vectors are not a basis.
    static func readout(solving vectors: [[Rational]]) -> [Rational]? {
        let n = vectors.count
        guard vectors.allSatisfy({ $0.count == n }) else { return nil }
        let system = RationalMatrix(rows: n, columns: n + 1) { g, j in j < n ? vectors[g][j] : (g == 0 ? 1 : 0) }
        let (reduced, pivots) = system.reducedRowEchelonForm()
        guard pivots == Array(0..<n) else { return nil }
        return (0..<n).map { reduced[$0, n] }
    }

    /// One bilinear layer with M(e_s) = transitions[s].
    static func layer(transitions ms: [RationalMatrix], initialState h0: [Rational], readout c: [Rational]) -> NetworkModel {
        let n = h0.count
        let a = (0..<n).map { i in (0..<n).map { j in ms.map { $0[i, j] } } }
        return NetworkModel(inputDim: ms.count, layers: [RecurrentLayer(hidden: n, initialState: h0, bilinear: a)], readout: [c])
    }

    static func power(_ a: RationalMatrix, _ k: Int) -> RationalMatrix {
        (0..<k).reduce(RationalMatrix.identity(a.rows)) { acc, _ in acc * a }
    }
}
