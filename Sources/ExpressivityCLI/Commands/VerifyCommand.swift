import ArgumentParser
import Expressivity

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the papers' claims exactly on grids of models; exit 1 if a claim fails.",
        discussion: """
            Claims and their exact conditions: Docs/claims.md. Per claim: its verdict (the worst of \
            its cases: attained = the bound met with equality, holds = strictly, inconclusive = \
            neither supports nor contradicts it, below-generic = a generic-weight bound not reached \
            by these weights, violated = the claim fails, not-implemented), the cases checked with \
            the count of each verdict, the smallest worst case (measured value vs the bound), and \
            the sources with how each reached the tool. Lengths past --max-terms are listed as not \
            checked. Claims 4 and 6 check the words their statements need (one-hot degrees just \
            above the layerwise bound, Hankel ranks up to T = 10), which can be longer than \
            --max-length.
            """)

    @Option(name: .long, parsing: .unconditional, help: "Check one claim (1-7) instead of the catalogue.") var claim: Int?
    @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Longest T checked.") var maxLength: Int = 6
    @Option(name: .customLong("max-depth"), parsing: .unconditional, help: "Deepest L checked.") var maxDepth: Int = 3
    @Option(name: .long, parsing: .unconditional, help: "Number of random seeds per family and depth.") var seeds: Int = 2
    @Option(name: .long, parsing: .unconditional, help: "Weights are nonzero integers in [-range, range].") var range: Int = 1000
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .long, help: "The caption of a LaTeX table (--format latex; $...$ is math). (default: the title)") var caption: String?
    @Option(name: .customLong("max-terms"), parsing: .unconditional, help: "Skip lengths whose unrolling would exceed this many terms.") var maxTermsOption = Count(50_000)
    var maxTerms: Int { maxTermsOption.value }

    func validate() throws {
        if let c = claim, !Claims.catalogue.contains(c) { throw ValidationError("--claim must be one of \(Claims.catalogue)") }
        if maxLength < 2 { throw ValidationError("--max-length must be at least 2") }
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if seeds < 1 { throw ValidationError("--seeds must be at least 1") }
        if range < 1 { throw ValidationError("--range must be at least 1") }
        if caption != nil && format != .latex { throw ValidationError("--caption is for --format latex") }
    }

    func run() throws {
        let reports = try checkClaims()
        print(render(reports), terminator: "")
        if reports.contains(where: \.failed) { throw ExitCode(1) }
    }

    /// The claims asked for, checked on the grid of the options.
    func checkClaims() throws -> [ClaimReport] {
        let grid = ClaimGrid(maxDepth: maxDepth, maxLength: maxLength, seeds: (1...seeds).map(UInt64.init), range: range, maxTerms: maxTerms)
        let progress = Progress()
        var reports: [ClaimReport] = []
        for id in claim.map({ [$0] }) ?? Claims.catalogue {
            progress.report("verify: claim \(id)")
            reports.append(try Claims.run(id, grid: grid))
        }
        progress.done()
        return reports
    }

    /// The reports in the chosen format.
    func render(_ reports: [ClaimReport]) -> String {
        switch format {
        case .json:
            return JSONValue.object([("kind", .string("verify-report")), ("claims", .array(reports.map(reportJSON)))]).text() + "\n"
        case .csv:
            // tidy: one row per case; numbers in their own columns, empty where a case has none
            return TidyTable(columns: ["claim", "title", "case", "family", "depth", "seed", "length", "quantity", "value", "holds",
                                      "measured", "bound", "bound_value", "verdict"],
                            rows: reports.flatMap { r in r.cases.map { c in
                                [String(r.id), r.title, c.description, c.spec?.family.rawValue ?? "", c.spec.map { String($0.depth) } ?? "",
                                 c.spec.map { String($0.seed) } ?? "", c.length.map(String.init) ?? "", c.measured.quantity,
                                 c.measured.value?.description ?? "", c.measured.holds.map { $0 ? "true" : "false" } ?? "",
                                 c.measured.text, c.boundFormula, c.bound.value?.description ?? "", c.verdict.rawValue]
                            } + r.skipped.map { skip in
                                // what the size limit left unchecked: a row each, verdict not-checked
                                [String(r.id), r.title, skip, "", "", "", "", "", "", "", "", "", "", "not-checked"]
                            } }).csv()
        case .text:
            // one block per claim: the table form is too wide for a terminal
            var lines = ["Claims checked exactly (max length \(maxLength), max depth \(maxDepth), \(seeds) seed(s), weights in [-\(range), \(range)])", ""]
            for r in reports {
                lines.append("\(r.id). \(r.title)")
                lines.append("   verdict: \(r.verdict.rawValue); cases: \(countsText(r)); sources: \(r.sourceSummary)")
                if let c = r.worstCase { lines.append("   worst case: \(c.description): \(c.measured.text) vs \(c.boundValue)") }
                lines += notes(r).map { "   " + $0 }
                lines.append("")
            }
            return lines.flatMap { wrapped($0) }.joined(separator: "\n")
        default:
            let table = Table(title: "Claims checked exactly (max length \(maxLength), max depth \(maxDepth), \(seeds) seed(s), weights in [-\(range), \(range)])",
                              header: ["claim", "source", "cases", "verdict", "worst case"],
                              rows: reports.map { r in
                                  [String(r.id) + ". " + r.title, r.sourceSummary, countsText(r), r.verdict.rawValue,
                                   r.worstCase.map { "\($0.description): \($0.measured.text) vs \($0.boundValue)" } ?? (r.note ?? "-")]
                              },
                              notes: reports.flatMap(notes))
            return table.render(format, caption: caption)
        }
    }

    /// "21 (15 holds, 6 inconclusive)".
    func countsText(_ r: ClaimReport) -> String {
        let counts = r.verdictCounts
        if counts.count <= 1 { return String(r.cases.count) }
        return "\(r.cases.count) (" + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ") + ")"
    }

    /// Per claim: each statement with its provenance, the note, and the smallest failing model.
    func notes(_ r: ClaimReport) -> [String] {
        var out = r.attributions.map { "claim \(r.id), \($0.text)" }
        if let n = r.note { out.append("claim \(r.id), note: \(n)") }
        if !r.skipped.isEmpty {
            out.append("claim \(r.id), not checked (raise --max-terms to include them): " + r.skipped.joined(separator: "; "))
        }
        if let c = r.worstCase, let m = c.modelJSON, r.verdict == .violated || r.verdict == .belowGeneric {
            out.append("claim \(r.id), smallest \(r.verdict.rawValue) case (\(c.description)) as a model file:\n\(m)")
        }
        return out
    }

    /// {"quantity": ..., "value": n or null, "holds": b or null, "text": ...}.
    func measurementJSON(_ m: Measurement) -> JSONValue {
        .object([("quantity", .string(m.quantity)), ("value", m.value.map { .number($0.description) } ?? .null),
                 ("holds", m.holds.map { .bool($0) } ?? .null), ("text", .string(m.text))])
    }

    func reportJSON(_ r: ClaimReport) -> JSONValue {
        let attributions: [JSONValue] = r.attributions.map { a in
            .object([("reference", .string(a.reference.citation)), ("provenance", .string(a.provenance.rawValue)), ("statement", .string(a.statement))])
        }
        let counts: [(String, JSONValue)] = r.verdictCounts.map { ($0.0.rawValue, .number(String($0.1))) }
        let worst: JSONValue = r.worstCase.map { c in
            let verified: JSONValue = c.certificate.flatMap { cert in c.unfolding.map { .bool(cert.verify($0)) } } ?? .null
            let model: JSONValue = c.modelJSON.map { (try? JSONReader.parse($0)) ?? .null } ?? .null
            return .object([
                ("case", .string(c.description)), ("measured", measurementJSON(c.measured)), ("bound", .string(c.boundFormula)),
                ("boundValue", measurementJSON(c.bound)), ("verdict", .string(c.verdict.rawValue)),
                ("certificateVerified", verified), ("model", model),
            ])
        } ?? .null
        return .object([
            ("id", .number(String(r.id))), ("title", .string(r.title)), ("attributions", .array(attributions)),
            ("casesTried", .number(String(r.cases.count))), ("verdictCounts", .object(counts)),
            ("verdict", .string(r.verdict.rawValue)), ("note", r.note.map { .string($0) } ?? .null), ("worstCase", worst),
            ("cases", .array(r.cases.map { c in .object([
                ("case", .string(c.description)), ("measured", measurementJSON(c.measured)), ("bound", .string(c.boundFormula)),
                ("boundValue", measurementJSON(c.bound)), ("verdict", .string(c.verdict.rawValue)),
            ]) })),
            ("skipped", .array(r.skipped.map { .string($0) })),
        ])
    }
}

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "A state-tracking task's Hankel ranks by length and the least hidden size per model class.",
        discussion: "Tasks: \(StateTrackingTask.validNames); automaton tasks (not groups): \(AutomatonTaskName.validNames), for which only the bilinear hierarchy is printed, read off the minimal weighted automaton. Inputs are one-hot symbols. The first table gives, per length T, the Hankel rank of the task's output (the least state size of any linear 2RNN computing it on words of length <= T) and the total degree of its one-hot polynomial ('.' where not computed, '-' for the zero polynomial); the second, per model class, the least hidden size that computes the task and how that is known; the third, per class of the bilinear hierarchy (full, CP, commuting, real diagonal, positive diagonal with an input term), the least size or 'none', the construction (checked exactly: in the class, and equal to the task at every length) and the argument for the lower bound or the impossibility.")

    @Argument(help: "The task name.") var name: String
    @Option(name: .customLong("length"), parsing: .unconditional, help: "Lengths T = 1...length. (default: 8)") var requestedLength: Int?
    var length: Int { requestedLength ?? 8 }
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .long, help: "The caption of the first LaTeX table (--format latex; $...$ is math); the second adds '(by model class)'. (default: the titles)") var caption: String?
    @Option(name: .long, help: "A model file (one layer, one-hot inputs): print which classes of the bilinear hierarchy it is in and whether it computes the task, or the argument that excludes it, instead of the tables.") var model: String?

    func validate() throws {
        if caption != nil && format != .latex { throw ValidationError("--caption is for --format latex") }
        guard StateTrackingTask.named(name) != nil || AutomatonTask.named(name) != nil else {
            throw ValidationError("unknown task '\(name)'; the tasks are \(StateTrackingTask.validNames), and the automaton tasks \(AutomatonTaskName.validNames)")
        }
        if AutomatonTask.named(name) != nil && requestedLength != nil {
            throw ValidationError("--length is for group tasks (their per-length table); an automaton task's table covers every length")
        }
        if length < 1 || length > 64 { throw ValidationError("--length must be in 1...64") }
        if model != nil, requestedLength != nil || format != .text || caption != nil {
            throw ValidationError("--model prints one verdict line: --length, --format and --caption do not apply to it")
        }
    }

    func run() throws {
        guard let task = StateTrackingTask.named(name) else { return try runAutomaton(AutomatonTask.named(name)!) }
        if let file = model {
            let m = try loadModel(file)
            let names = { (cs: [BilinearClass]) in cs.isEmpty ? "none" : cs.map(\.rawValue).joined(separator: ", ") }
            switch BilinearHierarchy(task).check(m) {
            case .computesTask(let cs):
                print("\(file): computes \(task.name) on every one-hot word of every length (exact equivalence with the regular representation); classes: \(names(cs))")
            case let .excluded(c, why):
                print("\(file): does not compute \(task.name): it is \(c.rawValue), and no \(c.rawValue) layer of any size does: \(why)")
                throw ExitCode(1)
            case .differs(let cs):
                print("\(file): does not compute \(task.name) (its outputs differ on some one-hot word); classes: \(names(cs))")
                throw ExitCode(1)
            case .notInHierarchy:
                throw ValidationError("--model: \(file) is not one layer without activations with \(task.alphabetSize) inputs (the hierarchy's models)")
            }
            return
        }
        let analysis = TaskAnalysis(task, length: length)
        let (order, ranks, checked, agrees, witness) =
            (analysis.order, analysis.hankelRanks, analysis.checkedLength, analysis.constructionAgrees, analysis.orderWitness)
        let additive = (1...min(length, 8)).allSatisfy(task.isAdditive)
        let degreeLengths = (1...length).filter(task.oneHotDegreeIsFeasible)
        let degrees = degreeLengths.map { task.oneHotDegree(length: $0) }
        let inside = try task.recurrentActivationModel()
        let insideExact = task.recurrentActivationIsExact(inside)
        let lastDegree = Array(zip(degreeLengths, degrees)).last { $0.1 != nil }
        // per class: the least hidden size as numbers (lower, upper; nil: no size computes it,
        // or not known), the text shown and how it is known
        struct ClassRow { let name: String; let lower: Int?; let upper: Int?; let computable: Bool?; let size: String; let how: String }
        let last = ranks.last!
        let stack = CommutingStackBound(task)
        let classRows: [ClassRow] = [
            ClassRow(name: "linear 2RNN (bilinear, no affine term, one-hot inputs)", lower: last, upper: agrees ? order : nil, computable: agrees ? true : nil,
                     size: last == order ? "\(order) = |G| (Hankel rank = construction size)" : "between \(last) (Hankel rank at T=\(length)) and \(order) (construction)",
                     how: agrees ? "regular representation, checked exactly on all words of length <= \(checked); an affine 2RNN may need one state fewer" : "CONSTRUCTION FAILED"),
            ClassRow(name: "diagonal 2RNN, one layer, no input or bias term", lower: nil, upper: nil, computable: witness == nil ? nil : false,
                     size: witness == nil ? "not excluded by order symmetry" : "none: f(\(witness!.word)) != f(\(witness!.permuted))",
                     how: "commuting transitions: order-symmetric at every length"),
            ClassRow(name: "two bilinear layers, no affine terms or readout bias, the first commuting (width of the second)", lower: stack.width, upper: nil, computable: nil,
                     size: stack.width == 1 ? "no bound above 1 (abelian group)"
                        : ">= \(stack.width): the words with symbol counts \(stack.counts) reach \(stack.width) elements (no counts reach more than |[G,G]| = \(stack.commutatorOrder)); whether such a stack exists is not decided",
                     how: "a commuting first layer passes on only the symbol counts, so f(uv) over words u with equal counts has rank <= the second layer's width (Docs/bilinear-hierarchy.md, argument 9)"),
            ClassRow(name: "linear RNN, polynomial sigma inside the recurrence", lower: insideExact ? 1 : nil, upper: insideExact ? 1 : nil,
                     computable: insideExact ? true : nil,
                     size: insideExact ? "1 (sigma of degree \(polynomialDegree(inside.layers[0].activation!) ?? 0))" : "CONSTRUCTION FAILED",
                     how: "sigma interpolates the transition table; exact for every length"),
            ClassRow(name: "linear RNN stack, polynomial rho after layers", lower: nil, upper: nil, computable: lastDegree == nil ? nil : false,
                     size: lastDegree.map { "none with prod deg(rho_l) < \($0.1!) (one-hot degree at T=\($0.0)), at any width" } ?? "not excluded by degree",
                     how: "such stacks have degree <= prod deg(rho_l) in the inputs"),
            ClassRow(name: "linear RNN (degree <= 1)", lower: nil, upper: nil, computable: additive ? nil : false,
                     size: additive ? "not excluded (f is additive on these lengths)" : "none: f is not additive in the inputs",
                     how: "linear RNNs compute c + sum_t g_t(x_t)"),
        ]
        let classes = classRows.map { [$0.name, $0.size, $0.how] }
        // the bilinear hierarchy (Ebrahimi & Memisevic 2025's classes, read from a summary)
        let hierarchy = BilinearHierarchy(task)
        func argumentText(_ v: BilinearHierarchy.Verdict) -> String {
            if let why = v.impossible { return why.description }
            if v.lowerArgument == .rationalBlocks || v.lowerArgument == .ratioNotReal { return "\(v.lowerArgument!) = \(v.lower ?? 0)" }
            return v.lowerArgument.map { "\($0.description) = \(hierarchy.hankelLower) (all words: the block on one word per element)" } ?? "-"
        }
        let hierarchyRows = hierarchy.verdicts.map { v in [hierarchyClassTitles[v.bilinearClass]!, hierarchySizeText(v), hierarchyConstructionText(v), argumentText(v)] }
        if format == .json {
            print(JSONValue.object([
                ("kind", .string("task")), ("task", .string(task.name)), ("summary", .string(task.summary)),
                ("alphabet", .number(String(task.alphabetSize))), ("groupOrder", .number(String(order))),
                ("hankelRanks", .array(ranks.enumerated().map { .object([("length", .number(String($0 + 1))), ("rank", .number(String($1)))]) })),
                ("constructionVerified", .bool(agrees)),
                ("orderWitness", witness.map { .array([.array($0.word.map { .number(String($0)) }), .array($0.permuted.map { .number(String($0)) })]) } ?? .null),
                ("additive", .bool(additive)),
                ("oneHotDegrees", .array(zip(degreeLengths, degrees).map { .object([("length", .number(String($0))), ("degree", jsonInt($1))]) })),
                ("recurrentActivationUnitVerified", .bool(insideExact)),
                ("classes", .array(classRows.map { c in .object([
                    ("class", .string(c.name)), ("computable", c.computable.map { .bool($0) } ?? .null),
                    ("leastHiddenSizeLower", jsonInt(c.lower)), ("leastHiddenSizeUpper", jsonInt(c.upper)),
                    ("leastHiddenSize", .string(c.size)), ("how", .string(c.how)),
                ]) })),
                ("bilinearHierarchy", .array(hierarchy.verdicts.map { hierarchyJSON($0, argument: argumentText($0)) })),
            ]).text())
            return
        }
        if format == .csv {
            // one tidy table in long form: numbers in `value` (empty where there is none: the zero
            // polynomial's degree, a size no class member has), prose in `text`
            var rows: [[String]] = []
            for (T, r) in ranks.enumerated() { rows.append(["by-length", String(T + 1), "", "hankel_rank", String(r), ""]) }
            for (T, deg) in zip(degreeLengths, degrees) {
                rows.append(["by-length", String(T), "", "one_hot_degree", deg.map(String.init) ?? "", deg == nil ? "zero polynomial" : ""])
            }
            for c in classRows {
                rows.append(["by-class", "", c.name, "computable", c.computable.map { $0 ? "true" : "false" } ?? "", c.computable == nil ? "not decided" : ""])
                rows.append(["by-class", "", c.name, "least_hidden_size_lower", c.lower.map(String.init) ?? "", ""])
                rows.append(["by-class", "", c.name, "least_hidden_size_upper", c.upper.map(String.init) ?? "", c.size])
                rows.append(["by-class", "", c.name, "how", "", c.how])
            }
            for v in hierarchy.verdicts { rows += hierarchyCSVRows(v, argument: argumentText(v)) }
            print(TidyTable(columns: ["table", "length", "class", "quantity", "value", "text"], rows: rows).csv(), terminator: "")
            return
        }
        print(Table(title: "Task \(task.name): \(task.summary); |G| = \(order)",
                    header: ["T"] + (1...length).map(String.init), rows: [["Hankel rank"] + ranks.map(String.init),
                           ["one-hot degree"] + (1...length).map { T in degreeLengths.contains(T) ? degreeText(degrees[T - 1]) : "." }]).render(format, caption: caption), terminator: "")
        print(Table(title: "Least hidden size by model class", header: ["class", "least hidden size", "how"], rows: classes, labelColumns: 3)
                .render(format, caption: caption.map { $0 + " (by model class)" }), terminator: "")
        print(Table(title: hierarchyTableTitle,
                    header: ["class", "least size", "construction", "lower bound or impossibility"], rows: hierarchyRows, labelColumns: 4)
                .render(format, caption: caption.map { $0 + " (bilinear hierarchy)" }), terminator: "")
    }
}
