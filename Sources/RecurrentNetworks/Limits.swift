/// The size limits the library checks before it computes, named by the option that sets each
/// (`SeparationRank.Options`, `checkExpansion`'s parameters). Front ends map them to their
/// own spelling (the CLI: --max-terms, --max-memory, ...).
public enum ResourceLimit: String, Sendable, CaseIterable {
    case maxTerms, maxBytes, maxWork, maxEntries, maxLift
}

/// A size estimated before the work: `value`, or more than `value` when the estimating pass
/// stopped early at step `stoppedAtStep`, already past the limit there.
public struct SizeEstimate: Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var stoppedAtStep: Int?
    public init(_ value: Double, stoppedAtStep: Int? = nil) { self.value = value; self.stoppedAtStep = stoppedAtStep }
    /// The true size is larger than `value`.
    public var isLowerBound: Bool { stoppedAtStep != nil }
    public var description: String {
        stoppedAtStep.map { "more than \(UnrollError.formatEstimate(value)) (already by step \($0))" }
            ?? "up to \(UnrollError.formatEstimate(value))"
    }
}

/// An error that refuses work before doing it. `refusal` states what was refused with its
/// numbers; `limit` names the option that would admit it (nil when none does).
public protocol LimitRefusal: Error, CustomStringConvertible {
    var refusal: String { get }
    var limit: ResourceLimit? { get }
}

extension LimitRefusal {
    /// The library's wording: the refusal and the option to raise.
    public var libraryDescription: String { limit.map { "\(refusal); raise it with \($0.rawValue)" } ?? refusal }
}
