import Testing
import ArgumentParser
@testable import ExpressivityCLI
import Expressivity

/// The message a refused invocation prints (argument-parser's own formatting).
func refusal(_ args: [String]) -> String? {
    do { _ = try ExpressivityCommand.parseAsRoot(args); return nil } catch { return ExpressivityCommand.message(for: error) }
}

/// Commands parse and validate before any work starts (argument-parser's `validate()`).
@Suite("Command line")
struct ParsingTests {
    func rejects(_ args: [String]) -> Bool {
        do { _ = try ExpressivityCommand.parseAsRoot(args); return false } catch { return true }
    }

    @Test("valid invocations parse")
    func valid() throws {
        #expect(try ExpressivityCommand.parseAsRoot(["degree", "--family", "2rnn", "--max-depth", "2"]) is DegreeCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["rank", "--family", "rac", "--partition", "set:1,3", "--method", "split"]) is RankCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["model", "random", "--family", "cp-2rnn", "--cp-rank", "3"]) is ModelCommand.Random)
        #expect(try ExpressivityCommand.parseAsRoot(["task", "S3", "--length", "5"]) is TaskCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["task", "fsm-6-2-1", "--format", "json"]) is TaskCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["task", "mod-arith-5"]) is TaskCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["verify", "--claim", "2"]) is VerifyCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["memory", "--hidden", "3"]) is MemoryCommand.Summary)
        #expect(try ExpressivityCommand.parseAsRoot(["rank", "--family", "rac", "--depth", "2", "--length", "40", "--max-lift", "500"]) is RankCommand)
        #expect(try ExpressivityCommand.parseAsRoot(["memory", "check", "m.json", "--delay", "2"]) is MemoryCommand.Check)
        #expect(try ExpressivityCommand.parseAsRoot(["memory", "construct", "--depth", "3", "--delay", "4"]) is MemoryCommand.Construct)
        #expect(try ExpressivityCommand.parseAsRoot(["memory", "construct", "--widths", "5,4,3", "--input-dim", "2"]) is MemoryCommand.Construct)
    }


