import Testing
import ExactNumbers
import ExactLinearAlgebra
import ExpressivityAnalysis

@Suite("State-tracking tasks: Hankel evidence")
struct TaskEvidenceTests {
    /// The full Hankel block over every word (no deduplication), ranked by Bareiss elimination.
    func fullHankelRank(_ task: StateTrackingTask, length T: Int) -> Int {
        let k = T / 2
        let rows = (0...k).flatMap(task.words), cols = (0...(T - k)).flatMap(task.words)
        let h = RationalMatrix(rows: rows.count, columns: cols.count) { i, j in task.value(rows[i] + cols[j]) }
        return h.rankBareiss()
    }

    @Test("every catalogue task: the evidence verifies and its rank is the full Hankel block's (every word, Bareiss)")
    func evidenceMatchesFullBlock() {
        for name in StateTrackingTask.catalogue {
            let task = StateTrackingTask(name)
            for T in 1...(task.generators[0].count >= 5 ? 4 : 6) {
                let e = task.hankelEvidence(length: T)
                #expect(e.verify(for: task), "\(name) T=\(T)")
                #expect(e.rank == fullHankelRank(task, length: T), "\(name) T=\(T)")
                #expect(task.hankelRank(length: T) == e.rank)
            }
        }
        // hand-derived: parity at T = 2 has rows {1, flip} x columns {1, flip}: [[1, 0], [0, 1]]
        #expect(StateTrackingTask(.parity).hankelEvidence(length: 2).rank == 2)
    }

    @Test("evidence with a missing element, a changed entry or a word too long is refused")
    func tampered() {
        let task = StateTrackingTask(.s3)
        let e = task.hankelEvidence(length: 6)
        #expect(e.rank == 6)  // the regular representation of S_3: 6 elements, rank 6 once both sides reach them all
        // drop the last row: no longer every element, though the smaller matrix has its own certificate
        let keep = Array(0..<(e.matrix.rows - 1))
        let smaller = e.matrix.submatrix(rows: keep, columns: Array(0..<e.matrix.columns))
        let dropped = HankelEvidence(length: 6, rowWords: keep.map { e.rowWords[$0] }, columnWords: e.columnWords,
                                     matrix: smaller, certificate: smaller.certifiedRank())
        #expect(!dropped.verify(for: task))
        // flip one entry and recertify: the entries no longer are f(uv)
        var flipped = e.matrix
        flipped[1, 1] = flipped[1, 1].isZero ? 1 : 0
        #expect(!HankelEvidence(length: 6, rowWords: e.rowWords, columnWords: e.columnWords, matrix: flipped,
                                certificate: flipped.certifiedRank()).verify(for: task))
        // a row word longer than floor(T/2)
        var long = e.rowWords
        long[long.count - 1] = long[long.count - 1] + [0, 0, 0, 0]
        #expect(!HankelEvidence(length: 6, rowWords: long, columnWords: e.columnWords, matrix: e.matrix,
                                certificate: e.certificate).verify(for: task))
        // the evidence of another task
        #expect(!e.verify(for: StateTrackingTask(.cyclic(6))))
    }
}
