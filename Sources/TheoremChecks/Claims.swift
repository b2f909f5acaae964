import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks
import ExpressivityAnalysis

/// One claim of the catalogue: its number and the exact check that produces its report.
public struct ClaimDefinition: Sendable, Identifiable {
    public let id: Int
    public let check: @Sendable (ClaimGrid) throws -> ClaimReport
    public init(id: Int, check: @escaping @Sendable (ClaimGrid) throws -> ClaimReport) { self.id = id; self.check = check }
}

/// The papers' claims as executable, exact checks (Docs/claims.md states each precisely).
public enum Claims {
    public static let depthPaper = "Lizaire, Rizvi-Martel, Dupuis, Rabusseau, On the Role of Depth in the Expressivity of RNNs, arXiv:2604.02201 (2026)"
    public static let levinePaper = "Levine, Sharir, Ziv, Shashua, On the Long-Term Memory of Deep Recurrent Networks, arXiv:1710.09431"
    public static let bilinearPaper = "Revisiting Bi-Linear State Transitions in Recurrent Neural Networks (2025)"

    /// Every claim the tool checks, in order: the one list (ids, `run`, the CLI's --claim).
    public static let definitions: [ClaimDefinition] = [
        ClaimDefinition(id: 1, check: linearStaysLinear(grid:)),
        ClaimDefinition(id: 2, check: degreeGrowsWithDepth(grid:)),
        ClaimDefinition(id: 3, check: depthExtendsMemory(grid:)),
        ClaimDefinition(id: 4, check: multiplicativeVsLayerwise(grid:)),
        ClaimDefinition(id: 5, check: startEndRanks(grid:)),
        ClaimDefinition(id: 6, check: stateTracking(grid:)),
        ClaimDefinition(id: 7, check: bilinearHierarchy(grid:)),
    ]

    public static var catalogue: [Int] { definitions.map(\.id) }

    public static func run(_ id: Int, grid: ClaimGrid) throws -> ClaimReport {
        guard let claim = definitions.first(where: { $0.id == id }) else { throw ClaimError.unknownClaim(id) }
        return try claim.check(grid)
    }

    // MARK: claim 1

    /// Linear RNNs (no multiplicative term, no activation) compute functions of degree <= 1
    /// in the inputs at every depth: checked on `models` (any, not only generated ones).
    public static func linearStaysLinear(models: [(String, NetworkModel)], maxLength: Int, maxTerms: Int = 50_000) throws -> [ClaimCase] {
        try linearStaysLinear(models: models.map { ($0.0, $0.1, nil) }, maxLength: maxLength, maxTerms: maxTerms)
    }

