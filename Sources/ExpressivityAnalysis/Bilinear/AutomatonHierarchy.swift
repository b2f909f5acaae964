import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks

/// Where an automaton task (any finite-state task, groups or not) sits in the bilinear
/// hierarchy, read off its minimal weighted automaton (Docs/bilinear-hierarchy.md, arguments
/// 12-15): a class without additive terms computes f iff the minimal automaton's transitions
/// lie in it (a model's minimal automaton is a compression of it), so each verdict is either
/// the minimal automaton itself, checked in the class, or a pair of words on which f breaks a
/// law every member of the class obeys.
public struct AutomatonHierarchy: Sendable {
    /// Why no model of a class computes the task, at any size: words on which f breaks a law.
    public enum Impossibility: Sendable, Equatable, CustomStringConvertible {
        /// f(u s t v) != f(u t s v): commuting transitions give order-symmetric outputs.
        case notOrderSymmetric(prefix: [Int], first: Int, second: Int, suffix: [Int])
        /// f(u s^(1+p) v) != f(u s v), p the period of symbol s's map: with diagonal transitions
        /// f(u s^k v) = sum_i c_i lambda_i^k, and a sequence that is eventually p-periodic keeps
        /// only lambda_i = 0 or lambda_i^p = 1, so it is p-periodic from k = 1 (argument 13).
        case notPeriodicFromOne(prefix: [Int], symbol: Int, period: Int, suffix: [Int])
        /// f(u s^3 v) != f(u s v): real lambda_i leave only 0 and +-1, period 2 from k = 1.
        case notTwoPeriodicFromOne(prefix: [Int], symbol: Int, suffix: [Int])
        /// f(u s v) != f(u v): a positive diagonal affine layer gives f(u s^k v) =
        /// C + D k + sum_i c_i a_i^k (a_i > 0), which equals an eventually periodic sequence only
        /// when constant in k, so every symbol would act trivially (argument 14).
        case symbolActs(prefix: [Int], symbol: Int, suffix: [Int])

        public func applies(to c: BilinearClass) -> Bool {
            switch self {
            case .notOrderSymmetric, .notPeriodicFromOne: return c == .commuting || c == .realDiagonal
            case .notTwoPeriodicFromOne: return c == .realDiagonal
            case .symbolActs: return c == .positiveDiagonal
            }
        }

        /// Whether the premise holds for the task, from f's values alone.
        public func holds(for task: AutomatonTask) -> Bool {
            let symbols = 0..<task.alphabetSize
            func valid(_ w: [Int]) -> Bool { w.allSatisfy(symbols.contains) }
            switch self {
            case let .notOrderSymmetric(u, s, t, v):
                return valid(u + [s, t] + v) && task.value(u + [s, t] + v) != task.value(u + [t, s] + v)
            case let .notPeriodicFromOne(u, s, p, v):
                return valid(u + [s] + v) && p == task.indexAndPeriod(symbol: s).period
                    && task.value(u + [Int](repeating: s, count: 1 + p) + v) != task.value(u + [s] + v)
            case let .notTwoPeriodicFromOne(u, s, v):
                return valid(u + [s] + v) && task.value(u + [s, s, s] + v) != task.value(u + [s] + v)
            case let .symbolActs(u, s, v):
                return valid(u + [s] + v) && task.value(u + [s] + v) != task.value(u + v)
            }
        }

        public var description: String {
            switch self {
            case let .notOrderSymmetric(u, s, t, v):
                return "f(\(u + [s, t] + v)) != f(\(u + [t, s] + v)), and commuting transitions are order-symmetric"
            case let .notPeriodicFromOne(u, s, p, v):
                return "f(u s^k v) with u = \(u), s = \(s), v = \(v) differs at k = 1 and k = \(1 + p) (p = \(p), the period of s): diagonal transitions make it p-periodic from k = 1"
            case let .notTwoPeriodicFromOne(u, s, v):
                return "f(u s^k v) with u = \(u), s = \(s), v = \(v) differs at k = 1 and k = 3: real diagonal transitions make it 2-periodic from k = 1"
            case let .symbolActs(u, s, v):
                return "f(\(u + [s] + v)) != f(\(u + v)): a positive diagonal layer with an input term computes only tasks on which no symbol acts (constant f)"
            }
        }
    }

