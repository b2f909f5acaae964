import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Exact upper bounds on dim O_k at every cut, for models whose first layer is a Hadamard
/// layer h1_t = (Ws h1_{t-1}) ⊙ (Wi x_t) with Ws invertible (a RAC's first layer; the layers
/// above are any). Docs/separation-rank.md, "the graded observable pass", proves:
///
///     O_k ⊆ V_j := ⊕_β (Ws h1)^β ⊗ S^j_β,   j = T - k,
///
/// with S^j_β spaces of polynomials in the upper layers' states. V_0 is read off the readout
/// c(h1, upper) written in v = Ws h1; V_{j+1} comes from V_j by pulling each generator
/// (Ws h1)^α s(upper) back through the layers above the first (h1 stays a variable, the new
/// h1 of the step), expanding in h1 and reading the coefficient of h1^β: because
/// h1^β = (Ws h1')^β y^β with y = Wi x, that coefficient is the y^β-coefficient of the pullback,
/// so S^{j+1}_β is spanned by those coefficients (the x-coefficients are combinations of them).
/// The pieces are small (the upper layers' monomials, 20 at depth 3, n = 2, j = 8, against
/// |Mon_k| = 666), so each is decided modulo p (full there means full over Q) and only the
/// proper ones are computed over Q. dim O_k <= dim V_j = sum of the pieces' dimensions.
struct GradedObservable {
    let n1: Int
    /// (Ws h1)_i, variables 0..<n1.
    let stateForms: [Polynomial]
    /// h1_i = (Ws^{-1} v)_i as a substitution (variables 0..<n1 for both).
    let inverse: [Int: Polynomial]
    /// The upper layers' new states: variables 0..<n1 are the first layer's new state,
    /// n1..<n1 + N_up the upper layers' old states.
    let upperStep: [Polynomial]
    /// c(h1, upper) = C rho(h^L) (+ bias) in the same variables (h1 and upper at one time).
    let readout: Polynomial
    let maxTerms: Int

    /// Whether the first layer is (Ws h) ⊙ (Wi x) alone, without an activation, Ws invertible.
    static func firstLayer(of model: NetworkModel) -> (state: RationalMatrix, inverse: RationalMatrix)? {
        guard let first = model.layers.first, first.terms.count == 1, case .hadamard(let hd) = first.terms[0],
              first.activation == nil || first.activation == [0, 1] else { return nil }
        let ws = RationalMatrix(hd.state)
        guard let inv = ws.inverse() else { return nil }
        return (ws, inv)
    }

    init?(_ model: NetworkModel, output: Int, maxTerms: Int) throws {
        guard let (ws, inv) = GradedObservable.firstLayer(of: model) else { return nil }
        let n1 = model.layers[0].hidden
        self.n1 = n1; self.maxTerms = maxTerms
        stateForms = (0..<n1).map { i in Polynomial.combination((0..<n1).map { (ws[i, $0], Polynomial.variable($0)) }) }
        inverse = Dictionary(uniqueKeysWithValues: (0..<n1).map { i in
            (i, Polynomial.combination((0..<n1).map { (inv[i, $0], Polynomial.variable($0)) }))
        })
        // the layers above the first read rho_1(h1): a pass-through first layer (h = x) with
        // the same rho, whose input is the real first layer's new state
        let identity = (0..<n1).map { i in (0..<n1).map { Rational($0 == i ? 1 : 0) } }
        let pass = RecurrentLayer(hidden: n1, input: identity, outputActivation: model.layers[0].outputActivation)
        let upper = NetworkModel(inputDim: n1, layers: [pass] + model.layers.dropFirst(), readout: model.readout,
                                 readoutBias: model.readoutBias)
        var offset = n1
        var symbolic: [[Polynomial]] = [[Polynomial](repeating: Polynomial(0), count: n1)]
        for layer in model.layers.dropFirst() {
            symbolic.append((0..<layer.hidden).map { Polynomial.variable(offset + $0) })
            offset += layer.hidden
        }
        var one = Unrolling<Polynomial>(upper, states: symbolic, step: 0)
        one.advance()
        upperStep = one.states.dropFirst().flatMap { $0 }
        symbolic[0] = (0..<n1).map { Polynomial.variable($0) }
        readout = try Unrolling<Polynomial>(upper, states: symbolic, step: 1).output(output)
    }

