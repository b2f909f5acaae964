import ExactNumbers

/// A model file problem, located by a JSON path such as `$.layers[1].bilinear[0][2]`.
public struct ModelError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var path: String
    public var message: String
    public init(file: String? = nil, path: String, message: String) { self.file = file; self.path = path; self.message = message }
    /// "file: $.layers[0]: message"; a file-level problem (path empty) names the file alone.
    public var description: String { (file.map { "\($0): " } ?? "") + (path.isEmpty ? "" : "\(path): ") + message }
}

extension NetworkModel {
    public static let formatTag = "rnn-expressivity/1"

    /// Reads and validates a model from JSON text. Every problem is a `ModelError` (or a
    /// `JSONSyntaxError` for malformed JSON) naming where it is.
    public init(json text: String, file: String? = nil) throws {
        let value: JSONValue
        do { value = try JSONReader.parse(text) } catch let e as JSONSyntaxError {
            throw ModelError(file: file, path: "$", message: e.description)
        }
        do { self = try ModelDecoder.model(value) } catch var e as ModelError {
            e.file = file; throw e
        }
    }
}

enum ModelDecoder {
    typealias Members = [(key: String, value: JSONValue)]

    static func fail(_ path: String, _ message: String) -> ModelError { ModelError(path: path, message: message) }

    static func object(_ v: JSONValue, _ path: String, allowed: [String]) throws -> [String: JSONValue] {
        guard case .object(let m) = v else { throw fail(path, "expected an object, found \(v.kindName)") }
        var out: [String: JSONValue] = [:]
        for (k, x) in m {
            guard allowed.contains(k) else {
                throw fail(path, "unknown field \"\(k)\" (allowed: \(allowed.joined(separator: ", ")))")
            }
            out[k] = x
        }
        return out
    }

    static func required(_ o: [String: JSONValue], _ key: String, _ path: String) throws -> JSONValue {
        guard let v = o[key] else { throw fail(path, "missing required field \"\(key)\"") }
        return v
    }

    static func positiveInteger(_ v: JSONValue, _ path: String) throws -> Int {
        guard case .number(let lit) = v, !lit.contains("."), !lit.contains("e"), !lit.contains("E"),
              let n = Int(lit), n >= 1 else {
            throw fail(path, "expected a positive integer literal, found \(v.kindName)")
        }
        guard n <= 1_000_000 else { throw fail(path, "\(n) is larger than the supported 1000000") }
        return n
    }

    /// An exact number: integer literal, binary64 float literal (converted exactly), or a
    /// string "p/q" / integer / decimal.
    static func number(_ v: JSONValue, _ path: String) throws -> Rational {
        switch v {
        case .number(let lit):
            if !lit.contains("."), !lit.contains("e"), !lit.contains("E") {
                guard let n = BigInt(lit) else { throw fail(path, "bad integer \(lit)") }
                return Rational(n)
            }
            guard let d = Double(lit), d.isFinite else { throw fail(path, "the float \(lit) overflows binary64") }
            // a nonzero literal that rounds to 0 would silently delete a weight (and change
            // the architecture): refuse it like an overflow
            let mantissa = lit.prefix { $0 != "e" && $0 != "E" }
            if d == 0, mantissa.contains(where: { ("1"..."9").contains($0) }) {
                throw fail(path, "the float \(lit) underflows binary64 (it would become 0); write it as a string, e.g. \"\(lit)\", for the exact decimal")
            }
            return try Rational(d)
        case .string(let s):
            do { return try Rational(parsing: s) } catch let e as ExactNumberError {
                throw fail(path, "\(e) (expected an integer, \"p/q\" with q > 0, or a decimal)")
            }
        default:
            throw fail(path, "expected a number (JSON number or a string like \"3/4\"), found \(v.kindName)")
        }
    }

    static func vector(_ v: JSONValue, _ path: String, count: Int, what: String) throws -> [Rational] {
        guard case .array(let a) = v else { throw fail(path, "expected \(what): an array of \(count) numbers, found \(v.kindName)") }
        guard a.count == count else { throw fail(path, "expected \(what) of length \(count), found length \(a.count)") }
        return try a.enumerated().map { try number($1, "\(path)[\($0)]") }
    }

