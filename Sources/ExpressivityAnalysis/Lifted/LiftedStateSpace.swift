import Dispatch
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Any model as a linear system on lifted states (Docs/separation-rank.md, "lifted").
///
/// The whole state z_t = (h^1_t, ..., h^L_t) (N numbers) follows one polynomial step
/// z_t = G(z_{t-1}, x_t) and y_T = c(z_T) = C rho(h^L_T). For a length T, the state monomials
/// the future can reach are Mon_T = supp(c) and Mon_{t-1} = the z-support of G^mu over
/// mu in Mon_t. With lift_t(z) = (z^mu)_{mu in Mon_t}, one step is linear in the lift:
///     lift_t(z_t) = sum_gamma x_t^gamma C_gamma lift_{t-1}(z_{t-1}),
/// where C_gamma[mu, nu] is the coefficient of x^gamma z^nu in G(z, x)^mu. The unfolding at the
/// cut k factors as Phi_k Gamma_k with row space of Phi_k the reachable space
/// R_k = sum_gamma C_gamma R_{k-1}, R_0 = span{lift_0(z_0)}, and column space of Gamma_k the
/// observable space O_k = sum_gamma C_gamma^T O_{k+1}, O_T = span{c}; so the separation rank at
/// the cut is rank(B_R B_O^T) for bases of the two spaces. The system is built modulo a
/// prime; exact transitions are rebuilt over Q only where a span must be exact, and every
/// rank returned is exact (ModularLift.cuts).
public struct LiftedStateSpace: Sendable {
    public let model: NetworkModel
    public let output: Int
    /// N, the number of state coordinates (sum of the layers' widths).
    public let stateDimension: Int
    /// G_i(z, x): x is variables 0..<d (one step's input), z is variables d..<d + N.
    let step: [Polynomial]
    /// c(z) = C rho(h^L), in the same variables.
    let readout: Polynomial

    public init(_ model: NetworkModel, output: Int) throws {
        guard output >= 0 && output < model.outputCount else {
            throw UnrollError.outputOutOfRange(index: output, outputs: model.outputCount)
        }
        self.model = model
        self.output = output
        let d = model.inputDim
        var offset = d
        var symbolic: [[Polynomial]] = []
        for layer in model.layers {
            symbolic.append((0..<layer.hidden).map { Polynomial.variable(offset + $0) })
            offset += layer.hidden
        }
        stateDimension = offset - d
        // one step from symbolic states at step 0 reads x_1, whose variables are 0..<d
        var one = Unrolling<Polynomial>(model, states: symbolic, step: 0)
        one.advance()
        step = one.states.flatMap { $0 }
        // at a step >= 1 the readout sees rho(h^L): resume at step 1 without advancing
        readout = try Unrolling<Polynomial>(model, states: symbolic, step: 1).output(output)
    }

    var inputDim: Int { model.inputDim }
}

public enum LiftedError: LimitRefusal, Equatable {
    case liftTooLarge(length: Int, step: Int, size: Int, limit: Int)
    case powerTooLarge(terms: Int, limit: Int)
    case transitionsTooLarge(length: Int, entries: Int, limit: Int)
    /// The point minor that would meet a cut's bound: N points a side, `work` word operations.
    case minorTooLarge(length: Int, cut: Int, size: Int, work: Double, limit: Double)

    public var refusal: String {
        switch self {
        case let .liftTooLarge(T, t, size, limit):
            return "the lifted state at step \(t) of T = \(T) has \(size) coordinates, above the limit of \(limit)"
        case let .powerTooLarge(terms, limit):
            return "a power of the step map may have \(terms) terms, above the limit of \(limit)"
        case let .transitionsTooLarge(T, entries, limit):
            return "the lifted system for T = \(T) (transitions and cached powers of the step map) holds more than \(limit) entries (\(entries) so far)"
        case let .minorTooLarge(T, k, n, work, limit):
            return "the point minor that would prove the rank at cut \(k) of T = \(T) takes \(n) points a side, about \(UnrollError.formatEstimate(work)) operations, above the limit of \(UnrollError.formatEstimate(limit))"
        }
    }

    public var limit: ResourceLimit? {
        switch self {
        case .liftTooLarge: return .maxLift
        case .powerTooLarge: return .maxTerms
        case .transitionsTooLarge: return .maxEntries
        case .minorTooLarge: return .maxWork
        }
    }

