import ArgumentParser
import Expressivity
import Foundation

extension OutputActivationPlacement: ExpressibleByArgument {}

/// Output formats of every table command.
/// A memory size: a number of bytes, or with a binary suffix K, M, G or T (8G = 8 GiB).
struct ByteCount: ExpressibleByArgument, Equatable {
    let bytes: Int
    init(bytes: Int) { self.bytes = bytes }
    init?(argument: String) {
        var digits = Substring(argument.uppercased())
        if digits.hasSuffix("IB") { digits = digits.dropLast(2) } else if digits.hasSuffix("B") { digits = digits.dropLast() }
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var shift = 0
        if let last = digits.last, let s = shifts[last] { shift = s; digits = digits.dropLast() }
        guard let n = Int(digits), n >= 1 else { return nil }
        let (b, overflow) = n.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow else { return nil }
        bytes = b
    }
    var defaultValueDescription: String { ByteCount.text(bytes) }
    static func text(_ b: Int) -> String {
        for (s, name) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where b % (1 << s) == 0 { return "\(b >> s)\(name)" }
        return String(b)
    }
    static let defaultLimit = ByteCount(bytes: defaultMaxExpansionBytes)
    static let help = "Refuse when the estimated memory of the expansion (terms x coefficient sizes) exceeds this: bytes, or 512M, 8G, 1T."
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, csv, json, latex
}

/// Reads and validates a model file, turning every failure into an error naming the file.
func loadModel(_ path: String) throws -> NetworkModel {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ModelError(file: path, path: "$", message: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ModelError(file: path, path: "$", message: "the file is not UTF-8 text")
    }
    return try NetworkModel(json: text, file: path)
}

/// Parses "0,1,0,1" into polynomial coefficients c0, c1, ...
func parseCoefficients(_ text: String, option: String) throws -> [Rational] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard !parts.isEmpty, !text.isEmpty else { throw ValidationError("\(option): expected coefficients c0,c1,...,cK") }
    return try parts.enumerated().map { i, p in
        guard let r = Rational(p) else { throw ValidationError("\(option): coefficient \(i) (\"\(p)\") is not an exact number") }
        return r
    }
}

