/// A split of the time steps 1...T into a start set S and an end set E.
public enum Partition: Equatable, Sendable, CustomStringConvertible {
    /// S = 1...floor(T/2) (for odd T the extra step is in E): Levine et al.'s Start-End split.
    case startEnd
    /// S = 1...k.
    case cut(Int)
    /// S = odd steps, E = even steps.
    case interleaved
    /// S given explicitly.
    case set([Int])

    /// Reads "start-end", "cut:k", "interleaved", "set:1,4,5".
    public init(parsing text: String) throws {
        switch text {
        case "start-end": self = .startEnd; return
        case "interleaved": self = .interleaved; return
        default: break
        }
        if text.hasPrefix("cut:"), let k = Int(text.dropFirst(4)), k >= 0 { self = .cut(k); return }
        if text.hasPrefix("set:") {
            let parts = text.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false)
            let steps = parts.compactMap { Int($0.filter { $0 != " " }) }
            if steps.count == parts.count, !steps.isEmpty {
                // readable: say what is wrong with it
                if let bad = steps.first(where: { $0 < 1 }) {
                    throw PartitionError.outOfRange("step \(bad) of '\(text)' is not a step: steps start at 1")
                }
                if let twice = steps.first(where: { s in steps.filter { $0 == s }.count > 1 }) {
                    throw PartitionError.outOfRange("step \(twice) is listed twice in '\(text)'")
                }
                self = .set(steps); return
            }
        }
        throw PartitionError.unreadable(text)
    }

    public var description: String {
        switch self {
        case .startEnd: return "start-end"
        case .cut(let k): return "cut:\(k)"
        case .interleaved: return "interleaved"
        case .set(let s): return "set:" + s.map(String.init).joined(separator: ",")
        }
    }

    /// S for length T (sorted), checked against 1...T.
    public func startSet(length T: Int) throws -> [Int] {
        switch self {
        case .startEnd: return Array(stride(from: 1, through: T / 2, by: 1))
        case .cut(let k):
            guard k <= T else { throw PartitionError.outOfRange("cut:\(k) needs k <= T = \(T)") }
            return Array(stride(from: 1, through: k, by: 1))
        case .interleaved: return Array(stride(from: 1, through: T, by: 2))
        case .set(let s):
            guard let bad = s.first(where: { $0 < 1 || $0 > T }) else { return Array(Set(s)).sorted() }
            throw PartitionError.outOfRange("step \(bad) of set:\(s.map(String.init).joined(separator: ",")) is outside 1...\(T)")
        }
    }

    /// k when S = 1...k or E = 1...k (ranks are symmetric in S and E), else nil.
    public func cutPosition(length T: Int) throws -> (k: Int, swapped: Bool)? {
        let s = try startSet(length: T)
        if s == Array(stride(from: 1, through: s.count, by: 1)) { return (s.count, false) }
        let e = Set(1...max(T, 1)).subtracting(s).sorted()
        if T >= 1, e == Array(stride(from: 1, through: e.count, by: 1)) { return (e.count, true) }
        return nil
    }
}

public enum PartitionError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case outOfRange(String)
    public var description: String {
        switch self {
        case .unreadable(let t): return "unknown partition '\(t)': use start-end, cut:K, interleaved or set:1,4,5"
        case .outOfRange(let m): return m
        }
    }
}
