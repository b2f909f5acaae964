import ExactNumbers
import RecurrentNetworks

/// A task given by a deterministic finite automaton: symbol s moves state q to
/// transitions[s][q] (any map, not only a permutation), and f(w) = 1 when the word leads from
/// the start state into an accepting state, else 0. Inputs are one-hot: x_t = e_{w_t}.
/// The group word problems of `StateTrackingTask` are the special case of the Cayley automaton
/// (`init(cayley:)`); the bilinear-transitions paper's random state machines and modular
/// arithmetic are not groups (`AutomatonTaskName`).
public struct AutomatonTask: Sendable, Equatable {
    public var name: String
    public var summary: String
    /// transitions[s][q]: the state after q on symbol s.
    public var transitions: [[Int]]
    public var start: Int
    public var accepting: [Bool]

    public var alphabetSize: Int { transitions.count }
    public var stateCount: Int { accepting.count }

    public init(name: String, summary: String, transitions: [[Int]], start: Int, accepting: [Bool]) {
        precondition(!transitions.isEmpty && transitions.allSatisfy { $0.count == accepting.count && $0.allSatisfy { (0..<accepting.count).contains($0) } }
                     && (0..<accepting.count).contains(start), "automaton: transitions must map states to states")
        self.name = name; self.summary = summary; self.transitions = transitions; self.start = start; self.accepting = accepting
    }

    /// The word problem of a group task as an automaton on the group's elements (start and only
    /// accepting state: the identity).
    public init(cayley task: StateTrackingTask) {
        let times = task.multiplicationTable
        self.init(name: task.name, summary: task.summary, transitions: (0..<task.alphabetSize).map { s in times.map { $0[s] } },
                  start: 0, accepting: times.indices.map { $0 == 0 })
    }

    public func state(after word: [Int], from q: Int? = nil) -> Int { word.reduce(q ?? start) { transitions[$1][$0] } }

    /// The states reachable from the start, breadth-first, each with a shortest word reaching it.
    public func reachableStates() -> [(state: Int, word: [Int])] {
        var out: [(state: Int, word: [Int])] = [(start, [])], seen: Set<Int> = [start], i = 0
        while i < out.count {
            for s in 0..<alphabetSize where seen.insert(transitions[s][out[i].state]).inserted {
                out.append((transitions[s][out[i].state], out[i].word + [s]))
            }
            i += 1
        }
        return out
    }

    /// The task's exact value on a word.
    public func value(_ word: [Int]) -> Rational { accepting[state(after: word)] ? 1 : 0 }

    /// The one-hot linear 2RNN of the automaton: A_s e_q = e_{transitions[s][q]}, h_0 = e_start,
    /// readout the indicator of the accepting states. It computes f on every word.
    public func automatonModel() -> NetworkModel {
        let n = stateCount, d = alphabetSize
        var a = [[[Rational]]](repeating: [[Rational]](repeating: [Rational](repeating: 0, count: d), count: n), count: n)
        for s in 0..<d { for q in 0..<n { a[transitions[s][q]][q][s] = 1 } }
        let h0 = (0..<n).map { Rational($0 == start ? 1 : 0) }
        return NetworkModel(inputDim: d, layers: [RecurrentLayer(hidden: n, initialState: h0, bilinear: a)],
                            readout: [accepting.map { Rational($0 ? 1 : 0) }])
    }

    /// Index and period of symbol s's map: the least i >= 0, p >= 1 with s^(i+p) = s^i on every state.
    public func indexAndPeriod(symbol s: Int) -> (index: Int, period: Int) {
        var seen: [[Int]: Int] = [:]
        var map = Array(0..<stateCount), k = 0
        while seen[map] == nil {
            seen[map] = k
            map = map.map { transitions[s][$0] }
            k += 1
        }
        return (seen[map]!, k - seen[map]!)
    }

    /// The task with this name.
    public init(_ task: AutomatonTaskName) {
        switch task {
        case let .randomMachine(states, symbols, seed):
            // SplitMix64 from the seed, read in a fixed order so other tools can rebuild the
            // machine: transitions[s][q] = next() mod Q for s, then q; then one coin per state,
            // the top bit of next(), for the accepting set
            var g = SeededGenerator(seed: UInt64(seed))
            let transitions = (0..<symbols).map { _ in (0..<states).map { _ in Int(g.next() % UInt64(states)) } }
            let accepting = (0..<states).map { _ in g.next() >> 63 == 1 }
            self.init(name: task.description,
                      summary: "random automaton (\(states) states, \(symbols) symbols, seed \(seed)): 1 when the word ends in the seeded accepting set \(accepting.indices.filter { accepting[$0] })",
                      transitions: transitions, start: 0, accepting: accepting)
        case let .modularArithmetic(m):
            // symbols 0..<m add a, symbols m..<2m multiply by a, on the running value mod m from 0
            let transitions = (0..<m).map { a in (0..<m).map { ($0 + a) % m } } + (0..<m).map { a in (0..<m).map { ($0 * a) % m } }
            self.init(name: task.description,
                      summary: "running value mod \(m) from 0; symbol a < \(m) adds a, symbol \(m) + a multiplies by a; 1 when the value is 0",
                      transitions: transitions, start: 0, accepting: (0..<m).map { $0 == 0 })
        }
    }

    /// The task a user names ("fsm-6-2-1", "mod-arith-5"), nil when no automaton task has that name.
    public static func named(_ name: String) -> AutomatonTask? { (try? AutomatonTaskName(parsing: name)).map(AutomatonTask.init) }
}

/// The automaton tasks by name (typed, like `TaskName`).
public enum AutomatonTaskName: Hashable, Sendable, CustomStringConvertible {
    /// A seeded random automaton: `states` states, `symbols` symbols, uniform transitions.
    case randomMachine(states: Int, symbols: Int, seed: Int)
    /// Running value mod m under "add a" and "multiply by a" (2m symbols).
    case modularArithmetic(Int)

    public static let validNames = "fsm-Q-S-SEED (random automaton, Q in 1...32 states, S in 1...8 symbols, SEED >= 0), mod-arith-M (M in 2...16)"

    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 4, parts[0] == "fsm", let q = Int(parts[1]), let s = Int(parts[2]), let seed = Int(parts[3]),
           (1...32).contains(q), (1...8).contains(s), seed >= 0 {
            self = .randomMachine(states: q, symbols: s, seed: seed)
        } else if parts.count == 3, parts[0] == "mod", parts[1] == "arith", let m = Int(parts[2]), (2...16).contains(m) {
            self = .modularArithmetic(m)
        } else {
            throw TaskNameError.unknown(text)
        }
    }

    public var description: String {
        switch self {
        case let .randomMachine(q, s, seed): return "fsm-\(q)-\(s)-\(seed)"
        case .modularArithmetic(let m): return "mod-arith-\(m)"
        }
    }
}
