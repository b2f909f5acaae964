import ExactNumbers

// Canonical text form (Docs/polynomials.md):
//   "0" for the zero polynomial; otherwise terms in canonical order joined by " + " / " - ";
//   a term is [coefficient "*"] factor ("*" factor)*, where a factor is name or name^k,
//   the coefficient is the canonical rational |c| ("3", "3/4"), omitted when |c| = 1 and
//   the term is not constant; the first term carries its sign as a leading "-".
extension Polynomial: CustomStringConvertible {
    public var description: String { text(in: .standard) }

    public func text(in space: VariableSpace) -> String {
        if isZero { return "0" }
        var out = ""
        for (i, (c, m)) in terms.enumerated() {
            let negative = c.signum < 0
            if i == 0 { if negative { out += "-" } } else { out += negative ? " - " : " + " }
            let mag = negative ? -c : c
            if m == .one { out += mag.description; continue }
            if !mag.isOne { out += mag.description + "*" }
            out += m.description(in: space)
        }
        return out
    }
}

/// How large a polynomial the text reader may build. Text is short and an expression like
/// `(x[1][1] + x[1][2])^100000` is not: every product and power is sized before it is
/// expanded and refused past these limits, never left to run out of memory.
public struct PolynomialParseLimits: Sendable, Equatable {
    /// Terms of any intermediate result.
    public var maxTerms: Int
    /// Estimated bytes of any intermediate result (terms times coefficient and exponent storage).
    public var maxBytes: Int
    /// Bits of a numerator or denominator that a product or power may build (numbers
    /// written out in the text are as long as the text and not limited).
    public var maxCoefficientBits: Int
    /// Nesting depth of parentheses and unary minus (each level is a recursion).
    public var maxNesting: Int
    public init(maxTerms: Int = 1_000_000, maxBytes: Int = 1 << 30, maxCoefficientBits: Int = 1 << 22, maxNesting: Int = 200) {
        self.maxTerms = maxTerms; self.maxBytes = maxBytes; self.maxCoefficientBits = maxCoefficientBits; self.maxNesting = maxNesting
    }
    public static let `default` = PolynomialParseLimits()
}

/// A parse failure with the character offset where it happened.
public struct PolynomialParseError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var offset: Int
    public var description: String { "polynomial text, at character \(offset + 1): \(message)" }
}

extension Polynomial {
    /// Reads the canonical text form, and more generally any expression built from
    /// rationals, variables (`x[1][2]`, `v[7]`), + - * ^ (natural exponents), division by
    /// a nonzero number, and parentheses.
    public init(parsing text: String, in space: VariableSpace = .standard,
                limits: PolynomialParseLimits = .default) throws {
        var parser = PolynomialParser(chars: Array(text.utf8), space: space, limits: limits)
        let p = try parser.parseExpression()
        parser.skipSpaces()
        guard parser.pos == parser.chars.count else { throw parser.error("unexpected '\(parser.currentCharacter)'") }
        self = p
    }
}

struct PolynomialParser {
    let chars: [UInt8]
    let space: VariableSpace
    let limits: PolynomialParseLimits
    var pos = 0
    var nesting = 0

    init(chars: [UInt8], space: VariableSpace, limits: PolynomialParseLimits) {
        self.chars = chars; self.space = space; self.limits = limits
    }

    var currentCharacter: String { pos < chars.count ? String(UnicodeScalar(chars[pos])) : "end of text" }
    func error(_ m: String) -> PolynomialParseError { PolynomialParseError(message: m, offset: pos) }

    mutating func skipSpaces() { while pos < chars.count && (chars[pos] == 32 || chars[pos] == 9 || chars[pos] == 10) { pos += 1 } }
    mutating func peek() -> UInt8? { skipSpaces(); return pos < chars.count ? chars[pos] : nil }

