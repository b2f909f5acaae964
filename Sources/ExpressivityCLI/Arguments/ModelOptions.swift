import ArgumentParser
import Expressivity
import Foundation

// The options that choose a model (file or family), its grid of (L, T) and its limits.

extension OutputActivationPlacement: ExpressibleByArgument {}
extension ModelFamily: ExpressibleByArgument {}

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
    var family: ModelFamily?

    // Optionals with the defaults below, so that a family option given beside --model is
    // refused rather than silently ignored (a model file fixes every size and weight).
    @Option(name: .customLong("hidden"), parsing: .unconditional, help: "Hidden size of every layer. (default: 2)")
    var hiddenOption: Int?

    @Option(name: .customLong("input-dim"), parsing: .unconditional, help: "Input dimension d. (default: 1)")
    var inputDimOption: Int?

    @Option(name: .customLong("seed"), parsing: .unconditional, help: "Seed of the random weights. (default: 1)")
    var seedOption: UInt64?

    @Option(name: .customLong("range"), parsing: .unconditional, help: "Weights are nonzero integers in [-range, range]. The default gives generic behaviour (ranks and degrees of almost every weight); a small range such as 3 keeps numbers short but can fall below generic bounds by chance. (default: 1000)")
    var rangeOption: Int?

    var hidden: Int { hiddenOption ?? 2 }
    var inputDim: Int { inputDimOption ?? 1 }
    var seed: UInt64 { seedOption ?? 1 }
    var range: Int { rangeOption ?? 1000 }

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

    @Option(name: .customLong("cp-rank"), parsing: .unconditional, help: "CP rank of cp-2rnn layers (default: hidden).")
    var cpRank: Int?

    @Option(name: .long, help: "Polynomial activation inside the recurrence, coefficients c0,c1,...,cK.")
    var activation: String?

    @Option(name: .customLong("output-activation"), help: "Polynomial rho applied to what a layer passes on, c0,c1,...,cK.")
    var outputActivation: String?

    @Option(name: .customLong("output-activation-placement"),
            help: "every-layer or between-layers (default: every-layer for linear-rnn-layerwise, as in the depth paper's code; between-layers otherwise).")
    var outputActivationPlacement: OutputActivationPlacement?

    func validate() throws {
        if hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if inputDim < 1 { throw ValidationError("--input-dim must be at least 1") }
        if range < 1 { throw ValidationError("--range must be at least 1") }
        if let r = cpRank, r < 1 { throw ValidationError("--cp-rank must be at least 1") }
        if cpRank != nil, let f = family, f != .cpTwoRNN {
            throw ValidationError("--cp-rank applies to cp-2rnn only, not \(f.rawValue)")
        }
        if let a = activation { _ = try parseCoefficients(a, option: "--activation") }
        if let a = outputActivation { _ = try parseCoefficients(a, option: "--output-activation") }
        if outputActivationPlacement != nil && outputActivation == nil && family != .linearRNNLayerwise {
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
        guard let f = family else { return }
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

    /// The spec for one depth (the commands' `validate()` has checked that `family` is set).
    func spec(depth: Int, outputs: Int = 1) throws -> FamilySpec {
        guard let family else { throw ValidationError("--family is required") }
        return FamilySpec(family: family, depth: depth, hidden: hidden, inputDim: inputDim, seed: seed,
                   range: range, outputs: outputs, cpRank: cpRank,
                   activation: try activation.map { try parseCoefficients($0, option: "--activation") },
                   outputActivation: try outputActivation.map { try parseCoefficients($0, option: "--output-activation") },
                   outputActivationPlacement: outputActivationPlacement)
    }

    var label: String { "\(family?.rawValue ?? "-") (hidden \(hidden), d \(inputDim), seed \(seed), range \(range))" }
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
    func models(maxDepth: Int, output: Int? = nil, layer: Int? = nil) throws -> [NetworkModel] {
        if let path = model { return [try loadModel(path, output: output, layer: layer)] }
        return try (1...maxDepth).map { try spec(depth: $0).model() }
    }

    var label: String { model ?? generated.label }
}

/// The options `degree` and `rank` share: the grid of (L, T), the single-cell profile, the
/// output index, the format and the size limit.
struct GridOptions: ParsableArguments {
    // Optionals so that a grid option given where it has no effect is refused, not ignored.
    @Option(name: .customLong("max-depth"), parsing: .unconditional, help: "Rows L = 1...max-depth (family only). (default: 3)") var maxDepthOption: Int?
    @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Columns T = 1...max-length. (default: 6)") var maxLengthOption: Int?
    @Flag(name: .long, help: "Print one (L, T) in detail: the per-step profile (degree) or all cuts (rank).") var profile = false
    @Option(name: .long, parsing: .unconditional, help: "One depth L instead of 1...max-depth, and the depth for --profile (family only).") var depth: Int?
    @Option(name: .long, parsing: .unconditional, help: "One length T instead of 1...max-length, and the length for --profile.") var length: Int?
    @Option(name: .customLong("min-length"), parsing: .unconditional, help: "First column T = min-length...max-length. (default: 1)") var minLengthOption: Int?
    @Option(name: .long, help: "The caption of a LaTeX table (--format latex; $...$ is math). (default: the title)") var caption: String?
    @Option(name: .long, help: "Also draw the result as a line chart (SVG) in this file: one line per depth, bounds dashed.") var plot: String?
    @Option(name: .customLong("output-index"), parsing: .unconditional, help: "Which output y_T[i] of the readout, 0-based (--output, where a command writes a file, names the file).") var output: Int = 0
    @Option(name: .long, help: "text, markdown, csv, json or latex.") var format: OutputFormat = .text
    @Option(name: .customLong("max-terms"), parsing: .unconditional, help: "Refuse when the estimated size of a polynomial exceeds this.") var maxTermsOption = Count(5_000_000)
    var maxTerms: Int { maxTermsOption.value }
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(ByteCount.help)) var maxMemory: ByteCount = .defaultLimit
    @Option(name: .customLong("max-work"), parsing: .unconditional, help: ArgumentHelp(OperationCount.expansionHelp))
    var maxWork = OperationCount(defaultMaxExpansionWork)

    var maxDepth: Int { maxDepthOption ?? 3 }
    var maxLength: Int { maxLengthOption ?? 6 }
    /// The columns: the one --length, or min-length...max-length.
    var lengths: [Int] { length.map { [$0] } ?? Array((minLengthOption ?? 1)...maxLength) }

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
        if output < 0 { throw ValidationError("--output-index must be at least 0") }
        if let m = minLengthOption {
            if length != nil || profile { throw ValidationError("--min-length is for tables; --length T gives one column") }
            if m < 1 || m > maxLength { throw ValidationError("--min-length must be in 1...\(maxLength) (--max-length)") }
        }
        if caption != nil && format != .latex { throw ValidationError("--caption is for --format latex") }
    }

    /// A model file fixes its depth.
    func check(against source: ModelSource) throws {
        if depth != nil && source.model != nil { throw ValidationError("--depth applies to families; a model file fixes its depth") }
        if maxDepthOption != nil && source.model != nil { throw ValidationError("--max-depth applies to families; a model file fixes its depth") }
        try source.generated.checkSize(depth: depth ?? maxDepth)
    }
}