    @Test("issue 11 item 7: an option that would be ignored is refused, and the message names it")
    func ignoredOptionsRefused() {
        let fixed = "a model file fixes its sizes and weights"
        #expect(refusal(["rank", "--model", "m.json", "--hidden", "3"]) == "--hidden applies to --family; \(fixed)")
        #expect(refusal(["degree", "--model", "m.json", "--seed", "4", "--range", "1000"]) == "--seed, --range apply to --family; \(fixed)")
        #expect(refusal(["table", "--model", "m.json", "--input-dim", "2"]) == "--input-dim applies to --family; \(fixed)")
        #expect(refusal(["degree", "--model", "m.json", "--activation", "0,1,1", "--cp-rank", "2"]) == "--cp-rank, --activation apply to --family; \(fixed)")
        #expect(refusal(["rank", "--model", "m.json", "--max-depth", "4"]) == "--max-depth applies to families; a model file fixes its depth")
        #expect(refusal(["table", "--model", "m.json", "--max-depth", "4"]) == "--max-depth applies to families; a model file fixes its depth")
        let profileOnly = "--profile prints the one cell --depth L, --length T; --max-length and --max-depth are for tables"
        #expect(refusal(["rank", "--family", "rac", "--profile", "--length", "6", "--max-length", "8"]) == profileOnly)
        #expect(refusal(["degree", "--family", "rac", "--profile", "--length", "6", "--max-depth", "2"]) == profileOnly)
        #expect(refusal(["rank", "--family", "rac", "--profile", "--length", "6", "--partition", "cut:2"])
                == "--profile prints the rank at every cut S = 1..k; --partition is for one cell or a table")
        #expect(refusal(["rank", "--family", "rac", "--length", "6", "--max-length", "8"])
                == "give --length T (one column) or --max-length (columns 1...max), not both")
        #expect(refusal(["rank", "--family", "rac", "--depth", "2", "--max-depth", "3"])
                == "give --depth L (one row) or --max-depth (rows 1...max), not both")
        // issue 11 item 4: columns capped before any work (--max-length 20000 took 2.5 GB and minutes)
        #expect(refusal(["degree", "--family", "2rnn", "--max-depth", "1", "--max-length", "20000"])
                == "--max-length 20000: a table keeps a per-step profile for every T; at most 2000 columns (one column: --length T)")
        #expect(refusal(["degree", "--family", "2rnn", "--profile", "--length", "20000"])
                == "--length 20000: the degree profile unrolls every step up to T (memory quadratic in T); at most 2000")
        #expect(refusal(["table", "--family", "2rnn", "--max-length", "1000000"])
                == "--max-length 1000000: a table keeps a per-step profile for every T; at most 2000 columns (one column: --length T)")
        #expect(refusal(["rank", "--family", "rac", "--depth", "2", "--length", "5000"]) == nil)
        // the same options where they do apply still parse
        #expect(refusal(["rank", "--family", "rac", "--hidden", "3", "--seed", "4", "--range", "1000", "--max-depth", "2"]) == nil)
        #expect(refusal(["rank", "--model", "m.json", "--profile", "--length", "6"]) == nil)
        #expect(refusal(["rank", "--model", "m.json", "--length", "6", "--partition", "cut:2"]) == nil)
        #expect(refusal(["degree", "--model", "m.json", "--max-length", "9"]) == nil)
    }

    @Test("issue 11: --max-memory takes bytes or a binary suffix; zero, garbage and overflow are refused; every expanding command has it")
    func maxMemory() throws {
        #expect(ByteCount(argument: "8G")?.bytes == 8 << 30)
        #expect(ByteCount(argument: "512m")?.bytes == 512 << 20)
        #expect(ByteCount(argument: "2GiB")?.bytes == 2 << 30)
        #expect(ByteCount(argument: "1T")?.bytes == 1 << 40)
        #expect(ByteCount(argument: "1000")?.bytes == 1000)
        #expect(ByteCount(argument: "100KB")?.bytes == 100 << 10)
        for bad in ["0", "-1G", "G", "8X", "1.5G", "9999999999T", ""] { #expect(ByteCount(argument: bad) == nil, "\(bad)") }
        #expect(ByteCount.defaultLimit.defaultValueDescription == "8G")
        for command in [["unroll", "--model", "m.json", "--length", "3"], ["degree", "--family", "2rnn"],
                        ["rank", "--family", "rac"], ["table", "--family", "rac"]] {
            #expect(refusal(command + ["--max-memory", "64G"]) == nil, "\(command[0])")
            #expect(refusal(command + ["--max-memory", "lots"]) != nil, "\(command[0])")
            #expect(refusal(command + ["--max-work", "1e12"]) == nil, "\(command[0])")
            #expect(refusal(command + ["--max-work", "0"]) != nil, "\(command[0])")
        }
    }

    @Test("a table in JSON is data (title, header, rows, notes), never a crash")
    func tableJSON() throws {
        let t = Table(title: "t", header: ["L", "T=1"], rows: [["1", "2!"]], notes: ["a \"note\""])
        let v = try JSONReader.parse(t.render(.json))
        #expect(v == .object([("title", .string("t")), ("header", .array([.string("L"), .string("T=1")])),
                              ("rows", .array([.array([.string("1"), .string("2!")])])), ("notes", .array([.string("a \"note\"")]))]))
    }

    @Test("invalid invocations are refused with a message, before running")
    func invalid() {
        #expect(rejects(["degree"]))                                          // no model and no family
        #expect(rejects(["degree", "--family", "2rnn", "--model", "m.json"])) // both
        #expect(rejects(["degree", "--family", "lstm"]))                      // unknown family (argument-parser lists the families)
        #expect(rejects(["degree", "--family", "2rnn", "--max-length", "0"]))
        #expect(rejects(["degree", "--family", "2rnn", "--profile"]))         // needs --length
        #expect(rejects(["degree", "--family", "2rnn", "--activation", "1,x"]))
        #expect(rejects(["rank", "--family", "2rnn", "--partition", "halves"]))
        #expect(rejects(["rank", "--family", "2rnn", "--method", "magic"]))
        #expect(rejects(["model", "random", "--family", "2rnn", "--hidden", "0"]))
        #expect(rejects(["task", "Q8"]))
        #expect(rejects(["verify", "--claim", "9"]))
        #expect(rejects(["unroll", "--model", "m.json", "--length", "-1"]))
        #expect(rejects(["memory", "--hidden", "0"]))
        #expect(rejects(["memory", "--max-depth", "0"]))
        #expect(rejects(["memory", "--max-work", "0"]))
        #expect(rejects(["memory", "check", "m.json", "--delay", "-1"]))
        #expect(rejects(["memory", "construct", "--depth", "0"]))
        #expect(rejects(["memory", "construct", "--widths", "5,4", "--depth", "3"]))   // --depth would be ignored
        #expect(rejects(["memory", "construct", "--widths", "5,4", "--hidden", "3"]))
        #expect(rejects(["memory", "construct", "--widths", "5,x"]))
        #expect(!rejects(["degree", "--family", "2rnn", "--length", "4"]))         // issue 13: one column
        #expect(rejects(["rank", "--family", "rac", "--max-lift", "0"]))
        #expect(rejects(["memory", "--input-dim", "20000000000000000"]))          // issue 11: overflowed the parameter count
        // issue 11: sizes refused before anything is allocated (these used to abort or run out of memory)
        #expect(rejects(["model", "random", "--family", "2rnn", "--outputs", "1000000000000"]))
        #expect(rejects(["model", "random", "--family", "cp-2rnn", "--cp-rank", "1000000000000"]))
        #expect(rejects(["model", "random", "--family", "2rnn", "--hidden", "1000000"]))
        #expect(rejects(["model", "random", "--family", "linear-rnn", "--depth", "1000000000"]))
        #expect(rejects(["degree", "--family", "2rnn", "--hidden", "1000000"]))
        #expect(rejects(["rank", "--family", "rac", "--depth", "1000000000"]))
        #expect(rejects(["table", "--family", "2rnn", "--hidden", "1000000"]))
        #expect(rejects(["model", "random", "--family", "2rnn", "--cp-rank", "2"]))      // would be ignored
        #expect(!rejects(["model", "random", "--family", "2rnn", "--hidden", "64", "--input-dim", "8", "--depth", "3"]))
    }
}

