import ExactNumbers
import Polynomials

/// What expanding a network to length T will hold, sized before any polynomial is built:
/// term counts from the structural degrees (`DegreeShape`), coefficient sizes from
/// `CoefficientBound`, bytes from both (Docs/resources.md).
public struct ExpansionEstimate: Sendable, Equatable {
    /// The largest term-count bound of one polynomial built on the way (a state, a value
    /// passed on, a pre-activation or an output at any step t <= T).
    public var terms: Double
    /// The largest bound on the bits of a numerator or denominator of any coefficient.
    public var coefficientBits: Double
    /// The largest bound, over the steps, on the bytes of the polynomials alive at once
    /// (the previous and new states, passed values, pre-activations, cached bilinear
    /// products, and working space for the largest product).
    public var bytes: Double
    /// The last step sized: below the requested length when the pass stopped at a limit
    /// (the figures are then those of the steps up to it, already past the limit).
    public var step = 0
    /// A bound on the work of the whole expansion, in coefficient operations: each product
    /// a * b counted as |a| |b| term products weighted by limbs(a) limbs(b) (64-bit limbs,
    /// schoolbook), each value built as |v| limbs(v) for its additions.
    public var work = 0.0
    /// The largest total-degree bound of any value built (the packed engine's field width
    /// depends on it; see `runsPacked`).
    public var degree = 0

    public static func == (a: Self, b: Self) -> Bool {
        a.terms == b.terms && a.coefficientBits == b.coefficientBits && a.bytes == b.bytes && a.step == b.step && a.work == b.work
    }

    public static let empty = ExpansionEstimate(terms: 0, coefficientBits: 0, bytes: 0)

    /// Whether the expansion this estimate sizes, over `variables` variables, runs in the
    /// packed engine (`PackedPolynomial`) rather than the sparse one: packed when a term's
    /// exponent words, ceil((V + 1) / fields per word), are at most min(degree, V) + 4; sparse
    /// for long sequences through linear layers (terms of one variable among T d), where packed
    /// would be quadratic in T. A choice for speed only: the byte estimate charges each value
    /// the larger of its sparse and packed costs, so it bounds whichever engine runs.
    public func runsPacked(variables: Int) -> Bool {
        guard degree < 1 << 30 else { return false }
        let packedWords = PackedLayout(variableCount: variables, degree: degree).words
        return packedWords <= max(1, min(degree, variables)) + 4
    }
    public init(terms: Double, coefficientBits: Double, bytes: Double) {
        self.terms = terms; self.coefficientBits = coefficientBits; self.bytes = bytes
    }

    /// Bytes of one polynomial with `terms` terms of at most `variables` variables each:
    /// a Rational (32 bytes inline), its exponents (8 bytes per variable) and offset, and
    /// past one machine word two GMP integers of `bits` bits with their boxes.
    public static func bytes(terms: Double, variables: Double, coefficientBits bits: Double) -> Double {
        terms * (48 + 8 * variables + (bits > 62 ? 128 + bits / 4 : 0))
    }

    func merged(_ o: ExpansionEstimate) -> ExpansionEstimate {
        var m = ExpansionEstimate(terms: max(terms, o.terms), coefficientBits: max(coefficientBits, o.coefficientBits), bytes: max(bytes, o.bytes))
        m.step = max(step, o.step)
        m.work = max(work, o.work)
        m.degree = max(degree, o.degree)
        return m
    }
}

/// The default memory limit of an expansion (--max-memory): 8 GiB.
public let defaultMaxExpansionBytes = 8 << 30
/// The default work limit of an expansion (--max-work), in coefficient operations: 10^10.
/// The estimate bounds term products; measured here they cost 4 ns (a depth-3 RAC, whose
/// structural bound overshoots) to 300 ns (a depth-2 2RNN, every product a hash-table miss),
/// so the default stops a run between about a minute and under an hour (Docs/resources.md).
public let defaultMaxExpansionWork = 1e10