    static func linearStaysLinear(models: [(String, NetworkModel, FamilySpec?)], maxLength: Int, maxTerms: Int) throws -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for (name, m, spec) in models {
            let reports = try DegreeAnalysis.reports(model: m, maxLength: maxLength, maxTerms: maxTerms)
            for r in reports {
                let deg = r.measured.total
                let ok = deg == nil || deg! <= 1
                cases.append(ClaimCase(description: "\(name) T=\(r.length)", spec: spec, length: r.length, model: m, measured: .degree(deg),
                                       boundFormula: "deg y_T <= 1", bound: .degree(1),
                                       verdict: ok ? (deg == 1 ? Verdict.attained : Verdict.holds) : Verdict.violated,
                                       modelJSON: ok ? nil : m.json, size: m.parameterCount * 100 + r.length, evidence: .degree(r.evidence)))
            }
        }
        return cases
    }

    public static func linearStaysLinear(grid: ClaimGrid) throws -> ClaimReport {
        let models = grid.models(.linearRNN).map { ("linear-rnn L=\($0.spec.depth) seed=\($0.spec.seed)", $0.model, Optional($0.spec)) }
        return ClaimReport(id: 1, title: "Linear RNNs compute linear functions of the inputs at every depth",
                           attributions: [Attribution(.depthPaper, .quoted, "abstract: RNNs remain linear without nonlinear activations")],
                           cases: try linearStaysLinear(models: models, maxLength: grid.maxLength, maxTerms: grid.maxTerms))
    }

    // MARK: claim 2

    /// Depth-L 2RNNs (a multiplicative term in every layer, no activation) have degree at
    /// most C(T-t+L-1, L-1) in step t and C(T+L-1, L) in total; generic weights attain it.
    public static func degreeGrowsWithDepth(models: [(String, NetworkModel)], maxLength: Int, maxTerms: Int = 50_000,
                                            skip: (String) -> Void = { _ in }) throws -> [ClaimCase] {
        try degreeGrowsWithDepth(models: models.map { ($0.0, $0.1, nil) }, maxLength: maxLength, maxTerms: maxTerms, skip: skip)
    }

    static func degreeGrowsWithDepth(models: [(String, NetworkModel, FamilySpec?)], maxLength: Int, maxTerms: Int,
                                     skip: (String) -> Void) throws -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for (name, m, spec) in models {
            let T = ClaimGrid.feasible(m, name: name, upTo: maxLength, maxTerms: maxTerms, skip: skip)
            guard T >= 1 else { continue }
            for r in try DegreeAnalysis.reports(model: m, maxLength: T, maxTerms: maxTerms) {
                guard let f = r.formula else { continue }
                let above = r.violatesBound
                let equal = r.measured == f.profile
                cases.append(ClaimCase(description: "\(name) T=\(r.length)", spec: spec, length: r.length, model: m,
                                       measured: .degreeProfile(total: r.measured.total, perStep: r.measured.perStep),
                                       boundFormula: f.text,
                                       bound: .degreeProfile(total: f.profile.total, perStep: f.profile.perStep),
                                       verdict: above ? Verdict.violated : (equal ? Verdict.attained : Verdict.belowGeneric),
                                       modelJSON: equal ? nil : m.json, size: m.parameterCount * 100 + r.length, evidence: .degree(r.evidence)))
            }
        }
        return cases
    }

    public static func degreeGrowsWithDepth(grid: ClaimGrid) throws -> ClaimReport {
        var models: [(String, NetworkModel, FamilySpec?)] = []
        for f in [ModelFamily.twoRNN, .affineTwoRNN, .rac, .diagonalTwoRNN, .cpTwoRNN] {
            models += grid.models(f, inputDim: 1).map { ("\($0.spec.family.rawValue) L=\($0.spec.depth) seed=\($0.spec.seed)", $0.model, $0.spec) }
        }
        var skipped: [String] = []
        let cases = try degreeGrowsWithDepth(models: models, maxLength: grid.maxLength, maxTerms: grid.maxTerms) { skipped.append($0) }
        return ClaimReport(id: 2, title: "Depth-L 2RNNs have degree C(T-t+L-1, L-1) in step t and C(T+L-1, L) in total, attained generically",
                           attributions: [
                               Attribution(.depthPaper, .quoted, "abstract: 2RNNs perform polynomial transformations whose maximal degree grows with depth"),
                               Attribution(.thisProject, .derivedHere, "the formulas, <= for every weight and = for generic weights (Docs/degree.md)"),
                           ],
                           cases: cases, skipped: skipped)
    }

    // MARK: claim 5

    /// Start-End separation rank: bounded by the (augmented) hidden size for one layer;
    /// at least ((min(M,R), T/2)) for a depth-2 RAC with generic weights. The rank is taken
    /// on the unfolding, so each case carries its certificate.
    public static func startEndRanks(models: [(String, NetworkModel)], maxLength: Int, maxTerms: Int = 50_000,
                                     skip: (String) -> Void = { _ in }) throws -> [ClaimCase] {
        try startEndRanks(models: models.map { ($0.0, $0.1, nil) }, maxLength: maxLength, maxTerms: maxTerms, skip: skip)
    }

    static func startEndRanks(models: [(String, NetworkModel, FamilySpec?)], maxLength: Int, maxTerms: Int,
                              skip: (String) -> Void) throws -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for (name, m, spec) in models {
            let Tmax = ClaimGrid.feasible(m, name: name, upTo: maxLength, from: 2, maxTerms: maxTerms, skip: skip)
            guard Tmax >= 2 else { continue }
            for T in 2...Tmax {
                let r = try SeparationRank.compute(model: m, length: T, partition: .startEnd,
                                                   options: .init(method: .unfolding, maxTerms: maxTerms))
                // the unfolding and its certificate; y_T = 0 has the empty one
                var (matrix, cert) = (IntegerMatrix(rows: 0, columns: 0), IntegerMatrix(rows: 0, columns: 0).certifiedRank())
                if case .unfolding(let u) = r.evidence.lowerBound { (matrix, cert) = (u.matrix, u.certificate) }
                let bounds = r.bounds.filter(\.isTheorem)
                for b in bounds {
                    let v: Verdict = b.violated(by: cert.rank) ? .violated : b.shortOfGeneric(by: cert.rank) ? .belowGeneric
                        : b.attained(by: cert.rank) ? .attained : .holds
                    cases.append(ClaimCase(description: "\(name) T=\(T)", spec: spec, length: T, model: m, measured: .rank(cert.rank),
                                           boundFormula: "\(b.kind.rawValue): \(b.formula)", bound: .rankBound(b.value), verdict: v,
                                           certificate: cert, unfolding: matrix, modelJSON: v == .attained || v == .holds ? nil : m.json,
                                           size: m.parameterCount * 100 + T, evidence: .separationRank(r.evidence)))
                }
            }
        }
        return cases
    }

    public static func startEndRanks(grid: ClaimGrid) throws -> ClaimReport {
        var models: [(String, NetworkModel, FamilySpec?)] = []
        for f in [ModelFamily.rac, .twoRNN, .affineTwoRNN] {
            models += grid.models(f, depths: 1...1).map { ("\(f.rawValue) L=1 seed=\($0.spec.seed)", $0.model, $0.spec) }
        }
        models += grid.models(.rac, depths: 2...2).map { ("rac L=2 seed=\($0.spec.seed)", $0.model, $0.spec) }
        var skipped: [String] = []
        let cases = try startEndRanks(models: models, maxLength: grid.maxLength, maxTerms: grid.maxTerms) { skipped.append($0) }
        return ClaimReport(id: 5, title: "Start-End separation rank: shallow <= hidden size; depth-2 RAC >= ((min(M,R), T/2)) generically",
                           attributions: [
                               Attribution(.levinePaper, .recalled, "depth-2 RAC Start-End separation rank >= ((min(M, R), T/2)) for generic weights, even T"),
                               Attribution(.thisProject, .derivedHere, "single layer <= augmented hidden size at a cut (Docs/separation-rank.md)"),
                           ],
                           cases: cases, skipped: skipped)
    }
}