@Suite("Command line: rank tables")
struct RankTableTests {
    @Test("item 13: a partition that does not apply at some T marks the cell instead of aborting the table")
    func notApplicableCells() throws {
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 2, inputDim: 2).model()
        let early = try RankCell.compute(model: m, length: 1, partition: .cut(2), options: .init())
        guard case let .notApplicable(L, T, reason) = early else { Issue.record("cut:2 at T = 1 should not apply"); return }
        #expect(L == 1 && T == 1 && reason.contains("cut:2"))
        #expect(early.text == "n/a")
        let later = try RankCell.compute(model: m, length: 4, partition: .cut(2), options: .init())
        #expect(later.result?.rank == 2)
        let set = try RankCell.compute(model: m, length: 2, partition: .set([3]), options: .init())
        #expect(set.result == nil)
        #expect(rankNotes([early, later, set], legend: BoundLegend(), generated: true).filter { $0.hasPrefix("rank n/a at") }.count == 2)
    }

    @Test("the output activation placement parses and needs a rho where the family has none")
    func placement() throws {
        #expect(try ExpressivityCommand.parseAsRoot(["degree", "--family", "linear-rnn-layerwise", "--output-activation-placement", "between-layers"]) is DegreeCommand)
        #expect(throws: (any Error).self) { try ExpressivityCommand.parseAsRoot(["degree", "--family", "2rnn", "--output-activation-placement", "every-layer"]) }
        #expect(throws: (any Error).self) { try ExpressivityCommand.parseAsRoot(["degree", "--family", "linear-rnn-layerwise", "--output-activation-placement", "last"]) }
    }
}

