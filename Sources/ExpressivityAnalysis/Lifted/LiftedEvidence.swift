import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// A subspace of Q^{Mon_t} given by generators, or the whole space.
public enum LiftedSpan: Sendable, Equatable {
    case whole
    /// The row space of these integer vectors (coordinates in the order of Mon_t).
    case generatedBy([[BigInt]])

    /// The number of generators (0 for the whole space, which has none stored).
    var rowCount: Int { if case .generatedBy(let rows) = self { return rows.count }; return 0 }
}

/// What proves a lifted separation rank at a cut, checkable from the model without expanding
/// y_T (Docs/separation-rank.md, "checking a lifted rank"). `verify()` rebuilds the step map
/// of the model, checks that the monomial sets close (every G^mu with mu in Mon_t has its
/// state monomials in Mon_{t-1}, and c's support is in Mon_T), recomputes the minor's entries
/// through the exact transitions (modulo the minor's prime) and checks the upper bound's own
/// argument: |Mon_k|, the counting bound, or closure of the exported spans under the exact
/// transitions (the spans then contain R_t or O_t, by induction).
public struct LiftedEvidence: Sendable, Equatable {
    /// Why the rank is at most r.
    public enum Proof: Sendable, Equatable {
        /// r >= |Mon_k|.
        case liftDimension
        /// dim R_k (or O_k) <= the product of the steps' numbers of input monomials, capped by |Mon_t|.
        case countingBound(LiftedUpperBound.Side)
        /// spans[t] contains R_t (t = 0...cut) or O_t (t = cut...T); dim spans[cut] <= r.
        case closure(LiftedUpperBound.Side, spans: [Int: LiftedSpan])
        /// Spaces containing R_k and O_k (both chains as for `closure`), and rank(B_R B_O^T) <= r.
        case gram(reachable: [Int: LiftedSpan], observable: [Int: LiftedSpan])
        /// O_k inside the graded spaces V_0 ... V_{T-k} of a Hadamard first layer, dim V_{T-k} <= r
        /// (`GradedObservableProof.verify`); the minor is then one of values at points.
        case graded(GradedObservableProof)
        /// A bilinear stack's degree pattern bounds the rank by r (`HomogeneousBoundProof`); the
        /// minor is one of values at points.
        case homogeneous(HomogeneousBoundProof)

        /// The spans the proof exports, with their steps.
        var spans: [(step: Int, span: LiftedSpan)] {
            switch self {
            case .liftDimension, .countingBound, .graded, .homogeneous: return []
            case .closure(_, let spans): return spans.map { ($0.key, $0.value) }
            case let .gram(reachable, observable): return (reachable.map { ($0.key, $0.value) }) + observable.map { ($0.key, $0.value) }
            }
        }
    }

    public let model: NetworkModel
    public let output: Int
    public let length: Int
    /// The cut k (S = 1...k).
    public let cut: Int
    /// Mon_t for t = firstStep...T (`monomials[t]`; empty below firstStep), state variables
    /// numbered d..<d + N after the d input variables of one step.
    public let firstStep: Int
    public let monomials: [[Monomial]]
    /// rank >= r.
    public let minor: UnfoldingMinor
    /// rank <= r, and the name the lifted method gave it.
    public let proof: Proof
    public let kind: LiftedUpperBound

    public init(model: NetworkModel, output: Int, length: Int, cut: Int, firstStep: Int, monomials: [[Monomial]],
                minor: UnfoldingMinor, proof: Proof, kind: LiftedUpperBound) {
        self.model = model; self.output = output; self.length = length; self.cut = cut; self.firstStep = firstStep
        self.monomials = monomials; self.minor = minor; self.proof = proof; self.kind = kind
    }

    public var rank: Int { minor.rank }

