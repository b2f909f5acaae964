/// A minimal JSON reader that keeps number literals as text, so that exactness is decided
/// by the model reader (integer literal vs binary64 float) and never by a float parser.
public indirect enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)), let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// What kind of value this is, for error messages.
    public var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string \"\(s.count > 20 ? String(s.prefix(20)) + "…" : s)\""
        case .number(let n): return "the number \(n)"
        case .bool(let b): return "the boolean \(b)"
        case .null: return "null"
        }
    }
}

public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    public var line: Int, column: Int, message: String
    public var description: String { "JSON syntax error at line \(line), column \(column): \(message)" }
}

public enum JSONReader {
    public static func parse(_ text: String) throws -> JSONValue {
        var p = Parser(bytes: Array(text.utf8))
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.pos == p.bytes.count else { throw p.error("unexpected text after the JSON value") }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var pos = 0

        func error(_ message: String) -> JSONSyntaxError {
            var line = 1, col = 1
            for b in bytes[..<min(pos, bytes.count)] { if b == 10 { line += 1; col = 1 } else { col += 1 } }
            return JSONSyntaxError(line: line, column: col, message: message)
        }
        mutating func skipWhitespace() {
            while pos < bytes.count, [32, 9, 10, 13].contains(bytes[pos]) { pos += 1 }
        }
        mutating func expect(_ literal: String) throws {
            let l = Array(literal.utf8)
            guard pos + l.count <= bytes.count, Array(bytes[pos..<pos + l.count]) == l else { throw error("expected \(literal)") }
            pos += l.count
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 200 else { throw error("nesting deeper than 200") }
            guard pos < bytes.count else { throw error("unexpected end of input") }
            switch bytes[pos] {
            case UInt8(ascii: "{"):
                pos += 1
                var members: [(key: String, value: JSONValue)] = []
                var seen = Set<String>()
                skipWhitespace()
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    guard seen.insert(key).inserted else { throw error("duplicate key \"\(key)\"") }
                    skipWhitespace()
                    try expect(":")
                    skipWhitespace()
                    members.append((key, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard pos < bytes.count else { throw error("unexpected end of input in an object") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                pos += 1
                var items: [JSONValue] = []
                skipWhitespace()
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard pos < bytes.count else { throw error("unexpected end of input in an array") }
                    if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                    if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func number() throws -> String {
            let start = pos
            func digits() -> Int { let s = pos; while pos < bytes.count, bytes[pos] >= 48, bytes[pos] <= 57 { pos += 1 }; return pos - s }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { pos = start; throw error("expected a JSON value") }
            if bytes[start] == UInt8(ascii: "0") || (bytes[start] == UInt8(ascii: "-") && bytes[start + 1] == UInt8(ascii: "0")) {
                if pos - start > (bytes[start] == UInt8(ascii: "-") ? 2 : 1) { throw error("leading zeros are not JSON") }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                pos += 1
                guard digits() > 0 else { throw error("expected digits after '.'") }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                guard digits() > 0 else { throw error("expected digits in the exponent") }
            }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }

        mutating func string() throws -> String {
            pos += 1
            var out: [UInt8] = []
            while true {
                guard pos < bytes.count else { throw error("unterminated string") }
                let b = bytes[pos]; pos += 1
                if b == UInt8(ascii: "\"") { break }
                if b < 32 { throw error("control character in a string") }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard pos < bytes.count else { throw error("unterminated escape") }
                let e = bytes[pos]; pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    guard pos + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16)
                    else { throw error("bad \\u escape") }
                    pos += 4
                    out.append(contentsOf: Array(String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: throw error("bad escape")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension JSONValue {
    /// Compact or pretty text; keys keep their order. Arrays of scalars stay on one line.
    public func text(indent: Int = 0, pretty: Bool = true) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .object(let m):
            if m.isEmpty { return "{}" }
            let items = m.map { "\(JSONValue.quote($0.key)): \($0.value.text(indent: indent + 1, pretty: pretty))" }
            return pretty ? "{\n" + items.map { pad + $0 }.joined(separator: ",\n") + "\n" + end + "}" : "{" + items.joined(separator: ", ") + "}"
        case .array(let a):
            if a.isEmpty { return "[]" }
            let scalarOnly = a.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if !pretty || scalarOnly { return "[" + a.map { $0.text(indent: indent + 1, pretty: false) }.joined(separator: ", ") + "]" }
            // short arrays of arrays (small matrices) stay on one line
            let compact = text(indent: indent, pretty: false)
            if compact.count <= 72 && !compact.contains("{") { return compact }
            return "[\n" + a.map { pad + $0.text(indent: indent + 1, pretty: pretty) }.joined(separator: ",\n") + "\n" + end + "]"
        case .string(let s): return JSONValue.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 32 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