    public var description: String { libraryDescription }
}

/// Powers G^mu of the step map, each one multiplication by a single G_v from its parent
/// mu - e_v; memoised, with lower degrees evicted as the backward pass moves up in degree.
final class StepPowers {
    let step: [Polynomial]
    let inputDim: Int
    let maxTerms: Int
    private var cache: [Monomial: Polynomial] = [.one: Polynomial(1)]
    /// Terms held by the cache (memory the caller counts against its limit).
    private(set) var cachedTerms = 1

    init(step: [Polynomial], inputDim: Int, maxTerms: Int) { self.step = step; self.inputDim = inputDim; self.maxTerms = maxTerms }

    /// mu = parent * z_v with v the first variable of mu (the chain both power caches use).
    static func parent(of mu: Monomial) -> (variable: Int, parent: Monomial) {
        let factors = mu.factors
        let (v, e) = factors[0]
        return (v, Monomial(Array(factors.dropFirst()) + (e > 1 ? [(v, e - 1)] : [])))
    }

    /// A loop, not recursion: the chain mu, parent(mu), ... down to a known power, then
    /// multiplied back up (a huge exponent meets the term limit, not the stack's end).
    func power(_ mu: Monomial) throws -> Polynomial {
        var chain: [(monomial: Monomial, variable: Int)] = []
        var m = mu
        while cache[m] == nil {
            let (v, rest) = StepPowers.parent(of: m)
            chain.append((m, v))
            m = rest
        }
        var p = cache[m]!
        for (next, v) in chain.reversed() {
            let g = step[v - inputDim]
            // |parent| |G_v| bounds the product's terms: refuse before multiplying
            let (pairs, overflow) = p.termCount.multipliedReportingOverflow(by: g.termCount)
            if overflow || pairs > maxTerms { throw LiftedError.powerTooLarge(terms: overflow ? Int.max : pairs, limit: maxTerms) }
            p = p * g
            cache[next] = p
            cachedTerms += p.termCount
        }
        return p
    }

    func evict(belowDegree k: Int) {
        cache = cache.filter { $0.key.totalDegree >= k || $0.key == .one }
        cachedTerms = cache.values.reduce(0) { $0 + $1.termCount }
    }
}

/// The lifted linear system for one length T: the monomial sets Mon_0 ... Mon_T, the
/// transitions between them modulo ModularLift.prime (kept), and exact transitions rebuilt
/// on demand (they are large: only proper spans need them).
struct LiftedSystem {
    let length: Int
    let inputDim: Int
    /// mons[t] lists Mon_t; index[t] maps a monomial to its coordinate.
    let mons: [[Monomial]]
    let index: [[Monomial: Int]]
    /// gammas[t - 1] lists the input monomials of the step into Mon_t; gammaIndex inverts it.
    let gammas: [[Monomial]]
    let gammaIndex: [[Monomial: Int]]
    let initial: [Rational]
    let final: [Rational]
    /// modular[t - 1] maps lift_{t-1} to lift_t modulo the prime: per row (mu in Mon_t) its
    /// terms (gamma index, column in Mon_{t-1}, residue); nil when the prime divides a
    /// denominator.
    let modular: [[[(gamma: Int32, column: Int32, coefficient: UInt)]]]?
    let space: LiftedStateSpace
    let maxTerms: Int
    /// The lowest step built (0: the whole system; above 0 there is no Mon_t, transition or
    /// lift_0 below it).
    let lowest: Int
    /// shares[t]: the step whose transition the one into Mon_t is (itself, or a later step with
    /// the same list Mon_t: the transition is a function of that list, so a time-invariant
    /// stretch builds, splits and reduces one transition).
    let shares: [Int]

