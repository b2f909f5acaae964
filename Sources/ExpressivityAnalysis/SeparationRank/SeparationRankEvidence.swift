import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// What proves a separation rank r, split into its two halves: rank >= r and rank <= r.
/// `verify()` checks both against y_T with code that does not use the method that found
/// the rank (Docs/library.md says what each case checks).
public struct SeparationRankEvidence: Sendable, Equatable {
    /// Why rank >= r.
    public enum LowerBound: Sendable, Equatable {
        /// r = 0: nothing to prove.
        case trivial
        /// The whole unfolding and its rank certificate (it proves rank <= r as well).
        case unfolding(UnfoldingCertificate)
        /// An r x r minor of the unfolding (or of points times the unfolding), nonsingular
        /// modulo a prime.
        case minor(UnfoldingMinor)
        /// S or E is empty and y_T is nonzero at this point (inputs x_1..x_T): r = 1.
        case nonzeroValue(at: [[Rational]])
        /// The method keeps no minor (the automaton's spans); `verify()` proves the rank from
        /// the unfolding of y_T.
        case notRecorded
    }
    /// Why rank <= r.
    public enum UpperBound: Sendable, Equatable {
        /// The kernel in the unfolding's rank certificate.
        case kernel
        /// S or E is empty, so the unfolding has one row or one column.
        case oneSideEmpty
        /// y_T expanded to the zero polynomial.
        case zeroPolynomial
        /// The lifted method's argument (|Mon_k|, counting, or spans closed under the exact
        /// transitions), with the lifted system it rests on: checkable without expanding y_T.
        case lifted(LiftedEvidence)
        /// The split method: the unfolding is Phi Gamma through this many state monomials,
        /// and its rank is that of Phi_I Gamma_J for independent rows I and columns J.
        case stateSplit(stateMonomials: Int)
        /// The single layer's automaton: exact spans of dimension <= this.
        case automaton(dimension: Int)
        /// Not kept (`SeparationRank.Options.recordsUnfolding` off); `verify()` proves the rank
        /// from the unfolding of y_T.
        case notRecorded

        /// Whether the evidence itself proves the bound (otherwise `verify(against:)` proves it
        /// again from a kernel of y_T's unfolding, and so does `verify()` except for `.lifted`,
        /// whose own argument it re-checks from the model).
        public var isSelfContained: Bool {
            switch self {
            case .kernel, .oneSideEmpty, .zeroPolynomial: return true
            case .lifted, .stateSplit, .automaton, .notRecorded: return false
            }
        }
    }

    public let model: NetworkModel
    public let length: Int
    /// The steps in S (sorted).
    public let startSet: [Int]
    public let output: Int
    public let rank: Int
    public let lowerBound: LowerBound
    public let upperBound: UpperBound

    public init(model: NetworkModel, length: Int, startSet: [Int], output: Int, rank: Int,
                lowerBound: LowerBound, upperBound: UpperBound) {
        self.model = model; self.length = length; self.startSet = startSet; self.output = output
        self.rank = rank; self.lowerBound = lowerBound; self.upperBound = upperBound
    }

    /// Checks both bounds. A nonzero value at a point needs only an exact evaluation of the
    /// network, and the lifted method's evidence only the model (`LiftedEvidence.verify()`:
    /// no expansion, so deep ranks at long lengths verify too); everything else is checked
    /// against y_T, expanded again within `maxTerms` (throws `UnrollError` past it).
    public func verify(maxTerms: Int = 5_000_000) throws -> Bool {
        guard isWellFormed, output >= 0, output < model.outputCount else { return false }
        if case .lifted(let e) = upperBound {
            guard e.model == model, e.output == output, e.length == length, e.rank == rank, coversCut(e.cut) else { return false }
            switch lowerBound {
            case .minor(let m): guard m == e.minor else { return false }
            case .trivial: guard rank == 0 else { return false }
            default: return false
            }
            return try e.verify(maxTerms: maxTerms)
        }
        if case .nonzeroValue(let point) = lowerBound, upperBound == .oneSideEmpty {
            guard rank == 1, isOneSided, point.count == length, point.allSatisfy({ $0.count == model.inputDim }) else { return false }
            return !model.evaluate(inputs: point)[output].isZero
        }
        return verify(against: try model.expandedOutput(output, length: length, maxTerms: maxTerms).polynomial)
    }

    /// Checks both bounds against y_T given as a polynomial in the inputs (variable
    /// (t - 1) d + i is x_t[i]).
    public func verify(against y: Polynomial) -> Bool {
        let d = model.inputDim, inS = Set(startSet)
        let isStart: (Int) -> Bool = { inS.contains($0 / d + 1) }
        guard isWellFormed else { return false }
        // rank >= r
        switch lowerBound {
        case .trivial: guard rank == 0 else { return false }
        case .unfolding(let u):
            guard u.rank == rank, u.matches(y, isStart: isStart) else { return false }
        case .minor(let c):
            guard c.rank == rank, c.cut >= 0, c.cut <= length, c.inputDim == d, coversCut(c.cut),
                  c.verify(against: y) else { return false }
        case .nonzeroValue(let point):
            guard rank == 1, point.count == length, point.allSatisfy({ $0.count == d }),
                  !y.evaluate({ point[$0 / d][$0 % d] }).isZero else { return false }
        case .notRecorded:
            break
        }
        // rank <= r
        switch upperBound {
        case .kernel:
            guard case .unfolding = lowerBound else { return false }
            return true
        case .oneSideEmpty:
            // proves rank <= 1 only: a claim of 0 needs y = 0 (`.zeroPolynomial`)
            return isOneSided && rank == 1 && lowerBound != .notRecorded
        case .zeroPolynomial: return y.isZero && rank == 0
        case .lifted, .stateSplit, .automaton, .notRecorded:
            // prove it again from the unfolding: a kernel certificate, checked exactly
            guard let unfolding = try? Unfolding(y, rowsWhere: isStart, maxEntries: Int.max) else { return false }
            let m = unfolding.matrix.clearingDenominators().matrix
            if m.rows == 0 || m.columns == 0 { return rank == 0 }
            let c = m.certifiedRank()
            return c.verify(m) && (lowerBound == .notRecorded ? c.rank == rank : c.rank <= rank)
        }
    }

