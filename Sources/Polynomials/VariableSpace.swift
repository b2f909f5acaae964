/// Names for variable indices, used by the text form and its parser. A space is a list
/// of families; a family `x` with shape [T, d] names indices offset ..< offset+T*d as
/// x[1][1], x[1][2], ..., x[T][d] (1-based, row-major). Indices no family covers print
/// as v[i] (0-based index i), which the parser also reads.
public struct VariableSpace: Sendable, Equatable {
    public struct Family: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var size: Int { shape.reduce(1, *) }
        public init(name: String, shape: [Int], offset: Int) {
            self.name = name; self.shape = shape; self.offset = offset
        }
    }
    public var families: [Family]
    public init(families: [Family]) { self.families = families }

    /// Only the fallback names v[i].
    public static let standard = VariableSpace(families: [])

    /// x[t][k] for t = 1...steps, k = 1...width: index (t-1)*width + (k-1).
    public static func sequence(steps: Int, width: Int, name: String = "x") -> VariableSpace {
        VariableSpace(families: [Family(name: name, shape: [steps, width], offset: 0)])
    }

    public func name(of index: Int) -> String {
        for f in families where index >= f.offset && index < f.offset + f.size {
            var rest = index - f.offset
            var subs = [Int](repeating: 0, count: f.shape.count)
            for a in stride(from: f.shape.count - 1, through: 0, by: -1) {
                subs[a] = rest % f.shape[a] + 1; rest /= f.shape[a]
            }
            return f.name + subs.map { "[\($0)]" }.joined()
        }
        return "v[\(index)]"
    }

    /// The index of `name[s1][s2]...`, or nil when no family has that name and shape.
    public func index(name: String, subscripts: [Int]) -> Int? {
        if name == "v" && subscripts.count == 1 && !families.contains(where: { $0.name == "v" }) {
            return subscripts[0] >= 0 && subscripts[0] < 1 << 32 ? subscripts[0] : nil
        }
        guard let f = families.first(where: { $0.name == name }), f.shape.count == subscripts.count else { return nil }
        var index = 0
        for (s, n) in zip(subscripts, f.shape) {
            guard s >= 1 && s <= n else { return nil }
            index = index * n + (s - 1)
        }
        return f.offset + index
    }
}
