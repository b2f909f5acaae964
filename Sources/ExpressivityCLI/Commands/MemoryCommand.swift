import ArgumentParser
import Expressivity
import Foundation

struct MemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Exact delayed-copy memory of linear RNN stacks: depth vs a shallow layer of equal parameter count.",
        discussion: "Definitions, the construction and the bounds: Docs/memory.md.",
        subcommands: [Summary.self, Check.self, Construct.self], defaultSubcommand: Summary.self)

    struct Shape: ParsableArguments {
        @Option(name: .customLong("hidden"), parsing: .unconditional, help: "Width n of every layer. (default: 4)") var hiddenOption: Int?
        @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "Input dimension d (the copy has d outputs).") var inputDim: Int = 1

        var hidden: Int { hiddenOption ?? 4 }

        func validate() throws {
            if hidden < 1 || inputDim < 1 { throw ValidationError("--hidden and --input-dim must be at least 1") }
            if hidden > 256 { throw ValidationError("--hidden \(hidden): the exact check unrolls L * n + (tau + 1) * d steps; keep n <= 256") }
            if inputDim > 256 { throw ValidationError("--input-dim \(inputDim): a copy needs d <= n and the check keeps n <= 256; keep d <= 256") }
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "table",
            abstract: "Per depth L: the exact memory of the construction, its capacity bound, and the shallow layer's.",
            discussion: """
                Columns: L, the depth; params, the weights of the deep stack (L layers of width n); deep \
                capacity, the largest delay tau such that the stack copies x_{t-tau} exactly at every \
                length (floor(sum_l (n_l - d) / d), proven for every weight); shallow n and shallow params, \
                the widest single linear layer with no more weights; shallow capacity, its largest delay \
                (floor(N/d) - 1); gain, deep minus shallow capacity; exact, 'yes' when the construction for \
                every delay up to the deep capacity was checked to copy exactly (symbolically and through \
                the state space, for every length), 'NO' otherwise (the command then exits 1).
                """)
        @OptionGroup var shape: Shape
        @Option(name: .customLong("max-depth"), parsing: .unconditional, help: "Rows L = 1...max-depth.") var maxDepth: Int = 4
        @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
        @Option(name: .customLong("max-work"), parsing: .unconditional, help: "Refuse a row whose exact checks need more term operations than this.") var maxWorkOption: OperationCount = OperationCount(2e10)
        var maxWork: Double { maxWorkOption.value }
        @Option(name: .long, help: "Also draw the capacities against the parameter count (SVG) in this file.") var plot: String?
        @Option(name: .long, help: "The caption of a LaTeX table (--format latex; $...$ is math). (default: the title)") var caption: String?

        /// Tidy rows: names without spaces, numbers and booleans as such; depths past a
        /// refusal are rows with status 'refused' and empty values.
        static func tidy(_ rows: [MemoryComparison], refused: [Int] = [], hidden n: Int = 0, inputDim d: Int = 1) -> TidyTable {
            TidyTable(columns: ["depth", "status", "parameters", "deep_capacity", "shallow_width", "shallow_parameters",
                                "shallow_capacity", "gain", "exact"],
                      rows: rows.map { r in
                          [String(r.depth), "ok", String(r.parameters), r.deepCapacity.map(String.init) ?? "", String(r.shallowWidth),
                           String(r.shallowParameters), r.shallowCapacity.map(String.init) ?? "", String(r.gain),
                           String(r.failures.isEmpty)]
                      } + refused.map { L in
                          let c = MemoryComparison.closedForms(depth: L, hidden: n, inputDim: d)
                          return [String(L), "refused", String(c.parameters), c.deepCapacity.map(String.init) ?? "", String(c.shallowWidth),
                                  String(c.shallowParameters), c.shallowCapacity.map(String.init) ?? "", String(c.gain), ""]
                      })
        }

        func validate() throws {
            if maxDepth < 1 || maxDepth > 64 { throw ValidationError("--max-depth must be in 1...64") }
            if !(maxWork > 0) { throw ValidationError("--max-work must be positive") }
            if caption != nil && format != .latex { throw ValidationError("--caption is for --format latex") }
        }

        func run() throws {
            let (text, failed) = try render()
            print(text, terminator: "")
            if failed { throw ExitCode(1) }
        }

        /// What the command prints, and whether a construction failed its exact check.
        func render() throws -> (text: String, failed: Bool) {
            let (n, d) = (shape.hidden, shape.inputDim)
            let progress = Progress()
            var rows: [MemoryComparison] = []
            var out = ""
            // a refused depth ends the table (deeper rows cost more): the rows so far are printed,
            // the rest marked refused with the reason
            var refusal: (depth: Int, reason: String)?
            for L in 1...maxDepth {
                progress.report("memory: L = \(L)")
                do {
                    rows.append(try MemoryComparison(depth: L, hidden: n, inputDim: d, maxWork: maxWork))
                } catch let e as MemoryError {
                    refusal = (L, cliMessage(e))
                    break
                }
            }
            progress.done()
            if rows.isEmpty, let r = refusal { throw CommandError("L = \(r.depth), hidden \(n), d \(d): \(r.reason)") }
            let refusedDepths = refusal.map { Array($0.depth...maxDepth) } ?? []
            let refusalNote = refusal.map { ["L = \($0.depth)...\(maxDepth) refused at L = \($0.depth): \($0.reason)"] } ?? []
            try writePlot(Plot(title: "Exact delayed-copy capacity, width n = \(n), d = \(d)", xLabel: "parameters", yLabel: "largest exact delay",
                               series: [Plot.Series(label: "deep (L = 1...\(maxDepth), width \(n))",
                                                    points: rows.compactMap { r in r.deepCapacity.map { (Double(r.parameters), Double($0)) } }),
                                        Plot.Series(label: "shallow (one layer)",
                                                    points: rows.compactMap { r in r.shallowCapacity.map { (Double(r.shallowParameters), Double($0)) } })],
                               logY: false), to: plot)
            let cell = { (v: Int?) in v.map(String.init) ?? "none" }
            if format == .json {
                out = JSONValue.object([("kind", .string("delayed-copy-memory")), ("hidden", .number(String(n))), ("inputDim", .number(String(d))),
                    ("rows", .array(rows.map { r in .object([
                        ("depth", .number(String(r.depth))), ("parameters", .number(String(r.parameters))),
                        ("deepCapacity", jsonInt(r.deepCapacity)),
                        ("shallowWidth", .number(String(r.shallowWidth))), ("shallowParameters", .number(String(r.shallowParameters))),
                        ("shallowCapacity", jsonInt(r.shallowCapacity)), ("gain", .number(String(r.gain))), ("allExact", .bool(r.failures.isEmpty)),
                    ]) })),
                    ("refused", refusal.map { .object([("fromDepth", .number(String($0.depth))), ("reason", .string($0.reason))]) } ?? .null)]).text() + "\n"
            } else {
                let table = Table(
                    title: "Exact delayed-copy capacity, width n = \(n), d = \(d) (proven for every weight; every delay up to it copied exactly, checked for all lengths)",
                    header: ["L", "params", "deep capacity", "shallow n", "shallow params", "shallow capacity", "gain", "exact"],
                    rows: rows.map { r in
                        [String(r.depth), String(r.parameters), cell(r.deepCapacity), String(r.shallowWidth),
                         String(r.shallowParameters), cell(r.shallowCapacity), String(r.gain), r.failures.isEmpty ? "yes" : "NO"]
                    } + refusedDepths.map { L in
                        // the closed forms need no check: only the exact column is refused
                        let c = MemoryComparison.closedForms(depth: L, hidden: n, inputDim: d)
                        return [String(L), String(c.parameters), cell(c.deepCapacity), String(c.shallowWidth), String(c.shallowParameters),
                                cell(c.shallowCapacity), String(c.gain), "refused"]
                    },
                    notes: ["capacity of widths n_1..n_L: floor(sum_l (n_l - d) / d) (Docs/memory.md); shallow: the widest single linear layer with no more parameters, capacity floor(N/d) - 1."]
                        + rows.flatMap { r in r.failures.map { "L=\(r.depth): delay \($0.delay) is not exact: \($0.reason)" } }
                        + refusalNote)
                out = format == .csv ? Summary.tidy(rows, refused: refusedDepths, hidden: n, inputDim: d).csv() : table.render(format, caption: caption)
            }
            return (out, rows.contains { !$0.failures.isEmpty })
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide exactly whether a linear model copies its input with some delay, for every length.")
        @Argument(help: "The model file (a stack of linear layers, d outputs).") var file: String
        @Option(name: .long, parsing: .unconditional, help: "Check this delay instead of detecting one.") var delay: Int?
        @Option(name: .customLong("max-work"), parsing: .unconditional, help: "Refuse a check that needs more term operations than this.")
        var maxWorkOption = OperationCount(DelayedCopy.defaultMaxWork)
        var maxWork: Double { maxWorkOption.value }

        func validate() throws {
            if let t = delay, t < 0 { throw ValidationError("--delay must be >= 0") }
            if !(maxWork > 0) { throw ValidationError("--max-work must be positive") }
        }

        func run() throws {
            let m = try loadModel(file)
            do {
                if let tau = delay {
                    let c = try DelayedCopy.check(m, delay: tau, maxWork: maxWork)
                    print(c.exact ? "\(file): exact copy with delay \(tau), for every length (T = 1...\(c.certifiedLength) compared, symbolic and state-space)"
                                  : "\(file): not an exact copy with delay \(tau): \(c.failure ?? "the two checks disagree")")
                    if !c.exact { throw ExitCode(1) }
                } else {
                    let (tau, reason) = try DelayedCopy.detect(m, maxWork: maxWork)
                    print("\(file): \(reason)")
                    if tau == nil { throw ExitCode(1) }
                }
            } catch let e as MemoryError {
                throw CommandError("\(file): \(cliMessage(e))")
            }
        }
    }

    struct Construct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the shift-register construction copying with a given delay as a model file.",
            discussion: "Equal widths with --depth and --hidden, or one width per layer with --widths 5,4,3.")
        @OptionGroup var shape: Shape
        @Option(name: .customLong("depth"), parsing: .unconditional, help: "Number of layers L. (default: 2)") var depthOption: Int?
        @Option(name: .long, help: "Width of each layer, e.g. 5,4,3 (instead of --depth and --hidden).") var widths: String?

        var depth: Int { depthOption ?? 2 }
        @Option(name: .long, parsing: .unconditional, help: "The delay tau (default: the capacity, the largest possible).") var delay: Int?
        @Option(name: [.short, .long], help: "Write to this file ('-': standard output, the default).") var output: String?

        func validate() throws {
            if depth < 1 || depth > 64 { throw ValidationError("--depth must be in 1...64") }
            if let t = delay, t < 0 { throw ValidationError("--delay must be >= 0") }
            if widths != nil && (depthOption != nil || shape.hiddenOption != nil) {
                throw ValidationError("--widths gives every layer's width: drop --depth and --hidden")
            }
            _ = try layerWidths()
        }

        func layerWidths() throws -> [Int] {
            guard let text = widths else { return Array(repeating: shape.hidden, count: depth) }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let ws = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard ws.count == parts.count, !ws.isEmpty, ws.allSatisfy({ (1...256).contains($0) }), ws.count <= 64 else {
                throw ValidationError("--widths '\(text)': expected 1 to 64 comma-separated widths in 1...256, e.g. 5,4,3")
            }
            return ws
        }

        func run() throws {
            let ws = try layerWidths(), d = shape.inputDim
            guard let cap = DelayedCopy.capacity(widths: ws, inputDim: d) else {
                throw CommandError("a layer of width \(ws.min()!) < --input-dim \(d): no exact copy exists")
            }
            let tau = delay ?? cap
            if tau > cap {
                throw CommandError("--delay \(tau): the capacity of widths \(ws.map(String.init).joined(separator: ",")) with d = \(d) is \(cap) (floor(sum (n_l - d) / d), proven for every weight: Docs/memory.md)")
            }
            let json = try DelayedCopy.model(widths: ws, inputDim: d, delay: tau).json
            try writeOutput(json, to: output)
        }
    }
}