    /// The argument behind a lower bound on the size.
    public enum SizeArgument: Sendable, Equatable, CustomStringConvertible {
        /// Any linear 2RNN computing f has at least rank(Hankel) states.
        case hankelRank
        /// R >= the ranks of [M_1 ... M_S] and [M_1; ...; M_S] for the minimal automaton's
        /// transitions: a CP layer's stacks have rank <= R, and compression cannot raise it.
        /// (The constructions: sum_s rank M_s, or the automaton's distinct edges.)
        case stackedRank
        /// A composition factor of the minimal automaton's module on which the transitions
        /// generate all d x d matrices (absolutely irreducible, so simple) is a composition
        /// factor of some block: block >= d (`CompositionFactors`).
        case absolutelyIrreducible
        /// M_s has a primitive p-th root of unity among its eigenvalues (Phi_p(M_s) is singular):
        /// so has some block, whose rational characteristic polynomial Phi_p then divides:
        /// block >= phi(p).
        case rootOfUnity(symbol: Int, order: Int)
        /// Blocks of size 1 form a rational diagonal layer, and no real-diagonal layer computes f
        /// (argument 13): block >= 2.
        case notDiagonal
        /// A direct summand of the minimal module is indecomposable (its commutant is Q) and has
        /// a simple factor S of dimension d below its own: blocks of size <= d would make the
        /// module the sum of an S-isotypic semisimple one and an S-free one, and by Krull-Schmidt
        /// the summand would be S or S-free (argument 15): block >= d + 1.
        case indecomposable(factor: Int)
        /// No argument beyond size >= 1 (0 for f = 0).
        case trivial

        public var description: String {
            switch self {
            case .hankelRank: return "size >= Hankel rank (all words)"
            case .stackedRank: return "R >= rank of the minimal automaton's stacked transitions [M_1 ... M_S] and [M_1; ...; M_S] (argument 15)"
            case .absolutelyIrreducible: return "largest block >= d: the minimal automaton has an absolutely irreducible composition factor of dimension d (its transitions generate every d x d matrix there), which is a composition factor of some block (argument 15)"
            case let .rootOfUnity(s, p): return "largest block >= phi(\(p)): the minimal automaton's M_\(s) has a primitive \(p)-th root of unity as an eigenvalue (Phi_\(p)(M_\(s)) is singular), so some rational block's characteristic polynomial has the factor Phi_\(p) (argument 15)"
            case .notDiagonal: return "largest block >= 2: blocks of size 1 form a rational diagonal layer, and no real-diagonal layer computes f"
            case .indecomposable(let d): return "largest block >= \(d) + 1: a direct summand of the minimal automaton is indecomposable (its commutant is Q) with a simple factor of dimension \(d) below its own; blocks of size <= \(d) would split it (argument 15)"
            case .trivial: return "no argument above the trivial bound"
            }
        }
    }

    public typealias Verdict = ClassVerdict<Impossibility, SizeArgument>

    public let task: AutomatonTask
    /// The rank of f's whole Hankel matrix: the minimal automaton's dimension.
    public let hankelRank: Int
    /// The minimal weighted automaton, as a one-layer linear 2RNN (hidden size max(1, H)).
    public let minimal: NetworkModel
    /// Words reaching a basis of its states, and words separating them (f(u_i v_j) invertible).
    public let prefixes: [[Int]], suffixes: [[Int]]
    /// Whether the minimal automaton equals the task on every word (exact equivalence).
    public let minimalChecked: Bool
    public let verdicts: [Verdict]

