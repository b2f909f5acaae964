import Testing
import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
import ExpressivityAnalysis

func unfoldingRank(_ f: Polynomial, startSteps: Set<Int>, inputDim d: Int) throws -> Int {
    let u = try Unfolding(f, startSteps: Array(startSteps), inputDim: d)
    return u.matrix.rows == 0 ? 0 : u.matrix.rank()
}

@Suite("Separation rank")
struct SeparationRankTests {
    let space = VariableSpace.sequence(steps: 4, width: 2)

    @Test("hand-derived: products have rank 1, sums of r independent products rank r")
    func handDerived() throws {
        let g = try Polynomial(parsing: "x[1][1]^2 + 3*x[2][2] - 1", in: space)
        let h = try Polynomial(parsing: "x[3][1]*x[4][2] + 2", in: space)
        #expect(try unfoldingRank(g * h, startSteps: [1, 2], inputDim: 2) == 1)
        // x1 y1 + x2 y2 + x3 y3 with independent g's and h's: rank 3
        let f = try Polynomial(parsing: "x[1][1]*x[3][1] + x[1][2]*x[3][2] + x[2][1]*x[4][1]^2", in: space)
        #expect(try unfoldingRank(f, startSteps: [1, 2], inputDim: 2) == 3)
        // (x1 + x2)(y1 + y2) + x1 y1: the g's span 2 dimensions -> rank 2
        let f2 = try Polynomial(parsing: "(x[1][1] + x[1][2])*(x[3][1] + x[3][2]) + x[1][1]*x[3][1]", in: space)
        #expect(try unfoldingRank(f2, startSteps: [1], inputDim: 2) == 2)
        #expect(try unfoldingRank(.zero, startSteps: [1], inputDim: 2) == 0)
    }

    @Test("shallow generic bilinear network: rank min(n, d^k, d^(T-k)) at every cut")
    func shallowBilinear() throws {
        for (n, d, T) in [(3, 2, 6), (5, 2, 6), (4, 3, 4), (2, 1, 5)] {
            let m = FamilySpec(family: .twoRNN, depth: 1, hidden: n, inputDim: d, seed: UInt64(n * 10 + d)).model()
            let profile = try SeparationRank.profile(model: m, length: T)
            for r in profile {
                let k = r.startSet.count
                let expected = min(n, Int(pow(d, k)), Int(pow(d, T - k)))
                #expect(r.rank == expected, "n=\(n) d=\(d) T=\(T) k=\(k)")
                #expect(r.method == .lifted)
                #expect(r.violatedBounds.isEmpty)
            }
        }
    }

    func pow(_ b: Int, _ e: Int) -> Int { (0..<e).reduce(1) { r, _ in r * b } }

