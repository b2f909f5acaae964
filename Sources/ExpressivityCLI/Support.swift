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

/// A number of operations, written as users write them: 20000000000 or 2e10.
struct OperationCount: ExpressibleByArgument, Equatable {
    let value: Double
    init(_ value: Double) { self.value = value }
    init?(argument: String) {
        guard let v = Double(argument), v.isFinite, v > 0 else { return nil }
        value = v
    }
    static let expansionHelp = "Refuse an expansion whose estimated work exceeds this many coefficient operations (term products weighted by 64-bit limbs; 3e6 to 2e8 per second on one core, Docs/resources.md)."
    /// 2e10 rather than 20000000000.0.
    var defaultValueDescription: String {
        var m = value, e = 0
        while m >= 10, m.truncatingRemainder(dividingBy: 10) == 0 { m /= 10; e += 1 }
        return e >= 3 && m < 1e15 ? "\(Int(m))e\(e)" : String(Int(exactly: value).map(String.init) ?? "\(value)")
    }
}

/// A count (terms, entries, coordinates), written as users write them: 5000000 or 5e6 or
/// 2.5e6; read exactly (no floating point), refused if it is not a whole number or overflows.
struct Count: ExpressibleByArgument, Equatable {
    let value: Int
    init(_ value: Int) { self.value = value }
    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "e", omittingEmptySubsequences: false)
        guard parts.count <= 2, let mantissa = parts.first, !mantissa.isEmpty else { return nil }
        var exponent = 0
        if parts.count == 2 { guard let e = Int(parts[1]), (0...18).contains(e) else { return nil }; exponent = e }
        let halves = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard halves.count <= 2, halves.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        var digits = String(halves[0])
        if halves.count == 2 {
            var fraction = Substring(halves[1])
            while fraction.last == "0" { fraction = fraction.dropLast() }
            guard fraction.count <= exponent else { return nil }   // 2.5e0 is not a count
            digits += fraction; exponent -= fraction.count
        }
        guard !digits.isEmpty, var v = Int(digits) else { return nil }
        for _ in 0..<exponent {
            let (m, overflow) = v.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            v = m
        }
        guard v >= 1 else { return nil }
        value = v
    }
    /// 5e6 rather than 5000000 where that is shorter.
    var defaultValueDescription: String {
        var m = value, e = 0
        while m >= 10, m % 10 == 0 { m /= 10; e += 1 }
        return e >= 4 ? "\(m)e\(e)" : String(value)
    }
}

/// A prose line broken at spaces into lines of at most `width` characters, continuation
/// lines indented; a line with no room to break, or code (a model file), stays whole.
func wrapped(_ line: String, width: Int = Table.textWidth, indent: String = "    ") -> [String] {
    if line.contains("\n") {
        return line.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapped(String($0), width: width, indent: indent) }
    }
    let lead = String(line.prefix { $0 == " " })
    let body = line.dropFirst(lead.count)
    // model files and other JSON stay as written: a break inside a string would change it
    guard line.count > width, let first = body.first, !"{[\"]}".contains(first) else { return [line] }
    var out: [String] = [], current = lead
    for word in body.split(separator: " ") {
        if current.count > lead.count + (out.isEmpty ? 0 : indent.count) && current.count + 1 + word.count > width {
            out.append(current); current = lead + indent + word
        } else {
            current += (current.count > lead.count + (out.isEmpty ? 0 : indent.count) ? " " : "") + word
        }
    }
    out.append(current)
    return out
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, csv, json, latex
}

/// A computation refused or failed at run time (exit code 1); usage errors are
/// `ValidationError`s from `validate()` (exit code 64).
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Reads and validates a model file, turning every failure into an error naming the file
/// and the cause (missing, a directory, unreadable, empty, not UTF-8).
/// With `output` or `layer`: an index beyond the file's model is a usage error (exit 64), found
/// only once the file is read.
func loadModel(_ path: String, output: Int? = nil, layer: Int? = nil) throws -> NetworkModel {
    let m = try readModel(path)
    if let i = output, i >= m.outputCount {
        throw ValidationError("--output-index \(i) is out of range for \(path): its readout has \(m.outputCount) output(s), indices 0 to \(m.outputCount - 1)")
    }
    if let l = layer, l > m.depth {
        throw ValidationError("--layer \(l) is out of range for \(path): it has \(m.depth) layer(s), 1 to \(m.depth)")
    }
    return m
}