    static func matrix(_ v: JSONValue, _ path: String, rows: Int, columns: Int, what: String) throws -> [[Rational]] {
        guard case .array(let a) = v else { throw fail(path, "expected \(what): a [\(rows)][\(columns)] array, found \(v.kindName)") }
        guard a.count == rows else { throw fail(path, "expected \(what) with \(rows) rows ([\(rows)][\(columns)]), found \(a.count)") }
        return try a.enumerated().map { try vector($1, "\(path)[\($0)]", count: columns, what: "a row of \(what)") }
    }

    static func coefficients(_ v: JSONValue, _ path: String) throws -> [Rational] {
        guard case .array(let a) = v else { throw fail(path, "expected polynomial coefficients [c0, c1, ...], found \(v.kindName)") }
        guard !a.isEmpty else { throw fail(path, "an empty coefficient list is not allowed (omit the field for the identity)") }
        guard a.count <= 64 else { throw fail(path, "degree \(a.count - 1) is above the supported 63") }
        return try a.enumerated().map { try number($1, "\(path)[\($0)]") }
    }

    static func model(_ v: JSONValue) throws -> NetworkModel {
        let o = try object(v, "$", allowed: ["format", "inputDim", "layers", "readout", "readoutBias"])
        let format = try required(o, "format", "$")
        guard case .string(let tag) = format, tag == NetworkModel.formatTag else {
            throw fail("$.format", "expected \"\(NetworkModel.formatTag)\", found \(format.kindName)")
        }
        let d = try positiveInteger(try required(o, "inputDim", "$"), "$.inputDim")
        guard case .array(let layerValues) = try required(o, "layers", "$") else {
            throw fail("$.layers", "expected an array of layers, found \(o["layers"]!.kindName)")
        }
        guard !layerValues.isEmpty else { throw fail("$.layers", "a model needs at least one layer") }
        var layers: [RecurrentLayer] = []
        var width = d
        for (l, lv) in layerValues.enumerated() {
            let layer = try self.layer(lv, "$.layers[\(l)]", inputWidth: width)
            layers.append(layer)
            width = layer.hidden
        }
        let readoutValue = try required(o, "readout", "$")
        guard case .array(let rows) = readoutValue, !rows.isEmpty else {
            throw fail("$.readout", "expected a non-empty [outputs][\(width)] array, found \(readoutValue.kindName)")
        }
        let readout = try matrix(readoutValue, "$.readout", rows: rows.count, columns: width, what: "the readout C")
        let bias = try o["readoutBias"].map { try vector($0, "$.readoutBias", count: rows.count, what: "the readout bias c (one number per output)") }
        return NetworkModel(inputDim: d, layers: layers, readout: readout, readoutBias: bias)
    }

    static let layerFields = ["hidden", "initialState", "bilinear", "hadamard", "cp", "recurrent", "input", "bias",
                              "activation", "outputActivation"]

    static func layer(_ v: JSONValue, _ path: String, inputWidth m: Int) throws -> RecurrentLayer {
        let o = try object(v, path, allowed: layerFields)
        let n = try positiveInteger(try required(o, "hidden", path), "\(path).hidden")
        var layer = RecurrentLayer(hidden: n)
        if let x = o["initialState"] { layer.initialState = try vector(x, "\(path).initialState", count: n, what: "h_0") }
        if let x = o["bilinear"] {
            let p = "\(path).bilinear"
            guard case .array(let a) = x else { throw fail(p, "expected A: a [\(n)][\(n)][\(m)] array, found \(x.kindName)") }
            guard a.count == n else { throw fail(p, "expected A with first dimension \(n) (hidden), found \(a.count)") }
            layer.bilinear = try a.enumerated().map { try matrix($1, "\(p)[\($0)]", rows: n, columns: m, what: "A[i] ([hidden][input width])") }
        }
        if let x = o["hadamard"] {
            let p = "\(path).hadamard"
            let h = try object(x, p, allowed: ["state", "input"])
            layer.hadamard = HadamardTerm(
                state: try matrix(try required(h, "state", p), "\(p).state", rows: n, columns: n, what: "Ws"),
                input: try matrix(try required(h, "input", p), "\(p).input", rows: n, columns: m, what: "Wi"))
        }
        if let x = o["cp"] {
            let p = "\(path).cp"
            let c = try object(x, p, allowed: ["state", "input", "output"])
            let sv = try required(c, "state", p)
            guard case .array(let sr) = sv, !sr.isEmpty else { throw fail("\(p).state", "expected a [R][\(n)] array with R >= 1, found \(sv.kindName)") }
            let r = sr.count
            layer.cp = CPTerm(
                state: try matrix(sv, "\(p).state", rows: r, columns: n, what: "the CP state factor"),
                input: try matrix(try required(c, "input", p), "\(p).input", rows: r, columns: m, what: "the CP input factor (R = \(r))"),
                output: try matrix(try required(c, "output", p), "\(p).output", rows: n, columns: r, what: "the CP output factor (R = \(r))"))
        }
        if let x = o["recurrent"] { layer.recurrent = try matrix(x, "\(path).recurrent", rows: n, columns: n, what: "W") }
        if let x = o["input"] { layer.input = try matrix(x, "\(path).input", rows: n, columns: m, what: "U") }
        if let x = o["bias"] { layer.bias = try vector(x, "\(path).bias", count: n, what: "b") }
        if let x = o["activation"] { layer.activation = try coefficients(x, "\(path).activation") }
        if let x = o["outputActivation"] { layer.outputActivation = try coefficients(x, "\(path).outputActivation") }
        guard layer.isMultiplicative || layer.recurrent != nil || layer.input != nil else {
            throw fail(path, "a layer needs at least one of bilinear, hadamard, cp, recurrent, input")
        }
        return layer
    }
}