    /// The name agrees with the argument (an exact span of a side is exported as its closure).
    var kindMatchesProof: Bool {
        switch (kind, proof) {
        case (.liftDimension, .liftDimension), (.exactGram, .gram), (.gradedObservable, .graded): return true
        case let (.multiHomogeneous(a), .homogeneous(p)): return a == p.side
        case let (.countingBound(a), .countingBound(b)): return a == b
        case let (.closure(a), .closure(b, _)), let (.exactSpan(a), .closure(b, _)): return a == b
        default: return false
        }
    }

    /// Checks rank >= r and rank <= r from the model alone. Refuses before the work, as the
    /// method that found the rank does: `LiftedError.liftTooLarge` when a Mon_t has more than
    /// `maxLift` monomials, `.transitionsTooLarge` when the exported spans (a whole space
    /// counted as |Mon_t|^2) or the rebuilt transitions hold more than `maxEntries` entries,
    /// `.powerTooLarge` when a power G^mu would pass `maxTerms` terms.
    public func verify(maxLift: Int = 20_000, maxTerms: Int = 5_000_000, maxEntries: Int = Unfolding.defaultMaxEntries) throws -> Bool {
        let T = length, k = cut, d = model.inputDim
        if case .graded(let g) = proof { return try verifyGraded(g, maxTerms: maxTerms) }
        if case .homogeneous(let h) = proof { return verifyHomogeneous(h) }
        guard T >= 1, k >= 0, k <= T, output >= 0, output < model.outputCount, monomials.count - 1 == T, kindMatchesProof,
              firstStep >= 0, firstStep <= k, minor.cut == k, minor.inputDim == d, (try? model.validate()) != nil else { return false }
        for (t, m) in monomials.enumerated() where m.count > maxLift {
            throw LiftedError.liftTooLarge(length: T, step: t, size: m.count, limit: maxLift)
        }
        var spanEntries = 0
        for (t, span) in proof.spans {
            guard monomials.indices.contains(t) else { return false }
            let n = monomials[t].count
            let (entries, o1) = (span == .whole ? n : span.rowCount).multipliedReportingOverflow(by: n)
            let (sum, o2) = spanEntries.addingReportingOverflow(entries)
            spanEntries = o1 || o2 ? .max : sum
            if spanEntries > maxEntries { throw LiftedError.transitionsTooLarge(length: T, entries: spanEntries, limit: maxEntries) }
        }
        // how far down the chain the proof and the minor's rows reach
        var needsReach = minor.rank > 0 && minor.rowPoints.isEmpty
        switch proof {
        case .countingBound(.reachable), .closure(.reachable, _), .gram: needsReach = true
        default: break
        }
        let low = needsReach ? 0 : k
        guard firstStep <= low, let lift = try CheckedLift(model: model, output: output, monomials: monomials, from: low,
                                                           maxTerms: maxTerms, maxEntries: maxEntries - spanEntries) else { return false }
        return lift.provesLowerBound(minor) && lift.provesUpperBound(proof, rank: rank, cut: k)
    }
}

extension LiftedEvidence {
    /// rank >= r from the point minor (the network run modulo its prime at the points), rank <= r
    /// from the graded spaces, checked against the model's whole step map.
    func verifyGraded(_ g: GradedObservableProof, maxTerms: Int) throws -> Bool {
        let T = length, k = cut
        guard kind == .gradedObservable, k >= 1, k < T, output >= 0, output < model.outputCount, (try? model.validate()) != nil,
              minor.cut == k, minor.inputDim == model.inputDim, g.levels.count == T - k + 1,
              let top = g.levels.last, top.dimension <= minor.rank else { return false }
        return try pointMinorHolds && g.verify(model: model, output: output, maxTerms: maxTerms)
    }

    /// rank >= r from the point minor, rank <= r from the degree pattern, recounted here.
    func verifyHomogeneous(_ h: HomogeneousBoundProof) -> Bool {
        guard kindMatchesProof, cut >= 1, cut < length, output >= 0, output < model.outputCount, (try? model.validate()) != nil,
              minor.cut == cut, minor.inputDim == model.inputDim,
              let bound = h.bound(model: model, length: length, cut: cut), bound <= BigInt(minor.rank) else { return false }
        return pointMinorHolds
    }