extension NetworkModel {
    /// The expansion estimate up to `length`; stops as soon as a bound passes `terms` or
    /// `bytes` (the caller refuses then anyway): O(t^2 N) up to the step where it stops.
    public func estimatedExpansion(length: Int, stopAboveTerms termLimit: Double = .infinity,
                                   stopAboveBytes byteLimit: Double = .infinity,
                                   stopAboveWork workLimit: Double = .infinity) -> ExpansionEstimate {
        var last = ExpansionEstimate.empty
        forEachExpansionStep(upTo: length) { _, e in
            last = e
            return e.terms <= termLimit && e.bytes <= byteLimit && e.work <= workLimit
        }
        return last
    }

    /// Calls `body(t, estimate up to t)` for t = 0, 1, ..., length while it returns true.
    /// The estimate up to t sizes every step <= t (outputs at every step included), so it
    /// grows with t and one pass serves every length.
    func forEachExpansionStep(upTo length: Int, _ body: (Int, ExpansionEstimate) -> Bool) {
        let d = inputDim, D = denominatorLCMBits
        var shape = Unrolling<DegreeShape>(self)
        var size = Unrolling<CoefficientBound>(self)
        func sized(_ s: DegreeShape, _ c: CoefficientBound, length t: Int) -> ExpansionEstimate {
            let terms = s.termBound(length: t, inputDim: d)
            let bits = c.coefficientBits(denominatorBits: D)
            let variables = Double(min(s.total?.upperBound ?? 0, max(t, 1) * d))
            // either engine may hold it: a sparse term stores the variables it has, a packed one
            // the fields of every variable up to step t (review helper-23: a degree-1 value over
            // many steps costs more packed than its own degree suggests)
            let packedWords = Double(PackedLayout(variableCount: max(t, 1) * d + 1, degree: min(s.total?.upperBound ?? 0, 1 << 29)).words)
            var e = ExpansionEstimate(terms: terms, coefficientBits: bits,
                                      bytes: ExpansionEstimate.bytes(terms: terms, variables: max(variables, packedWords - 4), coefficientBits: bits))
            e.degree = s.total?.upperBound ?? 0
            return e
        }
        // the polynomials held after a step: states, and passed values where rho is not the identity
        func held(length t: Int) -> (worst: ExpansionEstimate, bytes: Double) {
            var worst = ExpansionEstimate.empty, bytes = 0.0
            for l in 0..<depth {
                for i in 0..<layers[l].hidden {
                    let s = sized(shape.states[l][i], size.states[l][i], length: t)
                    worst = worst.merged(s); bytes += s.bytes
                    if layers[l].outputActivation != nil {
                        let p = sized(shape.passed[l][i], size.passed[l][i], length: t)
                        worst = worst.merged(p); bytes += p.bytes
                    }
                }
            }
            return (worst, bytes)
        }
        func outputs(length t: Int) -> (worst: ExpansionEstimate, bytes: Double) {
            var worst = ExpansionEstimate.empty, bytes = 0.0
            for o in 0..<outputCount {
                let y = sized(shape.readout(o), size.readout(o), length: t)
                worst = worst.merged(y); bytes += y.bytes
            }
            return (worst, bytes)
        }
        var (result, previous) = held(length: 0)
        let start = outputs(length: 0)
        result = result.merged(start.worst)
        result.bytes = previous + start.bytes
        result.step = 0
        guard body(0, result) else { return }
        for t in stride(from: 1, through: length, by: 1) {
            // every value the step builds, in the same order in both unrollings: each is
            // counted as alive until the step ends (an upper bound on what is alive at once)
            var shapes: [DegreeShape] = [], bounds: [CoefficientBound] = []
            var shapePairs: [(DegreeShape, DegreeShape)] = [], boundPairs: [(CoefficientBound, CoefficientBound)] = []
            shape.advance(checking: { _, _ in }, built: { shapes.append($0) }, multiplied: { shapePairs.append(($0, $1)) })
            size.advance(checking: { _, _ in }, built: { bounds.append($0) }, multiplied: { boundPairs.append(($0, $1)) })
            precondition(shapes.count == bounds.count && shapePairs.count == boundPairs.count, "the two unrollings built different values")
            func limbs(_ bits: Double) -> Double { max(1, bits / 64) }
            var work = 0.0
            for ((sa, sb), (ca, cb)) in zip(shapePairs, boundPairs) {
                let a = sized(sa, ca, length: t), b = sized(sb, cb, length: t)
                work += a.terms * b.terms * limbs(a.coefficientBits) * limbs(b.coefficientBits)
            }
            let (worst, now) = held(length: t)
            let out = outputs(length: t)
            var step = worst.merged(out.worst), transient = out.bytes, largest = 0.0
            for (s, c) in zip(shapes, bounds) {
                // each value built: held until the step ends, and its additions in the work
                let v = sized(s, c, length: t)
                step = step.merged(v); transient += v.bytes; largest = max(largest, v.bytes)
                work += v.terms * limbs(v.coefficientBits)
            }
            // the previous states, everything built, and the largest value once more: the
            // working space of the product that builds it
            step.bytes = previous + transient + largest
            step.step = t
            step.work = result.work + work
            result = result.merged(step)
            previous = now
            guard body(t, result) else { return }
        }
    }

