import Polynomials
import ExactNumbers
import ExactLinearAlgebra
import RecurrentNetworks

/// Where a state-tracking task sits in the bilinear hierarchy: for each class, the least size
/// as an interval with a construction checked exactly, or a proof that no size suffices. Every
/// verdict is read off the task (its Hankel rank, its order symmetry, the period of f on a
/// repeated symbol), not from a table (Docs/bilinear-hierarchy.md proves each argument).
public struct BilinearHierarchy: Sendable {
    /// Why no model of a class computes the task, at any size.
    public enum Impossibility: Sendable, Equatable, CustomStringConvertible {
        /// f changes when two steps are swapped; commuting transitions make every output
        /// symmetric in the order of the steps.
        case notOrderSymmetric(word: [Int], permuted: [Int])
        /// On the repeated symbol, k -> f(s^k) has least period > 2; with real diagonalisable
        /// transitions it is sum_i c_i lambda_i^k, and periodic forces lambda_i in {1, -1}.
        case periodAboveTwo(symbol: Int, period: Int)
        /// On the repeated symbol f is periodic and not constant; with positive spectrum and an
        /// additive term it is sum_i P_i(k) a_i^k with a_i > 0, and periodic forces a constant.
        case periodicNotConstant(symbol: Int, period: Int)

        /// Whether the argument excludes this class: order symmetry the commuting classes
        /// without an additive term, the period above two the real-diagonal one, a periodic
        /// non-constant sequence the positive-diagonal one.
        public func applies(to c: BilinearClass) -> Bool {
            switch self {
            case .notOrderSymmetric: return c == .commuting || c == .realDiagonal
            case .periodAboveTwo: return c == .realDiagonal
            case .periodicNotConstant: return c == .positiveDiagonal
            }
        }

        /// Whether the premise holds for the task, checked again from f's values alone: the two
        /// words are permutations of each other with different values, or the symbol's sequence
        /// f(s^k) has that least period.
        public func holds(for task: StateTrackingTask) -> Bool {
            switch self {
            case let .notOrderSymmetric(w, p):
                return w.sorted() == p.sorted() && w.allSatisfy { $0 >= 0 && $0 < task.alphabetSize } && task.value(w) != task.value(p)
            case let .periodAboveTwo(s, p):
                return s >= 0 && s < task.alphabetSize && p > 2 && BilinearHierarchy.period(task, symbol: s) == p
            case let .periodicNotConstant(s, p):
                return s >= 0 && s < task.alphabetSize && p > 1 && BilinearHierarchy.period(task, symbol: s) == p
            }
        }

        public var description: String {
            switch self {
            case let .notOrderSymmetric(w, p): return "not order-symmetric: f(\(w)) != f(\(p)), and commuting transitions are"
            case let .periodAboveTwo(s, p): return "f(s^k) for symbol \(s) has least period \(p) > 2; real diagonal transitions give sum c_i lambda_i^k, periodic only with lambda_i = +-1 (period <= 2)"
            case let .periodicNotConstant(s, p): return "f(s^k) for symbol \(s) is periodic with least period \(p) and not constant; positive spectrum with an input term gives sum P_i(k) a_i^k, a_i > 0, periodic only when constant"
            }
        }
    }

    /// The argument behind a lower bound on the size.
    public enum SizeArgument: Sendable, Equatable, CustomStringConvertible {
        /// Any linear 2RNN computing f has at least rank(Hankel) states (Fliess; Carlyle-Paz).
        case hankelRank
        /// Every transition M(e_s) of a model computing a group task has rank >= the Hankel
        /// rank, and a CP layer's M(e_s) has rank <= R.
        case transitionRank
        /// R = Hankel rank = |G| would make the compressed R-state automaton minimal, so each
        /// M(e_s) restricted to it, D_s W^T U, is similar to the permutation P_s, and the real
        /// diagonal D_s^-1 D_t similar to P_s^-1 P_t, whose eigenvalues are all ord(g_s^-1 g_t)-th
        /// roots of unity: not real when that order is >= 3 (argument 10).
        case ratioNotReal
        /// A group element of order p (a repeated word reaching it) needs a primitive p-th root of
        /// unity among the eigenvalues of some rational block, whose characteristic polynomial
        /// Phi_p then divides: block >= phi(p);
        /// and blocks of size 1 commute (argument 2 for non-abelian groups).
        case rationalBlocks