    /// One piece of V_j: its key β (variables 0..<n1) and S_β (nil: every polynomial on the
    /// level's upper monomials), with the basis's residues modulo p.
    struct Piece {
        let key: Monomial
        let basis: [[Rational]]?
        let residues: [[UInt]]?
    }

    struct Level {
        /// The upper monomials (variables n1..<n1 + N_up) every S_β lives on.
        let upper: [Monomial]
        let pieces: [Piece]
        var dimension: Int { pieces.reduce(0) { $0 + ($1.basis?.count ?? upper.count) } }
        var proof: GradedObservableProof.Level {
            .init(upper: upper, pieces: pieces.map { .init(key: $0.key, basis: $0.basis) })
        }
    }

    /// V_0 ... V_J; nil when a residue modulo p does not exist (a denominator divisible by it).
    /// Refuses a level above `maxLift` dimensions (its cut's lifted state is at least as large).
    func levels(upTo J: Int, length T: Int, maxLift: Int) throws -> [Level]? {
        guard let first = try level0() else { return nil }
        var out = [first]
        while out.count <= J {
            guard let next = try pullback(out[out.count - 1]) else { return nil }
            if next.dimension > maxLift {
                throw LiftedError.liftTooLarge(length: T, step: T - out.count, size: next.dimension, limit: maxLift)
            }
            out.append(next)
        }
        return out
    }

    private var isFirst: (Int) -> Bool { { [n1] in $0 < n1 } }

    /// V_0: the readout in v = Ws h1, split by its v-monomials.
    func level0() throws -> Level? {
        let groups = readout.substituting(inverse).grouped(where: isFirst)
        var upper: [Monomial] = [], at: [Monomial: Int] = [:]
        for (_, g) in groups.sorted(by: { GradedObservable.precedes($0.key, $1.key) }) {
            for (_, m) in g.terms where at[m] == nil { at[m] = upper.count; upper.append(m) }
        }
        var pieces: [Piece] = []
        for (key, g) in groups.sorted(by: { GradedObservable.precedes($0.key, $1.key) }) {
            var row = [Rational](repeating: .zero, count: upper.count)
            for (c, m) in g.terms { row[at[m]!] = c }
            guard let r = Self.residues(row) else { return nil }
            pieces.append(Piece(key: key, basis: [row], residues: [r]))
        }
        return Level(upper: upper, pieces: pieces)
    }

    /// A fixed order of monomials (degree, then exponents variable by variable), so the
    /// pieces come out in the same order in every run.
    static func precedes(_ a: Monomial, _ b: Monomial) -> Bool {
        if a.totalDegree != b.totalDegree { return a.totalDegree < b.totalDegree }
        for (x, y) in zip(a.factors, b.factors) {
            if x.variable != y.variable { return x.variable < y.variable }
            if x.exponent != y.exponent { return x.exponent > y.exponent }
        }
        return a.factors.count < b.factors.count
    }

    /// The residues of exact numbers, nil when one has none or a nonzero one reduces to 0: the
    /// modular pass must see every nonzero coefficient, or a piece reached only through it
    /// would be missed (and the values at points, computed modulo p too, could agree with the
    /// smaller bound).
    static func residue(_ c: Rational) -> UInt? {
        guard let r = c.mod(Mersenne61.p), r != 0 || c.isZero else { return nil }
        return r
    }

    static func residues(_ row: [Rational]) -> [UInt]? {
        var out: [UInt] = []
        out.reserveCapacity(row.count)
        for c in row { guard let r = residue(c) else { return nil }; out.append(r) }
        return out
    }

