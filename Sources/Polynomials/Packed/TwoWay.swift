import Dispatch

/// Two independent computations on two cores, results returned in argument order (so a
/// caller's result never depends on which finishes first).
enum TwoWay {
    private struct Slot<R>: @unchecked Sendable { let base: UnsafeMutablePointer<R?> }

    static func run<A, B>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        var first: A? = nil, second: B? = nil
        withUnsafeMutablePointer(to: &first) { pa in
            withUnsafeMutablePointer(to: &second) { pb in
                let (sa, sb) = (Slot(base: pa), Slot(base: pb))
                DispatchQueue.concurrentPerform(iterations: 2) { i in if i == 0 { sa.base.pointee = a() } else { sb.base.pointee = b() } }
            }
        }
        return (first!, second!)
    }
}