    public init(_ task: AutomatonTask) {
        self.task = task
        let (h, u, v, model) = AutomatonHierarchy.minimalAutomaton(task)
        hankelRank = h; prefixes = u; suffixes = v; minimal = model
        let reference = task.automatonModel()
        let minimalChecked = WeightedAutomaton.equivalent(model, reference)
        self.minimalChecked = minimalChecked
        let transitions = BilinearClass.transitions(of: model)!.matrices
        let witnesses = AutomatonHierarchy.Witnesses(task: task, prefixes: u.isEmpty ? [[]] : u, suffixes: v.isEmpty ? [[]] : v)
        // the laws each searched once: commuting, then the complex- and real-diagonal periods
        let orderLaw = witnesses.orderSymmetry()
        let diagonalLaw = orderLaw ?? witnesses.periodicity(real: false), realLaw = orderLaw ?? witnesses.periodicity(real: true)
        let n = model.layers[0].hidden
        var out: [Verdict] = []
        for c in BilinearClass.allCases {
            func possible(_ m: NetworkModel, lower: Int, argument: SizeArgument) -> Verdict {
                let checked = c.contains(m) && (m == model ? minimalChecked : WeightedAutomaton.equivalent(m, reference))
                // f = 0 needs no state (the construction's one state has readout 0), and a CP layer
                // whose transitions are all zero needs no term (the construction's one term is zero)
                let none = h == 0 || (c == .cp && lower == 0)
                return Verdict(bilinearClass: c, impossible: nil, lower: lower, lowerArgument: argument, upper: none ? 0 : c.size(of: m),
                               construction: m, constructionChecked: checked)
            }
            func impossible(_ why: Impossibility) -> Verdict { .impossible(c, why) }
            switch c {
            case .full:
                out.append(possible(model, lower: h, argument: .hankelRank))
            case .cp:
                let horizontal = RationalMatrix(rows: n, columns: transitions.count * n) { i, j in transitions[j / n][i, j % n] }
                let vertical = RationalMatrix(rows: transitions.count * n, columns: n) { i, j in transitions[i / n][i % n, j] }
                let bound = h == 0 ? 0 : max(horizontal.rank(), vertical.rank())
                // two constructions, the fewer terms kept: the minimal automaton's transitions by
                // their ranks, or the automaton's own edges (one term per distinct q -> delta_s(q))
                let byRank = AutomatonHierarchy.cpModel(model, transitions), byEdges = AutomatonHierarchy.edgeModel(task)
                let smaller = (byEdges.layers[0].cp?.rank ?? .max) < (byRank.layers[0].cp?.rank ?? .max) ? byEdges : byRank
                out.append(possible(smaller, lower: bound, argument: .stackedRank))
            case .blockDiagonal:
                let blocks = h == 0 ? (model: model, pieces: []) : AutomatonHierarchy.blockModel(model, transitions)
                // every argument that applies, the largest wins (argument 15)
                var bounds: [(size: Int, argument: SizeArgument)] = [(h == 0 ? 0 : 1, .trivial)]
                if h > 0 {
                    // blocks of size 1 are a rational diagonal layer, which the real-diagonal laws exclude
                    if realLaw != nil { bounds.append((2, .notDiagonal)) }
                    if let root = AutomatonHierarchy.primitiveRoot(task, transitions) {
                        bounds.append((root.phi, .rootOfUnity(symbol: root.symbol, order: root.order)))
                    }
                    // per direct summand found (the module itself when none splits off): its certified
                    // factors are the module's (Jordan-Hoelder), and an indecomposable summand with a
                    // simple factor smaller than itself forces one more
                    for piece in blocks.pieces {
                        guard let factor = CompositionFactors.certified(piece).max() else { continue }
                        bounds.append((factor, .absolutelyIrreducible))
                        if factor < piece[0].rows, CompositionFactors.isIndecomposable(piece) { bounds.append((factor + 1, .indecomposable(factor: factor))) }
                    }
                }
                let bound = bounds.max { $0.size < $1.size }!
                out.append(possible(blocks.model, lower: bound.size, argument: bound.argument))
            case .commuting, .realDiagonal:
                if let w = c == .commuting ? diagonalLaw : realLaw {
                    out.append(impossible(w))
                } else {
                    out.append(possible(model, lower: h, argument: .hankelRank))
                }
            case .positiveDiagonal:
                if let w = witnesses.action() {
                    out.append(impossible(w))
                } else {
                    out.append(possible(model, lower: h, argument: .hankelRank))
                }
            }
        }
        verdicts = out
    }