    /// V_{j+1} from V_j.
    func pullback(_ level: Level) throws -> Level? {
        // U^nu for each upper monomial, split into (h1 monomial, next upper monomial)
        let powers = StepPowers(step: upperStep, inputDim: n1, maxTerms: maxTerms)
        var upper: [Monomial] = [], upperAt: [Monomial: Int] = [:]
        var firsts: [Monomial] = [], firstAt: [Monomial: Int] = [:]
        func firstIndex(_ m: Monomial) -> Int {
            if let i = firstAt[m] { return i }
            firstAt[m] = firsts.count; firsts.append(m); return firsts.count - 1
        }
        // table[nu][a''] = the row over the next upper monomials (exact, sparse)
        var table: [[Int: [(Int, Rational)]]] = []
        for nu in level.upper {
            var rows: [Int: [(Int, Rational)]] = [:]
            for (c, m) in try powers.power(nu).terms {
                let (a, rest) = m.split(where: isFirst)
                let col = upperAt[rest] ?? { upperAt[rest] = upper.count; upper.append(rest); return upper.count - 1 }()
                rows[firstIndex(a), default: []].append((col, c))
            }
            table.append(rows)
        }
        let width = upper.count
        var tableResidues: [[Int: [UInt]]] = []
        for rows in table {
            var out: [Int: [UInt]] = [:]
            for (a, entries) in rows {
                var v = [UInt](repeating: 0, count: width)
                for (col, c) in entries { guard let r = Self.residue(c) else { return nil }; v[col] = r }
                out[a] = v
            }
            tableResidues.append(out)
        }
        // (Ws h1)^alpha for each piece, as (h1 monomial index, coefficient)
        var forms: [[(Int, Rational)]] = []
        var formResidues: [[(Int, UInt)]] = []
        for piece in level.pieces {
            let f = piece.key.factors.reduce(Polynomial(1)) { $0 * stateForms[$1.variable].power($1.exponent) }
            var exact: [(Int, Rational)] = [], res: [(Int, UInt)] = []
            for (c, m) in f.terms {
                guard let r = Self.residue(c) else { return nil }
                let i = firstIndex(m)
                exact.append((i, c)); res.append((i, r))
            }
            forms.append(exact); formResidues.append(res)
        }
        // the product of two h1 monomials, by index
        var products: [Int: Int] = [:]
        func product(_ a: Int, _ b: Int) -> Int {
            let key = a << 32 | b
            if let r = products[key] { return r }
            let r = firstIndex(firsts[a] * firsts[b])
            products[key] = r
            return r
        }
        // the generators modulo p: each piece's basis (unit vectors for a whole piece)
        var spans: [Int: ModularBasis] = [:]
        var full = Set<Int>()
        for (pi, piece) in level.pieces.enumerated() {
            let gens: [[UInt]] = piece.residues ?? (0..<level.upper.count).map { i in
                (0..<level.upper.count).map { $0 == i ? 1 : 0 }
            }
            for s in gens {
                // T[a''] = sum_nu s_nu table[nu][a'']
                var t: [Int: [UInt]] = [:]
                for (nu, c) in s.enumerated() where c != 0 {
                    for (a, v) in tableResidues[nu] {
                        var acc = t[a] ?? [UInt](repeating: 0, count: width)
                        for q in 0..<width where v[q] != 0 { acc[q] = Mersenne61.add(acc[q], Mersenne61.mul(c, v[q])) }
                        t[a] = acc
                    }
                }
                var rows: [Int: [UInt]] = [:]
                for (a, w) in formResidues[pi] {
                    for (b, v) in t {
                        let key = product(a, b)
                        if full.contains(key) { continue }
                        var acc = rows[key] ?? [UInt](repeating: 0, count: width)
                        for q in 0..<width where v[q] != 0 { acc[q] = Mersenne61.add(acc[q], Mersenne61.mul(w, v[q])) }
                        rows[key] = acc
                    }
                }
                for (key, row) in rows {
                    var span = spans[key] ?? ModularBasis(dimension: width)
                    if span.insert(row), span.rank == width { full.insert(key) }
                    spans[key] = span
                }
            }
        }
        // pieces full modulo p are full over Q; the others are computed exactly
        var pieces: [Piece] = []
        for key in spans.keys.sorted(by: { GradedObservable.precedes(firsts[$0], firsts[$1]) }) {
            if full.contains(key) {
                pieces.append(Piece(key: firsts[key], basis: nil, residues: nil))
                continue
            }
            var span = ExactRowSpan(width: width)
            for (pi, piece) in level.pieces.enumerated() {
                let gens: [[Rational]] = piece.basis ?? (0..<level.upper.count).map { i in
                    (0..<level.upper.count).map { $0 == i ? Rational.one : .zero }
                }
                for s in gens where !span.isFull {
                    var row = [Rational](repeating: .zero, count: width)
                    var touched = false
                    for (a, w) in forms[pi] {
                        for (nu, c) in s.enumerated() where !c.isZero {
                            for (b, entries) in table[nu] where product(a, b) == key {
                                let f = w * c
                                for (col, e) in entries { row[col] += f * e }
                                touched = true
                            }
                        }
                    }
                    if touched { span.insert(row) }
                }
            }
            if span.isFull {
                pieces.append(Piece(key: firsts[key], basis: nil, residues: nil))
            } else if !span.rows.isEmpty {
                var res: [[UInt]] = []
                for row in span.rows { guard let r = Self.residues(row) else { return nil }; res.append(r) }
                pieces.append(Piece(key: firsts[key], basis: span.rows, residues: res))
            }
        }
        return Level(upper: upper, pieces: pieces)
    }
}

