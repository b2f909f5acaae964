import ArgumentParser
import Expressivity

extension ResourceLimit {
    /// The flag that sets the limit, and when raising it makes sense.
    var advice: String {
        switch self {
        case .maxTerms: return "raise it with --max-terms if the machine has the memory"
        case .maxBytes: return "raise it with --max-memory if the machine has the memory"
        case .maxWork: return "raise it with --max-work if you can wait (3·10^6 to 2·10^8 per second on one core here: Docs/resources.md)"
        case .maxEntries: return "raise it with --max-entries if the machine has the memory (--max-memory also caps entries: 32 bytes each in a matrix, 192 in a lifted system)"
        case .maxLift: return "raise it with --max-lift if the machine has the memory"
        }
    }
}

/// A library error in the CLI's words: limits named by their flags, methods by --method.
/// The library's errors carry values and name options by their library names; only here do
/// they become flag advice.
func cliMessage(_ error: Error) -> String {
    switch error {
    case let e as AutoRefused:
        return "the lifted method: \(cliMessage(e.lifted)); the expansion --method auto falls back to: \(cliMessage(e.fallback))"
    case let e as SeparationRankError:
        switch e {
        case let .methodNotApplicable(m, why): return "--method \(m.rawValue) \(why)"
        case .automatonTooLarge: return e.refusal + "; the lifted method (--method lifted) works on the monomials that occur"
        case .matrixTooLarge: break
        }
    case let e as UnrollError:
        if case .layerOutOfRange = e { return "--layer: " + e.refusal }
    case let e as MemoryError:
        switch e {
        case .tooLarge(_, _, _, .fewerShapes, _): return e.refusal + "; use a smaller --max-depth"
        case .tooLarge(_, _, _, .raiseWorkLimit, _): return e.refusal + "; raise it with --max-work"
        case .tooLarge(_, _, _, .smallerModel, _): return e.refusal + "; use a smaller model"
        default: break
        }
    default: break
    }
    if let r = error as? any LimitRefusal { return r.limit.map { "\(r.refusal); \($0.advice)" } ?? r.refusal }
    return "\(error)"
}

/// What leaves a command: a library error that speaks of its limits becomes a `CommandError`
/// with the CLI's message (exit code 1); every other error passes unchanged.
func cliError(_ error: Error) -> Error {
    error is any LimitRefusal ? CommandError(cliMessage(error)) : error
}