private func readModel(_ path: String) throws -> NetworkModel {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ModelError(file: path, path: "", message: "no such file")
    }
    if isDirectory.boolValue { throw ModelError(file: path, path: "", message: "is a directory, not a model file") }
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    if let type = try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType, type != .typeRegular {
        throw ModelError(file: path, path: "", message: "is not a regular file (a device, socket or pipe)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ModelError(file: path, path: "", message: "cannot read the file (permission denied)")
    }
    if data.isEmpty { throw ModelError(file: path, path: "", message: "the file is empty") }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ModelError(file: path, path: "", message: "the file is not UTF-8 text")
    }
    return try NetworkModel(json: text, file: path)
}

/// Writes `text` to the file `path`, or to standard output when `path` is "-" or absent.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path = path, path != "-" else { print(text, terminator: ""); return }
    try writeFile(text, to: path)
}

/// Writes a file, or says why it cannot: a directory, a missing parent directory, no permission.
func writeFile(_ text: String, to path: String) throws {
    if FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8)) { return }
    var isDirectory: ObjCBool = false
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let cause: String
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        cause = "it is a directory"
    } else if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) || !isDirectory.boolValue {
        cause = "no directory \(parent)"
    } else {
        cause = "permission denied"
    }
    throw CommandError("cannot write \(path): \(cause)")
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
    func models(maxDepth: Int, output: Int? = nil, layer: Int? = nil) throws -> [NetworkModel] {
        if let path = model { return [try loadModel(path, output: output, layer: layer)] }
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

/// A rectangular table rendered in the chosen format. The first `labelColumns` columns
/// label the rows (left-aligned); the others hold values (right-aligned).
struct Table {
    var title: String
    var header: [String]
    var rows: [[String]]
    var notes: [String] = []
    var labelColumns = 1
    /// Text tables wider than this wrap into blocks of columns (a fixed width: output must not
    /// depend on the terminal).
    static let textWidth = 100

    func render(_ format: OutputFormat, caption: String? = nil) -> String {
        switch format {
        case .text:
            let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
            // a table of prose too wide for the page: one block per row, each field on its own wrapped line
            if labelColumns >= header.count && header.count > 1 && widths.reduce(0, +) + 2 * (header.count - 1) > Table.textWidth {
                var out = wrapped(title)
                for r in rows {
                    out.append("")
                    out += wrapped(r[0])
                    for c in 1..<header.count { out += wrapped("  \(header[c]): \(r[c])") }
                }
                return (out + notes.flatMap { wrapped($0) }).joined(separator: "\n") + "\n"
            }
            func line(_ r: [String], _ columns: [Int]) -> String {
                columns.map { c in
                    let pad = String(repeating: " ", count: widths[c] - r[c].count)
                    return c < labelColumns ? r[c] + pad : pad + r[c]
                }.joined(separator: "  ").trailingSpacesRemoved
            }
            // wide tables wrap: blocks of value columns that fit in textWidth, each repeating the labels
            let labels = Array(0..<min(labelColumns, header.count))
            var blocks: [[Int]] = [], current: [Int] = []
            var used = labels.reduce(0) { $0 + widths[$1] + 2 }
            for c in labels.count..<header.count {
                if !current.isEmpty && used + widths[c] > Table.textWidth { blocks.append(current); current = []; used = labels.reduce(0) { $0 + widths[$1] + 2 } }
                current.append(c); used += widths[c] + 2
            }
            if !current.isEmpty || blocks.isEmpty { blocks.append(current) }
            var out = wrapped(title)
            for (i, block) in blocks.enumerated() {
                let columns = labels + block
                if i > 0 { out.append("") }
                out += [line(header, columns), columns.map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  ")]
                out += rows.map { line($0, columns) }
            }
            return (out + notes.flatMap { wrapped($0) }).joined(separator: "\n") + "\n"
        case .markdown:
            let esc = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
            var out = ["**\(esc(title))**", "", "| " + header.map(esc).joined(separator: " | ") + " |",
                       "|" + header.indices.map { $0 < labelColumns ? " --- |" : " ---: |" }.joined()]
            out += rows.map { "| " + $0.map(esc).joined(separator: " | ") + " |" }
            if !notes.isEmpty { out += [""] + notes.map { "- " + esc($0) } }
            return out.joined(separator: "\n") + "\n"
        case .csv:
            return TidyTable(columns: header, rows: rows).csv()
        case .latex:
            // booktabs rules, numbers in math mode, a real caption, the notes under the table
            // numbers right-aligned; a column with prose in it is a left-aligned paragraph column
            // (no prose in r columns: a long cell would run off the page)
            // a label column of long prose wraps too (an l column does not); the paragraph columns
            // share 85% of the line, at most 30% each, so the table fits the text width
            let paragraph = header.indices.map { c in
                c < labelColumns ? rows.contains { $0[c].count > 30 } : rows.contains { LaTeX.cell($0[c]) == LaTeX.text($0[c]) && $0[c].count > 12 }
            }
            let share = paragraph.filter { $0 }.count
            let hundredths = share == 0 ? 0 : min(30, 85 / share)
            let width = "0.\(hundredths < 10 ? "0" : "")\(hundredths)"
            let spec = header.indices.map { c -> String in
                paragraph[c] ? "p{\(width)\\linewidth}" : (c < labelColumns ? "l" : "r")
            }.joined()
            var out = ["% \(LaTeX.comment(title))", "% needs \\usepackage{booktabs}",
                       "\\begin{table}[ht]", "\\centering", "\\caption{\(caption.map(LaTeX.caption) ?? LaTeX.text(title))}",
                       "\\begin{tabular}{\(spec)}", "\\toprule",
                       header.map(LaTeX.header).joined(separator: " & ") + " \\\\", "\\midrule"]
            out += rows.map { $0.map(LaTeX.cell).joined(separator: " & ") + " \\\\" }
            out += ["\\bottomrule", "\\end{tabular}"]
            if !notes.isEmpty {
                out += ["\\par\\smallskip", "{\\footnotesize"] + notes.map { LaTeX.text($0) + "\\par" } + ["}"]
            }
            out += ["\\end{table}"]
            return out.joined(separator: "\n") + "\n"
        case .json:
            // commands with richer data print their own JSON; this is the table as data
            let cells: [JSONValue] = rows.map { .array($0.map { JSONValue.string($0) }) }
            return JSONValue.object([("title", .string(title)), ("header", .array(header.map { .string($0) })),
                                     ("rows", .array(cells)), ("notes", .array(notes.map { .string($0) }))]).text() + "\n"
        }
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Table cells and prose as LaTeX: numbers in math mode, `<=` as \le, every special
/// character escaped.
enum LaTeX {
    static func escaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "{", "}", "$", "&", "#", "_", "%": out += "\\" + String(ch)
            case "^": out += "\\^{}"
            case "~": out += "\\~{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "|": out += "\\textbar{}"
            default: out.append(ch)
            }
        }
        return out
    }
    /// Prose: escaped, with <= and >= as math.
    static func text(_ s: String) -> String {
        s.components(separatedBy: "<=").map { part in
            part.components(separatedBy: ">=").map(escaped).joined(separator: "$\\ge$")
        }.joined(separator: "$\\le$")
    }
    /// A caption as the user wrote it: $...$ passes through as math, the rest is text.
    static func caption(_ s: String) -> String {
        var parts = s.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        var tail = ""
        if parts.count % 2 == 0 { tail = "\\$" + text(parts.removeLast()) }   // an unpaired $ is a dollar sign
        return parts.enumerated().map { $0.offset % 2 == 1 ? "$\($0.element)$" : text($0.element) }.joined() + tail
    }
    static func comment(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ") }
    /// "T=5" as $T=5$; other headers as text.
    static func header(_ s: String) -> String {
        if s.hasPrefix("T="), Int(s.dropFirst(2)) != nil { return "$T=\(s.dropFirst(2))$" }
        if s == "L" || s == "T" || s == "k" { return "$\(s)$" }
        return text(s)
    }
    /// "12" as $12$, "12!" as $12^{!}$, "8 c" (a bound and its source) as $8^{c}$, "-" as --.
    static func cell(_ s: String) -> String {
        if s == "-" { return "--" }
        if s.count == 2, s.first == "-", let mark = s.last, "!?*".contains(mark) { return "--\\textsuperscript{\(mark)}" }
        if Int(s) != nil { return "$\(s)$" }
        if let last = s.last, "!?*".contains(last), Int(s.dropLast()) != nil { return "$\(s.dropLast())^{\(last)}$" }
        let parts = s.split(separator: " ")
        if parts.count == 2, Int(parts[0]) != nil, parts[1].allSatisfy(\.isLetter) { return "$\(parts[0])^{\\mathrm{\(parts[1])}}$" }
        return text(s)
    }
}

func degreeText(_ d: Int?) -> String { d.map(String.init) ?? "-" }
func jsonInt(_ d: Int?) -> JSONValue { d.map { .number(String($0)) } ?? .null }

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