/// A row space over Q kept in reduced echelon form, rows inserted one at a time.
struct ExactRowSpan {
    let width: Int
    private(set) var rows: [[Rational]] = []
    private var pivots: [Int] = []
    init(width: Int) { self.width = width }
    var isFull: Bool { rows.count == width }

    /// v reduced by the rows; nonzero residual is the part outside the span.
    func residual(_ v: [Rational]) -> [Rational] {
        var r = v
        for (row, piv) in zip(rows, pivots) where !r[piv].isZero {
            let f = r[piv]
            for j in 0..<width where !row[j].isZero { r[j] -= f * row[j] }
        }
        return r
    }

    func contains(_ v: [Rational]) -> Bool { residual(v).allSatisfy(\.isZero) }

    @discardableResult
    mutating func insert(_ v: [Rational]) -> Bool {
        var r = residual(v)
        guard let piv = r.firstIndex(where: { !$0.isZero }) else { return false }
        let inv = r[piv].reciprocal
        for j in 0..<width where !r[j].isZero { r[j] *= inv }
        for i in rows.indices where !rows[i][piv].isZero {
            let f = rows[i][piv]
            for j in 0..<width where !r[j].isZero { rows[i][j] -= f * r[j] }
        }
        rows.append(r); pivots.append(piv)
        return true
    }
}

/// The graded observable spaces V_0 ... V_j as evidence of dim O_k <= dim V_j (j = T - k):
/// checkable by `verify(model:output:)` without the code that built them.
public struct GradedObservableProof: Sendable, Equatable {
    public struct Piece: Sendable, Equatable {
        /// β, in the first layer's coordinates (variables 0..<n1).
        public let key: Monomial
        /// A basis of S_β over the level's upper monomials; nil: all of it.
        public let basis: [[Rational]]?
        public init(key: Monomial, basis: [[Rational]]?) { self.key = key; self.basis = basis }
    }
    public struct Level: Sendable, Equatable {
        /// The upper layers' monomials (variables n1..<n1 + N_up) the pieces live on.
        public let upper: [Monomial]
        public let pieces: [Piece]
        public init(upper: [Monomial], pieces: [Piece]) { self.upper = upper; self.pieces = pieces }
        /// dim V_j <= this (the whole pieces count their upper monomials, the others their rows).
        public var dimension: Int { pieces.reduce(0) { $0 + ($1.basis?.count ?? upper.count) } }
    }
    /// V_0 ... V_j.
    public let levels: [Level]
    public init(levels: [Level]) { self.levels = levels }
}
