import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Independent work on this machine's cores with a deterministic result: the outputs come
/// back in input order, whatever order the threads finish in.
package enum Parallel {
    /// How many items a caller should hand over at once: the cores online. The results never
    /// depend on it (callers absorb them in input order), only the time does.
    package static let width = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Each thread writes only its own slot; `concurrentPerform` returns after all of them.
    private struct Slots<R>: @unchecked Sendable { let base: UnsafeMutablePointer<R?> }

    package static func map<T: Sendable, R>(_ items: [T], _ f: @Sendable (T) -> R) -> [R] {
        if items.count <= 1 { return items.map(f) }
        var out = [R?](repeating: nil, count: items.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: items.count) { i in slots.base[i] = f(items[i]) }
        }
        return out.map { $0! }
    }

    /// a() and b() on two cores at once (one after the other on a single core).
    package static func both<A, B>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        var first: A? = nil, second: B? = nil
        withUnsafeMutablePointer(to: &first) { pa in
            withUnsafeMutablePointer(to: &second) { pb in
                let (sa, sb) = (Slots(base: pa), Slots(base: pb))
                DispatchQueue.concurrentPerform(iterations: 2) { i in if i == 0 { sa.base.pointee = a() } else { sb.base.pointee = b() } }
            }
        }
        return (first!, second!)
    }
}

/// A flag one thread raises and another polls: speculative work on the other core stops
/// once its result is known to be unneeded.
package final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    package init() {}
    package func raise() { raised.store(true, ordering: .relaxed) }
    package var isRaised: Bool { raised.load(ordering: .relaxed) }
}
