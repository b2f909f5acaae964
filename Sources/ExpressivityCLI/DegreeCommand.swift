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
    @Option(name: .customLong("max-depth"), help: "Rows L = 1...max-depth (family only).") var maxDepth: Int = 3
    @Option(name: .customLong("max-length"), help: "Columns T = 1...max-length.") var maxLength: Int = 6
    @Flag(name: .long, help: "Print the per-step degree profile of one (L, T).") var profile = false
    @Option(name: .long, help: "Depth for --profile (family only).") var depth: Int?
    @Option(name: .long, help: "Length for --profile.") var length: Int?
    @Option(name: .long, help: "Output index (0-based).") var output: Int = 0
    @Option(name: .long, help: "Analyse what layer l (1-based) passes on instead of the output.") var layer: Int?
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .customLong("max-terms"), help: "Refuse when the estimated size of a polynomial exceeds this.") var maxTerms: Int = 5_000_000

    func validate() throws {
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
        if profile && length == nil { throw ValidationError("--profile needs --length T") }
        if let t = length, t < 1 { throw ValidationError("--length must be at least 1") }
        if let d = depth, d < 1 { throw ValidationError("--depth must be at least 1") }
        if depth != nil && source.model != nil { throw ValidationError("--depth applies to families; a model file fixes its depth") }
        if output < 0 { throw ValidationError("--output must be at least 0") }
        if maxTerms < 1 { throw ValidationError("--max-terms must be at least 1") }
    }

    func cell(_ m: Int?, _ s: Int?, _ f: Int?, formulaKnown: Bool) -> String {
        var mark = ""
        if let s = s, m == nil || m! < s { mark = "*" }
        if let m = m, s == nil || m > s! || (formulaKnown && (f == nil || m > f!)) { mark = "!" }
        return "\(degreeText(m))/\(degreeText(s))/\(formulaKnown ? degreeText(f) : "-")\(mark)"
    }

    func run() throws {
        let progress = Progress()
        if profile {
            let model = source.model != nil ? try loadModel(source.model!) : try source.spec(depth: depth ?? 1).model()
            let T = length!
            let r = try DegreeAnalysis.reports(model: model, maxLength: T, output: output, layer: layer, maxTerms: maxTerms,
                                               progress: { progress.report("degree: T \($0)/\(T)") }).last!
            progress.done()
            try printProfile(r, label: source.label)
            return
        }
        let models = try source.models(maxDepth: maxDepth)
        var rows: [[DegreeReport]] = []
        for m in models {
            rows.append(try DegreeAnalysis.reports(model: m, maxLength: maxLength, output: output, layer: layer, maxTerms: maxTerms,
                                                   progress: { progress.report("degree: depth \(m.depth), T \($0)/\(maxLength)") }))
        }
        progress.done()
        if format == .json {
            let value: JSONValue = .object([
                ("kind", .string("degree-table")),
                ("source", .string(source.label)),
                ("output", .number(String(output))),
                ("layer", layer.map { .number(String($0)) } ?? .null),
                ("rows", .array(rows.map { row in .object([
                    ("depth", .number(String(row.first?.depth ?? 0))),
                    ("cells", .array(row.map(reportJSON))),
                ]) })),
            ])
            print(value.text())
            return
        }
        let what = layer.map { "o^\($0)_T (max over units)" } ?? "y_T output \(output)"
        let table = Table(
            title: "Total degree of \(what) for \(source.label): measured/structural/formula",
            header: ["L"] + (1...maxLength).map { "T=\($0)" },
            rows: rows.map { row in
                [String(row.first?.depth ?? 0)] + row.map {
                    cell($0.measured.total, $0.structural.total, $0.formula?.profile.total, formulaKnown: $0.formula != nil)
                }
            },
            notes: notesFor(rows.flatMap { $0 }))
        print(table.render(format), terminator: "")
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
        if format == .json {
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
        print(table.render(format), terminator: "")
    }
}
