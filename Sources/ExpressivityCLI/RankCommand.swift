import ArgumentParser
import Expressivity

extension SeparationRankMethod: ExpressibleByArgument {}

/// Options shared by `rank` and `table`.
struct RankOptions: ParsableArguments {
    @Option(name: .customLong("partition"), help: "start-end, cut:K, interleaved or set:1,4,5. (default: start-end)") var partitionOption: String?
    @Option(name: .long, help: "auto (the fastest that applies), unfolding, automaton, split, lifted or evaluation (Docs/separation-rank.md).") var method: SeparationRankMethod = .auto
    @Option(name: .customLong("max-entries"), help: "Refuse coefficient matrices with more entries than this.")
    var maxEntries: Int = Unfolding.defaultMaxEntries
    @Option(name: .customLong("max-lift"), help: "Refuse a lifted state (method lifted) with more coordinates than this at one step.")
    var maxLift: Int = 20_000

    var partition: String { partitionOption ?? "start-end" }

    func validate() throws {
        do { _ = try Partition(parsing: partition) } catch { throw ValidationError("--partition: \(error)") }
        if maxEntries < 1 { throw ValidationError("--max-entries must be at least 1") }
        if maxLift < 1 { throw ValidationError("--max-lift must be at least 1") }
    }
    var parsedPartition: Partition { try! Partition(parsing: partition) }
}

/// One (L, T) cell of a rank table: a result, or why the partition does not apply at this T
/// (e.g. cut:2 at T = 1), which marks the cell instead of aborting the table.
enum RankCell {
    case result(SeparationRankResult)
    case notApplicable(depth: Int, length: Int, reason: String)

    static func compute(model: NetworkModel, length T: Int, partition: Partition, options: SeparationRank.Options) throws -> RankCell {
        do {
            return .result(try SeparationRank.compute(model: model, length: T, partition: partition, options: options))
        } catch let e as PartitionError {
            return .notApplicable(depth: model.depth, length: T, reason: e.description)
        } catch let e as SeparationRankError {
            // a method that applies at some lengths only (e.g. evaluation: one side empty)
            guard case .methodNotApplicable(let why) = e else { throw e }
            return .notApplicable(depth: model.depth, length: T, reason: why)
        }
    }

    var result: SeparationRankResult? { if case .result(let r) = self { return r } else { return nil } }
    var text: String { result.map(rankCell) ?? "n/a" }
    var json: JSONValue {
        switch self {
        case .result(let r): return rankJSON(r)
        case let .notApplicable(L, T, reason):
            return .object([("depth", .number(String(L))), ("length", .number(String(T))), ("notApplicable", .string(reason))])
        }
    }
}

func rankCell(_ r: SeparationRankResult) -> String {
    let mark = !r.violatedBounds.isEmpty ? "!" : (!r.genericShortfalls.isEmpty ? "?" : "")
    return "\(r.rank)\(mark)"
}

func cellNotes(_ cells: [RankCell]) -> [String] {
    let missing = cells.compactMap { c -> String? in
        if case let .notApplicable(L, T, reason) = c { return "n/a at (L=\(L), T=\(T)): \(reason)" } else { return nil }
    }
    return boundNotes(cells.compactMap(\.result)) + missing
}

func boundNotes(_ results: [SeparationRankResult]) -> [String] {
    var notes: [String] = []
    // one line per bound: its source with the formulas it took (at most three shown)
    var formulas: [String: [String]] = [:], order: [String] = []
    for r in results {
        for b in r.bounds {
            let key = "\(b.kind == .upper ? "upper" : "lower") bound, \(b.source)"
            if formulas[key] == nil { order.append(key); formulas[key] = [] }
            if !formulas[key]!.contains(b.formula) { formulas[key]!.append(b.formula) }
        }
    }
    for key in order {
        let fs = formulas[key]!
        notes.append("\(key): " + fs.prefix(3).joined(separator: "; ") + (fs.count > 3 ? "; ... (each cell's value: --format json)" : ""))
    }
    let bad = results.filter { !$0.violatedBounds.isEmpty }
    for r in bad {
        for b in r.violatedBounds {
            notes.append("! BOUND VIOLATED at (L=\(r.depth), T=\(r.length), \(r.partition)): rank \(r.rank) vs \(b.kind.rawValue) bound \(b.value) [\(b.formula)] — a bug or a discovery; please report it")
        }
    }
    for r in results {
        for b in r.genericShortfalls {
            notes.append("? below a generic bound at (L=\(r.depth), T=\(r.length), \(r.partition)): rank \(r.rank) < \(b.value) [\(b.formula)]; these weights are not generic (try another --seed or a larger --range), or the theorem is misread")
        }
    }
    let methods = Set(results.map(\.method.rawValue)).sorted()
    notes.append("method: \(methods.joined(separator: ", ")); ranks are exact (certified)")
    return notes
}