public enum ClaimError: Error, CustomStringConvertible, Equatable {
    case unknownClaim(Int)
    public var description: String {
        switch self { case .unknownClaim(let i): return "unknown claim \(i); the catalogue has claims \(Claims.catalogue.map(String.init).joined(separator: ", "))" }
    }
}


extension Claims {
    // MARK: claim 6

    /// For each task: its Hankel rank (the least hidden size of a linear 2RNN computing it,
    /// from below), a 2RNN of size |G| built from the regular representation and checked
    /// exactly, and for non-abelian groups a witness that order-symmetric (diagonal) layers
    /// cannot compute it, with the symmetry of diagonal layers checked symbolically.
    public static func stateTracking(tasks: [StateTrackingTask], maxLength: Int) -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for task in tasks {
            let a = TaskAnalysis(task, length: maxLength, untilFull: true)
            let (order, rank, T) = (a.order, a.hankelRanks.last!, a.hankelRanks.count)
            cases.append(ClaimCase(description: "\(task.name): Hankel rank (final value at T=\(T)) vs |G|", length: T, measured: .rank(rank),
                                   boundFormula: "minimal linear 2RNN size <= |G| (regular representation)", bound: .rank(order),
                                   verdict: rank > order ? .violated : (rank == order ? .attained : .holds), size: order,
                                   evidence: .hankel(task.hankelEvidence(length: T), task: task), task: task))
            let ok = a.constructionAgrees
            cases.append(ClaimCase(description: "\(task.name): 2RNN of size \(order) equals the task on every word of length 1...\(a.checkedLength)",
                                   measured: .agreement(ok), boundFormula: "exact agreement on all words", bound: .agreement(true),
                                   verdict: ok ? .holds : .violated, modelJSON: ok ? nil : a.construction.json, size: order,
                                   evidence: .construction(.regularRepresentation(a.construction), task: task), task: task))
            if let w = a.orderWitness {
                cases.append(ClaimCase(description: "\(task.name): not order-symmetric, so no single layer with commuting transitions (diagonal, no input or bias term, no activation) computes it",
                                       measured: .asymmetryWitness("f(\(w.word)) = \(task.value(w.word)), f(\(w.permuted)) = \(task.value(w.permuted))"),
                                       boundFormula: "layers with commuting transitions are symmetric in the order of the steps", bound: .asymmetryWitness("a witness"),
                                       verdict: .holds, size: order))
            }
        }
        let symmetric = diagonalLayerIsSymmetric(hidden: 2, inputDim: 2, length: 4)
        cases.append(ClaimCase(description: "generic diagonal layer, symbolic weights, n=2 d=2 T=4: invariant under every adjacent step swap",
                               measured: .orderSymmetric(symmetric), boundFormula: "commuting transitions", bound: .orderSymmetric(true),
                               verdict: symmetric ? .holds : .violated, size: 0))
        cases += commutingTransitions()
        return cases
    }

    /// The general argument behind "diagonal layers cannot track non-abelian groups": a single
    /// layer without activations whose augmented transitions commute is order-symmetric at
    /// every T. Checked exactly on diagonal layers (bilinear and recurrent terms diagonal, no
    /// input or bias term) of widths 1...6; and the condition is needed: with an input term
    /// the transitions do not commute and a swap of two steps changes y_T (exact evaluation).
    public static func commutingTransitions() -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for n in 1...6 {
            var m = FamilySpec(family: .diagonalTwoRNN, depth: 1, hidden: n, inputDim: 2, seed: UInt64(n), range: 1000).model()
            m.layers[0].recurrent = (0..<n).map { i in (0..<n).map { j in i == j ? Rational(i + 2) : .zero } }
            let commute = LinearRepresentation(m, output: 0)!.transitionsCommute
            cases.append(ClaimCase(description: "diagonal layer n=\(n) d=2 with a diagonal recurrent term, no input or bias term: transitions commute",
                                   measured: .transitionsCommute(commute), boundFormula: "A~_j A~_k = A~_k A~_j (exact)",
                                   bound: .transitionsCommute(true), verdict: commute ? .holds : .violated, modelJSON: commute ? nil : m.json, size: n))
            // the same layer with an input term: no longer order-symmetric
            m.layers[0].input = (0..<n).map { i in [Rational(i + 1), Rational(2 * i + 3)] }
            let swapped = orderAsymmetry(m)
            let commuteWithInput = LinearRepresentation(m, output: 0)!.transitionsCommute
            cases.append(ClaimCase(description: "the same layer with an input term U: the argument does not apply",
                                   measured: .asymmetryWitness(swapped.map { "transitions \(commuteWithInput ? "commute" : "do not commute"); y(\($0.0)) = \($0.1) != \($0.2) after swapping steps 1 and 2" }),
                                   boundFormula: "not order-symmetric (witness), transitions do not commute", bound: .asymmetryWitness("a witness"),
                                   verdict: swapped != nil && !commuteWithInput ? .holds : .violated, size: n))
        }
        return cases
    }

    /// Inputs x_1..x_3 and y_3 before and after swapping x_1 and x_2, when they differ.
    static func orderAsymmetry(_ m: NetworkModel) -> (String, Rational, Rational)? {
        let xs: [[Rational]] = [[1, 0], [0, 1], [1, 1]]
        let a = m.evaluate(inputs: xs)[0], b = m.evaluate(inputs: [xs[1], xs[0], xs[2]])[0]
        return a != b ? ("x = (1,0), (0,1), (1,1)", a, b) : nil
    }

    public static func stateTracking(grid: ClaimGrid) throws -> ClaimReport {
        let tasks = StateTrackingTask.catalogueTasks
        return ClaimReport(id: 6, title: "With one-hot inputs a linear 2RNN (no affine term) is a weighted automaton: minimal size = Hankel rank; a single layer with commuting transitions (diagonal, no input or bias term, no activation) cannot track a non-abelian group",
                           attributions: [
                               .hankelTheorem,
                               Attribution(.bilinearPaper, .readFromSummary, "diagonal (Mamba-like) bilinear RNNs cannot track non-abelian groups, full bilinear ones can"),
                               Attribution(.thisProject, .derivedHere, "the exact conditions: commuting augmented transitions give order symmetry; an input or bias term breaks it (Docs/claims.md)"),
                           ],
                           cases: stateTracking(tasks: tasks, maxLength: max(grid.maxLength, 10)),
                           note: "an affine 2RNN can be one state smaller than the Hankel rank (parity needs 2 linear states, 1 affine)")
    }
}