/// A named family and how to draw its weights: shared by `model random` and every command
/// that takes `--family`.
struct FamilyOptions: ParsableArguments {
    @Option(name: .long, help: "A named family: \(ModelFamily.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: String?

    // Optionals with the defaults below, so that a family option given beside --model is
    // refused rather than silently ignored (a model file fixes every size and weight).
    @Option(name: .customLong("hidden"), help: "Hidden size of every layer. (default: 2)")
    var hiddenOption: Int?

    @Option(name: .customLong("input-dim"), help: "Input dimension d. (default: 1)")
    var inputDimOption: Int?

    @Option(name: .customLong("seed"), help: "Seed of the random weights. (default: 1)")
    var seedOption: UInt64?

    @Option(name: .customLong("range"), help: "Weights are nonzero integers in [-range, range]. (default: 3)")
    var rangeOption: Int?

    var hidden: Int { hiddenOption ?? 2 }
    var inputDim: Int { inputDimOption ?? 1 }
    var seed: UInt64 { seedOption ?? 1 }
    var range: Int { rangeOption ?? 3 }

    /// The family options given on the command line, by flag name.
    var given: [String] {
        var out: [String] = []
        if hiddenOption != nil { out.append("--hidden") }
        if inputDimOption != nil { out.append("--input-dim") }
        if seedOption != nil { out.append("--seed") }
        if rangeOption != nil { out.append("--range") }
        if cpRank != nil { out.append("--cp-rank") }
        if activation != nil { out.append("--activation") }
        if outputActivation != nil { out.append("--output-activation") }
        if outputActivationPlacement != nil { out.append("--output-activation-placement") }
        return out
    }

    @Option(name: .customLong("cp-rank"), help: "CP rank of cp-2rnn layers (default: hidden).")
    var cpRank: Int?

    @Option(name: .long, help: "Polynomial activation inside the recurrence, coefficients c0,c1,...,cK.")
    var activation: String?

    @Option(name: .customLong("output-activation"), help: "Polynomial rho applied to what a layer passes on, c0,c1,...,cK.")
    var outputActivation: String?

    @Option(name: .customLong("output-activation-placement"),
            help: "every-layer or between-layers (default: every-layer for linear-rnn-layerwise, as in the depth paper's code; between-layers otherwise).")
    var outputActivationPlacement: OutputActivationPlacement?

    func validate() throws {
        if let f = family, ModelFamily(rawValue: f) == nil {
            throw ValidationError("unknown family '\(f)'; choose one of \(ModelFamily.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if inputDim < 1 { throw ValidationError("--input-dim must be at least 1") }
        if range < 1 { throw ValidationError("--range must be at least 1") }
        if let r = cpRank, r < 1 { throw ValidationError("--cp-rank must be at least 1") }
        if cpRank != nil, let f = family, f != ModelFamily.cpTwoRNN.rawValue {
            throw ValidationError("--cp-rank applies to cp-2rnn only, not \(f)")
        }
        if let a = activation { _ = try parseCoefficients(a, option: "--activation") }
        if let a = outputActivation { _ = try parseCoefficients(a, option: "--output-activation") }
        if outputActivationPlacement != nil && outputActivation == nil && family != ModelFamily.linearRNNLayerwise.rawValue {
            throw ValidationError("--output-activation-placement needs --output-activation (only linear-rnn-layerwise has a default rho)")
        }
    }

    /// The most weights a generated model may have: each is an exact rational, and every
    /// analysis reads all of them at least once per step.
    static let maxWeights = 10_000_000.0

    /// Refuses, before anything is allocated, a family model with more than maxWeights
    /// weights at this depth (issue 11: --hidden 1000000 or --depth 1000000000 used to
    /// allocate until the process died). No-op without --family.
    func checkSize(depth: Int, outputs: Int = 1) throws {
        guard let f = family.flatMap(ModelFamily.init(rawValue:)) else { return }
        let n = Double(hidden), d = Double(inputDim), r = Double(cpRank ?? hidden)
        func layer(_ m: Double) -> Double {
            switch f {
            case .twoRNN, .affineTwoRNN: return n * n * (m + 1) + n * n + n * m + 2 * n
            case .cpTwoRNN: return r * (n + m + n) + n * n + n * m + 2 * n
            default: return n * n + n * m + 2 * n + n * max(n, m)
            }
        }
        let total = layer(d) + Double(max(depth - 1, 0)) * layer(n) + Double(outputs) * n
        if !(total <= FamilyOptions.maxWeights) {
            throw ValidationError("a \(f.rawValue) model with --hidden \(hidden), --input-dim \(inputDim)\(cpRank.map { ", --cp-rank \($0)" } ?? ""), depth \(depth) and \(outputs) output(s) has \(DegreeAnalysis.formatEstimate(total)) weights, above the \(Int(FamilyOptions.maxWeights)) an exact analysis can hold; use smaller sizes")
        }
    }

    /// The spec for one depth; `family` must be set (checked by the commands' `validate()`).
    func spec(depth: Int, outputs: Int = 1) throws -> FamilySpec {
        FamilySpec(family: ModelFamily(rawValue: family!)!, depth: depth, hidden: hidden, inputDim: inputDim, seed: seed,
                   range: range, outputs: outputs, cpRank: cpRank,
                   activation: try activation.map { try parseCoefficients($0, option: "--activation") },
                   outputActivation: try outputActivation.map { try parseCoefficients($0, option: "--output-activation") },
                   outputActivationPlacement: outputActivationPlacement)
    }

    var label: String { "\(family ?? "-") (hidden \(hidden), d \(inputDim), seed \(seed), range \(range))" }
}

/// Where a model comes from: a file (depth fixed) or a family (depth varies).
struct ModelSource: ParsableArguments {
    @Option(name: .long, help: "A model file (JSON, Docs/model-format.md).")
    var model: String?

    @OptionGroup var generated: FamilyOptions

    func validate() throws {
        if (model == nil) == (generated.family == nil) { throw ValidationError("give exactly one of --model FILE or --family NAME") }
        let stray = generated.given
        if model != nil, !stray.isEmpty {
            throw ValidationError("\(stray.joined(separator: ", ")) \(stray.count == 1 ? "applies" : "apply") to --family; a model file fixes its sizes and weights")
        }
    }

    func spec(depth: Int) throws -> FamilySpec { try generated.spec(depth: depth) }

    /// The models for depths 1...maxDepth (a file gives its one model).
    func models(maxDepth: Int) throws -> [NetworkModel] {
        if let path = model { return [try loadModel(path)] }
        return try (1...maxDepth).map { try spec(depth: $0).model() }
    }

    var label: String { model ?? generated.label }
}

/// Progress lines on stderr, only when stderr is a terminal.
struct Progress {
    let enabled = isatty(2) != 0
    func report(_ s: String) {
        guard enabled else { return }
        FileHandle.standardError.write(("\r\u{1B}[K" + s).data(using: .utf8)!)
    }
    func done() { if enabled { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!) } }
}

/// A rectangular table rendered in the chosen format.
struct Table {
    var title: String
    var header: [String]
    var rows: [[String]]
    var notes: [String] = []

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .text:
            let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
            // numbers right-aligned, prose left-aligned
            let numeric = header.indices.map { c in rows.allSatisfy { $0[c].count <= 16 } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { c, s in
                    let pad = String(repeating: " ", count: widths[c] - s.count)
                    return numeric[c] ? pad + s : s + pad
                }.joined(separator: "  ")
            }
            return ([title, line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
                    + rows.map(line) + notes).joined(separator: "\n") + "\n"
        case .markdown:
            let esc = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
            var out = ["**\(esc(title))**", "", "| " + header.map(esc).joined(separator: " | ") + " |",
                       "|" + header.map { _ in " ---: |" }.joined()]
            out += rows.map { "| " + $0.map(esc).joined(separator: " | ") + " |" }
            if !notes.isEmpty { out += [""] + notes }
            return out.joined(separator: "\n") + "\n"
        case .csv:
            let q = { (s: String) in s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
            return ([header] + rows).map { $0.map(q).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .latex:
            let esc = { (s: String) in s.replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "#", with: "\\#").replacingOccurrences(of: "&", with: "\\&") }
            var out = ["% \(title)", "\\begin{tabular}{" + String(repeating: "r", count: header.count) + "}", "\\hline",
                       header.map(esc).joined(separator: " & ") + " \\\\", "\\hline"]
            out += rows.map { $0.map(esc).joined(separator: " & ") + " \\\\" }
            out += ["\\hline", "\\end{tabular}"]
            out += notes.map { "% " + $0 }
            return out.joined(separator: "\n") + "\n"
        case .json:
            // commands with richer data print their own JSON; this is the table as data
            let cells: [JSONValue] = rows.map { .array($0.map { JSONValue.string($0) }) }
            return JSONValue.object([("title", .string(title)), ("header", .array(header.map { .string($0) })),
                                     ("rows", .array(cells)), ("notes", .array(notes.map { .string($0) }))]).text() + "\n"
        }
    }
}

func degreeText(_ d: Int?) -> String { d.map(String.init) ?? "-" }
func jsonInt(_ d: Int?) -> JSONValue { d.map { .number(String($0)) } ?? .null }

/// The options `degree` and `rank` share: the grid of (L, T), the single-cell profile, the
/// output index, the format and the size limit.
struct GridOptions: ParsableArguments {
    // Optionals so that a grid option given where it has no effect is refused, not ignored.
    @Option(name: .customLong("max-depth"), help: "Rows L = 1...max-depth (family only). (default: 3)") var maxDepthOption: Int?
    @Option(name: .customLong("max-length"), help: "Columns T = 1...max-length. (default: 6)") var maxLengthOption: Int?
    @Flag(name: .long, help: "Print one (L, T) in detail: the per-step profile (degree) or all cuts (rank).") var profile = false
    @Option(name: .long, help: "One depth L instead of 1...max-depth, and the depth for --profile (family only).") var depth: Int?
    @Option(name: .long, help: "One length T instead of 1...max-length (rank), and the length for --profile.") var length: Int?
    @Option(name: .long, help: "Output index (0-based).") var output: Int = 0
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .customLong("max-terms"), help: "Refuse when the estimated size of a polynomial exceeds this.") var maxTerms: Int = 5_000_000
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(ByteCount.help)) var maxMemory: ByteCount = .defaultLimit