func rankJSON(_ r: SeparationRankResult) -> JSONValue {
    .object([
        ("depth", .number(String(r.depth))), ("length", .number(String(r.length))),
        ("partition", .string(r.partition)), ("startSet", .array(r.startSet.map { .number(String($0)) })),
        ("rank", .number(String(r.rank))), ("method", .string(r.method.rawValue)),
        ("matrix", .array([.number(String(r.matrixShape.rows)), .number(String(r.matrixShape.columns))])),
        ("bounds", .array(r.bounds.map { b in .object([
            ("kind", .string(b.kind.rawValue)), ("value", .number(b.value.description)), ("formula", .string(b.formula)),
            ("source", .string(b.source)), ("genericOnly", .bool(b.genericOnly)), ("violated", .bool(b.violated(by: r.rank))),
            ("belowGeneric", .bool(b.shortOfGeneric(by: r.rank))), ("attained", .bool(b.attained(by: r.rank))),
        ]) })),
    ])
}

struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Separation rank of y_T by depth L and length T for a partition of the steps.",
        discussion: """
            The separation rank of y_T w.r.t. (S, E) is the rank over Q of its unfolding: rows are the \
            monomials in the inputs of steps in S, columns those in E, entries the coefficients. Every \
            rank printed is exact. '!' marks a cell that violates a bound holding for all weights (a bug \
            or a discovery); '?' one below a bound that holds for generic weights only.
            """)

    @OptionGroup var source: ModelSource
    @OptionGroup var grid: GridOptions
    @OptionGroup var rank: RankOptions

    func validate() throws {
        try grid.check(against: source)
        if grid.profile && rank.partitionOption != nil {
            throw ValidationError("--profile prints the rank at every cut S = 1..k; --partition is for one cell or a table")
        }
    }

    var options: SeparationRank.Options {
        SeparationRank.Options(method: rank.method, output: grid.output, maxTerms: grid.maxTerms, maxEntries: rank.maxEntries,
                               maxLift: rank.maxLift, maxBytes: grid.maxMemory.bytes)
    }

    /// The lengths of the table's columns: 1...max-length, or the one --length.
    var lengths: [Int] { grid.length.map { [$0] } ?? Array(1...grid.maxLength) }

    func run() throws {
        let progress = Progress()
        if grid.profile {
            let model = source.model != nil ? try loadModel(source.model!) : try source.spec(depth: grid.depth ?? 1).model()
            let T = grid.length!
            let results = try SeparationRank.profile(model: model, length: T, options: options)
            progress.done()
            if grid.format == .json {
                print(JSONValue.object([("kind", .string("rank-profile")), ("source", .string(source.label)),
                                        ("depth", .number(String(model.depth))), ("length", .number(String(T))),
                                        ("cuts", .array(results.map(rankJSON)))]).text())
                return
            }
            let table = Table(title: "Rank profile of y_T for \(source.label), L=\(model.depth), T=\(T): rank at each cut S = 1..k",
                              header: ["k"] + results.map { String($0.startSet.count) },
                              rows: [["rank"] + results.map(rankCell)], notes: boundNotes(results))
            print(table.render(grid.format), terminator: "")
            return
        }
        let models = source.model == nil && grid.depth != nil ? [try source.spec(depth: grid.depth!).model()]
                                                              : try source.models(maxDepth: grid.maxDepth)
        var rows: [(depth: Int, cells: [RankCell])] = []
        for m in models {
            var row: [RankCell] = []
            for T in lengths {
                progress.report("rank: depth \(m.depth), T \(T)")
                row.append(try RankCell.compute(model: m, length: T, partition: rank.parsedPartition, options: options))
            }
            rows.append((m.depth, row))
        }
        progress.done()
        if grid.format == .json {
            print(JSONValue.object([
                ("kind", .string("rank-table")), ("source", .string(source.label)), ("partition", .string(rank.partition)),
                ("output", .number(String(grid.output))),
                ("rows", .array(rows.map { row in .object([("depth", .number(String(row.depth))),
                                                            ("cells", .array(row.cells.map(\.json)))]) })),
            ]).text())
            return
        }
        let table = Table(title: "Separation rank of y_T (\(rank.partition)) for \(source.label)",
                          header: ["L"] + lengths.map { "T=\($0)" },
                          rows: rows.map { row in [String(row.depth)] + row.cells.map(\.text) },
                          notes: cellNotes(rows.flatMap(\.cells)))
        print(table.render(grid.format), terminator: "")
    }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Degree and separation rank side by side, by depth L and length T.")

    @OptionGroup var source: ModelSource
    @OptionGroup var rank: RankOptions
    @Option(name: .customLong("max-depth"), help: "Rows L = 1...max-depth (family only). (default: 3)") var maxDepthOption: Int?
    @Option(name: .customLong("max-length"), help: "Columns T = 1...max-length.") var maxLength: Int = 6
    @Option(name: .long, help: "Output index (0-based).") var output: Int = 0

    var maxDepth: Int { maxDepthOption ?? 3 }
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .customLong("max-terms"), help: "Refuse when the estimated size of a polynomial exceeds this.") var maxTerms: Int = 5_000_000
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(ByteCount.help)) var maxMemory: ByteCount = .defaultLimit

    func validate() throws {
        if maxDepth < 1 || maxLength < 1 { throw ValidationError("--max-depth and --max-length must be at least 1") }
        if maxLength > GridOptions.maxColumns {
            throw ValidationError("--max-length \(maxLength): a table keeps a per-step profile for every T; at most \(GridOptions.maxColumns) columns")
        }
        if output < 0 { throw ValidationError("--output must be at least 0") }
        if maxDepthOption != nil && source.model != nil { throw ValidationError("--max-depth applies to families; a model file fixes its depth") }
        try source.generated.checkSize(depth: maxDepth)
    }

    func run() throws {
        let progress = Progress()
        let options = SeparationRank.Options(method: rank.method, output: output, maxTerms: maxTerms, maxEntries: rank.maxEntries,
                                             maxLift: rank.maxLift, maxBytes: maxMemory.bytes)
        var degreeRows: [[DegreeReport]] = [], rankRows: [[RankCell]] = []
        for m in try source.models(maxDepth: maxDepth) {
            degreeRows.append(try DegreeAnalysis.reports(model: m, maxLength: maxLength, output: output, maxTerms: maxTerms,
                                                         maxBytes: maxMemory.bytes,
                                                         progress: { progress.report("table: depth \(m.depth), degree T \($0)") }))
            rankRows.append(try (1...maxLength).map { T in
                progress.report("table: depth \(m.depth), rank T \(T)")
                return try RankCell.compute(model: m, length: T, partition: rank.parsedPartition, options: options)
            })
        }
        progress.done()
        if format == .json {
            print(JSONValue.object([
                ("kind", .string("degree-rank-table")), ("source", .string(source.label)), ("partition", .string(rank.partition)),
                ("rows", .array(zip(degreeRows, rankRows).map { d, r in .object([
                    ("depth", .number(String(d.first?.depth ?? 0))),
                    ("cells", .array(zip(d, r).map { dc, rc in
                        var fields: [(String, JSONValue)] = [
                            ("length", .number(String(dc.length))), ("degree", jsonInt(dc.measured.total)),
                            ("degreeBound", jsonInt(dc.structural.total))]
                        switch rc {
                        case .result(let res): fields += [("rank", .number(String(res.rank))), ("rankMethod", .string(res.method.rawValue))]
                        case .notApplicable(_, _, let reason): fields += [("rank", .null), ("notApplicable", .string(reason))]
                        }
                        return .object(fields)
                    })),
                ]) })),
            ]).text())
            return
        }
        let table = Table(
            title: "Degree | separation rank (\(rank.partition)) of y_T for \(source.label)",
            header: ["L"] + (1...maxLength).map { "T=\($0)" },
            rows: zip(degreeRows, rankRows).map { d, r in
                [String(d.first?.depth ?? 0)] + zip(d, r).map { "\(degreeText($0.measured.total))\($0.hasCancellation ? "*" : "") | \($1.text)" }
            },
            notes: cellNotes(rankRows.flatMap { $0 }))
        print(table.render(format), terminator: "")
    }
}