    /// The largest term-count bound over every polynomial unrolling to `length` builds.
    public func estimatedMaxTerms(length: Int, stopAbove limit: Double = .infinity) -> Double {
        estimatedExpansion(length: length, stopAboveTerms: limit).terms
    }

    /// Refuses, before any polynomial is built, an expansion to `length` whose estimate
    /// passes `maxTerms` terms in one polynomial or `maxBytes` bytes held at once.
    @discardableResult
    public func checkExpansion(length: Int, maxTerms: Int, maxBytes: Int = defaultMaxExpansionBytes,
                               maxWork: Double = defaultMaxExpansionWork) throws -> ExpansionEstimate {
        let e = estimatedExpansion(length: length, stopAboveTerms: Double(maxTerms), stopAboveBytes: Double(maxBytes),
                                   stopAboveWork: maxWork)
        // a pass stopped before `length` gives the figures of the steps it sized: at least that
        let qualifier = { (x: Double) in SizeEstimate(x, stoppedAtStep: e.step < length ? e.step : nil) }
        if e.terms > Double(maxTerms) {
            throw UnrollError.tooManyTerms(estimate: qualifier(e.terms), limit: maxTerms, length: length)
        }
        if e.bytes > Double(maxBytes) {
            throw UnrollError.tooMuchMemory(estimate: qualifier(e.bytes), limit: maxBytes, length: length,
                                            coefficientBits: e.coefficientBits)
        }
        if e.work > maxWork {
            throw UnrollError.tooMuchWork(estimate: qualifier(e.work), limit: maxWork, length: length)
        }
        return e
    }

    /// The largest T <= maxLength whose expansion stays within both limits (0 if none):
    /// one structural pass, not one per candidate length.
    public func longestUnrollableLength(upTo maxLength: Int, maxTerms: Int, maxBytes: Int = defaultMaxExpansionBytes,
                                        maxWork: Double = defaultMaxExpansionWork) -> Int {
        var best = 0
        forEachExpansionStep(upTo: maxLength) { t, e in
            guard e.terms <= Double(maxTerms) && e.bytes <= Double(maxBytes) && e.work <= maxWork else { return false }
            best = t
            return true
        }
        return best
    }
}

extension NetworkModel {
    /// y_T[output] as an exact polynomial: estimated first, refused before any polynomial is
    /// built when the estimate passes a limit (`checkExpansion`), then unrolled T steps. The
    /// one entry point for "estimate, refuse, unroll, take the output".
    public func expandedOutput(_ output: Int = 0, length T: Int, maxTerms: Int = 5_000_000,
                               maxBytes: Int = defaultMaxExpansionBytes,
                               maxWork: Double = defaultMaxExpansionWork) throws -> (polynomial: Polynomial, estimate: ExpansionEstimate) {
        guard output >= 0 && output < outputCount else { throw UnrollError.outputOutOfRange(index: output, outputs: outputCount) }
        let estimate = try checkExpansion(length: T, maxTerms: maxTerms, maxBytes: maxBytes, maxWork: maxWork)
        func expand<V: ExactUnrollValue>(_: V.Type) throws -> Polynomial {
            var u = Unrolling<V>(self)
            for _ in 0..<T { u.advance() }
            return try u.output(output).polynomial
        }
        let y = estimate.runsPacked(variables: T * inputDim) ? try expand(PackedPolynomial.self) : try expand(Polynomial.self)
        return (y, estimate)
    }
}