        public var description: String {
            switch self {
            case .hankelRank: return "size >= Hankel rank"
            case .transitionRank: return "R >= rank M(e_s) >= Hankel rank"
            case .ratioNotReal: return "R >= Hankel rank + 1: at R = |G| the real diagonal D_s^-1 D_t would be similar to the regular representation of g_s^-1 g_t, of order >= 3 (non-real eigenvalues)"
            case .rationalBlocks: return "largest block >= phi(order of a group element) (a rational block holding a primitive root of unity), >= the dimension of a simple Q[G]-module (each is a composition factor of a block), >= 2 when not order-symmetric"
            }
        }
    }

    public typealias Verdict = ClassVerdict<Impossibility, SizeArgument>

    public let task: StateTrackingTask
    /// The Hankel rank of f over all words (`hankelRank(_:)`).
    public let hankelLower: Int
    public let order: Int
    /// Least period of k -> f(s^k), k >= 1, per symbol.
    public let periods: [Int]
    public let verdicts: [Verdict]

    /// The regular representation: the reference every construction is compared with.
    let regular: NetworkModel

    public init(_ task: StateTrackingTask) {
        self.task = task
        let regular = task.regularRepresentationModel(), group = GroupTable(task)
        self.regular = regular
        order = task.elements.count
        let h = BilinearHierarchy.hankelRank(task, group: group)
        hankelLower = h
        periods = (0..<task.alphabetSize).map { BilinearHierarchy.period(task, symbol: $0) }
        let witness = task.orderWitness()
        // S_n's irreducibles on the symbols (at most 5 points): the block construction and bound
        let irreducibles = YoungSeminormal.irreducibles(of: task)
        var out: [Verdict] = []
        // the reference every construction is compared with, proven equal to f by its tables (once)
        let regularIsExact = TaskConstructionEvidence.regularRepresentation(regular).verify(for: task)
        for c in BilinearClass.allCases {
            func possible(_ model: NetworkModel, lower: Int, argument: SizeArgument) -> Verdict {
                let size = c.size(of: model) ?? 0
                let checked = regularIsExact && c.contains(model) && (model == regular || WeightedAutomaton.equivalent(model, regular))
                return Verdict(bilinearClass: c, impossible: nil, lower: lower, lowerArgument: argument, upper: size,
                               construction: model, constructionChecked: checked)
            }
            func impossible(_ why: Impossibility) -> Verdict { .impossible(c, why) }
            switch c {
            case .full:
                out.append(possible(regular, lower: h, argument: .hankelRank))
            case .cp:
                let bound = BilinearHierarchy.cpLowerBound(group, hankel: h, symbols: task.alphabetSize)
                out.append(possible(BilinearHierarchy.cpModel(task), lower: bound.bound, argument: bound.argument))
            case .blockDiagonal:
                let blocks = BilinearHierarchy.cyclicBlockModel(task, group) ?? BilinearHierarchy.dihedralBlockModel(task, group)
                    ?? irreducibles.flatMap { BilinearHierarchy.symmetricBlockModel($0) } ?? regular
                out.append(possible(blocks, lower: BilinearHierarchy.blockLowerBound(group, irreducibles: irreducibles, orderSymmetric: witness == nil),
                                    argument: .rationalBlocks))
            case .commuting, .realDiagonal:
                if let w = witness {
                    out.append(impossible(.notOrderSymmetric(word: w.word, permuted: w.permuted)))
                } else if c == .realDiagonal, let s = periods.firstIndex(where: { $0 > 2 }) {
                    out.append(impossible(.periodAboveTwo(symbol: s, period: periods[s])))
                } else {
                    out.append(possible(regular, lower: h, argument: .hankelRank))
                }
            case .positiveDiagonal:
                if let s = periods.firstIndex(where: { $0 > 1 }) {
                    out.append(impossible(.periodicNotConstant(symbol: s, period: periods[s])))
                } else {
                    // every symbol has period 1, so acts as the identity: the trivial group, whose
                    // regular representation is one state with transition 1
                    out.append(possible(regular, lower: h, argument: .hankelRank))
                }
            }
        }
        verdicts = out
    }

