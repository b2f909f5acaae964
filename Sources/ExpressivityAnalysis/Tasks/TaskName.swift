/// The state-tracking tasks the tool knows, by group: a typed name, so a catalogue entry
/// cannot be misspelt into silence.
public enum TaskName: Hashable, Sendable, CustomStringConvertible {
    /// Z_2 with symbols "nothing" and "flip".
    case parity
    /// Counting symbol 1s modulo m (2...64).
    case countMod(Int)
    /// Z_m with symbols +1 and -1 (2...64).
    case cyclic(Int)
    /// D_m, the symmetries of the m-gon (3...32).
    case dihedral(Int)
    case s3, a5, s5

    /// Every name `init(parsing:)` accepts, as users write them.
    public static let validNames = "parity, count-mod-M (M in 2...64), ZM (cyclic, M in 2...64), DM (dihedral, M in 3...32), S3, A5, S5"

    /// Reads "parity", "count-mod-M", "ZM", "DM", "S3", "A5", "S5".
    public init(parsing text: String) throws {
        func suffix(_ prefix: String) -> Int? { text.hasPrefix(prefix) ? Int(text.dropFirst(prefix.count)) : nil }
        switch text {
        case "parity": self = .parity
        case "S3": self = .s3
        case "A5": self = .a5
        case "S5": self = .s5
        default:
            if let m = suffix("count-mod-"), (2...64).contains(m) { self = .countMod(m) }
            else if let m = suffix("Z"), (2...64).contains(m) { self = .cyclic(m) }
            else if let m = suffix("D"), (3...32).contains(m) { self = .dihedral(m) }
            else { throw TaskNameError.unknown(text) }
        }
    }

    public var description: String {
        switch self {
        case .parity: return "parity"
        case .countMod(let m): return "count-mod-\(m)"
        case .cyclic(let m): return "Z\(m)"
        case .dihedral(let m): return "D\(m)"
        case .s3: return "S3"
        case .a5: return "A5"
        case .s5: return "S5"
        }
    }
}

public enum TaskNameError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    public var description: String {
        switch self {
        case .unknown(let t): return "unknown task '\(t)'; the tasks are \(TaskName.validNames)"
        }
    }
}
