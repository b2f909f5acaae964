import ArgumentParser
import Expressivity

struct DegreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "degree",
        abstract: "Degree of y_T by depth L and length T, beside the structural bound and the closed form.",
        discussion: """
            Each depth L has three lines: the measured degree, the structural bound (from the \
            architecture, no cancellation assumed) and the closed-form formula where one is known. \
            '*' marks a measured degree below the structural bound in some step or in total (a \
            cancellation in these weights); '!' one above a bound (a bug). '-' is the zero polynomial, \
            or no known formula. A cell a size limit refuses is marked 'refused', with the reason in \
            the notes; the cells before it are still printed. CSV has one row per cell.
            """)

    @OptionGroup var source: ModelSource
    @OptionGroup var grid: GridOptions
    @Option(name: .long, parsing: .unconditional, help: "Analyse what layer l (1-based) passes on instead of the output.") var layer: Int?

    func validate() throws {
        try grid.check(against: source)
        // the profile unrolls the structural shapes through every t <= T (quadratic in T)
        if let t = grid.length, t > GridOptions.maxColumns {
            throw ValidationError("--length \(t): the degree profile unrolls every step up to T (memory quadratic in T); at most \(GridOptions.maxColumns)")
        }
    }

    func run() throws { print(try render(), terminator: "") }

    /// What the command prints.
    func render() throws -> String {
        let progress = Progress()
        if grid.profile {
            let model = source.model != nil ? try loadModel(source.model!, output: grid.output, layer: layer) : try source.spec(depth: grid.depth ?? 1).model()
            let T = grid.length!
            let r = try DegreeAnalysis.reports(model: model, maxLength: T, output: grid.output, layer: layer, maxTerms: grid.maxTerms,
                                               maxBytes: grid.maxMemory.bytes, maxWork: grid.maxWork.value, progress: { progress.report("degree: T \($0)/\(T)") }).last!
            progress.done()
            if let path = grid.plot {
                var series = [Plot.Series(label: "measured", points: r.measured.perStep.enumerated().compactMap { t, d in d.map { (Double(t + 1), Double($0)) } })]
                if let f = r.formula {
                    series.append(Plot.Series(label: "measured, closed form", points: f.profile.perStep.enumerated().compactMap { t, d in d.map { (Double(t + 1), Double($0)) } }, dashed: true))
                }
                try writePlot(Plot(title: "Degree in each step's inputs, L=\(r.depth), T=\(r.length): \(source.label)", xLabel: "step t",
                                   yLabel: "degree of y_T in x_t", series: series, logY: false), to: path)
            }
            return profileReport(r, label: source.label).render(grid.format, caption: grid.caption)
        }
        let models = source.model == nil && grid.depth != nil ? [try source.spec(depth: grid.depth!).model()]
                                                              : try source.models(maxDepth: grid.maxDepth, output: grid.output, layer: layer)
        let rows = try models.map { m in
            try degreeRow(model: m, lengths: grid.lengths, output: grid.output, layer: layer, maxTerms: grid.maxTerms,
                          maxBytes: grid.maxMemory.bytes, maxWork: grid.maxWork.value, progress: { progress.report("degree: depth \(m.depth), T \($0)") })
        }
        progress.done()
        try writePlot(degreePlot(title: "Total degree: \(source.label)", rows: rows), to: grid.plot)
        let what = layer.map { "o^\($0)_T, what layer \($0) passes on (max over units)," } ?? "y_T output \(grid.output)"
        let report = degreeTableReport(title: "Total degree of \(what) for \(source.label)", source: source.label,
                                       output: grid.output, layer: layer, lengths: grid.lengths, rows: rows)
        return report.render(grid.format, caption: grid.caption)
    }

    /// One (L, T) in detail: the degree in each step's inputs, one line per step.
    func profileReport(_ r: DegreeReport, label: String) -> Report {
        let known = r.formula != nil
        var rows: [[String]] = (0..<r.length).map { t in
            [String(t + 1), degreeText(r.measured.perStep[t]), degreeText(r.structural.perStep[t]),
             known ? degreeText(r.formula!.profile.perStep[t]) : "-"]
        }
        rows.append(["total", degreeText(r.measured.total), degreeText(r.structural.total), known ? degreeText(r.formula!.profile.total) : "-"])
        let table = Table(title: "Degree profile of y_T for \(label), L=\(r.depth), T=\(r.length) (\(r.terms) term\(r.terms == 1 ? "" : "s"))",
                          header: ["step t", "measured", "structural", "formula"], rows: rows, notes: degreeNotes([.report(r)]))
        // the total is a row of its own kind, its step empty: the step column stays numeric
        let tidy = TidyTable(columns: ["depth", "length", "scope", "step", "measured", "structural", "formula"],
                             rows: (0...r.length).map { t in
                                 let pick = { (p: DegreeProfile) in t < r.length ? p.perStep[t] : p.total }
                                 return [String(r.depth), String(r.length), t < r.length ? "step" : "total", t < r.length ? String(t + 1) : "",
                                         tidyDegree(pick(r.measured)), tidyDegree(pick(r.structural)),
                                         r.formula.map { tidyDegree(pick($0.profile)) } ?? ""]
                             })
        var json = degreeReportJSON(r)
        if case .object(let fields) = json { json = .object([("kind", .string("degree-profile")), ("source", .string(label))] + fields) }
        return Report(display: table, tidy: tidy, json: json)
    }
}
