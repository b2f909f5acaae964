import ArgumentParser
import Expressivity

extension SeparationRankMethod: ExpressibleByArgument {}

/// Options shared by `rank` and `table`.
struct RankOptions: ParsableArguments {
    @Option(name: .customLong("partition"), help: "start-end, cut:K, interleaved or set:1,4,5. (default: start-end)") var partitionOption: String?
    @Option(name: .long, help: "auto (the fastest that applies), unfolding, automaton, split, lifted or evaluation (Docs/separation-rank.md).") var method: SeparationRankMethod = .auto
    @Option(name: .customLong("max-entries"), parsing: .unconditional, help: "Refuse coefficient matrices with more entries than this.")
    var maxEntriesOption = Count(Unfolding.defaultMaxEntries)
    var maxEntries: Int { maxEntriesOption.value }
    @Option(name: .customLong("max-lift"), parsing: .unconditional, help: "Refuse a lifted state (method lifted) with more coordinates than this at one step.")
    var maxLiftOption = Count(20_000)
    var maxLift: Int { maxLiftOption.value }

    var partition: String { partitionOption ?? "start-end" }

    func validate() throws {
        do { _ = try Partition(parsing: partition) } catch { throw ValidationError("--partition: \(error)") }
    }
    /// The partition, parsed (validate() has checked that it parses).
    func parsedPartition() throws -> Partition {
        do { return try Partition(parsing: partition) } catch { throw ValidationError("--partition: \(error)") }
    }
}

struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Separation rank of y_T by depth L and length T for a partition of the steps.",
        discussion: """
            The separation rank of y_T w.r.t. (S, E) is the rank over Q of its unfolding: rows are the \
            monomials in the inputs of steps in S, columns those in E, entries the coefficients. Every \
            rank printed is exact. Each depth L has three lines: 'rank'; 'upper', the tightest upper \
            bound known for the cell, and 'lower', the largest lower bound, each with a letter naming its \
            source in the notes. '!' marks a rank that violates a bound holding for all weights (a bug or \
            a discovery); '?' one below a bound that holds for generic weights only. A cell a size limit \
            refuses is marked 'refused' and one where the partition does not apply 'n/a', with the reason \
            in the notes; the other cells are still computed (with --profile, a refused cut likewise; \
            the command fails only when every cut is). CSV has one row per cell with named columns.
            """)

    @OptionGroup var source: ModelSource
    @OptionGroup var grid: GridOptions
    @OptionGroup var rank: RankOptions

    func validate() throws {
        try grid.check(against: source)
        if grid.profile && rank.partitionOption != nil {
            throw ValidationError("--profile prints the rank at every cut S = 1..k; --partition is for one cell or a table")
        }
        if grid.profile, let t = grid.length, t < 2 { throw ValidationError("--profile needs --length 2 or more: the cuts are k = 1...T-1") }
    }

    var options: SeparationRank.Options {
        SeparationRank.Options(method: rank.method, output: grid.output, maxTerms: grid.maxTerms, maxEntries: rank.maxEntries,
                               maxLift: rank.maxLift, maxBytes: grid.maxMemory.bytes, maxWork: grid.maxWork.value)
    }

    func run() throws { print(try render(), terminator: "") }

    /// What the command prints.
    func render() throws -> String {
        let progress = Progress()
        if grid.profile {
            let model = source.model != nil ? try loadModel(source.model!, output: grid.output) : try source.spec(depth: grid.depth ?? 1).model()
            let T = grid.length!
            // lifted (and auto): a cut past a limit is marked refused and the others printed;
            // when every cut is refused, the command fails with the first refusal
            let cuts: [(cut: Int, cell: RankCell)]
            if options.method == .auto || options.method == .lifted {
                let outcomes = try SeparationRank.profileOutcomes(model: model, length: T, options: options)
                if let first = outcomes.first, outcomes.allSatisfy({ (try? $0.result.get()) == nil }) { _ = try first.result.get() }
                cuts = try outcomes.map { o in
                    switch o.result {
                    case .success(let r): return (o.cut, .result(r))
                    case .failure(let e):
                        guard let why = refusalReason(e) else { throw e }
                        return (o.cut, .refused(depth: model.depth, length: T, reason: why))
                    }
                }
            } else {
                cuts = try SeparationRank.profile(model: model, length: T, options: options).map { ($0.startSet.count, .result($0)) }
            }
            progress.done()
            try writePlot(rankProfilePlot(title: "Rank profile, L=\(model.depth), T=\(T): \(source.label)", cuts: cuts), to: grid.plot)
            let report = rankProfileReport(title: "Rank profile of y_T for \(source.label), L=\(model.depth), T=\(T): the rank at each cut S = 1..k",
                                           source: source.label, generated: source.model == nil, depth: model.depth, length: T, output: grid.output, cuts: cuts)
            return report.render(grid.format, caption: grid.caption)
        }
        let models = source.model == nil && grid.depth != nil ? [try source.spec(depth: grid.depth!).model()]
                                                              : try source.models(maxDepth: grid.maxDepth, output: grid.output)
        var rows: [(depth: Int, cells: [RankCell])] = []
        for m in models {
            var row: [RankCell] = []
            for T in grid.lengths {
                progress.report("rank: depth \(m.depth), T \(T)")
                row.append(try RankCell.compute(model: m, length: T, partition: try rank.parsedPartition(), options: options))
            }
            rows.append((m.depth, row))
        }
        progress.done()
        try writePlot(rankPlot(title: "Separation rank (\(rank.partition)): \(source.label)", rows: rows), to: grid.plot)
        let report = rankTableReport(title: "Separation rank of y_T (\(rank.partition)) for \(source.label)", source: source.label, generated: source.model == nil,
                                     partition: rank.partition, output: grid.output, lengths: grid.lengths, rows: rows)
        return report.render(grid.format, caption: grid.caption)
    }
}

struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Degree and separation rank side by side, by depth L and length T.",
        discussion: """
            Rows per depth L: degree (the measured total degree of y_T; '*' where the structural \
            bound is not reached, '!' above it), rank (the separation rank for --partition), and \
            the tightest upper and largest lower bound known for that rank, each with a letter \
            naming its source in the notes. A cell past a size limit is 'refused', one where the \
            partition does not apply 'n/a', with the reason under the table.
            """)

    @OptionGroup var source: ModelSource
    @OptionGroup var grid: GridOptions
    @OptionGroup var rank: RankOptions

    func validate() throws {
        try grid.check(against: source)
        if grid.profile { throw ValidationError("table prints a grid; for one cell in detail use degree --profile or rank --profile") }
        if grid.plot != nil { throw ValidationError("--plot draws a degree or a rank table: use it with degree or rank") }
    }

    func run() throws { print(try render(), terminator: "") }

    /// What the command prints.
    func render() throws -> String {
        let progress = Progress()
        let options = SeparationRank.Options(method: rank.method, output: grid.output, maxTerms: grid.maxTerms, maxEntries: rank.maxEntries,
                                             maxLift: rank.maxLift, maxBytes: grid.maxMemory.bytes, maxWork: grid.maxWork.value)
        let models = source.model == nil && grid.depth != nil ? [try source.spec(depth: grid.depth!).model()]
                                                              : try source.models(maxDepth: grid.maxDepth, output: grid.output)
        var degreeRows: [[DegreeCell]] = [], rankRows: [[RankCell]] = []
        for m in models {
            degreeRows.append(try degreeRow(model: m, lengths: grid.lengths, output: grid.output, layer: nil, maxTerms: grid.maxTerms,
                                            maxBytes: grid.maxMemory.bytes, maxWork: grid.maxWork.value,
                                            progress: { progress.report("table: depth \(m.depth), degree T \($0)") }))
            rankRows.append(try grid.lengths.map { T in
                progress.report("table: depth \(m.depth), rank T \(T)")
                return try RankCell.compute(model: m, length: T, partition: try rank.parsedPartition(), options: options)
            })
        }
        progress.done()
        var legend = BoundLegend()
        var display: [[String]] = []
        for (d, r) in zip(degreeRows, rankRows) {
            display.append([String(d.first?.depth ?? 0), "degree"] + d.map { c in
                c.report.map { degreeText($0.measured.total) + ($0.violatesBound ? "!" : ($0.hasCancellation ? "*" : "")) } ?? "refused"
            })
            display.append(["", "rank"] + r.map(\.text))
            display.append(["", "rank upper"] + r.map { legend.cell($0.result, .upper) })
            display.append(["", "rank lower"] + r.map { legend.cell($0.result, .lower) })
        }
        var notes = degreeNotes(degreeRows.flatMap { $0 }).filter { !$0.hasPrefix("formula") }
        notes += rankNotes(rankRows.flatMap { $0 }, legend: legend, generated: source.model == nil)
        let table = Table(title: "Degree and separation rank (\(rank.partition)) of y_T for \(source.label)",
                          header: ["L", ""] + grid.lengths.map { "T=\($0)" }, rows: display, notes: notes, labelColumns: 2)
        var tidyRows: [[String]] = []
        for (d, r) in zip(degreeRows, rankRows) {
            for (dc, rc) in zip(d, r) {
                let df = degreeFields(dc)
                tidyRows.append([String(dc.depth), String(dc.length), rank.partition, String(grid.output)]
                                + Array(df[0...6]) + rankFields(rc) + [df[7]])
            }
        }
        let tidy = TidyTable(columns: ["depth", "length", "partition", "output", "degree_status", "degree", "degree_structural",
                                       "degree_formula", "terms", "cancellation", "degree_violation"]
                                      + rankColumns.map { $0 == "status" ? "rank_status" : $0 == "reason" ? "rank_reason" : $0 } + ["degree_reason"],
                             rows: tidyRows)
        let json = JSONValue.object([
            ("kind", .string("degree-rank-table")), ("source", .string(source.label)), ("partition", .string(rank.partition)),
            ("output", .number(String(grid.output))),
            ("rows", .array(zip(degreeRows, rankRows).map { d, r in .object([
                ("depth", .number(String(d.first?.depth ?? 0))),
                ("cells", .array(zip(d, r).map { dc, rc in
                    .object([("length", .number(String(dc.length))), ("degree", degreeCellJSON(dc)), ("rank", rc.json)])
                })),
            ]) })),
        ])
        return Report(display: table, tidy: tidy, json: json).render(grid.format, caption: grid.caption)
    }
}
