import ArgumentParser
import Expressivity
import Foundation

// Counts, sizes and operation budgets as users write them on the command line.

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
