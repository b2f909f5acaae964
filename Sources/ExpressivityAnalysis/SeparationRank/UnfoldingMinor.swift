import ExactNumbers
import Polynomials
import ExactLinearAlgebra

/// Evidence that a separation rank at a cut is at least r, checkable against y_T by code that
/// knows nothing of the method that found it (the lifted and split methods, and one-sided
/// evaluation, all give one): the r x r submatrix of the unfolding on rows `rowMonomials` (in the
/// inputs of steps 1..k) and columns `columnMonomials` (steps k+1..T) reduces modulo `prime`
/// to `residues`, and it is nonsingular there, so rank >= r. When `rowPoints` is not empty the
/// rows are points instead: row i holds, for each column monomial, its coefficient in
/// y_T(x_1..k = rowPoints[i], x_{k+1..T}); that matrix is (evaluation matrix) x (unfolding), so
/// a nonsingular minor again proves rank >= r. (rank <= r comes from an exact upper bound:
/// |Mon_k|, a counting bound, or exact spans or closure certificates of the reachable or
/// observable spaces for the lifted method, whose `LiftedEvidence.proof` says which; one side
/// empty for evaluation.)
public struct UnfoldingMinor: Sendable, Equatable {
    public let rank: Int
    public let rowMonomials: [Monomial]
    public let columnMonomials: [Monomial]
    /// The minor's entries modulo `prime` (row-major); nonsingular mod p implies nonsingular
    /// over Q.
    public let prime: UInt
    public let residues: [UInt]
    /// Integer inputs of steps 1..k (flattened) for each row, when rows are points.
    public let rowPoints: [[Int]]
    /// The cut k (S = 1...k) and the input width d: rows may use only the first k d input
    /// variables, columns only the others (checked, so a minor across the cut is refused).
    public let cut: Int
    public let inputDim: Int

    public init(rank: Int, cut: Int, inputDim: Int, rowMonomials: [Monomial], columnMonomials: [Monomial], prime: UInt,
                residues: [UInt], rowPoints: [[Int]] = []) {
        self.rank = rank; self.cut = cut; self.inputDim = inputDim
        self.rowMonomials = rowMonomials; self.columnMonomials = columnMonomials
        self.prime = prime; self.residues = residues; self.rowPoints = rowPoints
    }

    /// True when each residue is the coefficient of rowMonomials[i] * columnMonomials[j] in y
    /// modulo `prime` and the minor is nonsingular modulo `prime` (the rank certificates'
    /// plain elimination, independent of the lifted code that found it).
    public func verify(against y: Polynomial) -> Bool {
        let r = rank, width = cut * inputDim
        guard cut >= 0, inputDim >= 1, columnMonomials.count == r, residues.count == r * r, ModularArithmetic.isPrime(prime),
              columnMonomials.allSatisfy({ $0.factors.allSatisfy { $0.variable >= width } }) else { return false }
        if rowPoints.isEmpty {
            guard rowMonomials.count == r, rowMonomials.allSatisfy({ $0.factors.allSatisfy { $0.variable < width } }) else { return false }
            for i in 0..<r {
                for j in 0..<r {
                    guard let c = y.coefficient(of: rowMonomials[i] * columnMonomials[j]).mod(prime), c == residues[i * r + j] else { return false }
                }
            }
        } else {
            guard rowPoints.count == r, rowMonomials.isEmpty,
                  rowPoints.allSatisfy({ $0.count == width && $0.allSatisfy { $0 >= 0 } }) else { return false }
            // y's terms grouped by their part in the later steps' inputs (variables >= width)
            var byColumn: [Monomial: [(Rational, Monomial)]] = [:]
            for (c, m) in y.terms {
                let (early, late) = m.split { $0 < width }
                byColumn[late, default: []].append((c, early))
            }
            for i in 0..<r {
                for j in 0..<r {
                    var sum: UInt = 0
                    for (c, early) in byColumn[columnMonomials[j]] ?? [] {
                        guard var term = c.mod(prime) else { return false }
                        for (v, e) in early.factors {
                            term = ModularArithmetic.mulmod(term, ModularArithmetic.powmod(UInt(rowPoints[i][v]) % prime, UInt(e), prime), prime)
                        }
                        let (s, overflow) = sum.addingReportingOverflow(term)
                        sum = overflow || s >= prime ? s &- prime : s
                    }
                    guard sum == residues[i * r + j] else { return false }
                }
            }
        }
        var a = residues
        return RankCertificate.nonsingularModP(&a, r, prime)
    }
}
