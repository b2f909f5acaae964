import ExactNumbers

extension NetworkModel {
    /// The model as JSON in the shared format: integers as JSON integers, other rationals
    /// as "p/q" strings (exact, and read back identically), fields in a fixed order.
    public var json: String { jsonValue.text() + "\n" }

    public var jsonValue: JSONValue {
        func num(_ r: Rational) -> JSONValue { r.isInteger ? .number(r.description) : .string(r.description) }
        func vec(_ v: [Rational]) -> JSONValue { .array(v.map(num)) }
        func mat(_ m: [[Rational]]) -> JSONValue { .array(m.map(vec)) }
        let layerValues: [JSONValue] = layers.map { l in
            var m: [(key: String, value: JSONValue)] = [("hidden", .number(String(l.hidden)))]
            if let x = l.initialState { m.append(("initialState", vec(x))) }
            for t in l.terms {
                switch t {
                case .bilinear(let x): m.append((t.kind.key, .array(x.map(mat))))
                case .hadamard(let x): m.append((t.kind.key, .object([("state", mat(x.state)), ("input", mat(x.input))])))
                case .cp(let x): m.append((t.kind.key, .object([("state", mat(x.state)), ("input", mat(x.input)), ("output", mat(x.output))])))
                case .recurrent(let x), .input(let x): m.append((t.kind.key, mat(x)))
                case .bias(let x): m.append((t.kind.key, vec(x)))
                }
            }
            if let x = l.activation { m.append(("activation", vec(x))) }
            if let x = l.outputActivation { m.append(("outputActivation", vec(x))) }
            return .object(m)
        }
        var top: [(key: String, value: JSONValue)] = [
            ("format", .string(NetworkModel.formatTag)),
            ("inputDim", .number(String(inputDim))),
            ("layers", .array(layerValues)),
            ("readout", mat(readout)),
        ]
        if let c = readoutBias { top.append(("readoutBias", vec(c))) }
        return .object(top)
    }
}