    /// Exact upper bounds on dim R_t and dim O_t that cost nothing: R_t is the sum of the
    /// |Gamma_t| images C_gamma R_{t-1}, so dim R_t <= min(|Mon_t|, |Gamma_t| dim R_{t-1}) from
    /// dim R_0 = 1, and O_{t-1} likewise from dim O_T = 1. No overflow: each product has a
    /// factor capped by a lift dimension (below --max-lift) and one below |Gamma_t|.
    var countingBounds: (reach: [Int], observe: [Int]) {
        let T = length
        // below the lowest step built nothing is known (Int.max: no bound); the lift
        // dimension bounds R_lowest
        var reach = lowest == 0 ? [1] : [Int](repeating: .max, count: lowest) + [mons[lowest].count]
        var observe = [Int](repeating: 1, count: T + 1)
        for t in stride(from: lowest + 1, through: T, by: 1) {
            let (product, overflow) = gammas[t - 1].count.multipliedReportingOverflow(by: reach[t - 1])
            reach.append(overflow ? mons[t].count : min(mons[t].count, product))
        }
        for t in stride(from: T, to: lowest, by: -1) {
            observe[t - 1] = min(mons[t - 1].count, gammas[t - 1].count * observe[t])
        }
        return (reach, observe)
    }

    private init(space: LiftedStateSpace, length T: Int, lowest: Int, maxTerms: Int, mons: [[Monomial]], gammas: [[Monomial]], shares: [Int],
                 modular: [[[(gamma: Int32, column: Int32, coefficient: UInt)]]]?) {
        let d = space.inputDim
        self.length = T; self.inputDim = d; self.mons = mons; self.gammas = gammas; self.modular = modular; self.lowest = lowest
        self.shares = shares
        index = mons.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }
        gammaIndex = gammas.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }
        // lift_0(z_0) = (z_0^nu) and the readout's coefficients on Mon_T
        let z0 = space.model.layers.flatMap(\.h0)
        initial = lowest > 0 ? [] : LiftedSystem.lift(z0, to: mons[0], inputDim: d)
        final = space.readout.terms.map(\.coefficient)
        self.space = space; self.maxTerms = maxTerms
    }

    /// The system for length T: built modulo the prime on packed monomials when the step
    /// map reduces and its exponents fit, else from exact powers.
    /// `lowest`: build Mon_t and the transitions only for t >= lowest (the observable side of
    /// the cut lowest; the steps below it are the largest and the reachable side can be
    /// sampled instead, `ReachableSamples`). `initial` is then empty.
    init(_ space: LiftedStateSpace, length T: Int, lowest: Int = 0, maxLift: Int, maxTerms: Int,
         maxEntries: Int = Unfolding.defaultMaxEntries) throws {
        precondition(T >= 1 && lowest >= 0 && lowest <= T)
        let readout = space.readout.terms.map(\.monomial)
        if readout.count > maxLift { throw LiftedError.liftTooLarge(length: T, step: T, size: readout.count, limit: maxLift) }
        if let built = try LiftedSystem.packed(space, length: T, lowest: lowest, maxLift: maxLift, maxTerms: maxTerms, maxEntries: maxEntries) {
            self = built
        } else {
            self = try LiftedSystem.exact(space, length: T, lowest: lowest, maxLift: maxLift, maxTerms: maxTerms, maxEntries: maxEntries)
        }
    }



    /// Mon_t and the modular transitions from powers of G modulo p on packed monomials.
    /// Mon_{t-1} is the z-support of the products without cancellation (a superset of the
    /// support over Q, so every exact transition still lands in it). nil when the step map
    /// does not reduce modulo p or an exponent outgrows its field.
    static func packed(_ space: LiftedStateSpace, length T: Int, lowest: Int = 0, maxLift: Int, maxTerms: Int,
                       maxEntries: Int = Unfolding.defaultMaxEntries) throws -> LiftedSystem? {
        let d = space.inputDim, n = space.stateDimension
        guard let layout = PackedLayout(variables: d + n),
              let powers = ModularStepPowers(step: space.step, inputDim: d, layout: layout, maxTerms: maxTerms) else { return nil }
        let xMask = layout.mask(0..<d), zMask = layout.mask(d..<(d + n))
        var mons = [[Monomial]](repeating: [], count: T + 1)
        var gammas = [[Monomial]](repeating: [], count: T)
        var modular = [[[(gamma: Int32, column: Int32, coefficient: UInt)]]](repeating: [], count: T)
        var shares = Array(0...T)
        mons[T] = space.readout.terms.map(\.monomial)
        var entries = 0  // kept transition entries and cached power terms: the system's memory, refused past maxEntries
        for t in stride(from: T, to: lowest, by: -1) {
            // the transition into Mon_t is a function of the list Mon_t alone: a repeated list
            // (a time-invariant stretch, e.g. every step of a single layer) shares it
            if t < T, mons[t] == mons[t + 1] {
                mons[t - 1] = mons[t]; gammas[t - 1] = gammas[t]; modular[t - 1] = modular[t]; shares[t] = shares[t + 1]
                continue
            }
            var zs = PackedIndex(capacity: 2 * mons[t].count), gs = PackedIndex()
            var rows: [[(gamma: Int32, column: Int32, coefficient: UInt)]] = []
            rows.reserveCapacity(mons[t].count)
            for mu in mons[t] {
                guard let power = try powers.power(mu) else { return nil }
                var row: [(gamma: Int32, column: Int32, coefficient: UInt)] = []
                row.reserveCapacity(power.termCount)
                for (k, r) in zip(power.keys, power.residues) {
                    let z = k & zMask, x = k & xMask
                    let zi = zs.index(of: z), g = gs.index(of: x)
                    if r != 0 { row.append((g, zi, r)) }
                }
                rows.append(row)
                entries += row.count
                try checkEntries(entries + powers.cachedTerms, length: T, limit: maxEntries)
                if zs.list.count > maxLift { throw LiftedError.liftTooLarge(length: T, step: t - 1, size: zs.list.count, limit: maxLift) }
            }
            mons[t - 1] = zs.list.map(layout.unpack)
            gammas[t - 1] = gs.list.map(layout.unpack)
            modular[t - 1] = rows
            if let low = mons[t - 1].map(\.totalDegree).min() { powers.evict(belowDegree: low - 1) }
        }
        return LiftedSystem(space: space, length: T, lowest: lowest, maxTerms: maxTerms, mons: mons, gammas: gammas, shares: shares, modular: modular)
    }

    /// Kept transition entries plus cached power terms (the system's memory) against --max-entries.
    static func checkEntries(_ held: Int, length T: Int, limit: Int) throws {
        if held > limit { throw LiftedError.transitionsTooLarge(length: T, entries: held, limit: limit) }
    }

    /// Mon_t from exact powers of G (support over Q) and the transitions reduced modulo p
    /// (nil when p divides a denominator).
    static func exact(_ space: LiftedStateSpace, length T: Int, lowest: Int = 0, maxLift: Int, maxTerms: Int,
                      maxEntries: Int = Unfolding.defaultMaxEntries) throws -> LiftedSystem {
        let d = space.inputDim, p = ModularLift.prime
        let isState: (Int) -> Bool = { $0 >= d }
        let powers = StepPowers(step: space.step, inputDim: d, maxTerms: maxTerms)
        var mons = [[Monomial]](repeating: [], count: T + 1)
        var gammas = [[Monomial]](repeating: [], count: T)
        var modular: [[[(gamma: Int32, column: Int32, coefficient: UInt)]]]? = Array(repeating: [], count: T)
        var shares = Array(0...T)
        mons[T] = space.readout.terms.map(\.monomial)
        var entries = 0
        for t in stride(from: T, to: lowest, by: -1) {
            if t < T, mons[t] == mons[t + 1] {   // the same list, the same transition (as in `packed`)
                mons[t - 1] = mons[t]; gammas[t - 1] = gammas[t]; shares[t] = shares[t + 1]
                if modular != nil { modular![t - 1] = modular![t] }
                continue
            }
            // Mon_{t-1}: the z-support of G^mu over mu in Mon_t; the step's gammas; the
            // transition modulo p
            var list: [Monomial] = [], at: [Monomial: Int] = [:]
            var gList: [Monomial] = [], gAt: [Monomial: Int] = [:]
            var rows: [[(gamma: Int32, column: Int32, coefficient: UInt)]] = []
            for mu in mons[t] {
                var row: [(gamma: Int32, column: Int32, coefficient: UInt)] = []
                for (c, m) in try powers.power(mu).terms {
                    let (z, x) = m.split(where: isState)
                    let zi = at[z] ?? { at[z] = list.count; list.append(z); return list.count - 1 }()
                    let g = gAt[x] ?? { gAt[x] = gList.count; gList.append(x); return gList.count - 1 }()
                    if modular != nil {
                        if let r = c.mod(p) {
                            if r != 0 { row.append((Int32(g), Int32(zi), r)) }
                        } else { modular = nil }
                    }
                }
                rows.append(row)
                entries += row.count
                try checkEntries(entries + powers.cachedTerms, length: T, limit: maxEntries)
            }
            if list.count > maxLift { throw LiftedError.liftTooLarge(length: T, step: t - 1, size: list.count, limit: maxLift) }
            mons[t - 1] = list; gammas[t - 1] = gList
            if modular != nil { modular![t - 1] = rows }
            if let low = list.map(\.totalDegree).min() { powers.evict(belowDegree: low - 1) }
        }
        return LiftedSystem(space: space, length: T, lowest: lowest, maxTerms: maxTerms, mons: mons, gammas: gammas, shares: shares, modular: modular)
    }

    /// The exact transition into Mon_t, rebuilt from the step map (t >= 1) and scaled by
    /// the least common denominator of its coefficients: integer, and with the same spans.
    func exactTransition(_ t: Int, powers: StepPowers,
                         checking check: () throws -> Void = {}) throws -> (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt) {
        let d = inputDim
        var rows: [[(gamma: Int, column: Int, coefficient: Rational)]] = []
        var denominator = BigInt.one
        for mu in mons[t] {
            try check()
            rows.append(try powers.power(mu).terms.map { c, m in
                let (z, x) = m.split(where: { $0 >= d })
                if !c.denominator.isOne { denominator = lcm(denominator, c.denominator) }
                return (gammaIndex[t - 1][x]!, index[t - 1][z]!, c)
            })
        }
        return (rows.map { $0.map { ($0.gamma, $0.column, ($0.coefficient * Rational(denominator)).numerator) } }, denominator)
    }

    /// lift(z) = (z^nu) for nu in `monomials` (state variables start at d).
    static func lift(_ z: [Rational], to monomials: [Monomial], inputDim d: Int) -> [Rational] {
        monomials.map { nu in nu.factors.reduce(Rational.one) { $0 * z[$1.variable - d].power($1.exponent) } }
    }

    /// A rational vector times the least common denominator of its entries (same span),
    /// and that denominator.
    static func integerScaled(_ v: [Rational]) -> (vector: [BigInt], scale: BigInt) {
        let denominator = v.reduce(BigInt.one) { $1.denominator.isOne ? $0 : lcm($0, $1.denominator) }
        return (v.map { ($0 * Rational(denominator)).numerator }, denominator)
    }

    /// The exact transition into Mon_t from packed powers (D G)^mu: row mu is scaled by
    /// D^(m - |mu|) with m the largest degree in Mon_t, so the whole transition is C D^m, integer.
    /// nil when a monomial does not pack or a term falls outside Mon_{t-1} x Gamma_t (then the
    /// rational powers decide).
    func exactTransition(_ t: Int, packed powers: ExactPackedPowers,
                         checking check: () throws -> Void = {}) throws -> (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt)? {
        let layout = powers.layout, d = inputDim, n = space.stateDimension
        let xMask = layout.mask(0..<d), zMask = layout.mask(d..<(d + n))
        // open-addressing indices (every term of every power is looked up twice)
        var columns = PackedIndex(capacity: mons[t - 1].count), gammaAt = PackedIndex(capacity: gammas[t - 1].count)
        for z in mons[t - 1] { guard let k = layout.pack(z) else { return nil }; _ = columns.index(of: k) }
        for x in gammas[t - 1] { guard let k = layout.pack(x) else { return nil }; _ = gammaAt.index(of: k) }
        let top = mons[t].map(\.totalDegree).max() ?? 0
        let D = powers.denominator
        // D^(m - |mu|) for each degree in Mon_t, once (not per row)
        let lifts = (0...top).reduce(into: [BigInt.one]) { acc, _ in acc.append(acc.last! * D) }
        var rows: [[(gamma: Int, column: Int, coefficient: BigInt)]] = []
        rows.reserveCapacity(mons[t].count)
        for mu in mons[t] {
            try check()
            guard let power = try powers.power(mu) else { return nil }
            let lift = lifts[top - mu.totalDegree]
            var row: [(gamma: Int, column: Int, coefficient: BigInt)] = []
            row.reserveCapacity(power.termCount)
            for (k, c) in zip(power.keys, power.coefficients) {
                guard let g = gammaAt.position(of: k & xMask), let z = columns.position(of: k & zMask) else { return nil }
                row.append((Int(g), Int(z), lift.isOne ? c : c * lift))
            }
            rows.append(row)
        }
        return (rows, D.isOne ? .one : D.power(top))
    }

    /// Exact transitions, each rebuilt once on first use; the exact powers are shared between
    /// steps (a step's powers are the parents of the step before it). Packed integer powers
    /// where the monomials pack, rational powers otherwise.
    /// Used by one thread at a time: built ahead on a second core (`prebuild`) while the
    /// first does modular work, then read by the first after both have joined.
    final class ExactTransitions: @unchecked Sendable {
        let system: LiftedSystem
        private let powers: StepPowers
        private let packed: ExactPackedPowers?
        private var built: [Int: (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt)] = [:]

        /// Millions of GMP integers take most of a second to free: that happens on another
        /// core, not on the caller's path (nothing reads them again; only references move).
        deinit {
            struct Held: @unchecked Sendable { let built: Any, powers: Any, packed: Any }
            let held = Held(built: built, powers: powers, packed: packed as Any)
            DispatchQueue.global(qos: .utility).async { withExtendedLifetime(held) {} }
        }
        init(_ system: LiftedSystem) {
            self.system = system
            powers = StepPowers(step: system.space.step, inputDim: system.inputDim, maxTerms: system.maxTerms)
            packed = PackedLayout(variables: system.inputDim + system.space.stateDimension).flatMap {
                ExactPackedPowers(step: system.space.step, inputDim: system.inputDim, layout: $0, maxTerms: system.maxTerms)
            }
        }
        /// Builds the transitions into the given steps in order, ahead of their use, until
        /// `stop` is raised (checked between rows). A refusal or a stop leaves the step
        /// unbuilt: its first use rebuilds it and meets the same refusal there.
        func prebuild(_ steps: [Int], until stop: StopSignal) {
            for t in steps {
                if stop.isRaised { return }
                _ = try? self(t, stop: stop)
            }
        }

        private struct Stopped: Error {}

        /// Whether the transition into Mon_t is cached (built ahead or on an earlier use).
        func isBuilt(_ t: Int) -> Bool { built[system.shares[t]] != nil }

        /// The transition into Mon_t times `scale`, integer.
        func callAsFunction(_ t: Int) throws -> (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt) {
            try self(t, stop: nil)
        }

        private func callAsFunction(_ t: Int, stop: StopSignal?) throws -> (rows: [[(gamma: Int, column: Int, coefficient: BigInt)]], scale: BigInt) {
            // a step that shares a later step's transition is built (and cached) as that step
            let t = system.shares[t]
            if let r = built[t] { return r }
            let stopped = { if stop?.isRaised == true { throw Stopped() } }
            let r = try packed.flatMap { try system.exactTransition(t, packed: $0, checking: stopped) }
                ?? system.exactTransition(t, powers: powers, checking: stopped)
            built[t] = r
            return r
        }
    }

    /// C_gamma v for every gamma of the step into Mon_t, v on Mon_{t-1}.
    func forward(_ v: [BigInt], into t: Int, _ rows: [[(gamma: Int, column: Int, coefficient: BigInt)]]) -> [[BigInt]] {
        var out = [[BigInt]](repeating: [BigInt](repeating: .zero, count: mons[t].count), count: gammas[t - 1].count)
        // a row's entries of one gamma are summed in place (GMP addmul, no product allocated);
        // they usually come together (packed powers sort terms by their x part first)
        let sum = IntegerAccumulator()
        for (i, row) in rows.enumerated() {
            var gamma = -1
            for e in row where !v[e.column].isZero {
                if e.gamma != gamma {
                    if gamma >= 0 { out[gamma][i] += sum.value }
                    sum.reset(); gamma = e.gamma
                }
                sum.addProduct(e.coefficient, v[e.column])
            }
            if gamma >= 0 { out[gamma][i] += sum.value }
        }
        return out
    }

    /// C_gamma^T w for every gamma of the step into Mon_t, w on Mon_t, results on Mon_{t-1}.
    func backward(_ w: [BigInt], from t: Int, _ rows: [[(gamma: Int, column: Int, coefficient: BigInt)]]) -> [[BigInt]] {
        var out = [[BigInt]](repeating: [BigInt](repeating: .zero, count: mons[t - 1].count), count: gammas[t - 1].count)
        for (i, row) in rows.enumerated() where !w[i].isZero {
            for e in row { out[e.gamma][e.column] += e.coefficient * w[i] }
        }
        return out
    }
}
