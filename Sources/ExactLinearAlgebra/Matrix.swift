import ExactNumbers

/// A dense row-major matrix over an exact ring.
public struct Matrix<Element: ExactRing>: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    public var elements: [Element]

    public init(rows: Int, columns: Int, repeating value: Element = .zero) {
        precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
        self.rows = rows; self.columns = columns
        elements = [Element](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, elements: [Element]) {
        precondition(elements.count == rows * columns, "element count does not match \(rows)x\(columns)")
        self.rows = rows; self.columns = columns; self.elements = elements
    }

    /// From a list of rows, which must all have the same length.
    public init(_ rowList: [[Element]]) {
        let c = rowList.first?.count ?? 0
        precondition(rowList.allSatisfy { $0.count == c }, "ragged matrix rows")
        self.init(rows: rowList.count, columns: c, elements: rowList.flatMap { $0 })
    }

    public init(rows: Int, columns: Int, _ entry: (Int, Int) -> Element) {
        var e: [Element] = []
        e.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { e.append(entry(i, j)) } }
        self.init(rows: rows, columns: columns, elements: e)
    }

    public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, columns: n) { $0 == $1 ? .one : .zero } }

    @inlinable
    public subscript(i: Int, j: Int) -> Element {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    public func row(_ i: Int) -> [Element] { Array(elements[i * columns ..< (i + 1) * columns]) }
    public func column(_ j: Int) -> [Element] { (0..<rows).map { self[$0, j] } }
    public var rowList: [[Element]] { (0..<rows).map { row($0) } }

    public var transposed: Matrix { Matrix(rows: columns, columns: rows) { self[$1, $0] } }

    /// The submatrix on the given rows and columns, in the given order.
    public func submatrix(rows r: [Int], columns c: [Int]) -> Matrix {
        Matrix(rows: r.count, columns: c.count) { self[r[$0], c[$1]] }
    }

    public var isZero: Bool { elements.allSatisfy { $0.isZero } }

    public func map<T: ExactRing>(_ f: (Element) -> T) -> Matrix<T> {
        Matrix<T>(rows: rows, columns: columns, elements: elements.map(f))
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "product of \(a.rows)x\(a.columns) and \(b.rows)x\(b.columns)")
        var out = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let x = a[i, k]
                if x.isZero { continue }
                for j in 0..<b.columns {
                    let y = b[k, j]
                    if !y.isZero { out[i, j] = out[i, j] + x * y }
                }
            }
        }
        return out
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "sum of different shapes")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "difference of different shapes")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "[" + rowList.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}

public typealias IntegerMatrix = Matrix<BigInt>
public typealias RationalMatrix = Matrix<Rational>

extension Matrix where Element == Rational {
    /// Each row multiplied by the lcm of its denominators: an integer matrix with the
    /// same rank, row space directions and kernel.
    public func clearingDenominators() -> (matrix: IntegerMatrix, rowScales: [BigInt]) {
        var out: [BigInt] = []
        out.reserveCapacity(elements.count)
        var scales: [BigInt] = []
        for i in 0..<rows {
            var l = BigInt.one
            for j in 0..<columns where !self[i, j].isInteger { l = lcm(l, self[i, j].denominator) }
            scales.append(l)
            for j in 0..<columns {
                let x = self[i, j]
                out.append(l.isOne ? x.numerator : x.numerator * l.dividedExactly(by: x.denominator))
            }
        }
        return (IntegerMatrix(rows: rows, columns: columns, elements: out), scales)
    }
}

extension Matrix where Element == BigInt {
    public var rationalMatrix: RationalMatrix { map { Rational($0) } }
}
