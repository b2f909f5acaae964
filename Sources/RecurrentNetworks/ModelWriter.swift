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
            if let x = l.bilinear { m.append(("bilinear", .array(x.map(mat)))) }
            if let x = l.hadamard { m.append(("hadamard", .object([("state", mat(x.state)), ("input", mat(x.input))]))) }
            if let x = l.cp { m.append(("cp", .object([("state", mat(x.state)), ("input", mat(x.input)), ("output", mat(x.output))]))) }
            if let x = l.recurrent { m.append(("recurrent", mat(x))) }
            if let x = l.input { m.append(("input", mat(x))) }
            if let x = l.bias { m.append(("bias", vec(x))) }
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