    /// The minor of values at points is what the network computes there (or empty at rank 0).
    var pointMinorHolds: Bool {
        minor.rank == 0
            ? minor.residues.isEmpty && minor.rowPoints.isEmpty && minor.columnPoints.isEmpty && minor.rowMonomials.isEmpty
                && minor.columnMonomials.isEmpty
            : minor.verify(model: model, output: output, length: length)
    }
}

/// The lifted system rebuilt from the model with exact transitions, and the closure of its
/// monomial sets checked (code separate from `LiftedSystem`, which found the rank).
struct CheckedLift {
    let d: Int
    let length: Int
    let mons: [[Monomial]]
    /// transitions[t][gamma]: the entries (row in Mon_t, column in Mon_{t-1}, coefficient) of C_gamma.
    let transitions: [Int: [Monomial: [(row: Int, column: Int, coefficient: Rational)]]]
    /// c on Mon_T; lift_0(z_0) on Mon_0 (when the chain reaches 0).
    let readout: [Rational]
    let initial: [Rational]
    let step: [Polynomial]
    let z0: [Rational]

    /// nil when the sets do not close or a list repeats a monomial.
    init?(model: NetworkModel, output: Int, monomials: [[Monomial]], from low: Int, maxTerms: Int, maxEntries: Int) throws {
        let space = try LiftedStateSpace(model, output: output)
        let T = monomials.count - 1
        d = model.inputDim; length = T; mons = monomials; step = space.step
        z0 = model.layers.flatMap(\.h0)
        let N = space.stateDimension, dd = d
        var idx = [[Monomial: Int]](repeating: [:], count: T + 1)
        for t in low...T {
            for (i, m) in monomials[t].enumerated() {
                guard m.factors.allSatisfy({ $0.variable >= dd && $0.variable < dd + N }), idx[t][m] == nil else { return nil }
                idx[t][m] = i
            }
        }
        var c = [Rational](repeating: .zero, count: monomials[T].count)
        for (coefficient, m) in space.readout.terms {
            guard let i = idx[T][m] else { return nil }
            c[i] = coefficient
        }
        readout = c
        initial = low == 0 ? LiftedSystem.lift(z0, to: monomials[0], inputDim: d) : []
        // exact rational powers G^mu (not the packed or modular ones the rank was found with)
        let powers = StepPowers(step: space.step, inputDim: d, maxTerms: maxTerms)
        func power(_ mu: Monomial) throws -> Polynomial { try powers.power(mu) }
        var ts: [Int: [Monomial: [(row: Int, column: Int, coefficient: Rational)]]] = [:]
        var entries = 0   // transition entries and cached power terms, against maxEntries
        for t in stride(from: T, to: low, by: -1) {
            var byGamma: [Monomial: [(row: Int, column: Int, coefficient: Rational)]] = [:]
            for (i, mu) in monomials[t].enumerated() {
                let p = try power(mu)
                entries += p.termCount
                try LiftedSystem.checkEntries(entries + powers.cachedTerms, length: T, limit: maxEntries)
                for (coefficient, m) in p.terms {
                    let (z, x) = m.split(where: { $0 >= dd })
                    guard let j = idx[t - 1][z] else { return nil }   // Mon_{t-1} does not close
                    byGamma[x, default: []].append((i, j, coefficient))
                }
            }
            ts[t] = byGamma
        }
        transitions = ts
    }

    // MARK: rank >= r

