import ArgumentParser
import Expressivity
import Foundation

/// Data in tidy form: one row per observation (a cell of a table), one named column per
/// variable, no composite cells. CSV renders this, so pandas and R read it unchanged.
struct TidyTable: Equatable {
    var columns: [String]
    var rows: [[String]]

    func csv() -> String {
        let q = { (s: String) in
            s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([columns] + rows).map { $0.map(q).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

/// What a command prints: a display grid (text, markdown, LaTeX), tidy records (CSV) and
/// its data (JSON).
struct Report {
    var display: Table
    var tidy: TidyTable
    var json: JSONValue

    func render(_ format: OutputFormat, caption: String? = nil) -> String {
        switch format {
        case .csv: return tidy.csv()
        case .json: return json.text() + "\n"
        case .latex: return display.render(.latex, caption: caption)
        default: return display.render(format)
        }
    }
}

/// The size limits a computation can hit: such an error marks a cell of a table as refused
/// (the other cells are still printed); any other error ends the command.
func refusalReason(_ error: Error) -> String? {
    switch error {
    case let e as UnrollError:
        if case .outputOutOfRange = e { return nil }
        return cliMessage(e)
    case let e as SeparationRankError:
        if case .matrixTooLarge = e { return cliMessage(e) }
        return nil
    case let e as LiftedError: return cliMessage(e)
    case let e as AutoRefused: return cliMessage(e)
    default: return nil
    }
}

/// One (L, T) cell of a rank table: a result, a partition that does not apply at this T
/// (e.g. cut:2 at T = 1), or a size limit that refused it. The last two mark the cell
/// instead of aborting the table.
enum RankCell {
    case result(SeparationRankResult)
    case notApplicable(depth: Int, length: Int, reason: String)
    case refused(depth: Int, length: Int, reason: String)

    static func compute(model: NetworkModel, length T: Int, partition: Partition, options: SeparationRank.Options) throws -> RankCell {
        do {
            return .result(try SeparationRank.compute(model: model, length: T, partition: partition, options: options))
        } catch let e as PartitionError {
            return .notApplicable(depth: model.depth, length: T, reason: e.description)
        } catch let e as SeparationRankError {
            // a method that applies at some lengths only (e.g. evaluation: one side empty)
            switch e {
            case .methodNotApplicable, .automatonTooLarge: return .notApplicable(depth: model.depth, length: T, reason: cliMessage(e))
            case .matrixTooLarge: return .refused(depth: model.depth, length: T, reason: cliMessage(e))
            }
        } catch {
            guard let why = refusalReason(error) else { throw error }
            return .refused(depth: model.depth, length: T, reason: why)
        }
    }

    var result: SeparationRankResult? { if case .result(let r) = self { return r } else { return nil } }
    var depth: Int {
        switch self { case .result(let r): return r.depth; case let .notApplicable(L, _, _), let .refused(L, _, _): return L }
    }
    var length: Int {
        switch self { case .result(let r): return r.length; case let .notApplicable(_, T, _), let .refused(_, T, _): return T }
    }
    var status: String {
        switch self { case .result: return "ok"; case .notApplicable: return "n/a"; case .refused: return "refused" }
    }
    /// The status in tidy data: "n/a" would read as a missing value in pandas and R.
    var tidyStatus: String { status == "n/a" ? "not-applicable" : status }
    var reason: String? {
        switch self { case .result: return nil; case let .notApplicable(_, _, r), let .refused(_, _, r): return r }
    }
    var text: String { result.map(rankCell) ?? status }
    var json: JSONValue {
        switch self {
        case .result(let r): return rankJSON(r)
        case let .notApplicable(L, T, reason):
            return .object([("depth", .number(String(L))), ("length", .number(String(T))), ("notApplicable", .string(reason))])
        case let .refused(L, T, reason):
            return .object([("depth", .number(String(L))), ("length", .number(String(T))), ("refused", .string(reason))])
        }
    }
}

func rankCell(_ r: SeparationRankResult) -> String {
    let mark = !r.violatedBounds.isEmpty ? "!" : (!r.genericShortfalls.isEmpty ? "?" : "")
    return "\(r.rank)\(mark)"
}

/// The tightest upper bound and the largest lower bound of a cell.
func tightestUpper(_ r: SeparationRankResult) -> RankBound? {
    r.bounds.filter { $0.kind == .upper }.min { $0.value < $1.value }
}
func largestLower(_ r: SeparationRankResult) -> RankBound? {
    r.bounds.filter { $0.kind == .lower }.max { $0.value < $1.value }
}

/// What the `matrix` of a result is, by method: the numbers differ in meaning.
func matrixMeaning(_ r: SeparationRankResult) -> String {
    if r.lifted?.upperBound == .gradedObservable {
        return "values of y_T at points of the steps in S (rows) x points of the steps in E (columns); rank <= dim of the graded observable space"
    }
    if case .multiHomogeneous(let side)? = r.lifted?.upperBound {
        var killed = false
        if case .homogeneous(let h)? = r.lifted?.evidence.proof { killed = h.killed != nil }
        let bound: String
        switch side {
        case .state: bound = "the state monomials of y_T's degrees at the cut" + (killed ? ", less the four killed states" : "")
        case .reachable: bound = "the state monomials of y_T's degrees at the cut, less the multiples of an equation of the reachable states"
        case .past, .future: bound = "the \(side.rawValue) input monomials of y_T's degrees"
        }
        return "values of y_T at points of the steps in S (rows) x points of the steps in E (columns); rank <= \(bound)"
    }
    return matrixMeaning(r.method)
}

func matrixMeaning(_ m: SeparationRankMethod) -> String {
    switch m {
    case .unfolding, .auto: return "unfolding: monomials in x_S that occur (rows) x monomials in x_E that occur (columns)"
    case .split: return "Phi_I Gamma_J: independent rows of Phi (monomials in x_S) x independent columns of Gamma (monomials in x_E)"
    case .lifted: return "B_R B_O^T: generators of the reachable space x generators of the observable space at the cut"
    case .automaton: return "reachable x observable spans of the single layer's automaton (dimension hidden + 1)"
    case .evaluation: return "1 x 1: one side is empty and y_T is nonzero (0 x 0: y_T is zero)"
    }
}

func rankJSON(_ r: SeparationRankResult) -> JSONValue {
    .object([
        ("depth", .number(String(r.depth))), ("length", .number(String(r.length))),
        ("partition", .string(r.partition.description)), ("startSet", .array(r.startSet.map { .number(String($0)) })),
        ("rank", .number(String(r.rank))), ("method", .string(r.method.rawValue)),
        ("matrix", .object([("rows", .number(String(r.matrixShape.rows))), ("columns", .number(String(r.matrixShape.columns))),
                            ("of", .string(matrixMeaning(r)))])),
        ("bounds", .array(r.bounds.map { b in .object([
            ("kind", .string(b.kind.rawValue)), ("value", .number(b.value.description)), ("formula", .string(b.formula)),
            ("source", .string(b.source)), ("genericOnly", .bool(b.genericOnly)), ("violated", .bool(b.violated(by: r.rank))),
            ("belowGeneric", .bool(b.shortOfGeneric(by: r.rank))), ("attained", .bool(b.attained(by: r.rank))),
        ]) })),
    ])
}

/// Letters for the sources of bounds, in order of first use: a cell shows "8 c", the legend
/// says what c is (its formula with this cell's numbers is in the CSV and JSON).
struct BoundLegend {
    private(set) var sources: [String] = []
    mutating func key(_ b: RankBound) -> String {
        let name = "\(b.kind.rawValue) bound\(b.genericOnly ? " for generic weights" : ""), \(b.source)"
        if let i = sources.firstIndex(of: name) { return BoundLegend.letter(i) }
        sources.append(name)
        return BoundLegend.letter(sources.count - 1)
    }
    static func letter(_ i: Int) -> String {
        let a = Array("abcdefghijklmnopqrstuvwxyz")
        return i < a.count ? String(a[i]) : "z\(i)"
    }
    var notes: [String] { sources.enumerated().map { "\(BoundLegend.letter($0.offset)): \($0.element)" } }

    /// A cell's tightest upper (or largest lower) bound as "8 c", or "-" without one.
    mutating func cell(_ r: SeparationRankResult?, _ kind: RankBound.Kind) -> String {
        guard let r = r, let b = kind == .upper ? tightestUpper(r) : largestLower(r) else { return "-" }
        return "\(b.value) \(key(b))"
    }
}

/// The notes every rank report ends with: violations and shortfalls (per cell), cells not
/// computed (with the reason), the methods used.
/// `generated`: the weights come from --family (another --seed or --range may be generic);
/// a model file's weights are the user's, so the note does not suggest options it cannot take.
func rankNotes(_ cells: [RankCell], legend: BoundLegend, generated: Bool) -> [String] {
    var notes: [String] = []
    if !legend.sources.isEmpty {
        notes.append("upper / lower: the tightest upper and the largest lower bound known for the cell, with its source:")
        notes += legend.notes.map { "  " + $0 }
    }
    for r in cells.compactMap(\.result) {
        for b in r.violatedBounds {
            notes.append("! BOUND VIOLATED at (L=\(r.depth), T=\(r.length), \(r.partition)): rank \(r.rank) vs \(b.kind.rawValue) bound \(b.value) [\(b.formula)] — a bug or a discovery; please report it")
        }
        for b in r.genericShortfalls {
            notes.append("? below a generic bound at (L=\(r.depth), T=\(r.length), \(r.partition)): rank \(r.rank) < \(b.value) [\(b.formula)]; \(generated ? "these weights are not generic (try another --seed or a larger --range)" : "the file's weights are not generic for this bound"), or the theorem is misread")
        }
    }
    for c in cells where c.result == nil {
        notes.append("rank \(c.status) at (L=\(c.depth), T=\(c.length)): \(c.reason ?? "")")
    }
    let methods = Set(cells.compactMap { $0.result?.method.rawValue }).sorted()
    if !methods.isEmpty { notes.append("method: \(methods.joined(separator: ", ")); every rank printed is exact (certified)") }
    return notes
}

/// Tidy columns of a rank cell (shared by rank tables, profiles and the combined table).
let rankColumns = ["status", "rank", "method", "matrix_rows", "matrix_columns", "matrix_of", "upper_bound", "upper_formula", "upper_source",
                   "lower_bound", "lower_formula", "lower_source", "lower_generic_only", "violated", "below_generic", "reason"]

func rankFields(_ c: RankCell) -> [String] {
    guard let r = c.result else { return [c.tidyStatus] + [String](repeating: "", count: rankColumns.count - 2) + [c.reason ?? ""] }
    let u = tightestUpper(r), l = largestLower(r)
    return ["ok", String(r.rank), r.method.rawValue, String(r.matrixShape.rows), String(r.matrixShape.columns), matrixMeaning(r),
            u.map { $0.value.description } ?? "", u?.formula ?? "", u?.source ?? "",
            l.map { $0.value.description } ?? "", l?.formula ?? "", l?.source ?? "", l.map { String($0.genericOnly) } ?? "",
            String(!r.violatedBounds.isEmpty), String(!r.genericShortfalls.isEmpty), ""]
}

/// A rank table: rows L (each with its rank, upper and lower lines), columns T.
func rankTableReport(title: String, source: String, generated: Bool, partition: String, output: Int, lengths: [Int],
                     rows: [(depth: Int, cells: [RankCell])]) -> Report {
    var legend = BoundLegend()
    var display: [[String]] = []
    for row in rows {
        display.append([String(row.depth), "rank"] + row.cells.map(\.text))
        display.append(["", "upper"] + row.cells.map { legend.cell($0.result, .upper) })
        display.append(["", "lower"] + row.cells.map { legend.cell($0.result, .lower) })
    }
    let cells = rows.flatMap(\.cells)
    let table = Table(title: title, header: ["L", ""] + lengths.map { "T=\($0)" }, rows: display,
                      notes: rankNotes(cells, legend: legend, generated: generated), labelColumns: 2)
    let tidy = TidyTable(columns: ["depth", "length", "partition", "output"] + rankColumns,
                         rows: cells.map { [String($0.depth), String($0.length), $0.result?.partition.description ?? partition, String(output)] + rankFields($0) })
    let json = JSONValue.object([
        ("kind", .string("rank-table")), ("source", .string(source)), ("partition", .string(partition)),
        ("output", .number(String(output))),
        ("rows", .array(rows.map { row in .object([("depth", .number(String(row.depth))), ("cells", .array(row.cells.map(\.json)))]) })),
    ])
    return Report(display: table, tidy: tidy, json: json)
}

/// The rank at every cut k = 1..T-1 of one (L, T), one line per cut.
func rankProfileReport(title: String, source: String, generated: Bool, depth: Int, length T: Int, output: Int,
                       cuts: [(cut: Int, cell: RankCell)]) -> Report {
    var legend = BoundLegend()
    let rows: [[String]] = cuts.map { k, c in
        guard let r = c.result else { return [String(k), c.status, "-", "-"] }
        return [String(k), rankCell(r), legend.cell(r, .upper), legend.cell(r, .lower)]
    }
    var notes = rankNotes(cuts.map(\.cell), legend: legend, generated: generated)
    // the table's refusal notes name (L, T); a profile's cells are cuts
    for (k, c) in cuts where c.result == nil {
        if let i = notes.firstIndex(of: "rank \(c.status) at (L=\(c.depth), T=\(c.length)): \(c.reason ?? "")") {
            notes[i] = "rank \(c.status) at cut \(k): \(c.reason ?? "")"
        }
    }
    let table = Table(title: title, header: ["cut k", "rank", "upper", "lower"], rows: rows, notes: notes, labelColumns: 1)
    let tidy = TidyTable(columns: ["depth", "length", "cut", "output"] + rankColumns,
                         rows: cuts.map { [String(depth), String(T), String($0.cut), String(output)] + rankFields($0.cell) })
    let json = JSONValue.object([("kind", .string("rank-profile")), ("source", .string(source)),
                                 ("depth", .number(String(depth))), ("length", .number(String(T))),
                                 ("cuts", .array(cuts.map { k, c in
                                     c.result != nil ? c.json
                                         : .object([("cut", .number(String(k))), ("refused", .string(c.reason ?? ""))]) }))])
    return Report(display: table, tidy: tidy, json: json)
}

/// One (L, T) cell of a degree table: a report, or refused by a size limit.
enum DegreeCell {
    case report(DegreeReport)
    case refused(depth: Int, length: Int, reason: String)

    var report: DegreeReport? { if case .report(let r) = self { return r } else { return nil } }
    var depth: Int { switch self { case .report(let r): return r.depth; case let .refused(L, _, _): return L } }
    var length: Int { switch self { case .report(let r): return r.length; case let .refused(_, T, _): return T } }
}

/// The reports of one row T = 1...maxLength: as many as the size limits allow, the rest
/// refused with the reason (the whole row used to be refused when its last cell was).
func degreeRow(model: NetworkModel, lengths: [Int], output: Int, layer: Int?, maxTerms: Int, maxBytes: Int, maxWork: Double,
               progress: @escaping (Int) -> Void) throws -> [DegreeCell] {
    guard let last = lengths.last else { return [] }
    let reach = model.longestUnrollableLength(upTo: last, maxTerms: maxTerms, maxBytes: maxBytes, maxWork: maxWork)
    var reports: [DegreeReport] = []
    if reach >= 1 {
        reports = try DegreeAnalysis.reports(model: model, maxLength: reach, output: output, layer: layer, maxTerms: maxTerms,
                                             maxBytes: maxBytes, maxWork: maxWork, progress: progress)
    } else {
        // validates the model and the indices even when no cell can be computed
        _ = try DegreeAnalysis.reports(model: model, maxLength: 0, output: output, layer: layer, maxTerms: maxTerms, maxBytes: maxBytes)
    }
    var why = ""
    if reach < last {
        do { try model.checkExpansion(length: reach + 1, maxTerms: maxTerms, maxBytes: maxBytes, maxWork: maxWork) } catch { why = cliMessage(error) }
    }
    return lengths.map { T in
        if T <= reach { return .report(reports[T - 1]) }
        return .refused(depth: model.depth, length: T, reason: T == reach + 1 ? why : "the row stops at T = \(reach + 1), refused above")
    }
}

/// A degree table: rows L (measured, structural and formula lines), columns T.
func degreeTableReport(title: String, source: String, output: Int, layer: Int?, lengths: [Int], rows: [[DegreeCell]]) -> Report {
    func mark(_ r: DegreeReport) -> String { r.violatesBound ? "!" : (r.hasCancellation ? "*" : "") }
    var display: [[String]] = []
    for row in rows {
        guard let L = row.first?.depth else { continue }
        display.append([String(L), "measured"] + row.map { c in c.report.map { degreeText($0.measured.total) + mark($0) } ?? "refused" })
        display.append(["", "structural"] + row.map { c in c.report.map { degreeText($0.structural.total) } ?? "-" })
        display.append(["", "formula"] + row.map { c in c.report.map { r in r.formula.map { degreeText($0.profile.total) } ?? "-" } ?? "-" })
    }
    let cells = rows.flatMap { $0 }
    let table = Table(title: title, header: [layer == nil ? "L" : "model L", ""] + lengths.map { "T=\($0)" }, rows: display,
                      notes: degreeNotes(cells), labelColumns: 2)
    let tidy = TidyTable(columns: ["depth", "length", "output", "layer"] + degreeColumns,
                         rows: cells.map { [String($0.depth), String($0.length), String(output), layer.map(String.init) ?? ""] + degreeFields($0) })
    let json = JSONValue.object([
        ("kind", .string("degree-table")), ("source", .string(source)), ("output", .number(String(output))),
        ("layer", layer.map { .number(String($0)) } ?? .null),
        ("rows", .array(rows.map { row in .object([("depth", .number(String(row.first?.depth ?? 0))), ("cells", .array(row.map(degreeCellJSON)))]) })),
    ])
    return Report(display: table, tidy: tidy, json: json)
}

/// A degree in tidy data: the zero polynomial's is -inf (read as such by pandas and R);
/// an unknown value is left empty.
func tidyDegree(_ d: Int?) -> String { d.map(String.init) ?? "-inf" }

let degreeColumns = ["status", "measured", "structural", "formula", "terms", "cancellation", "violation", "reason"]

func degreeFields(_ c: DegreeCell) -> [String] {
    switch c {
    case .report(let r):
        return ["ok", tidyDegree(r.measured.total), tidyDegree(r.structural.total), r.formula.map { tidyDegree($0.profile.total) } ?? "",
                String(r.terms), String(r.hasCancellation), String(r.violatesBound), ""]
    case let .refused(_, _, why):
        return ["refused", "", "", "", "", "", "", why]
    }
}

func degreeNotes(_ cells: [DegreeCell]) -> [String] {
    var notes: [String] = []
    // one line per formula, with the depths it is for
    var depths: [String: [Int]] = [:], order: [String] = []
    for r in cells.compactMap(\.report) {
        guard let f = r.formula else { continue }
        if depths[f.text] == nil { order.append(f.text); depths[f.text] = [] }
        if !depths[f.text]!.contains(r.depth) { depths[f.text]!.append(r.depth) }
    }
    for f in order { notes.append("formula (L = \(depths[f]!.map(String.init).joined(separator: ", "))): \(f)") }
    let reports = cells.compactMap(\.report)
    let low = reports.filter { $0.hasCancellation && !$0.violatesBound }
    if !low.isEmpty { notes.append("* measured below the structural bound (a cancellation in these weights) at " + low.map { "(L=\($0.depth), T=\($0.length))" }.joined(separator: ", ")) }
    let bad = reports.filter(\.violatesBound)
    if !bad.isEmpty { notes.append("! BOUND VIOLATED at " + bad.map { "(L=\($0.depth), T=\($0.length))" }.joined(separator: ", ") + ": this is a bug, please report it") }
    for c in cells { if case let .refused(L, T, why) = c { notes.append("degree refused at (L=\(L), T=\(T)): \(why)") } }
    return notes
}

func degreeReportJSON(_ r: DegreeReport) -> JSONValue {
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

func degreeCellJSON(_ c: DegreeCell) -> JSONValue {
    switch c {
    case .report(let r): return degreeReportJSON(r)
    case let .refused(L, T, why): return .object([("depth", .number(String(L))), ("length", .number(String(T))), ("refused", .string(why))])
    }
}

/// Rank against T, one line per depth, with each depth's tightest upper and largest lower
/// bound dashed in its colour.
func rankPlot(title: String, rows: [(depth: Int, cells: [RankCell])]) -> Plot {
    var series: [Plot.Series] = []
    for row in rows {
        let results = row.cells.compactMap(\.result)
        series.append(Plot.Series(label: "L=\(row.depth)", points: results.map { (Double($0.length), Double($0.rank)) }))
        let upper = results.compactMap { r in tightestUpper(r).map { (Double(r.length), Double($0.value.description) ?? .infinity) } }
        if !upper.isEmpty { series.append(Plot.Series(label: "L=\(row.depth), upper bound", points: upper, dashed: true)) }
        let lower = results.compactMap { r in largestLower(r).map { (Double(r.length), Double($0.value.description) ?? 0) } }
        if !lower.isEmpty { series.append(Plot.Series(label: "L=\(row.depth), lower bound", points: lower, dashed: true)) }
    }
    return Plot(title: title, xLabel: "T (sequence length)", yLabel: "separation rank", series: series, logY: nil)
}

func rankProfilePlot(title: String, cuts: [(cut: Int, cell: RankCell)]) -> Plot {
    let results = cuts.compactMap(\.cell.result)
    var series = [Plot.Series(label: "rank", points: results.map { (Double($0.startSet.count), Double($0.rank)) })]
    let upper = results.compactMap { r in tightestUpper(r).map { (Double(r.startSet.count), Double($0.value.description) ?? .infinity) } }
    if !upper.isEmpty { series.append(Plot.Series(label: "rank, upper bound", points: upper, dashed: true)) }
    return Plot(title: title, xLabel: "cut k (S = 1..k)", yLabel: "separation rank", series: series, logY: false)
}

/// Degree against T, one line per depth, the closed form (or the structural bound where no
/// formula is known) dashed in its colour.
func degreePlot(title: String, rows: [[DegreeCell]]) -> Plot {
    var series: [Plot.Series] = []
    for row in rows {
        let reports = row.compactMap(\.report)
        guard let L = row.first?.depth else { continue }
        series.append(Plot.Series(label: "L=\(L)", points: reports.compactMap { r in r.measured.total.map { (Double(r.length), Double($0)) } }))
        let bound = reports.compactMap { r in (r.formula?.profile.total ?? r.structural.total).map { (Double(r.length), Double($0)) } }
        let what = reports.contains { $0.formula != nil } ? "closed form" : "structural bound"
        if !bound.isEmpty { series.append(Plot.Series(label: "L=\(L), \(what)", points: bound, dashed: true)) }
    }
    return Plot(title: title, xLabel: "T (sequence length)", yLabel: "total degree of y_T", series: series, logY: nil)
}

/// Writes a chart where --plot asked for one.
func writePlot(_ plot: Plot, to path: String?) throws {
    guard let path = path else { return }
    try writeFile(plot.svg(), to: path)
}