extension NetworkModel {
    /// Checks a model built in code as the reader checks a file: every array's shape, at least
    /// one term per layer, non-empty activations, one readout bias per output. Throws a
    /// `ModelError` at the JSON path the value would have in a file; analyses call it first,
    /// so a wrong shape is an error instead of an out-of-range trap.
    public func validate() throws {
        func fail(_ path: String, _ message: String) -> ModelError { ModelError(path: path, message: message) }
        func vector(_ v: [Rational], _ path: String, _ count: Int) throws {
            guard v.count == count else { throw fail(path, "expected length \(count), found \(v.count)") }
        }
        func matrix(_ m: [[Rational]], _ path: String, _ rows: Int, _ columns: Int) throws {
            guard m.count == rows else { throw fail(path, "expected \(rows) rows, found \(m.count)") }
            for (i, r) in m.enumerated() { try vector(r, "\(path)[\(i)]", columns) }
        }
        guard inputDim >= 1 else { throw fail("$.inputDim", "expected a positive integer, found \(inputDim)") }
        guard !layers.isEmpty else { throw fail("$.layers", "a model needs at least one layer") }
        var m = inputDim
        for (l, layer) in layers.enumerated() {
            let p = "$.layers[\(l)]", n = layer.hidden
            guard n >= 1 else { throw fail("\(p).hidden", "expected a positive integer, found \(n)") }
            if let h = layer.initialState { try vector(h, "\(p).initialState", n) }
            for t in layer.terms {
                let q = "\(p).\(t.kind.key)"
                switch t {
                case .bilinear(let a):
                    guard a.count == n else { throw fail(q, "expected \(n) slices, found \(a.count)") }
                    for (i, s) in a.enumerated() { try matrix(s, "\(q)[\(i)]", n, m) }
                case .hadamard(let h): try matrix(h.state, "\(q).state", n, n); try matrix(h.input, "\(q).input", n, m)
                case .cp(let c):
                    let r = c.state.count
                    guard r >= 1 else { throw fail("\(q).state", "the CP rank R must be at least 1") }
                    try matrix(c.state, "\(q).state", r, n); try matrix(c.input, "\(q).input", r, m); try matrix(c.output, "\(q).output", n, r)
                case .recurrent(let w): try matrix(w, q, n, n)
                case .input(let u): try matrix(u, q, n, m)
                case .bias(let b): try vector(b, q, n)
                }
            }
            for (name, c) in [("activation", layer.activation), ("outputActivation", layer.outputActivation)] {
                if let c, c.isEmpty || c.count > 64 { throw fail("\(p).\(name)", "expected 1 to 64 coefficients, found \(c.count)") }
            }
            guard layer.terms.contains(where: { $0.kind != .bias }) else {
                throw fail(p, "a layer needs at least one of bilinear, hadamard, cp, recurrent, input")
            }
            m = n
        }
        guard !readout.isEmpty else { throw fail("$.readout", "expected at least one output row") }
        try matrix(readout, "$.readout", readout.count, m)
        if let c = readoutBias { try vector(c, "$.readoutBias", readout.count) }
    }
}
