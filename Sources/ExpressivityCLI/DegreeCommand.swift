import ArgumentParser
import Expressivity

struct DegreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "degree",
        abstract: "Degree of y_T by depth L and length T, beside the structural bound and the closed form.",
        discussion: """
            Cells read measured/structural/formula. '*' marks a measured degree below the structural \
            bound (a cancellation in these weights); '!' marks one above a bound (a bug). \
            '-' is the zero polynomial, or no known formula.
            """)

    @OptionGroup var source: ModelSource
    @OptionGroup var grid: GridOptions
    @Option(name: .long, help: "Analyse what layer l (1-based) passes on instead of the output.") var layer: Int?

    func validate() throws {
        try grid.check(against: source)
        // a degree table unrolls once through every T: one column would cost the same
        if !grid.profile && (grid.length != nil || grid.depth != nil) {
            throw ValidationError("--length and --depth select one cell for --profile; a degree table shows L = 1...--max-depth, T = 1...--max-length")
        }
        // the profile unrolls the structural shapes through every t <= T (quadratic in T)
        if let t = grid.length, t > GridOptions.maxColumns {
            throw ValidationError("--length \(t): the degree profile unrolls every step up to T (memory quadratic in T); at most \(GridOptions.maxColumns)")
        }
    }

    func cell(_ m: Int?, _ s: Int?, _ f: Int?, formulaKnown: Bool) -> String {
        var mark = ""
        if let s = s, m == nil || m! < s { mark = "*" }
        if let m = m, s == nil || m > s! || (formulaKnown && (f == nil || m > f!)) { mark = "!" }
        return "\(degreeText(m))/\(degreeText(s))/\(formulaKnown ? degreeText(f) : "-")\(mark)"
    }

    func run() throws {
        let progress = Progress()
        if grid.profile {
            let model = source.model != nil ? try loadModel(source.model!) : try source.spec(depth: grid.depth ?? 1).model()
            let T = grid.length!
            let r = try DegreeAnalysis.reports(model: model, maxLength: T, output: grid.output, layer: layer, maxTerms: grid.maxTerms, maxBytes: grid.maxMemory.bytes,
                                               progress: { progress.report("degree: T \($0)/\(T)") }).last!
            progress.done()
            try printProfile(r, label: source.label)
            return
        }
        let models = try source.models(maxDepth: grid.maxDepth)
        var rows: [[DegreeReport]] = []
        for m in models {
            rows.append(try DegreeAnalysis.reports(model: m, maxLength: grid.maxLength, output: grid.output, layer: layer, maxTerms: grid.maxTerms, maxBytes: grid.maxMemory.bytes,
                                                   progress: { progress.report("degree: depth \(m.depth), T \($0)/\(grid.maxLength)") }))
        }
        progress.done()
        if grid.format == .json {
            let value: JSONValue = .object([
                ("kind", .string("degree-table")),
                ("source", .string(source.label)),
                ("output", .number(String(grid.output))),
                ("layer", layer.map { .number(String($0)) } ?? .null),
                ("rows", .array(rows.map { row in .object([
                    ("depth", .number(String(row.first?.depth ?? 0))),
                    ("cells", .array(row.map(reportJSON))),
                ]) })),
            ])
            print(value.text())
            return
        }
        let what = layer.map { "o^\($0)_T (max over units)" } ?? "y_T output \(grid.output)"
        let table = Table(
            title: "Total degree of \(what) for \(source.label): measured/structural/formula",
            header: ["L"] + (1...grid.maxLength).map { "T=\($0)" },
            rows: rows.map { row in
                [String(row.first?.depth ?? 0)] + row.map {
                    cell($0.measured.total, $0.structural.total, $0.formula?.profile.total, formulaKnown: $0.formula != nil)
                }
            },
            notes: notesFor(rows.flatMap { $0 }))
        print(table.render(grid.format), terminator: "")
    }

    func notesFor(_ reports: [DegreeReport]) -> [String] {
        var notes: [String] = []
        var seen = Set<String>()
        for r in reports { if let f = r.formula, seen.insert(f.text).inserted { notes.append("formula (L=\(r.depth)): \(f.text)") } }
        let low = reports.filter(\.hasCancellation)
        if !low.isEmpty { notes.append("* measured below the structural bound (cancellation) at " + low.map { "(L=\($0.depth), T=\($0.length))" }.joined(separator: ", ")) }
        let bad = reports.filter(\.violatesBound)
        if !bad.isEmpty { notes.append("! BOUND VIOLATED at " + bad.map { "(L=\($0.depth), T=\($0.length))" }.joined(separator: ", ") + ": this is a bug, please report it") }
        return notes
    }

    func reportJSON(_ r: DegreeReport) -> JSONValue {
        func prof(_ p: DegreeProfile?) -> JSONValue {
            guard let p = p else { return .null }
            return .object([("total", jsonInt(p.total)), ("perStep", .array(p.perStep.map(jsonInt)))])
        }
        return .object([
            ("depth", .number(String(r.depth))), ("length", .number(String(r.length))), ("terms", .number(String(r.terms))),
            ("measured", prof(r.measured)), ("structural", prof(r.structural)), ("formula", prof(r.formula?.profile)),
            ("formulaText", r.formula.map { .string($0.text) } ?? .null),
            ("cancellation", .bool(r.hasCancellation)), ("violation", .bool(r.violatesBound)),
        ])
    }

    func printProfile(_ r: DegreeReport, label: String) throws {
        if grid.format == .json {
            print(reportJSON(r).text())
            return
        }
        let known = r.formula != nil
        var rows: [[String]] = (0..<r.length).map { t in
            [String(t + 1), degreeText(r.measured.perStep[t]), degreeText(r.structural.perStep[t]),
             known ? degreeText(r.formula!.profile.perStep[t]) : "-"]
        }
        rows.append(["total", degreeText(r.measured.total), degreeText(r.structural.total), known ? degreeText(r.formula!.profile.total) : "-"])
        let table = Table(title: "Degree profile of y_T for \(label), L=\(r.depth), T=\(r.length) (\(r.terms) terms)",
                          header: ["step t", "measured", "structural", "formula"], rows: rows, notes: notesFor([r]))
        print(table.render(grid.format), terminator: "")
    }
}