    /// At every cut of every length in `lengths` (while the unrolling stays small): the split
    /// method, the methods in `also`, and the automaton on a single layer without activations
    /// give the unfolding's rank, which violates no bound. Returns the number of cells compared.
    func compareMethods(_ m: NetworkModel, _ label: String, lengths: ClosedRange<Int>, also: [SeparationRankMethod]) throws -> Int {
        var compared = 0
        let automaton = LinearRepresentation.applies(to: m, output: 0)
        for T in lengths where m.estimatedMaxTerms(length: T) <= 4_000 {
            for k in 1..<T {
                let p = Partition.cut(k), cell = "\(label) L=\(m.depth) T=\(T) k=\(k)"
                let unfold = try SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: .unfolding))
                for method in [.split] + also + (automaton ? [.automaton] : []) {
                    let r = try SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: method))
                    #expect(r.rank == unfold.rank, "\(method) \(cell)")
                }
                #expect(unfold.violatedBounds.isEmpty, "\(cell): \(unfold.violatedBounds)")
                compared += 1
            }
        }
        return compared
    }

    @Test("the three algorithms agree on a grid of random models, every family")
    func algorithmsAgree() throws {
        var compared = 0
        for family in ModelFamily.allCases {
            for L in 1...3 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(L + 3)).model()
                compared += try compareMethods(m, "\(family)", lengths: 2...8, also: [])
            }
        }
        #expect(compared >= 100)
    }

    @Test("readout bias (format field readoutBias): y_T = C o_T + c, a hand case where c raises the rank, and every method agrees on every family")
    func readoutBias() throws {
        // h_t = x_t h_{t-1}, h_0 = 1: y_2 = x1 x2 has rank 1 at the cut 1|2; y_2 + 5 has the
        // coefficient matrix [[5, 0], [0, 1]] (rows 1, x1; columns 1, x2): rank 2
        let layer = RecurrentLayer(hidden: 1, initialState: [1], bilinear: [[[1]]])
        var m = NetworkModel(inputDim: 1, layers: [layer], readout: [[1]])
        let plain = try SeparationRank.compute(model: m, length: 2, partition: .cut(1), options: .init(method: .unfolding))
        #expect(plain.rank == 1)
        m.readoutBias = [5]
        var y = Unrolling<Polynomial>(m)
        y.advance(); y.advance()
        #expect(try y.output(0) == Polynomial(parsing: "x[1][1]*x[2][1] + 5", in: .sequence(steps: 2, width: 1)))
        #expect(m.evaluate(inputs: [[2], [3]]) == [11])
        for method in [SeparationRankMethod.unfolding, .split, .automaton, .lifted] {
            let r = try SeparationRank.compute(model: m, length: 2, partition: .cut(1), options: .init(method: method))
            #expect(r.rank == 2, "\(method)")
            #expect(r.violatedBounds.isEmpty, "\(method): \(r.violatedBounds)")  // the bound is n + 1 = 2, not n = 1
        }
        var compared = 0
        for family in ModelFamily.allCases {
            for L in 1...2 {
                var f = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(L + 11)).model()
                f.readoutBias = [Rational(-7, 3)]
                compared += try compareMethods(f, "\(family)", lengths: 2...6, also: [.lifted])
            }
        }
        #expect(compared >= 60)
    }

    @Test("issue 11 item 6: a model built in code with a wrong shape is a located ModelError in every analysis, not an out-of-range trap")
    func codeBuiltShapes() throws {
        let good = FamilySpec(family: .twoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 1).model()
        try good.validate()
        var shortReadout = good; shortReadout.readout = [[1]]
        var badSlice = good; badSlice.layers[1].bilinear![1] = [[1, 2]]
        var noTerm = good; noTerm.layers[0] = RecurrentLayer(hidden: 2, bias: [1, 1])
        var badBias = good; badBias.readoutBias = [1, 2]
        for (m, path) in [(shortReadout, "$.readout[0]"), (badSlice, "$.layers[1].bilinear[1]"), (noTerm, "$.layers[0]"),
                          (badBias, "$.readoutBias")] {
            let calls: [() throws -> Void] = [
                { _ = try SeparationRank.compute(model: m, length: 4, partition: .startEnd) },
                { _ = try SeparationRank.profile(model: m, length: 4) },
                { _ = try DegreeAnalysis.reports(model: m, maxLength: 3) },
                { _ = try LiftedRank.cuts(model: m, length: 4) },
            ]
            for call in calls {
                do { try call(); Issue.record("accepted a bad shape at \(path)") } catch let e as ModelError {
                    #expect(e.path == path, "\(e)")
                }
            }
        }
    }

    @Test("issue 11: the automaton is sized before its dense maps are built; auto never builds them to decide")
    func automatonSize() throws {
        // hidden 3000, d = 1: 2 maps of 3001^2 entries (under --max-entries) but about 6 10^11
        // operations for T = 6: refused at once (it used to run for hours)
        let n = 3000
        let m = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: n, input: Array(repeating: [1], count: n))],
                             readout: [Array(repeating: 1, count: n)])
        do {
            _ = try SeparationRank.compute(model: m, length: 6, partition: .cut(3), options: .init(method: .automaton))
            Issue.record("expected a refusal")
        } catch let e as SeparationRankError {
            guard case .automatonTooLarge(let work, _, 3000, 1, 6) = e else { Issue.record("\(e)"); return }
            #expect(work > 1e11 && e.description.contains("rational operations") && e.description.hasSuffix("the lifted method works on the monomials that occur"))
        }
        #expect(throws: SeparationRankError.self) {
            _ = try SeparationRank.compute(model: m, length: 6, partition: .cut(3), options: .init(method: .automaton, maxEntries: 1000))
        }
        // auto takes the lifted method without building the automaton: y = sum_i x_6 is rank 1 at the cut
        let r = try SeparationRank.compute(model: m, length: 6, partition: .cut(3))
        #expect(r.method == .lifted && r.rank == 1)
    }

    @Test("rank profiles: one expansion for every cut gives the split method's ranks")
    func profiles() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 1).model()
        let unfold = try SeparationRank.profile(model: m, length: 6, options: .init(method: .unfolding))
        let split = try SeparationRank.profile(model: m, length: 6, options: .init(method: .split))
        #expect(unfold.map(\.rank) == split.map(\.rank))
        #expect(unfold.map(\.method) == Array(repeating: .unfolding, count: 5))
        #expect(Set(unfold.map(\.rank)).count > 1)  // a non-constant profile, so cuts are not mixed up
    }

    @Test("swapping S and E leaves the rank unchanged (transposition)")
    func transposition() throws {
        let m = FamilySpec(family: .affineTwoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 9).model()
        let T = 4
        for s in [[1], [2], [1, 3], [2, 3], [1, 2]] {
            let e = Set(1...T).subtracting(s).sorted()
            let a = try SeparationRank.compute(model: m, length: T, partition: .set(s), options: .init(method: .unfolding))
            let b = try SeparationRank.compute(model: m, length: T, partition: .set(e), options: .init(method: .unfolding))
            #expect(a.rank == b.rank, "S = \(s)")
        }
        // a suffix S is a cut with the roles swapped: split and automaton handle it
        let suffix = try SeparationRank.compute(model: m, length: T, partition: .set([3, 4]), options: .init(method: .split))
        let prefix = try SeparationRank.compute(model: m, length: T, partition: .cut(2), options: .init(method: .unfolding))
        #expect(suffix.rank == prefix.rank)
        // an uneven suffix: S = {4, 5} of T = 5 is the cut after step 3 seen from the end
        let m5 = FamilySpec(family: .twoRNN, depth: 1, hidden: 4, inputDim: 2, seed: 2).model()
        let m5deep = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 1).model()  // profile 5,4,3,2: asymmetric
        for model in [m5, m5deep] {
            let reference = try SeparationRank.compute(model: model, length: 5, partition: .set([4, 5]), options: .init(method: .unfolding))
            let fast = try SeparationRank.compute(model: model, length: 5, partition: .set([4, 5]))
            #expect(fast.method != .unfolding)
            #expect(fast.rank == reference.rank, "depth \(model.depth)")
            let other = try SeparationRank.compute(model: model, length: 5, partition: .cut(2), options: .init(method: .unfolding))
            if model.depth == 2 { #expect(other.rank != reference.rank, "the test must tell cut 2 from cut 3") }
        }
    }

    @Test("an invertible change of hidden basis changes neither the function nor its ranks")
    func changeOfBasis() throws {
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 3, inputDim: 2, seed: 4).model()
        // P = [[1,2,0],[0,1,-1],[1,0,1]] (det -1)
        let p = RationalMatrix([[1, 2, 0], [0, 1, -1], [1, 0, 1]])
        // P^-1 from the reduced echelon form of [P | I]
        let aug = RationalMatrix(rows: 3, columns: 6) { i, j in j < 3 ? p[i, j] : (j - 3 == i ? 1 : 0) }
        let (form, pivots) = aug.reducedRowEchelonForm()
        #expect(pivots == [0, 1, 2])
        let pinv = RationalMatrix(rows: 3, columns: 3) { form[$0, $1 + 3] }
        #expect(p * pinv == RationalMatrix.identity(3))
        #expect(p.determinant() == -1)
        let layer = m.layers[0]
        var changed = m
        changed.layers[0].bilinear = (0..<3).map { i in (0..<3).map { j in (0..<2).map { k in
            // (P A_k P^-1)[i][j]
            (0..<3).reduce(Rational.zero) { acc, a in acc + (0..<3).reduce(Rational.zero) { $0 + p[i, a] * layer.bilinear![a][$1][k] * pinv[$1, j] } }
        } } }
        changed.layers[0].initialState = (0..<3).map { i in (0..<3).reduce(Rational.zero) { $0 + p[i, $1] * layer.h0[$1] } }
        changed.readout = [(0..<3).map { j in (0..<3).reduce(Rational.zero) { $0 + m.readout[0][$1] * pinv[$1, j] } }]
        #expect(changed != m)
        for T in 1...5 {
            var u1 = Unrolling<Polynomial>(m), u2 = Unrolling<Polynomial>(changed)
            for _ in 0..<T { u1.advance(); u2.advance() }
            #expect(try u1.output(0) == u2.output(0))
            let r1 = try SeparationRank.profile(model: m, length: T).map(\.rank)
            let r2 = try SeparationRank.profile(model: changed, length: T).map(\.rank)
            #expect(r1 == r2)
        }
    }

    @Test("depth-2 RAC reaches the multiset-coefficient lower bound; depth 1 stays at its hidden size")
    func racBounds() throws {
        // weights from [-1000, 1000]: small ranges often hit non-generic cancellations
        // (e.g. a row of Ws summing to zero kills Ws h_0 with h_0 = 1)
        for (r, d) in [(2, 2), (3, 2), (2, 3)] {
            for T in [2, 4, 6] {
                let deep = FamilySpec(family: .rac, depth: 2, hidden: r, inputDim: d, seed: UInt64(T), range: 1000).model()
                guard deep.estimatedMaxTerms(length: T / 2) <= 50_000 else { continue }
                let res = try SeparationRank.compute(model: deep, length: T, partition: .startEnd)
                let lower = res.bounds.first { $0.kind == .lower }
                #expect(lower != nil)
                #expect(lower!.value == TheoryBounds.multichoose(min(r, d), T / 2))
                #expect(lower!.genericOnly)
                #expect(!lower!.crossed(by: res.rank), "R=\(r) M=\(d) T=\(T): rank \(res.rank) < \(lower!.value)")
                let shallow = FamilySpec(family: .rac, depth: 1, hidden: r, inputDim: d, seed: UInt64(T)).model()
                let s = try SeparationRank.compute(model: shallow, length: T, partition: .startEnd)
                #expect(s.rank <= r)
            }
        }
    }

    @Test("a non-generic RAC is reported short of the generic bound, not passed")
    func nonGenericRAC() throws {
        // Ws rows sum to zero, so Ws h_0 = 0 for h_0 = 1 and the network computes 0
        let hd = HadamardTerm(state: [[1, -1], [2, -2]], input: [[1, 2], [3, 1]])
        let layer = RecurrentLayer(hidden: 2, initialState: [1, 1], hadamard: hd)
        let m = NetworkModel(inputDim: 2, layers: [layer, layer2()], readout: [[1, 1]])
        let r = try SeparationRank.compute(model: m, length: 4, partition: .startEnd)
        #expect(r.rank == 0)
        #expect(!r.genericShortfalls.isEmpty)
        #expect(r.violatedBounds.isEmpty)
    }
    func layer2() -> RecurrentLayer {
        RecurrentLayer(hidden: 2, initialState: [1, 1], hadamard: HadamardTerm(state: [[1, 2], [3, 1]], input: [[2, 1], [1, 3]]))
    }

    @Test("a separable network has rank 1; a non-generic one falls below the generic value")
    func degenerate() throws {
        // h_t = diag(a) h_{t-1} x_t with one unit and a readout on it: y = c h0 a^T prod x_t: rank 1
        let one = NetworkModel(inputDim: 1, layers: [RecurrentLayer(hidden: 1, initialState: [2], bilinear: [[[3]]])], readout: [[1]])
        for r in try SeparationRank.profile(model: one, length: 5) { #expect(r.rank == 1) }
        // two identical units read out with equal weights behave like one: rank 1 < min(n=2, ...)
        let twin = NetworkModel(inputDim: 2, layers: [RecurrentLayer(hidden: 2, initialState: [1, 1],
            bilinear: [[[1, 2], [0, 0]], [[0, 0], [1, 2]]])], readout: [[1, 1]])
        let r = try SeparationRank.compute(model: twin, length: 4, partition: .startEnd)
        #expect(r.rank == 1)
    }

    @Test("partitions parse, resolve and reject what is out of range")
    func partitions() throws {
        #expect(try Partition(parsing: "start-end").startSet(length: 5) == [1, 2])
        #expect(try Partition(parsing: "cut:3").startSet(length: 5) == [1, 2, 3])
        #expect(try Partition(parsing: "interleaved").startSet(length: 5) == [1, 3, 5])
        #expect(try Partition(parsing: "set:4,1").startSet(length: 5) == [1, 4])
        #expect(try Partition.interleaved.cutPosition(length: 4) == nil)
        #expect(try Partition.set([3, 4]).cutPosition(length: 4)! == (2, true))
        #expect(throws: PartitionError.self) { try Partition(parsing: "cut:x") }
        #expect(throws: PartitionError.self) { try Partition(parsing: "set:0") }
        #expect(throws: PartitionError.self) { try Partition.cut(6).startSet(length: 5) }
        #expect(throws: SeparationRankError.self) {
            let m = FamilySpec(family: .twoRNN, depth: 2, hidden: 2, inputDim: 1).model()
            _ = try SeparationRank.compute(model: m, length: 4, partition: .interleaved, options: .init(method: .split))
        }
    }
}

