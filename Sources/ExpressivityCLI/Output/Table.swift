import ArgumentParser
import Expressivity
import Foundation

// Tables in every output format, text wrapping and LaTeX escaping.

/// Output formats of every table command.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, csv, json, latex
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