    /// A rank, a length and a start set that can be checked at all: S strictly increasing
    /// inside 1...T (a repeated step would make S look larger than it is).
    var isWellFormed: Bool {
        rank >= 0 && length >= 0 && startSet.allSatisfy({ $0 >= 1 && $0 <= length })
            && zip(startSet, startSet.dropFirst()).allSatisfy { $0 < $1 }
    }

    var isOneSided: Bool { startSet.isEmpty || startSet.count == length }

    /// Whether S is 1...k or its complement (the unfolding at the cut k or its transpose).
    /// (S is strictly increasing inside 1...T, `isWellFormed`, so its count and one end decide;
    /// no set of all steps is built: T may be huge.)
    func coversCut(_ k: Int) -> Bool {
        guard isWellFormed, k >= 0, k <= length else { return false }
        let isPrefix = startSet.count == k && (k == 0 || startSet.last == k)
        let isSuffix = startSet.count == length - k && (k == length || startSet.first == k + 1)
        return isPrefix || isSuffix
    }
}

/// The unfolding of y_T, rows scaled to integers, with its rank certificate.
public struct UnfoldingCertificate: Sendable, Equatable {
    public let rowMonomials: [Monomial]
    public let columnMonomials: [Monomial]
    /// Row i of the rational unfolding times `rowScales[i]` (> 0).
    public let matrix: IntegerMatrix
    public let rowScales: [BigInt]
    public let certificate: RankCertificate
    public var rank: Int { certificate.rank }

    public init(rowMonomials: [Monomial], columnMonomials: [Monomial], matrix: IntegerMatrix, rowScales: [BigInt],
                certificate: RankCertificate) {
        self.rowMonomials = rowMonomials; self.columnMonomials = columnMonomials; self.matrix = matrix
        self.rowScales = rowScales; self.certificate = certificate
    }

    /// The certified rank of an unfolding.
    public init(_ u: Unfolding) {
        let (m, scales) = u.matrix.clearingDenominators()
        self.init(rowMonomials: u.rowMonomials, columnMonomials: u.columnMonomials, matrix: m, rowScales: scales,
                  certificate: m.certifiedRank())
    }

    /// Whether `matrix` is the unfolding of y (every term of y in its place, scaled, and no
    /// other nonzero entry) and the certificate holds on it.
    func matches(_ y: Polynomial, isStart: (Int) -> Bool) -> Bool {
        guard matrix.rows == rowMonomials.count, matrix.columns == columnMonomials.count, rowScales.count == matrix.rows,
              rowScales.allSatisfy({ $0 > .zero }),
              rowMonomials.allSatisfy({ $0.factors.allSatisfy { isStart($0.variable) } }),
              columnMonomials.allSatisfy({ $0.factors.allSatisfy { !isStart($0.variable) } }) else { return false }
        var rowIndex: [Monomial: Int] = [:], columnIndex: [Monomial: Int] = [:]
        for (i, m) in rowMonomials.enumerated() { rowIndex[m] = i }
        for (j, m) in columnMonomials.enumerated() { columnIndex[m] = j }
        guard rowIndex.count == rowMonomials.count, columnIndex.count == columnMonomials.count else { return false }
        var matched = 0
        for (c, m) in y.terms {
            let (a, b) = m.split(where: isStart)
            guard let i = rowIndex[a], let j = columnIndex[b], c * Rational(rowScales[i]) == Rational(matrix[i, j]) else { return false }
            matched += 1
        }
        guard matrix.elements.lazy.filter({ !$0.isZero }).count == matched else { return false }
        if matrix.rows == 0 || matrix.columns == 0 { return certificate.rank == 0 }
        return certificate.verify(matrix)
    }
}

extension UnfoldingMinor {
    /// The minor of an unfolding on the given monomials (rows in the inputs of steps 1...cut)
    /// with its rational entries (row-major), reduced modulo the first prime below 2^31 that
    /// divides neither a denominator nor the determinant; nil when the minor is singular.
    public static func minor(cut: Int, inputDim: Int, rowMonomials: [Monomial], columnMonomials: [Monomial],
                             entries: [Rational]) -> UnfoldingMinor? {
        let r = rowMonomials.count
        precondition(columnMonomials.count == r && entries.count == r * r, "a square minor")
        var m = RationalMatrix(rows: r, columns: r)
        for i in 0..<r { for j in 0..<r { m[i, j] = entries[i * r + j] } }
        let det = r == 0 ? Rational.one : m.determinant()
        if det.isZero { return nil }
        var p: UInt = (1 << 31) - 1
        while true {
            if ModularArithmetic.isPrime(p), det.mod(p).map({ $0 != 0 }) == true {
                let residues = entries.compactMap { $0.mod(p) }
                if residues.count == entries.count {
                    return UnfoldingMinor(rank: r, cut: cut, inputDim: inputDim, rowMonomials: rowMonomials,
                                                 columnMonomials: columnMonomials, prime: p, residues: residues)
                }
            }
            p -= 2
        }
    }
}