    /// Whether a one-layer model without activations equals the task on every one-hot word of
    /// every length (exact weighted-automaton equivalence with the automaton's own model).
    public func computesTask(_ model: NetworkModel) -> Bool { AutomatonHierarchy.computes(model, task) }

    /// The same check without the hierarchy: `model` against the automaton's own one-hot model.
    public static func computes(_ model: NetworkModel, _ task: AutomatonTask) -> Bool {
        WeightedAutomaton.equivalent(model, task.automatonModel())
    }

    /// Whether the automaton's own maps commute (a commutative transition monoid) and whether
    /// each is an involution or the identity: the summaries' "abelian" and "parity-like", read
    /// for automata (the claims compare the verdicts with them).
    public var mapsCommute: Bool {
        let t = task.transitions
        return t.indices.allSatisfy { s in t.indices.allSatisfy { u in t[s].map { t[u][$0] } == t[u].map { t[s][$0] } } }
    }
    public var mapsAreInvolutions: Bool { task.transitions.allSatisfy { m in m.indices.allSatisfy { m[m[$0]] == $0 } } }

    /// The searches for a broken law: over u in the prefixes (a basis of the minimal automaton's
    /// states) and v in the suffixes (which separate them), so a law that fails on the minimal
    /// automaton fails on some such u, v (argument 12).
    struct Witnesses {
        let task: AutomatonTask, prefixes: [[Int]], suffixes: [[Int]]
        var symbols: Range<Int> { 0..<task.alphabetSize }

        func orderSymmetry() -> Impossibility? {
            for s in symbols { for t in symbols where t > s { for u in prefixes { for v in suffixes {
                if task.value(u + [s, t] + v) != task.value(u + [t, s] + v) { return .notOrderSymmetric(prefix: u, first: s, second: t, suffix: v) }
            } } } }
            return nil
        }

        /// f(u s^(1+p) v) against f(u s v): p the period of s's map (complex diagonal), or 2 (real).
        func periodicity(real: Bool) -> Impossibility? {
            for s in symbols {
                let p = real ? 2 : task.indexAndPeriod(symbol: s).period
                for u in prefixes { for v in suffixes {
                    if task.value(u + [Int](repeating: s, count: 1 + p) + v) != task.value(u + [s] + v) {
                        return real ? .notTwoPeriodicFromOne(prefix: u, symbol: s, suffix: v)
                            : .notPeriodicFromOne(prefix: u, symbol: s, period: p, suffix: v)
                    }
                } }
            }
            return nil
        }

        func action() -> Impossibility? {
            for s in symbols { for u in prefixes { for v in suffixes where task.value(u + [s] + v) != task.value(u + v) {
                return .symbolActs(prefix: u, symbol: s, suffix: v)
            } } }
            return nil
        }
    }