/// Exact messages, as users read them (argument-parser's habit: the text is the interface).
@Suite("Command line: exact messages")
struct MessageTests {
    @Test("misuses are refused with these exact messages")
    func misuses() {
        #expect(refusal(["rank", "--family", "2rnn", "--partition", "halves"])
                == "--partition: unknown partition 'halves': use start-end, cut:K, interleaved or set:1,4,5")
        #expect(refusal(["rank", "--family", "2rnn", "--partition", "set:0,2"])
                == "--partition: step 0 of 'set:0,2' is not a step: steps start at 1")
        #expect(refusal(["verify", "--claim", "9"]) == "--claim must be one of [1, 2, 3, 4, 5, 6, 7]")
        #expect(refusal(["degree", "--family", "lstm"])
                == "The value 'lstm' is invalid for '--family <family>'. Please provide one of the following:\n  - linear-rnn\n  - 2rnn\n  - affine-2rnn\n  - rac\n  - diagonal-2rnn\n  - cp-2rnn\n  - linear-rnn-layerwise")
        #expect(refusal(["rank", "--family", "2rnn", "--cp-rank", "3"]) == "--cp-rank applies to cp-2rnn only, not 2rnn")
        #expect(refusal(["task", "Q8"]) == "unknown task 'Q8'; the tasks are parity, count-mod-M (M in 2...64), ZM (cyclic, M in 2...64), DM (dihedral, M in 3...32), S3, A5, S5, and the automaton tasks fsm-Q-S-SEED (random automaton, Q in 1...32 states, S in 1...8 symbols, SEED >= 0), mod-arith-M (M in 2...16)")
        #expect(refusal(["task", "mod-arith-17"])?.hasPrefix("unknown task 'mod-arith-17'; the tasks are parity") == true)
        #expect(refusal(["task", "fsm-6-2-1", "--length", "4"])
                == "--length is for group tasks (their per-length table); an automaton task's table covers every length")
        #expect(refusal(["task", "Z3", "--model", "m.json", "--format", "csv"])
                == "--model prints one verdict line: --length, --format and --caption do not apply to it")
        #expect(refusal(["task", "Z3", "--model", "m.json", "--length", "8"])
                == "--model prints one verdict line: --length, --format and --caption do not apply to it")
        #expect(refusal(["rank", "--family", "2rnn", "--method", "magic"])
                == "The value 'magic' is invalid for '--method <method>'. Please provide one of the following:\n  - auto\n  - unfolding\n  - automaton\n  - split\n  - lifted\n  - evaluation")
    }

    @Test("library errors carry values; the CLI words them with its flags, the library with its option names")
    func libraryErrorsInCLIWords() {
        let terms = UnrollError.tooManyTerms(estimate: SizeEstimate(6_531_840), limit: 5_000_000, length: 9)
        #expect(cliMessage(terms) == "unrolling to T = 9 may produce up to 6531840 terms in one polynomial, above the limit of 5000000; raise it with --max-terms if the machine has the memory")
        #expect(terms.description == "unrolling to T = 9 may produce up to 6531840 terms in one polynomial, above the limit of 5000000; raise it with maxTerms")
        let early = UnrollError.tooMuchWork(estimate: SizeEstimate(3e11, stoppedAtStep: 4), limit: 1e10, length: 9)
        #expect(cliMessage(early) == "unrolling to T = 9 may take more than 300000000000 (already by step 4) coefficient operations, above the limit of 10000000000; raise it with --max-work if you can wait (3·10^6 to 2·10^8 per second on one core here: Docs/resources.md)")
        let method = SeparationRankError.methodNotApplicable(.lifted, reason: "needs a cut partition (S or E = 1...k); interleaved is not")
        #expect(cliMessage(method) == "--method lifted needs a cut partition (S or E = 1...k); interleaved is not")
        #expect(method.description == "the method lifted needs a cut partition (S or E = 1...k); interleaved is not")
        let lift = LiftedError.liftTooLarge(length: 30, step: 12, size: 40_000, limit: 20_000)
        #expect(cliMessage(lift) == "the lifted state at step 12 of T = 30 has 40000 coordinates, above the limit of 20000; raise it with --max-lift if the machine has the memory")
        let shapes = MemoryError.tooLarge(estimate: 5e10, limit: 2e10, what: "term operations for claim 3's shapes", remedy: .fewerShapes, atLeast: true)
        let dense = MemoryError.tooLarge(estimate: 2e7, limit: 1e7, what: "dense state-space entries (N = 4544 states)", remedy: .smallerModel)
        #expect(cliMessage(dense) == "delayed copy: the exact checks need about 20000000 dense state-space entries (N = 4544 states), over the limit 10000000; use a smaller model")
        #expect(cliMessage(shapes) == "delayed copy: the exact checks need more than 50000000000 term operations for claim 3's shapes, over the limit 20000000000; use a smaller --max-depth")
        // auto: the lifted method refused, then the expansion it falls back to: both, each with its flag
        let both = AutoRefused(lifted: .transitionsTooLarge(length: 8, entries: 20_112_097, limit: 20_000_000), fallback: early)
        #expect(cliMessage(both) == "the lifted method: the lifted system for T = 8 (transitions and cached powers of the step map) holds more than 20000000 entries (20112097 so far); raise it with --max-entries if the machine has the memory (--max-memory also caps entries: 32 bytes each in a matrix, 192 in a lifted system); the expansion --method auto falls back to: unrolling to T = 9 may take more than 300000000000 (already by step 4) coefficient operations, above the limit of 10000000000; raise it with --max-work if you can wait (3·10^6 to 2·10^8 per second on one core here: Docs/resources.md)")
        #expect(ExpressivityCommand.exitCode(for: cliError(both)).rawValue == 1)
        // what leaves a command: refusals become the CLI's message (exit 1); usage errors stay 64
        #expect((cliError(terms) as? CommandError)?.description == cliMessage(terms))
        #expect(ExpressivityCommand.exitCode(for: cliError(terms)).rawValue == 1)
        #expect(ExpressivityCommand.exitCode(for: cliError(ValidationError("x"))).rawValue == 64)
    }
}
