import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Independent work on this machine's cores with a deterministic result: the outputs come
/// back in input order, whatever order the threads finish in.
enum Parallel {
    /// How many items a caller should hand over at once: the cores online. The results never
    /// depend on it (callers absorb them in input order), only the time does.
    static let width = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Each thread writes only its own slot; `concurrentPerform` returns after all of them.
    private struct Slots<R>: @unchecked Sendable { let base: UnsafeMutablePointer<R?> }

    static func map<T: Sendable, R>(_ items: [T], _ f: @Sendable (T) -> R) -> [R] {
        if items.count <= 1 { return items.map(f) }
        var out = [R?](repeating: nil, count: items.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: items.count) { i in slots.base[i] = f(items[i]) }
        }
        return out.map { $0! }
    }
}