    /// The rank of f's whole Hankel matrix (all words, any length): its row for a word depends
    /// only on the element the word reaches, and so does its column, so the block on one
    /// shortest word per element holds every distinct row and column. That block is the task's
    /// Hankel evidence at twice the longest such word (`hankelEvidence(length:)`), |G| x |G|,
    /// with its certified rank.
    public static func hankelRank(_ task: StateTrackingTask) -> Int { hankelRank(task, group: GroupTable(task)) }

    static func hankelRank(_ task: StateTrackingTask, group: GroupTable) -> Int {
        let diameter = group.words.map(\.count).max() ?? 0
        let evidence = task.hankelEvidence(length: max(1, 2 * diameter))   // (T >= 1: the trivial group has diameter 0)
        precondition(evidence.certificate.verify(evidence.matrix), "the rank certificate of the Hankel block")
        return evidence.rank
    }

    /// What the hierarchy says about one model and this task.
    public enum ModelVerdict: Sendable, Equatable {
        /// The model equals the task on every one-hot word (exact equivalence with the regular
        /// representation); `classes` lists the hierarchy's classes it belongs to.
        case computesTask(classes: [BilinearClass])
        /// The model lies in a class that no size of which computes the task: the argument.
        case excluded(BilinearClass, Impossibility)
        /// The model differs from the task (no class argument: it is just another function).
        case differs(classes: [BilinearClass])
        /// Not a single layer without activations: outside the hierarchy.
        case notInHierarchy
    }

    /// Checks a model against the task: equal at every length, or excluded with the argument
    /// of the narrowest class that contains it and cannot compute the task.
    public func check(_ model: NetworkModel) -> ModelVerdict {
        guard BilinearClass.transitions(of: model) != nil, model.inputDim == task.alphabetSize else { return .notInHierarchy }
        let exclusions = BilinearClass.exclusions(of: model)
        let classes = BilinearClass.allCases.filter { exclusions[$0]! == nil }
        if WeightedAutomaton.equivalent(model, regular) { return .computesTask(classes: classes) }
        // narrowest first: positive diagonal, real diagonal, commuting
        for c in [BilinearClass.positiveDiagonal, .realDiagonal, .commuting] where classes.contains(c) {
            if let why = verdicts.first(where: { $0.bilinearClass == c })?.impossible { return .excluded(c, why) }
        }
        return .differs(classes: classes)
    }

    /// The proven lower bound on the least size in a class (argument 7 for block-diagonal
    /// layers; for CP, on R, argument 5, raised by one by argument 10; the Hankel rank
    /// otherwise), from the task alone.
    public static func lowerBound(for c: BilinearClass, _ task: StateTrackingTask) -> Int {
        switch c {
        case .blockDiagonal: return blockLowerBound(task)
        case .cp:
            let group = GroupTable(task)
            return cpLowerBound(group, hankel: hankelRank(task, group: group), symbols: task.alphabetSize).bound
        default: return hankelRank(task)
        }
    }

    /// R >= the Hankel rank (argument 5), and >= |G| + 1 when the Hankel rank is |G| and two
    /// symbols' ratio has order >= 3 (argument 10).
    static func cpLowerBound(_ group: GroupTable, hankel h: Int, symbols m: Int) -> (bound: Int, argument: SizeArgument) {
        h == group.count && ratioOfOrderAboveTwo(group, symbols: m) != nil ? (h + 1, .ratioNotReal) : (h, .transitionRank)
    }

    /// max(phi(ord g)) over the group's elements (argument 7 on a repeated word for g: products
    /// of block-diagonal matrices keep the blocks), the largest certified simple Q[G]-module,
    /// and 2 when f is not order-symmetric.
    public static func blockLowerBound(_ task: StateTrackingTask) -> Int {
        blockLowerBound(GroupTable(task), irreducibles: YoungSeminormal.irreducibles(of: task), orderSymmetric: task.orderWitness() == nil)
    }

    static func blockLowerBound(_ group: GroupTable, irreducibles: [YoungSeminormal.Irreducible]?, orderSymmetric: Bool) -> Int {
        let largest = (0..<group.count).map { GroupTable.eulerPhi(group.order(of: $0)) }.max() ?? 1
        return max(orderSymmetric ? 1 : 2, largest, irreducibles.flatMap(simpleModuleBound)?.dimension ?? 1)
    }

