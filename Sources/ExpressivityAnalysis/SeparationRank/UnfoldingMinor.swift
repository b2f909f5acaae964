import ExactNumbers
import Polynomials
import ExactLinearAlgebra
import RecurrentNetworks

/// Evidence that a separation rank at a cut is at least r, checkable against y_T by code that
/// knows nothing of the method that found it (the lifted and split methods, and one-sided
/// evaluation, all give one): the r x r submatrix of the unfolding on rows `rowMonomials` (in the
/// inputs of steps 1..k) and columns `columnMonomials` (steps k+1..T) reduces modulo `prime`
/// to `residues`, and it is nonsingular there, so rank >= r. When `rowPoints` is not empty the
/// rows are points instead: row i holds, for each column monomial, its coefficient in
/// y_T(x_1..k = rowPoints[i], x_{k+1..T}); that matrix is (evaluation matrix) x (unfolding), so
/// a nonsingular minor again proves rank >= r. When `columnPoints` is not empty too, the columns
/// are points of steps k+1..T and entry (i, j) is the value y_T(rowPoints[i], columnPoints[j]):
/// (evaluation matrix) x (unfolding) x (evaluation matrix)^T, the same argument from both sides,
/// and checkable by running the network (`verify(model:output:length:)`). (rank <= r comes from an exact upper bound:
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
    /// Integer inputs of steps k+1..T (flattened) for each column, when columns are points
    /// (then rows are points as well and there are no monomials).
    public let columnPoints: [[Int]]
    /// The cut k (S = 1...k) and the input width d: rows may use only the first k d input
    /// variables, columns only the others (checked, so a minor across the cut is refused).
    public let cut: Int
    public let inputDim: Int

    public init(rank: Int, cut: Int, inputDim: Int, rowMonomials: [Monomial], columnMonomials: [Monomial], prime: UInt,
                residues: [UInt], rowPoints: [[Int]] = [], columnPoints: [[Int]] = []) {
        self.rank = rank; self.cut = cut; self.inputDim = inputDim
        self.rowMonomials = rowMonomials; self.columnMonomials = columnMonomials
        self.prime = prime; self.residues = residues; self.rowPoints = rowPoints; self.columnPoints = columnPoints
    }

    /// Whether both sides are points of the right widths (steps 1..k and k+1..T of length T).
    func hasPointShape(length T: Int) -> Bool {
        rowPoints.count == rank && columnPoints.count == rank && rowMonomials.isEmpty && columnMonomials.isEmpty
            && rowPoints.allSatisfy { $0.count == cut * inputDim && $0.allSatisfy { $0 >= 0 } }
            && columnPoints.allSatisfy { $0.count == (T - cut) * inputDim && $0.allSatisfy { $0 >= 0 } }
    }

    /// For a minor on points of both sides: each residue is y_T at its row and column point,
    /// computed by running the network modulo the prime (no expansion of y_T), and the minor is
    /// nonsingular modulo the prime.
    public func verify(model: NetworkModel, output: Int, length T: Int) -> Bool {
        let r = rank, d = inputDim
        guard r >= 1, cut >= 1, cut < T, d == model.inputDim, output >= 0, output < model.outputCount, residues.count == r * r,
              ModularArithmetic.isPrime(prime), prime < 1 << 62, hasPointShape(length: T),
              let net = ModularNetwork(model, prime: prime) else { return false }
        for i in 0..<r {
            // the row point's state, then each column point from it
            var past = net.initial(batch: 1)
            for t in 0..<cut { net.advance(&past, inputs: (0..<d).map { UInt(rowPoints[i][t * d + $0]) % prime }) }
            for j in 0..<r {
                var z = past
                for t in 0..<(T - cut) { net.advance(&z, inputs: (0..<d).map { UInt(columnPoints[j][t * d + $0]) % prime }) }
                guard net.output(output, z)[0] == residues[i * r + j] else { return false }
            }
        }
        var a = residues
        return RankCertificate.nonsingularModP(&a, r, prime)
    }

    /// True when each residue is the coefficient of rowMonomials[i] * columnMonomials[j] in y
    /// modulo `prime` and the minor is nonsingular modulo `prime` (the rank certificates'
    /// plain elimination, independent of the lifted code that found it).
    public func verify(against y: Polynomial) -> Bool {
        let r = rank, width = cut * inputDim
        guard cut >= 0, inputDim >= 1, columnMonomials.count == r || !columnPoints.isEmpty, residues.count == r * r, ModularArithmetic.isPrime(prime),
              columnMonomials.allSatisfy({ $0.factors.allSatisfy { $0.variable >= width } }) else { return false }
        if !columnPoints.isEmpty {
            // both sides points: y at the joined point, modulo the prime
            let T = columnPoints.first.map { cut + $0.count / inputDim } ?? cut
            guard hasPointShape(length: T) else { return false }
            for i in 0..<r {
                for j in 0..<r {
                    let point = rowPoints[i] + columnPoints[j]
                    var sum: UInt = 0
                    for (c, m) in y.terms {
                        guard var term = c.mod(prime) else { return false }
                        for (v, e) in m.factors {
                            guard v < point.count else { return false }
                            term = ModularArithmetic.mulmod(term, ModularArithmetic.powmod(UInt(point[v]) % prime, UInt(e), prime), prime)
                        }
                        let (t, overflow) = sum.addingReportingOverflow(term)
                        sum = overflow || t >= prime ? t &- prime : t
                    }
                    guard sum == residues[i * r + j] else { return false }
                }
            }
        } else if rowPoints.isEmpty {
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