    mutating func parseExpression() throws -> Polynomial {
        var sign: Rational = 1
        if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { if c == UInt8(ascii: "-") { sign = -1 }; pos += 1 }
        var result = try parseTerm().scaled(by: sign)
        while let c = peek(), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            pos += 1
            let t = try parseTerm()
            result = Polynomial.linearCombination(result, 1, t, c == UInt8(ascii: "-") ? -1 : 1)
        }
        return result
    }

    mutating func parseTerm() throws -> Polynomial {
        var result = try parsePower()
        while let c = peek(), c == UInt8(ascii: "*") || c == UInt8(ascii: "/") {
            pos += 1
            if c == UInt8(ascii: "*") {
                let factor = try parsePower()
                try checkExponents(result.maxExponent, factor.maxExponent, "a product")
                let n = min(result.termCount, factor.termCount)
                try checkSize(terms: Double(result.termCount) * Double(factor.termCount),
                              bits: Double(result.maxCoefficientBits + factor.maxCoefficientBits + result.denominatorLCMBits
                                           + factor.denominatorLCMBits) + Double(Int.bitWidth - n.leadingZeroBitCount) + 1,
                              variables: result.maxVariables + factor.maxVariables, "a product")
                result = result * factor
            } else {
                let at = pos
                let d = try parsePower()
                guard d.isConstant, !d.constantTerm.isZero else {
                    throw PolynomialParseError(message: "division only by a nonzero number", offset: at)
                }
                result = result.scaled(by: d.constantTerm.reciprocal)
            }
        }
        return result
    }

    /// Refuses a product whose exponents could pass Monomial.maxExponent (never wrap).
    func checkExponents(_ a: Int, _ b: Int, _ what: String) throws {
        if a > Monomial.maxExponent - b {
            throw error("\(what) takes an exponent past \(Monomial.maxExponent), the largest a monomial holds")
        }
    }

    /// Refuses an expansion whose size bound passes the limits: `terms` bounds its term
    /// count, `bits` the bits of any coefficient's numerator or denominator, `variables`
    /// the variables of any monomial.
    func checkSize(terms: Double, bits: Double, variables: Int, _ what: String) throws {
        let bytes = terms * (bits / 4 + 32 + 8 * Double(variables))
        if bits > Double(limits.maxCoefficientBits) {
            throw error("\(what) may build coefficients of up to \(Self.sized(bits)) bits, past the limit of \(limits.maxCoefficientBits) bits (PolynomialParseLimits)")
        }
        if terms > Double(limits.maxTerms) || bytes > Double(limits.maxBytes) {
            throw error("\(what) may produce up to \(Self.sized(terms)) terms (about \(Self.sized(bytes)) bytes), "
                        + "past the limits of \(limits.maxTerms) terms and \(limits.maxBytes) bytes (PolynomialParseLimits)")
        }
    }

    static func sized(_ x: Double) -> String { x < 1e15 ? String(Int(x.rounded(.up))) : "\(x)" }

    mutating func parsePower() throws -> Polynomial {
        let base = try parsePrimary()
        if peek() == UInt8(ascii: "^") {
            pos += 1; skipSpaces()
            let start = pos
            while pos < chars.count && chars[pos] >= 48 && chars[pos] <= 57 { pos += 1 }
            guard pos > start, let e = Int(String(decoding: chars[start..<pos], as: UTF8.self)), e <= 1 << 20 else {
                throw error("expected a natural exponent after '^'")
            }
            let (bound, overflow) = base.maxExponent.multipliedReportingOverflow(by: e)
            if overflow || bound > Monomial.maxExponent {
                throw error("the power ^\(e) takes an exponent past \(Monomial.maxExponent), the largest a monomial holds")
            }
            // k terms to the power e: at most C(k + e - 1, e) terms (monomials of degree e in
            // k symbols), each coefficient a sum of at most k^e products of e coefficients
            // C(k + e - 1, e) = prod_{i=1..min(e, k-1)} (max(e, k-1) + i) / i
            let k = base.termCount, big = max(e, k - 1)
            var terms = 1.0
            for i in stride(from: 1, through: min(e, max(k - 1, 0)), by: 1) {
                terms = terms * Double(big + i) / Double(i)
                if terms > 1e300 { break }
            }
            // denominators of p^e divide lcm(denominators)^e: count its bits, not only the largest's
            let bits = Double(e) * (Double(base.maxCoefficientBits + base.denominatorLCMBits) + Double(Int.bitWidth - k.leadingZeroBitCount) + 1)
            try checkSize(terms: terms, bits: bits, variables: min(e * base.maxVariables, base.variables.count), "the power ^\(e)")
            return base.power(e)
        }
        return base
    }

    mutating func parsePrimary() throws -> Polynomial {
        guard let c = peek() else { throw error("expected a number, variable or '('") }
        // each level recurses; count it for the whole call (a defer inside an `if` would end with the `if`)
        nesting += 1
        defer { nesting -= 1 }
        if nesting > limits.maxNesting { throw error("nested deeper than \(limits.maxNesting) levels (PolynomialParseLimits)") }
        if c == UInt8(ascii: "(") {
            pos += 1
            let inner = try parseExpression()
            guard peek() == UInt8(ascii: ")") else { throw error("expected ')'") }
            pos += 1
            return inner
        }
        if c == UInt8(ascii: "-") {  // unary minus inside a product, e.g. 2*-x
            pos += 1
            return -(try parsePower())
        }
        if (c >= 48 && c <= 57) || c == UInt8(ascii: ".") {
            let start = pos
            while pos < chars.count, (chars[pos] >= 48 && chars[pos] <= 57) || chars[pos] == UInt8(ascii: ".") { pos += 1 }
            let text = String(decoding: chars[start..<pos], as: UTF8.self)
            guard let r = Rational(text) else { throw PolynomialParseError(message: "bad number \"\(text)\"", offset: start) }
            return Polynomial(r)
        }
        if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") {
            let start = pos
            while pos < chars.count, isIdentifier(chars[pos]) { pos += 1 }
            let name = String(decoding: chars[start..<pos], as: UTF8.self)
            var subs: [Int] = []
            while pos < chars.count && chars[pos] == UInt8(ascii: "[") {
                pos += 1
                let s = pos
                while pos < chars.count && chars[pos] >= 48 && chars[pos] <= 57 { pos += 1 }
                guard pos > s, pos < chars.count, chars[pos] == UInt8(ascii: "]"),
                      let v = Int(String(decoding: chars[s..<pos], as: UTF8.self)) else { throw error("expected a subscript like [3]") }
                pos += 1
                subs.append(v)
            }
            guard let index = space.index(name: name, subscripts: subs) else {
                throw PolynomialParseError(message: "unknown variable \(name)\(subs.map { "[\($0)]" }.joined())", offset: start)
            }
            return Polynomial.variable(index)
        }
        throw error("unexpected '\(currentCharacter)'")
    }

    func isIdentifier(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 }
}