/// Regression tests for the wrong results of issue 9 (items 1, 2 and 14).
@Suite("Separation rank: issue 9 regressions")
struct SeparationRankRegressionTests {
    /// x -> (x, -x), rho(z) = z^2, readout (1, 1): y_T = 2 x_T^2. The raw states cancel in the
    /// readout (C h_T = 0), so a method that drops rho at the end reports rank 0.
    static let squaredPair = NetworkModel(
        inputDim: 1, layers: [RecurrentLayer(hidden: 2, input: [[1], [-1]], outputActivation: [0, 0, 1])], readout: [[1, 1]])

    @Test("item 1: split keeps the last layer's rho when the cut is at k = T")
    func splitKeepsRhoAtTheEnd() throws {
        for T in 1...3 {
            var u = Unrolling<Polynomial>(Self.squaredPair)
            for _ in 0..<T { u.advance() }
            let y = try u.output(0)
            #expect(y == Polynomial(2) * Polynomial.variable(T - 1) * Polynomial.variable(T - 1))
            for k in 0...T {
                let split = try SeparationRank.compute(model: Self.squaredPair, length: T, partition: .cut(k), options: .init(method: .split))
                #expect(split.rank == 1, "T=\(T) k=\(k): y_T = 2 x_T^2 is nonzero, rank 1 at every cut")
            }
        }
        // the interleaved partition at T = 1 is the cut k = T that the review reproduced
        let r = try SeparationRank.compute(model: Self.squaredPair, length: 1, partition: .interleaved, options: .init(method: .split))
        #expect(r.rank == 1)
    }