extension Claims {
    // MARK: claim 4 (degree separation, as read here)

    /// A deep linear RNN with polynomial nonlinearities rho_l applied to what layers pass on computes,
    /// for every width, weights and T, a polynomial of degree <= prod_l deg(rho_l) (the
    /// structural bound; Docs/degree.md), while one 2RNN layer reaches degree T. So once
    /// T > prod_l deg(rho_l), no layerwise network of that depth and those rho represents the
    /// 2RNN's function: checked by measuring both on (roughly) equal parameter budgets.
    public static func multiplicativeVsLayerwise(grid: ClaimGrid) throws -> ClaimReport {
        var cases: [ClaimCase] = [], skipped: [String] = []
        for seed in grid.seeds {
            let bilinear = FamilySpec(family: .twoRNN, depth: 1, hidden: grid.hidden, inputDim: grid.inputDim, seed: seed, range: grid.range).model()
            for L in 2...max(2, grid.maxDepth) {
                // widest layerwise stack with no more parameters than the 2RNN
                var width = 1
                while FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: width + 1, inputDim: grid.inputDim).model().parameterCount
                        <= bilinear.parameterCount { width += 1 }
                let layerwise = FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: width, inputDim: grid.inputDim,
                                           seed: seed, range: grid.range).model()
                let bound = layerwiseDegreeBound(layerwise)
                let T = ClaimGrid.feasible(bilinear, name: "2rnn n=\(grid.hidden) seed=\(seed) (beside layerwise L=\(L))",
                                           upTo: max(grid.maxLength, bound + 1), maxTerms: grid.maxTerms) { skipped.append($0) }
                guard T >= 1 else { continue }
                let twoRNN = try DegreeAnalysis.reports(model: bilinear, maxLength: T, maxTerms: grid.maxTerms).last!
                let TL = ClaimGrid.feasible(layerwise, name: "linear-rnn-layerwise L=\(L) width \(width) seed=\(seed)", upTo: T,
                                            maxTerms: grid.maxTerms) { skipped.append($0) }
                let lw = TL >= 1 ? try DegreeAnalysis.reports(model: layerwise, maxLength: TL, maxTerms: grid.maxTerms).last! : nil
                let measured2 = twoRNN.measured.total ?? 0
                let separated = measured2 > bound
                let consistent = (lw?.measured.total ?? 0) <= bound
                cases.append(ClaimCase(
                    description: "seed=\(seed): 2RNN n=\(grid.hidden) (\(bilinear.parameterCount) params) vs layerwise L=\(L) width \(width) (\(layerwise.parameterCount) params), T=\(T)",
                    length: T, model: bilinear, comparedModel: layerwise,
                    measured: .degreeSeparation(bilinear: measured2, layerwise: lw?.measured.total, layerwiseLength: TL),
                    boundFormula: "layerwise degree <= prod deg(rho_l) for every T, width and weights", bound: .degree(bound),
                    verdict: !consistent ? .violated : (separated ? .holds : .belowGeneric),
                    modelJSON: consistent ? nil : layerwise.json, size: L * 100 + T,
                    evidence: .degreeSeparation(bilinear: twoRNN.evidence, layerwise: lw?.evidence)))
            }
        }
        let tasks = StateTrackingTask.catalogueTasks
        cases += try layerwiseVsTasks(tasks: tasks, depths: 2...max(2, grid.maxDepth), inputDim: grid.inputDim)
        return ClaimReport(id: 4, title: "Multiplicative interactions are not replaceable by layerwise nonlinearities (degree separation, state-tracking tasks)",
                           attributions: [
                               Attribution(.depthPaper, .quoted, "abstract: multiplicative interactions cannot, in general, be replaced by layerwise nonlinearities"),
                               Attribution(.thisProject, .derivedHere, "the separation as a degree argument, on random inputs and on one-hot task words (Docs/claims.md)"),
                           ],
                           cases: cases,
                           note: "the paper's own separating example is not transcribed; this checks the degree separation",
                           skipped: skipped)
    }

    /// prod_l deg(rho_l): the degree closed form of a linear stack with rho after its layers
    /// (`DegreeFormula`), which bounds it for every width, weights and T.
    static func layerwiseDegreeBound(_ m: NetworkModel) -> Int {
        guard let total = DegreeFormula.forModel(m, length: 1)?.profile.total else {
            preconditionFailure("a linear-rnn-layerwise model always has a degree closed form")
        }
        return total
    }

    /// Which functions each class represents, on the state-tracking tasks: the one-hot degree
    /// of the task at some T exceeds prod deg(rho_l) of a depth-L layerwise stack (so no width
    /// of it computes the task at that length), while the 2RNN of the regular representation
    /// and a single unit with a polynomial activation inside the recurrence both compute it.
    public static func layerwiseVsTasks(tasks: [StateTrackingTask], depths: ClosedRange<Int>, inputDim: Int = 2) throws -> [ClaimCase] {
        var cases: [ClaimCase] = []
        for task in tasks {
            let order = task.elements.count
            var witnesses: [Int: OneHotDegreeWitness?] = [:]   // by T: consecutive depths try overlapping lengths
            func witness(_ T: Int) -> OneHotDegreeWitness? {
                if let known = witnesses[T] { return known }
                let w = task.oneHotDegreeWitness(length: T)
                witnesses[T] = w
                return w
            }
            for L in depths {
                let layerwise = FamilySpec(family: .linearRNNLayerwise, depth: L, hidden: 1, inputDim: task.alphabetSize).model()
                let bound = layerwiseDegreeBound(layerwise)
                let tried = (bound + 1)...(bound + 4)
                // the truth table has m^T entries: beyond 2^20 the length is not checked
                guard task.oneHotDegreeIsFeasible(length: tried.upperBound) else {
                    cases.append(ClaimCase(description: "\(task.name): layerwise stacks of depth \(L)", measured: .notComputed,
                                           boundFormula: "one-hot degree needs m^T <= \(StateTrackingTask.oneHotDegreeMaxWords) words", bound: .degree(bound),
                                           verdict: .notImplemented, size: order * 100 + L))
                    continue
                }
                let found = tried.lazy.compactMap { T in witness(T).flatMap { $0.degree > bound ? $0 : nil } }.first
                cases.append(ClaimCase(
                    description: "\(task.name): layerwise stacks of depth \(L) (rho = z + z^2 after every layer), any width",
                    measured: .oneHotDegree(found?.degree, length: found?.length, tried: tried),
                    boundFormula: "degree of a layerwise stack on one-hot words <= prod deg(rho_l)", bound: .degree(bound),
                    verdict: found == nil ? .belowGeneric : .holds, size: order * 100 + L,
                    evidence: found.map { .oneHotDegree($0, task: task) }, task: task))
            }
            let bilinear = task.regularRepresentationModel()
            let agrees = task.agrees(bilinear, length: 4)
            cases.append(ClaimCase(description: "\(task.name): linear 2RNN of size |G| = \(order) (regular representation), every word of length 4",
                                   measured: .agreement(agrees), boundFormula: "exact agreement on all words", bound: .agreement(true),
                                   verdict: agrees ? .holds : .violated, modelJSON: agrees ? nil : bilinear.json, size: order * 100,
                                   evidence: .construction(.regularRepresentation(bilinear), task: task), task: task))
            let inside = try task.recurrentActivationModel()
            let exact = task.recurrentActivationIsExact(inside)
            let sigmaDegree = polynomialDegree(inside.layers[0].activation ?? []) ?? 0
            cases.append(ClaimCase(description: "\(task.name): one linear unit with sigma of degree \(sigmaDegree) inside the recurrence, every length",
                                   measured: .agreement(exact),
                                   boundFormula: "exact: transition table closed under sigma, words of length <= 6 evaluated",
                                   bound: .agreement(true), verdict: exact ? .holds : .violated,
                                   modelJSON: exact ? nil : inside.json, size: order * 100 + 1,
                                   evidence: .construction(.recurrentActivation(inside), task: task), task: task))
        }
        return cases
    }
}