    /// The minor's entries recomputed as c^T C_{gamma_T} ... C_{gamma_{k+1}} v, v = lift_k at
    /// the row's point or C_{gamma_k} ... C_{gamma_1} lift_0 for the row's monomial, modulo the
    /// minor's prime; equal to its residues and nonsingular there.
    func provesLowerBound(_ m: UnfoldingMinor) -> Bool {
        let r = m.rank, k = m.cut, p = m.prime
        if r == 0 { return m.rowMonomials.isEmpty && m.columnMonomials.isEmpty && m.rowPoints.isEmpty && m.residues.isEmpty }
        guard m.columnMonomials.count == r, m.residues.count == r * r, ModularArithmetic.isPrime(p),
              m.residues.allSatisfy({ $0 < p }) else { return false }
        // the transitions modulo p, once (an entry whose denominator p divides fails only when used)
        let reduced = transitions.mapValues { $0.mapValues { $0.map { (row: $0.row, column: $0.column, residue: $0.coefficient.mod(p)) } } }
        var columns: [[UInt]] = []
        for mono in m.columnMonomials {
            guard let w = observableVector(mono, cut: k, prime: p, reduced) else { return false }
            columns.append(w)
        }
        var rows: [[UInt]] = []
        if m.rowPoints.isEmpty {
            guard m.rowMonomials.count == r else { return false }
            for mono in m.rowMonomials { guard let v = reachableVector(mono, cut: k, prime: p, reduced) else { return false }; rows.append(v) }
        } else {
            // the step map modulo p, reduced once for every point
            guard m.rowMonomials.isEmpty, m.rowPoints.count == r, let step = reducedStep(p) else { return false }
            for point in m.rowPoints { guard let v = liftedState(at: point, cut: k, step: step, prime: p) else { return false }; rows.append(v) }
        }
        for i in 0..<r {
            for j in 0..<r {
                var s: UInt = 0
                for (a, b) in zip(rows[i], columns[j]) where a != 0 && b != 0 {
                    s = CheckedLift.add(s, ModularArithmetic.mulmod(a, b, p), p)
                }
                guard s == m.residues[i * r + j] else { return false }
            }
        }
        var a = m.residues
        return RankCertificate.nonsingularModP(&a, r, p)
    }

    /// The monomial's factor in step t's inputs, as a monomial in variables 0..<d.
    func stepFactor(_ m: Monomial, step t: Int) -> Monomial {
        Monomial(m.factors.filter { $0.variable / d == t - 1 }.map { ($0.variable - (t - 1) * d, $0.exponent) })
    }

    /// Whether every variable of m is an input of a step in `steps`.
    func lies(_ m: Monomial, in steps: ClosedRange<Int>) -> Bool {
        m.factors.allSatisfy { steps.contains($0.variable / d + 1) }
    }

    /// The transitions modulo one prime: per step and gamma, (row, column, residue or nil when
    /// the prime divides the coefficient's denominator).
    typealias ReducedTransitions = [Int: [Monomial: [(row: Int, column: Int, residue: UInt?)]]]

    func observableVector(_ column: Monomial, cut k: Int, prime p: UInt, _ transitions: ReducedTransitions) -> [UInt]? {
        guard k < length ? lies(column, in: (k + 1)...length) : column == .one else { return nil }
        guard var w = CheckedLift.reduce(readout, p) else { return nil }
        for t in stride(from: length, to: k, by: -1) {
            guard let entries = transitions[t]?[stepFactor(column, step: t)] else { return [UInt](repeating: 0, count: mons[k].count) }
            var next = [UInt](repeating: 0, count: mons[t - 1].count)
            for e in entries where w[e.row] != 0 {
                guard let c = e.residue else { return nil }
                next[e.column] = CheckedLift.add(next[e.column], ModularArithmetic.mulmod(c, w[e.row], p), p)
            }
            w = next
        }
        return w
    }

    func reachableVector(_ row: Monomial, cut k: Int, prime p: UInt, _ transitions: ReducedTransitions) -> [UInt]? {
        guard k > 0 ? lies(row, in: 1...k) : row == .one, !initial.isEmpty || mons[0].isEmpty else { return nil }
        guard var v = CheckedLift.reduce(initial, p) else { return nil }
        for t in stride(from: 1, through: k, by: 1) {
            guard let entries = transitions[t]?[stepFactor(row, step: t)] else { return [UInt](repeating: 0, count: mons[k].count) }
            var next = [UInt](repeating: 0, count: mons[t].count)
            for e in entries where v[e.column] != 0 {
                guard let c = e.residue else { return nil }
                next[e.row] = CheckedLift.add(next[e.row], ModularArithmetic.mulmod(c, v[e.column], p), p)
            }
            v = next
        }
        return v
    }