    @Test("item 1: split equals the unfolding at every cut 0...T, rho on every layer including the last")
    func splitWithRhoEverywhere() throws {
        var compared = 0
        for family in [ModelFamily.twoRNN, .affineTwoRNN, .linearRNN, .rac] {
            for L in 1...2 {
                var m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 1, seed: UInt64(7 * L)).model()
                for l in 0..<L { m.layers[l].outputActivation = [1, -1, 1] }  // rho(z) = 1 - z + z^2
                for T in 1...(L == 1 ? 4 : 2) {
                    for k in 0...T {
                        let p = Partition.cut(k)
                        let u = try SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: .unfolding))
                        // small cells only: the tail from symbolic states grows fast with rho of degree 2
                        let s = try SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: .split))
                        #expect(u.rank == s.rank, "\(family) L=\(L) T=\(T) k=\(k)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared >= 40)
    }

    @Test("item 1: resuming an unrolling from its own states at step k continues it exactly")
    func resumeIsExact() throws {
        var m = FamilySpec(family: .affineTwoRNN, depth: 2, hidden: 2, inputDim: 1, seed: 3).model()
        m.layers[1].outputActivation = [0, 2, 1]
        for k in 0...2 {
            var full = Unrolling<Polynomial>(m)
            for _ in 0..<k { full.advance() }
            var resumed = Unrolling<Polynomial>(m, states: full.states, step: k)
            #expect(resumed.outputs == full.outputs, "k=\(k): y_k right after resuming")
            full.advance(); resumed.advance()
            #expect(resumed.outputs == full.outputs, "k=\(k): y_{k+1}")
        }
    }

    @Test("item 2: single-layer bounds hold on every partition (N^b with b switches between S and E)")
    func singleLayerBoundsOnEveryPartition() throws {
        var attainedSwitchBound = false
        for family in [ModelFamily.twoRNN, .affineTwoRNN, .rac, .cpTwoRNN, .diagonalTwoRNN, .linearRNN] {
            let m = FamilySpec(family: family, depth: 1, hidden: 2, inputDim: 2, seed: 11, range: 1000).model()
            for T in 1...5 {
                for mask in 0..<(1 << T) {
                    let s = (1...T).filter { mask & (1 << ($0 - 1)) != 0 }
                    let r = try SeparationRank.compute(model: m, length: T, partition: .set(s), options: .init(method: .unfolding))
                    #expect(r.violatedBounds.isEmpty, "\(family) T=\(T) S=\(s): rank \(r.rank), \(r.violatedBounds.map(\.formula))")
                    let b = TheoryBounds.switches(length: T, startSet: s)
                    if b >= 2, let sw = r.bounds.first(where: { $0.formula.hasPrefix("N^b") }), sw.attained(by: r.rank) { attainedSwitchBound = true }
                }
            }
        }
        #expect(attainedSwitchBound, "N^b is reached somewhere, so it is the right bound and not a loose one")
        // the review's case: interleaved, n = d = 2, T = 6 has rank 8 = min(2^3, 2^3) > n
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 2, seed: 1, range: 1000).model()
        let r = try SeparationRank.compute(model: m, length: 6, partition: .interleaved)
        #expect(r.rank == 8)
        #expect(r.violatedBounds.isEmpty)
        #expect(r.bounds.contains { $0.kind == .upper && $0.value == 32 })  // 2^5: five switches
    }

    @Test("item 14: a one-sided partition is decided by evaluation, without expanding y_T")
    func oneSidedByEvaluation() throws {
        let m = FamilySpec(family: .affineTwoRNN, depth: 2, hidden: 2, inputDim: 2, seed: 1).model()
        // one term allowed: any expansion of y_T would be refused
        let tight = SeparationRank.Options(maxTerms: 1)
        for (T, p) in [(1, Partition.cut(0)), (3, .cut(3)), (2, .set([1, 2]))] {
            let r = try SeparationRank.compute(model: m, length: T, partition: p, options: tight)
            #expect(r.method == .evaluation)
            #expect(r.rank == 1)
            let u = try SeparationRank.compute(model: m, length: T, partition: p, options: .init(method: .unfolding))
            #expect(u.rank == r.rank)
        }
        // y_T = 0 (zero readout): the evaluations vanish and the expansion decides rank 0
        var zero = m
        zero.readout = [[0, 0]]
        #expect(try SeparationRank.compute(model: zero, length: 2, partition: .cut(0)).rank == 0)
        #expect(throws: SeparationRankError.self) {
            _ = try SeparationRank.compute(model: m, length: 4, partition: .cut(2), options: .init(method: .evaluation))
        }
    }
}

@Suite("Separation rank: Levine bound placement")
struct LevineBoundPlacementTests {
    @Test("item 6: the depth-2 RAC lower bound is attached at even T only (the paper's setting)")
    func evenLengthsOnly() throws {
        let m = FamilySpec(family: .rac, depth: 2, hidden: 2, inputDim: 2, seed: 2, range: 1000).model()
        for T in 2...7 {
            let s = Array(stride(from: 1, through: T / 2, by: 1))
            let lower = TheoryBounds.bounds(model: m, length: T, startSet: s, output: 0).filter { $0.kind == .lower }
            #expect(lower.count == (T % 2 == 0 ? 1 : 0), "T=\(T)")
        }
    }
}
