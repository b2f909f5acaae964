import ExactNumbers
import ExactLinearAlgebra

/// The Hankel block of a task at length T, H[u, v] = f(uv) for words |u| <= floor(T/2) and
/// |v| <= T - floor(T/2), with its rank certificate. Words that reach the same group element
/// give equal rows (f(uv) depends on u only through its element), so one word per element is
/// kept; `verify(for:)` checks that the kept words reach every element a word of that length
/// can, so the block has the rank of the full one.
public struct HankelEvidence: Sendable, Equatable {
    public let length: Int
    public let rowWords: [[Int]]
    public let columnWords: [[Int]]
    /// H on the kept words (0/1 entries).
    public let matrix: IntegerMatrix
    public let certificate: RankCertificate
    public var rank: Int { certificate.rank }

    public init(length: Int, rowWords: [[Int]], columnWords: [[Int]], matrix: IntegerMatrix, certificate: RankCertificate) {
        self.length = length; self.rowWords = rowWords; self.columnWords = columnWords
        self.matrix = matrix; self.certificate = certificate
    }

    /// Checks, from the task's values alone: every entry is f(uv); the row words (columns
    /// likewise) contain the empty word, have length <= floor(T/2), and each one-symbol
    /// extension of a shorter one reaches the element of a kept word at most one longer, so by
    /// induction every word of length <= floor(T/2) reaches a kept word's element; and the rank
    /// certificate holds on the matrix.
    public func verify(for task: StateTrackingTask) -> Bool {
        let k = length / 2
        func closed(_ words: [[Int]], within n: Int) -> Bool {
            guard words.contains([]), words.allSatisfy({ $0.count <= n && $0.allSatisfy { (0..<task.alphabetSize).contains($0) } }) else {
                return false
            }
            var shortest: [[Int]: Int] = [:]
            for w in words { let e = task.element(of: w); shortest[e] = min(shortest[e] ?? .max, w.count) }
            for w in words where w.count < n {
                for s in 0..<task.alphabetSize {
                    guard let l = shortest[task.element(of: w + [s])], l <= w.count + 1 else { return false }
                }
            }
            return true
        }
        guard length >= 1, closed(rowWords, within: k), closed(columnWords, within: length - k),
              matrix.rows == rowWords.count, matrix.columns == columnWords.count else { return false }
        for (i, u) in rowWords.enumerated() {
            for (j, v) in columnWords.enumerated() where Rational(matrix[i, j]) != task.value(u + v) { return false }
        }
        return certificate.verify(matrix)
    }
}

extension StateTrackingTask {
    /// One shortest word per group element reached within n symbols (breadth-first).
    func elementWords(within n: Int) -> [[Int]] {
        var seen: Set<[Int]> = [StateTrackingTask.identity(degree)]
        var out: [[Int]] = [[]], frontier: [([Int], [Int])] = [([], StateTrackingTask.identity(degree))]
        for _ in 0..<n {
            var next: [([Int], [Int])] = []
            for (w, g) in frontier {
                for (s, gen) in generators.enumerated() {
                    let h = StateTrackingTask.compose(g, gen)
                    if seen.insert(h).inserted { next.append((w + [s], h)); out.append(w + [s]) }
                }
            }
            if next.isEmpty { break }
            frontier = next
        }
        return out
    }

    /// The Hankel block at length T and its rank certificate (`hankelRank` is its rank).
    public func hankelEvidence(length T: Int) -> HankelEvidence {
        let rows = elementWords(within: T / 2), cols = elementWords(within: T - T / 2)
        let id = StateTrackingTask.identity(degree)
        let rowElements = rows.map(element), columnElements = cols.map(element)
        let h = IntegerMatrix(rows: rows.count, columns: cols.count) { i, j in
            StateTrackingTask.compose(rowElements[i], columnElements[j]) == id ? 1 : 0
        }
        return HankelEvidence(length: T, rowWords: rows, columnWords: cols, matrix: h, certificate: h.certifiedRank())
    }
}