    /// G's coordinates modulo p, as (residue, monomial) terms; nil when p divides a denominator.
    func reducedStep(_ p: UInt) -> [[(UInt, Monomial)]]? {
        var reduced: [[(UInt, Monomial)]] = []
        for g in step {
            var terms: [(UInt, Monomial)] = []
            for (c, m) in g.terms { guard let r = c.mod(p) else { return nil }; terms.append((r, m)) }
            reduced.append(terms)
        }
        return reduced
    }

    /// lift_k(z_k(point)) modulo p: the state run forward through G (reduced mod p) at the integer inputs.
    func liftedState(at point: [Int], cut k: Int, step reduced: [[(UInt, Monomial)]], prime p: UInt) -> [UInt]? {
        guard point.count == k * d, point.allSatisfy({ $0 >= 0 }), let zero = CheckedLift.reduce(z0, p) else { return nil }
        func value(_ m: Monomial, _ x: [UInt]) -> UInt {
            m.factors.reduce(UInt(1) % p) { ModularArithmetic.mulmod($0, ModularArithmetic.powmod(x[$1.variable], UInt($1.exponent), p), p) }
        }
        var z = zero
        for t in 0..<k {
            let x = point[(t * d)..<((t + 1) * d)].map { UInt($0) % p } + z
            z = reduced.map { terms in terms.reduce(UInt(0)) { CheckedLift.add($0, ModularArithmetic.mulmod($1.0, value($1.1, x), p), p) } }
        }
        let x = [UInt](repeating: 0, count: d) + z
        return mons[k].map { value($0, x) }
    }

    static func add(_ a: UInt, _ b: UInt, _ p: UInt) -> UInt {
        let (s, o) = a.addingReportingOverflow(b)
        return o || s >= p ? s &- p : s
    }

    static func reduce(_ v: [Rational], _ p: UInt) -> [UInt]? {
        var out: [UInt] = []
        out.reserveCapacity(v.count)
        for c in v { guard let r = c.mod(p) else { return nil }; out.append(r) }
        return out
    }

    // MARK: rank <= r

    func provesUpperBound(_ proof: LiftedEvidence.Proof, rank r: Int, cut k: Int) -> Bool {
        switch proof {
        case .liftDimension:
            return mons[k].count <= r
        case .countingBound(let side):
            return countingBound(side, cut: k) <= r
        case let .closure(side, spans):
            guard let dim = closedDimension(side, spans, cut: k) else { return false }
            return dim <= r
        case let .gram(reachable, observable):
            guard closedDimension(.reachable, reachable, cut: k) != nil, closedDimension(.observable, observable, cut: k) != nil,
                  let a = generators(reachable[k]!, dimension: mons[k].count),
                  let b = generators(observable[k]!, dimension: mons[k].count) else { return false }
            if a.isEmpty || b.isEmpty { return r >= 0 }
            let gram = IntegerMatrix(rows: a.count, columns: b.count) { i, j in
                zip(a[i], b[j]).reduce(BigInt.zero) { $1.0.isZero || $1.1.isZero ? $0 : $0 + $1.0 * $1.1 }
            }
            guard let g = CheckedLift.rank(gram) else { return false }
            return g <= r
        case .graded, .homogeneous:
            return false   // checked by `verifyGraded` / `verifyHomogeneous`, never through the lifted system
        }
    }