    /// The largest simple Q[G]-module found among S_n's irreducibles restricted to G (at most 5
    /// points), with its shape: every simple Q[G]-module is a composition factor of one block
    /// of any block-diagonal layer computing f (Docs/bilinear-hierarchy.md, argument 7), so its
    /// dimension bounds the largest block. A restriction W is certified simple when its
    /// commutant End_G(W) (the matrices commuting with every symbol's) is a field: Q (W
    /// absolutely irreducible) or Q[T] with T's quadratic irreducible over Q (a pair of
    /// Galois-conjugate irreducibles, as A_5's two of dimension 3). Larger commutants are not
    /// decided (no bound from them). nil above 5 points.
    static func simpleModuleBound(_ irreducibles: [YoungSeminormal.Irreducible]) -> (dimension: Int, shape: [Int])? {
        irreducibles.filter { YoungSeminormal.commutantIsField($0.symbols) }.max { $0.dimension < $1.dimension }.map { ($0.dimension, $0.shape) }
    }

    /// For a cyclic group of order n (generator g, symbol s acting as g^{a_s}): the blocks
    /// companion(Phi_d), d | n, of sizes phi(d) <= phi(n), M(e_s) = (direct sum)^{a_s}, h_0 the
    /// sum of each block's first unit vector (a cyclic vector: the Phi_d are coprime) and the
    /// readout solved from f(g^k) = [n | k], k = 0...n-1; nil when G is not cyclic.
    static func cyclicBlockModel(_ task: StateTrackingTask, _ group: GroupTable) -> NetworkModel? {
        let n = group.count
        guard let g = (0..<n).first(where: { group.order(of: $0) == n }) else { return nil }
        var powers = [0]
        for _ in 1..<n { powers.append(group.product(powers.last!, g)) }
        // the generator as the direct sum of companion(Phi_d), and h_0
        var generator = RationalMatrix(rows: n, columns: n)
        var h0 = [Rational](repeating: .zero, count: n)
        var offset = 0
        for (_, phi) in CyclotomicBlocks.polynomials(dividing: n) {
            h0[offset] = 1
            CyclotomicBlocks.companion(phi, into: &generator, at: offset)
            offset += phi.count - 1
        }
        // readout: c^T G^k h_0 = [k = 0] for k = 0...n-1 (G^k h_0 is the vector of element g^k)
        var vectors = [h0]
        for _ in 1..<n { vectors.append(LinearRepresentation.apply(generator, vectors.last!)) }
        guard let c = CyclotomicBlocks.readout(solving: vectors) else { return nil }
        let ms = (0..<task.alphabetSize).map { CyclotomicBlocks.power(generator, powers.firstIndex(of: group.element(ofSymbol: $0))!) }
        return CyclotomicBlocks.layer(transitions: ms, initialState: h0, readout: c)
    }