    var maxDepth: Int { maxDepthOption ?? 3 }
    var maxLength: Int { maxLengthOption ?? 6 }

    /// Tables keep a per-step profile for every T of a row (about T^2 / 2 entries): 2000
    /// columns take about a second and 0.1 GB (degree, 2rnn); 20000 took 2.5 GB and minutes.
    static let maxColumns = 2000
    /// One column (rank --length T): the lifted method's own limits bound the work.
    static let maxSingleLength = 100_000

    func validate() throws {
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
        if maxLength > GridOptions.maxColumns {
            throw ValidationError("--max-length \(maxLength): a table keeps a per-step profile for every T; at most \(GridOptions.maxColumns) columns (one column: --length T)")
        }
        if let t = length, t > GridOptions.maxSingleLength { throw ValidationError("--length \(t): at most \(GridOptions.maxSingleLength)") }
        if profile && length == nil { throw ValidationError("--profile needs --length T") }
        if profile, maxLengthOption != nil || maxDepthOption != nil {
            throw ValidationError("--profile prints the one cell --depth L, --length T; --max-length and --max-depth are for tables")
        }
        if length != nil, maxLengthOption != nil { throw ValidationError("give --length T (one column) or --max-length (columns 1...max), not both") }
        if depth != nil, maxDepthOption != nil { throw ValidationError("give --depth L (one row) or --max-depth (rows 1...max), not both") }
        if let t = length, t < 1 { throw ValidationError("--length must be at least 1") }
        if let d = depth, d < 1 { throw ValidationError("--depth must be at least 1") }
        if output < 0 { throw ValidationError("--output must be at least 0") }
        if maxTerms < 1 { throw ValidationError("--max-terms must be at least 1") }
    }

    /// A model file fixes its depth.
    func check(against source: ModelSource) throws {
        if depth != nil && source.model != nil { throw ValidationError("--depth applies to families; a model file fixes its depth") }
        if maxDepthOption != nil && source.model != nil { throw ValidationError("--max-depth applies to families; a model file fixes its depth") }
        try source.generated.checkSize(depth: depth ?? maxDepth)
    }
}