    /// dim R_t <= min(|Mon_t|, |Gamma_t| dim R_{t-1}) from dim R_0 <= 1; O likewise from O_T.
    func countingBound(_ side: LiftedUpperBound.Side, cut k: Int) -> Int {
        var bound = 1
        let steps = side == .reachable ? Array(stride(from: 1, through: k, by: 1)) : Array(stride(from: length, to: k, by: -1))
        for t in steps {
            let gammas = transitions[t]?.count ?? 0
            let size = mons[side == .reachable ? t : t - 1].count
            let (product, overflow) = gammas.multipliedReportingOverflow(by: bound)
            bound = overflow ? size : min(size, product)
        }
        return bound
    }

    /// The dimension of spans[k] once the chain is checked: the start vector (c or lift_0) in
    /// its first space, and each exact transition (or its transpose) mapping one space into the
    /// next. nil when a check fails or a step is missing.
    func closedDimension(_ side: LiftedUpperBound.Side, _ spans: [Int: LiftedSpan], cut k: Int) -> Int? {
        let steps = side == .reachable ? Array(0...k) : Array(k...length)
        guard steps.allSatisfy({ spans[$0] != nil }), spans.keys.allSatisfy({ steps.contains($0) }) else { return nil }
        let first = side == .reachable ? 0 : length
        guard contains(spans[first]!, [side == .reachable ? initial : readout], at: first) else { return nil }
        for t in steps where t != first {
            // reachable: C_gamma V_{t-1} <= V_t; observable: C_gamma^T V_{t+1} <= V_t
            let from = side == .reachable ? t - 1 : t + 1
            guard case .generatedBy = spans[t]! else { continue }   // the whole space contains everything
            guard let sources = generators(spans[from]!, dimension: mons[from].count) else { return nil }
            let into = side == .reachable ? t : t + 1
            var images: [[Rational]] = []
            for (_, entries) in transitions[into] ?? [:] {
                for v in sources {
                    var w = [Rational](repeating: .zero, count: mons[t].count)
                    for e in entries {
                        if side == .reachable {
                            if !v[e.column].isZero { w[e.row] += e.coefficient * Rational(v[e.column]) }
                        } else if !v[e.row].isZero {
                            w[e.column] += e.coefficient * Rational(v[e.row])
                        }
                    }
                    images.append(w)
                }
            }
            guard contains(spans[t]!, images, at: t) else { return nil }
        }
        switch spans[k]! {
        case .whole: return mons[k].count
        case .generatedBy(let rows):
            guard rows.allSatisfy({ $0.count == mons[k].count }) else { return nil }
            return rows.isEmpty ? 0 : CheckedLift.rank(IntegerMatrix(rows))
        }
    }

    func generators(_ span: LiftedSpan, dimension n: Int) -> [[BigInt]]? {
        switch span {
        case .whole: return (0..<n).map { i in (0..<n).map { $0 == i ? BigInt.one : .zero } }
        case .generatedBy(let rows): return rows.allSatisfy({ $0.count == n }) ? rows : nil
        }
    }

    /// Whether the vectors lie in the span: rank [U; vectors] = rank U, both certified.
    func contains(_ span: LiftedSpan, _ vectors: [[Rational]], at t: Int) -> Bool {
        let n = mons[t].count
        guard vectors.allSatisfy({ $0.count == n }) else { return false }
        guard case .generatedBy(let rows) = span else { return true }
        guard rows.allSatisfy({ $0.count == n }) else { return false }
        let scaled = vectors.filter { $0.contains { !$0.isZero } }.map { LiftedSystem.integerScaled($0).vector }
        if scaled.isEmpty { return true }
        if rows.isEmpty || n == 0 { return false }
        guard let before = CheckedLift.rank(IntegerMatrix(rows)), let after = CheckedLift.rank(IntegerMatrix(rows + scaled)) else { return false }
        return before == after
    }

    /// The rank, with its certificate checked (nil if it does not check).
    static func rank(_ m: IntegerMatrix) -> Int? {
        if m.rows == 0 || m.columns == 0 { return 0 }
        let c = m.certifiedRank()
        return c.verify(m) ? c.rank : nil
    }
}
