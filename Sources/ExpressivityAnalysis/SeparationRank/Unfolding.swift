import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// The coefficient matrix of a polynomial split by a set of variables: rows are the
/// monomials in the selected variables that occur, columns the monomials in the others that
/// occur, entry = coefficient of their product. (Counting only occurring monomials leaves
/// out zero rows and columns, so the rank is that of the full-basis unfolding.)
public struct Unfolding: Sendable {
    public let rowMonomials: [Monomial]
    public let columnMonomials: [Monomial]
    public let matrix: RationalMatrix

    public static let defaultMaxEntries = 20_000_000

    public init(_ f: Polynomial, rowsWhere inRows: (Int) -> Bool, maxEntries: Int = defaultMaxEntries) throws {
        var rowIndex: [Monomial: Int] = [:], colIndex: [Monomial: Int] = [:]
        var rows: [Monomial] = [], cols: [Monomial] = []
        var entries: [(Int, Int, Rational)] = []
        entries.reserveCapacity(f.termCount)
        for (c, m) in f.terms {
            let (a, b) = m.split(where: inRows)
            let i = rowIndex[a] ?? { rows.append(a); rowIndex[a] = rows.count - 1; return rows.count - 1 }()
            let j = colIndex[b] ?? { cols.append(b); colIndex[b] = cols.count - 1; return cols.count - 1 }()
            entries.append((i, j, c))
        }
        guard rows.count.multipliedReportingOverflow(by: cols.count).partialValue <= maxEntries,
              !rows.count.multipliedReportingOverflow(by: cols.count).overflow else {
            throw SeparationRankError.matrixTooLarge(rows: rows.count, columns: cols.count, limit: maxEntries)
        }
        var m = RationalMatrix(rows: rows.count, columns: cols.count)
        for (i, j, c) in entries { m[i, j] = c }
        rowMonomials = rows; columnMonomials = cols; matrix = m
    }
}

extension Unfolding {
    /// The unfolding of a polynomial in the inputs x[t][k]: rows are the monomials in the
    /// steps of `startSteps`.
    public init(_ f: Polynomial, startSteps: [Int], inputDim d: Int, maxEntries: Int = defaultMaxEntries) throws {
        let s = Set(startSteps)
        try self.init(f, rowsWhere: { s.contains(InputVariables.step(ofVariable: $0, inputDim: d)) }, maxEntries: maxEntries)
    }
}

/// `--method auto` found the lifted method past a limit and the expansion it falls back to
/// past one too: both refusals, so the message names both options that would admit the work
/// (the lifted one is usually the cheaper to raise).
public struct AutoRefused: LimitRefusal {
    public let lifted: LiftedError
    public let fallback: any LimitRefusal

    public init(lifted: LiftedError, fallback: any LimitRefusal) { self.lifted = lifted; self.fallback = fallback }

    public var refusal: String { "the lifted method: \(lifted.libraryDescription); the expansion auto falls back to: \(fallback.refusal)" }
    public var limit: ResourceLimit? { fallback.limit }
    public var description: String { libraryDescription }

    /// Runs the fallback; a refusal of it is thrown with the lifted one.
    static func both<R>(_ lifted: LiftedError, _ fallback: () throws -> R) throws -> R {
        do { return try fallback() } catch let e as any LimitRefusal { throw AutoRefused(lifted: lifted, fallback: e) }
    }
}

public enum SeparationRankError: LimitRefusal, Equatable {
    case matrixTooLarge(rows: Int, columns: Int, limit: Int)
    /// The method does not apply to this model or partition; `reason` completes "the method ...".
    case methodNotApplicable(SeparationRankMethod, reason: String)
    /// The automaton's spans would take `work` rational operations, above `limit`.
    case automatonTooLarge(work: Double, limit: Double, hidden: Int, inputDim: Int, length: Int)

    public var refusal: String {
        switch self {
        case let .matrixTooLarge(r, c, limit):
            return "a \(r) x \(c) coefficient matrix exceeds the limit of \(limit) entries"
        case let .methodNotApplicable(m, why): return "the method \(m.rawValue) \(why)"
        case let .automatonTooLarge(work, limit, n, d, T):
            return "the automaton's spans need about \(UnrollError.formatEstimate(work)) rational operations (hidden \(n), d \(d), T = \(T)), above \(UnrollError.formatEstimate(limit))"
        }
    }

    public var limit: ResourceLimit? {
        if case .matrixTooLarge = self { return .maxEntries }
        return nil
    }

    public var description: String {
        if case .automatonTooLarge = self { return refusal + "; the lifted method works on the monomials that occur" }
        return libraryDescription
    }
}