    /// For a dihedral group of order 2m (m >= 3; rotation r of order m, reflection s with
    /// s r s = r^-1): rho = sum over d | m of two copies of Q[x]/Phi_d, r acting by x and s by
    /// x -> 1/x in one copy and by its negative in the other (blocks phi(d), largest
    /// phi(m) >= 2); M(e_t) = rho(symbol t)^T, so M(w) = rho(g(w))^T; h_0
    /// and the readout solved so that c^T rho(g)^T h_0 = [g = id]. nil when G is not dihedral or
    /// the solve fails (the caller falls back; the result is checked by equivalence anyway).
    static func dihedralBlockModel(_ task: StateTrackingTask, _ group: GroupTable) -> NetworkModel? {
        let n = group.count
        guard n >= 6, n % 2 == 0 else { return nil }
        let m = n / 2
        guard let r = (1..<n).first(where: { group.order(of: $0) == m }) else { return nil }
        var rotations = [0]
        for _ in 1..<m { rotations.append(group.product(rotations.last!, r)) }
        guard let s = (1..<n).first(where: { !rotations.contains($0) }), group.order(of: s) == 2,
              group.product(group.product(s, r), s) == rotations[m - 1] else { return nil }
        // every element as r^a s^e
        var form = [(a: Int, e: Int)?](repeating: nil, count: n)
        for a in 0..<m { form[rotations[a]] = (a, 0); form[group.product(rotations[a], s)] = (a, 1) }
        guard form.allSatisfy({ $0 != nil }) else { return nil }
        // blocks: Phi_d for d | m, rotation = companion, reflection = x -> x^-1, twice (+-)
        var rotation = RationalMatrix(rows: n, columns: n), reflection = RationalMatrix(rows: n, columns: n)
        var offset = 0
        for sign in [Rational.one, -Rational.one] {
            for (d, phi) in CyclotomicBlocks.polynomials(dividing: m) {
                CyclotomicBlocks.companion(phi, into: &rotation, at: offset)
                for j in 0..<(phi.count - 1) {
                    // column j: x^{-j} = x^{(d - j) mod d} reduced modulo Phi_d
                    var monomial = [Rational](repeating: .zero, count: (d - j) % d + 1); monomial[(d - j) % d] = 1
                    let image = Univariate.divide(monomial, by: phi).remainder
                    for (i, c) in image.enumerated() { reflection[offset + i, offset + j] = sign * c }
                }
                offset += phi.count - 1
            }
        }
        guard offset == n else { return nil }
        let images = form.map { f in (CyclotomicBlocks.power(rotation, f!.a) * CyclotomicBlocks.power(reflection, f!.e)).transposed }
        // h_0: small integers, deterministic, until the vectors rho(g)^T h_0 are independent
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<8 {
            let h0 = (0..<n).map { _ in Rational(Int(rng.next() % 7) - 3) }
            guard let c = CyclotomicBlocks.readout(solving: images.map { LinearRepresentation.apply($0, h0) }) else { continue }
            let ms = (0..<task.alphabetSize).map { images[group.element(ofSymbol: $0)] }
            return CyclotomicBlocks.layer(transitions: ms, initialState: h0, readout: c)
        }
        return nil
    }

    /// For a group of permutations of at most 5 points: every irreducible representation
    /// rho_lambda of S_n (`YoungSeminormal`), restricted to G, d_lambda times, copy j starting at
    /// the unit vector e_j with readout (d_lambda / n!) e_j. Copy j after a word reaching g holds
    /// row j of rho_lambda(g), so the output is sum_lambda (d_lambda / n!) chi_lambda(g) = [g = id]
    /// (the regular character of S_n), for every subgroup G of S_n. Blocks of size d_lambda
    /// (largest 6 for S_5 and A_5), n! states; nil above 5 points (720 states and more).
    /// `largestBlock` leaves out the irreducibles above that dimension (for tests: the output
    /// is then not [g = id]).
    static func symmetricBlockModel(_ irreducibles: [YoungSeminormal.Irreducible], largestBlock: Int = .max) -> NetworkModel? {
        guard let first = irreducibles.first else { return nil }
        let copies = irreducibles.filter { $0.dimension <= largestBlock }
        let factorial = Rational(irreducibles.reduce(0) { $0 + $1.dimension * $1.dimension })   // n! = sum d^2
        // M(e_s) = the direct sum of rho(s)^T over the copies (d per irreducible), so M(w) = rho(g(w))^T
        let m = copies.reduce(0) { $0 + $1.dimension * $1.dimension }
        var transitions = first.symbols.map { _ in RationalMatrix(rows: m, columns: m) }
        var start: [Rational] = [], readout: [Rational] = []
        var offset = 0
        for irreducible in copies {
            let d = irreducible.dimension
            for j in 0..<d {
                for (t, rho) in irreducible.symbols.enumerated() {
                    for a in 0..<d { for b in 0..<d { transitions[t][offset + a, offset + b] = rho[b, a] } }
                }
                let unit = (0..<d).map { $0 == j ? Rational.one : .zero }
                start += unit; readout += unit.map { $0 * Rational(d) / factorial }
                offset += d
            }
        }
        return CyclotomicBlocks.layer(transitions: transitions, initialState: start, readout: readout)
    }

    /// The least period of k -> f(s^k) over k >= 1, read off the task's values: the sequence is
    /// periodic (s has finite order), so its least period is the least p <= |G| with
    /// u_{k+p} = u_k for k = 1...|G|.
    static func period(_ task: StateTrackingTask, symbol s: Int) -> Int {
        let n = task.elements.count
        let u = (1...(2 * n)).map { task.value([Int](repeating: s, count: $0)) }
        return (1...n).first { p in (0..<n).allSatisfy { u[$0 + p] == u[$0] } } ?? n
    }

