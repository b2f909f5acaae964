import Testing
import ExactNumbers
import RecurrentNetworks
import ExpressivityAnalysis
import TheoremChecks

@Suite("Theorem checks")
struct ClaimTests {
    let grid = ClaimGrid(maxDepth: 2, maxLength: 4, seeds: [1], maxTerms: 5_000)

    @Test("claims 1, 2, 5 hold on a small grid, and every rank certificate checks out")
    func smallGrid() throws {
        for id in [1, 2, 5] {
            let r = try Claims.run(id, grid: grid)
            #expect(!r.cases.isEmpty)
            #expect(!r.failed, "claim \(id): \(String(describing: r.worstCase?.description))")
        }
        let ranks = try Claims.run(5, grid: grid)
        for c in ranks.cases { #expect(c.certificate!.verify(c.unfolding!)) }
    }

    @Test("claim 4: the 2RNN's degree exceeds every layerwise network's bound of the same depth")
    func degreeSeparation() throws {
        let r = try Claims.run(4, grid: ClaimGrid(maxDepth: 3, maxLength: 6, seeds: [1], maxTerms: 5_000))
        #expect(!r.cases.isEmpty)
        #expect(r.cases.allSatisfy { $0.verdict == .holds }, "\(r.cases.map(\.measured))")
    }

    @Test("claim 3: every constructed delay is exact, within the capacity bound, and at least the shallow memory")
    func delayedCopyMemory() throws {
        let r = try Claims.run(3, grid: grid)
        #expect(r.cases.count == 2 * 2 * 3)
        #expect(!r.failed, "\(String(describing: r.worstCase?.measured))")
        #expect(r.cases.contains { $0.verdict == .holds })
        // the measured figures, derived by hand: depth 2, width 3, d = 1 has 33 weights and
        // copies with delay 4; the widest shallow layer within 33 weights has N = 4 (24),
        // so at most delay 3.
        let c = try MemoryComparison(depth: 2, hidden: 3, inputDim: 1)
        #expect(c.parameters == 33 && c.deepDelay == 4 && c.shallowWidth == 4 && c.shallowDelay == 3 && c.failures.isEmpty)
        #expect(throws: ClaimError.self) { try Claims.run(9, grid: grid) }
    }

    @Test("negative: width-1 layers cannot delay at all, so a deep stack of them loses to a shallow layer")
    func memoryClaimCatchesNarrowLayers() throws {
        let cases = try Claims.depthExtendsMemory(shapes: [(depth: 4, hidden: 1, inputDim: 1)])
        #expect(cases.count == 1 && cases[0].verdict == .violated)
        #expect(cases[0].boundValue == "1")
        #expect(try NetworkModel(json: cases[0].modelJSON!).depth == 4)
    }

    @Test("negative: a network with a multiplicative layer fails the linear claim, with a re-runnable model")
    func linearClaimCatchesNonlinear() throws {
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 1, seed: 1).model()
        let cases = try Claims.linearStaysLinear(models: [("2rnn", m)], maxLength: 3)
        let bad = cases.filter { $0.verdict == .violated }
        #expect(bad.count == 2)  // T = 2, 3 have degree 2, 3
        #expect(try NetworkModel(json: bad[0].modelJSON!) == m)
    }

    @Test("negative: a non-generic 2RNN is reported below the degree formula, not passed")
    func degreeClaimCatchesCancellation() throws {
        let layer = RecurrentLayer(hidden: 2, initialState: [1, 1], bilinear: [[[2], [0]], [[0], [2]]])
        let m = NetworkModel(inputDim: 1, layers: [layer], readout: [[1, -1]])  // y = 0
        let cases = try Claims.degreeGrowsWithDepth(models: [("twins", m)], maxLength: 3)
        #expect(cases.allSatisfy { $0.verdict == .belowGeneric })
        #expect(cases.first?.modelJSON != nil)
    }

    @Test("negative: a non-generic depth-2 RAC falls below Levine et al.'s generic bound")
    func rankClaimCatchesDegenerateRAC() throws {
        let hd = HadamardTerm(state: [[1, -1], [2, -2]], input: [[1, 2], [3, 1]])
        let l1 = RecurrentLayer(hidden: 2, initialState: [1, 1], hadamard: hd)
        let l2 = RecurrentLayer(hidden: 2, initialState: [1, 1], hadamard: HadamardTerm(state: [[1, 2], [3, 1]], input: [[2, 1], [1, 3]]))
        let m = NetworkModel(inputDim: 2, layers: [l1, l2], readout: [[1, 1]])
        let cases = try Claims.startEndRanks(models: [("degenerate RAC", m)], maxLength: 4)
        #expect(cases.contains { $0.verdict == .belowGeneric })
        #expect(!cases.contains { $0.verdict == .violated })
    }

    @Test("task catalogue: Hankel ranks reach the group order; constructions are exact")
    func tasks() throws {
        let orders = ["parity": 2, "count-mod-3": 3, "Z5": 5, "D4": 8, "S3": 6, "A5": 60, "S5": 120]
        for (name, order) in orders {
            let task = try #require(StateTrackingTask.named(name))
            #expect(task.elements.count == order, "\(name)")
            #expect(task.hankelRank(length: 4 * order) == order, "\(name)")
            let model = task.regularRepresentationModel()
            #expect(model.layers[0].hidden == order)
            for T in 1...4 { #expect(task.agrees(model, length: T), "\(name) T=\(T)") }
        }
        // hand-derived: parity's Hankel block at T = 2 is [[1, 0], [0, 1]] over {e, s}
        #expect(StateTrackingTask.named("parity")!.hankelRank(length: 1) == 1)
        #expect(StateTrackingTask.named("parity")!.hankelRank(length: 2) == 2)
    }

    @Test("non-abelian word problems are not order-symmetric; abelian ones are; diagonal layers are")
    func orderSymmetry() {
        for name in ["S3", "A5", "S5", "D4"] { #expect(StateTrackingTask.named(name)!.orderWitness() != nil, "\(name)") }
        for name in ["parity", "count-mod-3", "Z5"] { #expect(StateTrackingTask.named(name)!.orderWitness() == nil, "\(name)") }
        #expect(diagonalLayerIsSymmetric(hidden: 2, inputDim: 2, length: 4))
        #expect(StateTrackingTask.named("parity")!.isAdditive(length: 1))
        #expect(!StateTrackingTask.named("parity")!.isAdditive(length: 3))
    }

    @Test("negative: a wrong 2RNN is caught by the exact agreement check")
    func wrongConstruction() {
        let task = StateTrackingTask.named("S3")!
        var model = task.regularRepresentationModel()
        model.readout[0][1] = 1  // also accepts one non-identity element
        #expect(!(1...4).allSatisfy { task.agrees(model, length: $0) })
    }
}