    /// The minimal weighted automaton of f (Hankel rank H): states psi(w) = (f(w v_j))_j for
    /// suffixes v_j whose observation vectors over the reachable states are a basis, and
    /// prefixes u_i with P = [f(u_i v_j)] invertible; then A_s = B_s P^-1 with
    /// B_s[j][i] = f(u_i s v_j), h_0 = psi(empty word), readout (f(u_i))_i P^-1.
    static func minimalAutomaton(_ task: AutomatonTask) -> (h: Int, prefixes: [[Int]], suffixes: [[Int]], model: NetworkModel) {
        let reachable = task.reachableStates(), order = reachable.map(\.state)
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        // observation vectors o(v)[i] = f from state order[i] on v; o(s v)[i] = o(v)[index of s(order[i])]
        var observed = IntegerBasis(dimension: order.count)
        var suffixes: [[Int]] = [], vectors: [[BigInt]] = []
        var pending: [([Int], [BigInt])] = [([], order.map { task.accepting[$0] ? BigInt.one : .zero })]
        while !pending.isEmpty {
            let (v, o) = pending.removeFirst()
            guard observed.insert(o) else { continue }
            suffixes.append(v); vectors.append(o)
            for s in 0..<task.alphabetSize { pending.append(([s] + v, order.map { o[index[task.transitions[s][$0]]!] })) }
        }
        let h = suffixes.count
        guard h > 0 else {
            // f = 0: one state, readout 0
            let zero = NetworkModel(inputDim: task.alphabetSize,
                                    layers: [RecurrentLayer(hidden: 1, initialState: [1], bilinear: [[[Rational](repeating: 1, count: task.alphabetSize)]])],
                                    readout: [[0]])
            return (0, [], [], zero)
        }
        // prefixes: reachable states whose rows (o(v_j)[i])_j are independent
        var rows = IntegerBasis(dimension: h)
        var prefixes: [[Int]] = []
        for (i, r) in reachable.enumerated() where rows.insert(vectors.map { $0[i] }) { prefixes.append(r.word) }
        let f = { (w: [Int]) in task.value(w) }
        let p = RationalMatrix(rows: h, columns: h) { j, i in f(prefixes[i] + suffixes[j]) }
        let inverse = p.inverse()!   // invertible: its rows are independent by construction
        let a = (0..<task.alphabetSize).map { s in
            RationalMatrix(rows: h, columns: h) { j, i in f(prefixes[i] + [s] + suffixes[j]) } * inverse
        }
        let readout = (RationalMatrix([prefixes.map(f)]) * inverse).row(0)
        return (h, prefixes, suffixes, CyclotomicBlocks.layer(transitions: a, initialState: suffixes.map(f), readout: readout))
    }

    /// The minimal automaton in a basis through its direct summands (`CompositionFactors.
    /// directSummands`): T^-1 M_s T is block-diagonal, h_0 becomes T^-1 h_0 and the readout c T.
    /// Also the actions on the summands (the diagonal blocks, in order).
    static func blockModel(_ model: NetworkModel, _ transitions: [RationalMatrix]) -> (model: NetworkModel, pieces: [[RationalMatrix]]) {
        let pieces = CompositionFactors.directSummands(transitions)
        guard pieces.count > 1 else { return (model, [transitions]) }
        let columns = pieces.flatMap { $0 }, n = columns.count
        let t = RationalMatrix(rows: n, columns: n) { columns[$1][$0] }, inverse = t.inverse()!   // the summands' bases together
        let a = transitions.map { inverse * $0 * t }
        var offset = 0
        let blocks: [[RationalMatrix]] = pieces.map { piece in
            defer { offset += piece.count }
            return a.map { m in RationalMatrix(rows: piece.count, columns: piece.count) { m[offset + $0, offset + $1] } }
        }
        let start = (inverse * RationalMatrix(model.layers[0].initialState!.map { [$0] })).column(0)
        let readout = (RationalMatrix([model.readout[0]]) * t).row(0)
        return (CyclotomicBlocks.layer(transitions: a, initialState: start, readout: readout), blocks)
    }

    /// The symbol and order p maximising phi(p) among primitive p-th roots of unity that are
    /// eigenvalues of a minimal transition (p divides the period of the symbol's map, since
    /// M_s^(i+p) = M_s^i; Phi_p(M_s) singular), nil when none has p >= 3.
    static func primitiveRoot(_ task: AutomatonTask, _ transitions: [RationalMatrix]) -> (symbol: Int, order: Int, phi: Int)? {
        var best: (symbol: Int, order: Int, phi: Int)? = nil
        for (s, m) in transitions.enumerated() {
            for (p, phi) in CyclotomicBlocks.polynomials(dividing: task.indexAndPeriod(symbol: s).period) where p >= 3 {
                let degree = phi.count - 1
                guard degree > (best?.phi ?? 1), Spectrum.evaluate(phi, at: m).rank() < m.rows else { continue }
                best = (s, p, degree)
            }
        }
        return best
    }