    /// The regular representation as a CP layer: for an elementary abelian 2-group (every
    /// generator of order <= 2, commuting) the permutation matrices are diagonalised together
    /// by a +-1 character table, so R = |G| rank-one terms; for two symbols, R = |G| when their
    /// ratio is an involution and |G| + |G| / o when it has order o >= 3 (evaluation at o + 1
    /// points on each coset of the ratio); otherwise each P_s = sum_j e_{js} e_j^T gives |G|
    /// terms per symbol, R = m |G|.
    static func cpModel(_ task: StateTrackingTask) -> NetworkModel {
        let times = task.multiplicationTable, n = times.count, m = task.alphabetSize
        let unit = (0..<n).map { Rational($0 == 0 ? 1 : 0) }
        var state: [[Rational]] = [], input: [[Rational]] = [], output = [[Rational]](repeating: [], count: n)
        if let characters = BilinearHierarchy.signCharacters(task) {
            // P_s = X diag(chi_r(s)) X^{-1} with X[g][r] = chi_r(g); orthogonality gives X^T X = n I
            for chi in characters {
                state.append(chi.map { Rational($0) / Rational(n) })              // row r of X^{-1}
                input.append((0..<m).map { s in Rational(chi[times[0][s]]) })     // chi_r(generator s)
                for i in 0..<n { output[i].append(Rational(chi[i])) }             // column r of X: the eigenvector sum_g chi(g) e_g
            }
        } else if m == 2, case let group = GroupTable(task), let c = BilinearHierarchy.involutiveRatio(group) {
            // two symbols a, b with c = b^-1 a of order <= 2: X = P_a P_b^-1 (right
            // multiplication by c) is an involution, diagonalised by e_j + e_jc and e_j - e_jc
            // (by e_j when c = 1); with U those eigenvectors, D_b = I, D_a the eigenvalues and
            // W^T = U^-1 P_b: P_b = U W^T and P_a = X P_b = U D_a W^T, so R = |G|
            let bInverse = group.inverse(of: group.element(ofSymbol: 1))
            func unit(_ x: Int) -> [Rational] { (0..<n).map { Rational($0 == x ? 1 : 0) } }
            var seen = Set<Int>()
            for j in 0..<n where !seen.contains(j) {
                let k = group.product(j, c)
                seen.formUnion([j, k])
                // row of U^-1 P_b for the eigenvector u: u^T P_b / |u|^2, u^T P_b = (P_b^-1 u)^T
                let (jb, kb) = (group.product(j, bInverse), group.product(k, bInverse))
                for sign in j == k ? [Rational(1)] : [1, -1] {
                    let half = j == k ? Rational(1) : Rational(1) / Rational(2)
                    state.append(j == k ? unit(jb) : zip(unit(jb), unit(kb)).map { ($0 + sign * $1) * half })
                    input.append([sign, 1])   // D_a = the eigenvalue, D_b = 1
                    let u = j == k ? unit(j) : zip(unit(j), unit(k)).map { $0 + sign * $1 }
                    for i in 0..<n { output[i].append(u[i]) }
                }
            }
        } else if m == 2 {
            // two symbols a, b whose ratio c = b^-1 a has order o >= 3: X = P_a P_b^-1 (right
            // multiplication by c) cycles each coset {g, g c, ..., g c^(o-1)}; there it is
            // multiplication by x on Q[x]/(x^o - 1) in the basis x^i <-> e_(g c^i). For o + 1
            // distinct rationals lambda_r, x q = sum_r lambda_r q(lambda_r) L_r (Lagrange, degree
            // <= o), so mod x^o - 1: X = sum_r lambda_r u_r v_r^T and I = sum_r u_r v_r^T with
            // v_r = (lambda_r^i) (evaluation) and u_r = L_r mod x^o - 1. Then P_b = sum_r u_r (v_r^T P_b)
            // and P_a = X P_b: R = |G| + |G| / o (argument 11)
            let group = GroupTable(task)
            let c = group.product(group.inverse(of: group.element(ofSymbol: 1)), group.element(ofSymbol: 0))
            let o = group.order(of: c)
            let points = (0...o).map { Rational($0) }
            // L_r mod x^o - 1, coefficients of x^0 ... x^(o-1)
            let lagrange: [[Rational]] = points.indices.map { r in
                var poly: [Rational] = [1]   // coefficients, lowest first
                var scale = Rational.one
                for (q, point) in points.enumerated() where q != r {
                    var next = [Rational](repeating: 0, count: poly.count + 1)
                    for (i, a) in poly.enumerated() { next[i + 1] += a; next[i] -= a * point }
                    poly = next
                    scale *= points[r] - point
                }
                var reduced = [Rational](repeating: 0, count: o)
                for (i, a) in poly.enumerated() { reduced[i % o] += a / scale }
                return reduced
            }
            var seen = Set<Int>()
            for g in 0..<n where !seen.contains(g) {
                var coset = [g]
                while coset.count < o { coset.append(group.product(coset.last!, c)) }
                seen.formUnion(coset)
                for (r, lambda) in points.enumerated() {
                    var v = [Rational](repeating: 0, count: n), u = [Rational](repeating: 0, count: n)
                    var power = Rational.one
                    for i in 0..<o { v[coset[i]] = power; u[coset[i]] = lagrange[r][i]; power *= lambda }
                    state.append((0..<n).map { j in v[times[j][1]] })   // v^T P_b
                    input.append([lambda, 1])                           // D_a = lambda_r, D_b = 1
                    for i in 0..<n { output[i].append(u[i]) }
                }
            }
        } else {
            for s in 0..<m {
                for j in 0..<n {
                    state.append((0..<n).map { Rational($0 == j ? 1 : 0) })
                    input.append((0..<m).map { Rational($0 == s ? 1 : 0) })
                    for i in 0..<n { output[i].append(Rational(i == times[j][s] ? 1 : 0)) }
                }
            }
        }
        let layer = RecurrentLayer(hidden: n, initialState: unit, cp: CPTerm(state: state, input: input, output: output))
        return NetworkModel(inputDim: m, layers: [layer], readout: [unit])
    }

