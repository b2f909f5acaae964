import ArgumentParser
import ExpressivityAnalysis
import RecurrentNetworks

// The bilinear hierarchy's table, shared by group and automaton tasks.

let hierarchyClassTitles: [BilinearClass: String] = [
    .full: "full bilinear", .cp: "CP-factored (size = R)", .blockDiagonal: "block-diagonal, rational blocks (size = largest block)",
    .commuting: "commuting (complex diagonal, rotation blocks)",
    .realDiagonal: "real diagonal", .positiveDiagonal: "positive diagonal + input term (Mamba-like)",
]

let hierarchyTableTitle = "Bilinear hierarchy (classes of Ebrahimi & Memisevic 2025, read from a summary; arguments derived here, Docs/bilinear-hierarchy.md)"

func hierarchySizeText<I, A>(_ v: ClassVerdict<I, A>) -> String {
    guard v.impossible == nil, let lower = v.lower else { return "none" }
    guard let upper = v.upper else { return ">= \(lower)" }
    return lower == upper ? String(lower) : "\(lower)...\(upper)"
}

func hierarchyConstructionText<I, A>(_ v: ClassVerdict<I, A>) -> String {
    guard let m = v.construction else { return "-" }
    let what = v.bilinearClass == .cp ? "CP layer, R = \(m.layers[0].cp?.rank ?? 0), hidden \(m.layers[0].hidden)"
        : v.bilinearClass == .blockDiagonal ? "layer of size \(m.layers[0].hidden), largest block \(BilinearClass.largestBlock(of: m) ?? 0)"
        : "layer of size \(m.layers[0].hidden)"
    return what + (v.constructionChecked ? ", in the class and equal to the task at every length (exact)" : ", CHECK FAILED")
}

/// One class's verdict in `--format json`.
func hierarchyJSON<I, A>(_ v: ClassVerdict<I, A>, argument: String) -> JSONValue {
    .object([
        ("class", .string(v.bilinearClass.rawValue)), ("possible", .bool(v.impossible == nil)),
        ("leastSizeLower", jsonInt(v.lower)), ("leastSizeUpper", jsonInt(v.upper)),
        ("constructionChecked", .bool(v.constructionChecked)),
        ("construction", v.construction.map { .string($0.json) } ?? .null),
        ("argument", .string(argument)),
    ])
}

/// One class's verdict as rows of the tidy csv table.
func hierarchyCSVRows<I, A>(_ v: ClassVerdict<I, A>, argument: String) -> [[String]] {
    let c = v.bilinearClass.rawValue
    return [["bilinear-hierarchy", "", c, "possible", v.impossible == nil ? "true" : "false", argument],
            ["bilinear-hierarchy", "", c, "least_size_lower", v.lower.map(String.init) ?? "", ""],
            ["bilinear-hierarchy", "", c, "least_size_upper", v.upper.map(String.init) ?? "", hierarchyConstructionText(v)]]
}

extension TaskCommand {
    /// An automaton task: its minimal automaton and the hierarchy table.
    func runAutomaton(_ task: AutomatonTask) throws {
        let hierarchy = AutomatonHierarchy(task)
        if let file = model {
            let m = try loadModel(file)
            guard BilinearClass.transitions(of: m) != nil, m.inputDim == task.alphabetSize else {
                throw ValidationError("--model: \(file) is not one layer without activations with \(task.alphabetSize) inputs (the hierarchy's models)")
            }
            let classes = BilinearClass.allCases.filter { $0.contains(m) }.map(\.rawValue)
            let names = classes.isEmpty ? "none" : classes.joined(separator: ", ")
            if hierarchy.computesTask(m) {
                print("\(file): computes \(task.name) on every one-hot word of every length (exact equivalence with the automaton); classes: \(names)")
                return
            }
            if let v = hierarchy.verdicts.first(where: { $0.impossible != nil && classes.contains($0.bilinearClass.rawValue) }) {
                print("\(file): does not compute \(task.name): it is \(v.bilinearClass.rawValue), and no \(v.bilinearClass.rawValue) layer of any size does: \(v.impossible!)")
            } else {
                print("\(file): does not compute \(task.name) (its outputs differ on some one-hot word); classes: \(names)")
            }
            throw ExitCode(1)
        }
        func argumentText(_ v: AutomatonHierarchy.Verdict) -> String {
            if let why = v.impossible { return why.description }
            return v.lowerArgument.map { "\($0.description) = \(v.lower ?? 0)" } ?? "-"
        }
        let rows = hierarchy.verdicts.map { v in [hierarchyClassTitles[v.bilinearClass]!, hierarchySizeText(v), hierarchyConstructionText(v), argumentText(v)] }
        switch format {
        case .json:
            print(JSONValue.object([
                ("kind", .string("automaton-task")), ("task", .string(task.name)), ("summary", .string(task.summary)),
                ("alphabet", .number(String(task.alphabetSize))), ("states", .number(String(task.stateCount))),
                ("hankelRank", .number(String(hierarchy.hankelRank))), ("minimalAutomatonVerified", .bool(hierarchy.minimalChecked)),
                ("bilinearHierarchy", .array(hierarchy.verdicts.map { hierarchyJSON($0, argument: argumentText($0)) })),
            ]).text())
        case .csv:
            var tidy: [[String]] = [["automaton", "", "", "hankel_rank", String(hierarchy.hankelRank), "minimal automaton, checked equal to the task: \(hierarchy.minimalChecked)"]]
            for v in hierarchy.verdicts { tidy += hierarchyCSVRows(v, argument: argumentText(v)) }
            print(TidyTable(columns: ["table", "length", "class", "quantity", "value", "text"], rows: tidy).csv(), terminator: "")
        default:
            print(Table(title: "Task \(task.name): \(task.summary); \(task.stateCount) states, Hankel rank \(hierarchy.hankelRank) (the minimal automaton, checked equal to the task: \(hierarchy.minimalChecked ? "yes" : "NO"))",
                        header: ["class", "least size", "construction", "lower bound or impossibility"], rows: rows, labelColumns: 4)
                    .render(format, caption: caption), terminator: "")
        }
    }
}