    /// A CP layer with the minimal automaton's transitions: each M_s = M_s[:, J] R_s (J its pivot
    /// columns, R_s the nonzero rows of its reduced echelon form), one rank-one term per pivot,
    /// selected by symbol s: R = sum_s rank M_s.
    static func cpModel(_ model: NetworkModel, _ transitions: [RationalMatrix]) -> NetworkModel {
        let n = model.layers[0].hidden, m = transitions.count
        var state: [[Rational]] = [], input: [[Rational]] = [], output = [[Rational]](repeating: [], count: n)
        for (s, a) in transitions.enumerated() {
            let (form, pivots) = a.reducedRowEchelonForm()
            for (r, j) in pivots.enumerated() {
                state.append(form.row(r))
                input.append((0..<m).map { Rational($0 == s ? 1 : 0) })
                for i in 0..<n { output[i].append(a[i, j]) }
            }
        }
        if state.isEmpty {
            // every transition is zero: one term with zero weight keeps the layer a CP layer
            state = [[Rational](repeating: 0, count: n)]; input = [[Rational](repeating: 0, count: m)]
            output = (0..<n).map { _ in [0] }
        }
        let layer = RecurrentLayer(hidden: n, initialState: model.layers[0].initialState, cp: CPTerm(state: state, input: input, output: output))
        return NetworkModel(inputDim: m, layers: [layer], readout: model.readout)
    }

    /// A CP layer on the automaton's own states: one rank-one term e_q' e_q^T per distinct edge
    /// q -> q' = delta_s(q) of the reachable part, switched on by every symbol s that takes it
    /// (symbols share the edges they have in common: mod-arith-M uses M^2 terms, not one set per
    /// symbol).
    static func edgeModel(_ task: AutomatonTask) -> NetworkModel {
        let n = task.stateCount, m = task.alphabetSize
        var edges: [(from: Int, to: Int)] = [], index: [[Int]: Int] = [:]
        var input: [[Rational]] = []
        for q in task.reachableStates().map(\.state).sorted() {
            for s in 0..<m {
                let edge = [q, task.transitions[s][q]]
                if index[edge] == nil { index[edge] = edges.count; edges.append((q, edge[1])); input.append([Rational](repeating: 0, count: m)) }
                input[index[edge]!][s] = 1
            }
        }
        let unit = { (i: Int) in (0..<n).map { Rational($0 == i ? 1 : 0) } }
        let output = (0..<n).map { i in edges.map { Rational($0.to == i ? 1 : 0) } }
        let layer = RecurrentLayer(hidden: n, initialState: unit(task.start),
                                   cp: CPTerm(state: edges.map { unit($0.from) }, input: input, output: output))
        return NetworkModel(inputDim: m, layers: [layer], readout: [task.accepting.map { Rational($0 ? 1 : 0) }])
    }
}

/// One class's verdict on a task: possible at a least size in lower...upper (for CP the size
/// is the number R of rank-one terms; upper nil: no construction), with a checked construction,
/// or impossible at every size for a typed reason (group and automaton tasks have their own).
public struct ClassVerdict<Impossibility: Sendable & Equatable & CustomStringConvertible, Argument: Sendable & Equatable>: Sendable {
    public let bilinearClass: BilinearClass
    /// nil: possible at some size (see `lower`, `upper`).
    public let impossible: Impossibility?
    public let lower: Int?
    public let lowerArgument: Argument?
    public let upper: Int?
    public let construction: NetworkModel?
    /// The construction is in the class (exact membership test) and equals the task on every
    /// word of every length (exact equivalence with the task's reference model, itself proven
    /// by its tables).
    public let constructionChecked: Bool
    public var isExact: Bool { impossible == nil && lower != nil && lower == upper && constructionChecked }

    /// No size of class c computes the task, for this reason.
    static func impossible(_ c: BilinearClass, _ why: Impossibility) -> ClassVerdict {
        ClassVerdict(bilinearClass: c, impossible: why, lower: nil, lowerArgument: nil, upper: nil, construction: nil, constructionChecked: false)
    }
}