    /// For two symbols a, b (0 and 1): the element c = b^-1 a when c^2 = 1 (then P_a P_b^-1 is an
    /// involution with rational eigenvectors), else nil.
    static func involutiveRatio(_ group: GroupTable) -> Int? {
        guard group.times.first?.count == 2 else { return nil }
        let c = group.product(group.inverse(of: group.element(ofSymbol: 1)), group.element(ofSymbol: 0))
        return group.product(c, c) == 0 ? c : nil
    }

    /// Two symbols s < t whose ratio g_s^-1 g_t has order >= 3, with that order (argument 10:
    /// then no CP layer with R = |G| computes the word problem); nil when every ratio is an
    /// involution or the identity.
    static func ratioOfOrderAboveTwo(_ group: GroupTable, symbols m: Int) -> (s: Int, t: Int, order: Int)? {
        for s in 0..<m {
            for t in (s + 1)..<m {
                let c = group.product(group.inverse(of: group.element(ofSymbol: s)), group.element(ofSymbol: t))
                let order = group.order(of: c)
                if order >= 3 { return (s, t, order) }
            }
        }
        return nil
    }

    /// For an elementary abelian 2-group: its |G| characters, characters[r][g] in {1, -1}
    /// indexed by element; nil for any other group.
    static func signCharacters(_ task: StateTrackingTask) -> [[Int]]? {
        let times = task.multiplicationTable, n = times.count, m = task.alphabetSize
        // every generator of order <= 2, and commuting
        for s in 0..<m where times[times[0][s]][s] != 0 { return nil }
        for a in 0..<m { for b in 0..<m where times[times[0][a]][b] != times[times[0][b]][a] { return nil } }
        // characters: homomorphisms G -> {+-1}, found by choosing a sign per generator and
        // propagating along the multiplication table; keep the consistent ones
        var characters: [[Int]] = []
        for signs in 0..<(1 << m) {
            var chi = [Int?](repeating: nil, count: n)
            chi[0] = 1
            var queue = [0], consistent = true
            while let g = queue.popLast(), consistent {
                for s in 0..<m {
                    let h = times[g][s], value = chi[g]! * (signs & (1 << s) != 0 ? -1 : 1)
                    if let known = chi[h] { if known != value { consistent = false } } else { chi[h] = value; queue.append(h) }
                }
            }
            if consistent, chi.allSatisfy({ $0 != nil }) {
                let c = chi.map { $0! }
                if !characters.contains(c) { characters.append(c) }
            }
        }
        guard characters.count == n else { return nil }
        return characters
    }
}
