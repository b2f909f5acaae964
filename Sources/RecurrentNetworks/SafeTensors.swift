import ExactNumbers

/// A tensor read from a safetensors file, every value converted exactly: each F64, F32,
/// F16 and BF16 number is a dyadic rational (Docs/model-format.md, "Importing PyTorch").
public struct ExactTensor: Equatable, Sendable {
    public var name: String
    public var dtype: String
    public var shape: [Int]
    /// Row-major (C order), as PyTorch stores a contiguous tensor.
    public var values: [Rational]

    public init(name: String, dtype: String, shape: [Int], values: [Rational]) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.values = values
    }

    /// values[i][j] of a matrix.
    public func matrix() -> [[Rational]] {
        precondition(shape.count == 2)
        return (0..<shape[0]).map { i in Array(values[(i * shape[1])..<((i + 1) * shape[1])]) }
    }
}

/// The error of a file that is not a well-formed safetensors file, naming the tensor.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var tensor: String?
    public var message: String
    public var description: String { "\(file): " + (tensor.map { "tensor \"\($0)\": " } ?? "") + message }
}

/// The safetensors format: 8 bytes little-endian header length N, N bytes of JSON
/// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the
/// data; offsets are relative to the end of the header. Written here from that description.
public enum SafeTensors {
    /// The largest header read (the format's own readers refuse larger ones too).
    public static let maxHeaderBytes = 100_000_000
    /// The most values read from one file (each becomes an exact rational).
    public static let maxValues = 50_000_000

    static let sizes: [String: Int] = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2]

    public static func read(_ bytes: [UInt8], file: String) throws -> [String: ExactTensor] {
        func fail(_ m: String, _ tensor: String? = nil) -> SafeTensorsError { SafeTensorsError(file: file, tensor: tensor, message: m) }
        guard bytes.count >= 8 else { throw fail("shorter than the 8-byte header length: not a safetensors file") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(maxHeaderBytes) else { throw fail("header length \(n) is above the supported \(maxHeaderBytes) bytes") }
        guard n <= UInt64(bytes.count - 8) else { throw fail("header length \(n) runs past the end of the file (\(bytes.count) bytes): truncated") }
        let headerEnd = 8 + Int(n)
        guard let text = String(validating: bytes[8..<headerEnd], as: UTF8.self) else { throw fail("the header is not UTF-8 text") }
        let header: JSONValue
        do { header = try JSONReader.parse(text) } catch { throw fail("the header is not JSON: \(error)") }
        guard case .object(let entries) = header else { throw fail("the header is not a JSON object") }
        let dataLength = bytes.count - headerEnd
        var tensors: [String: ExactTensor] = [:]
        var ranges: [(begin: Int, end: Int, name: String)] = []
        var total = 0
        for (name, value) in entries where name != "__metadata__" {
            guard tensors[name] == nil else { throw fail("appears twice in the header", name) }
            guard case .object(let fields) = value else { throw fail("its header entry is not an object", name) }
            func field(_ key: String) -> JSONValue? { fields.first { $0.key == key }?.value }
            for key in fields.map(\.key) where !["dtype", "shape", "data_offsets"].contains(key) {
                throw fail("unknown field \"\(key)\"", name)
            }
            guard case .string(let dtype)? = field("dtype") else { throw fail("missing dtype", name) }
            guard let size = sizes[dtype] else {
                throw fail("dtype \(dtype) is not supported (F64, F32, F16 and BF16 are: each value converts exactly)", name)
            }
            guard case .array(let dims)? = field("shape") else { throw fail("missing shape", name) }
            var shape: [Int] = [], count = 1
            for d in dims {
                guard case .number(let t) = d, let k = Int(t), k >= 0 else { throw fail("shape \(dims) is not a list of natural numbers", name) }
                shape.append(k)
                let (c, o) = count.multipliedReportingOverflow(by: k)
                guard !o, c <= maxValues else { throw fail("shape \(shape) has more than \(maxValues) values", name) }
                count = c
            }
            guard case .array(let offs)? = field("data_offsets"), offs.count == 2,
                  case .number(let b) = offs[0], case .number(let e) = offs[1], let begin = Int(b), let end = Int(e)
            else { throw fail("data_offsets is not [begin, end]", name) }
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw fail("data_offsets [\(begin), \(end)] out of the data section (\(dataLength) bytes): truncated or corrupt", name)
            }
            guard end - begin == count * size else {
                throw fail("data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but shape \(shape) of \(dtype) needs \(count * size)", name)
            }
            total += count
            guard total <= maxValues else { throw fail("the file has more than \(maxValues) values") }
            ranges.append((begin, end, name))
            let data = bytes[(headerEnd + begin)..<(headerEnd + end)]
            var values: [Rational] = []
            values.reserveCapacity(count)
            for i in 0..<count {
                var bits: UInt64 = 0
                for j in 0..<size { bits |= UInt64(data[data.startIndex + i * size + j]) << (8 * UInt64(j)) }
                let d: Double
                switch dtype {
                case "F64": d = Double(bitPattern: bits)
                case "F32": d = Double(Float(bitPattern: UInt32(bits)))
                case "BF16": d = Double(Float(bitPattern: UInt32(bits) << 16))
                default: d = halfToDouble(UInt16(bits))
                }
                guard d.isFinite else { throw fail("value \(i) is \(d): not a number an exact analysis can use", name) }
                values.append(try Rational(d))
            }
            tensors[name] = ExactTensor(name: name, dtype: dtype, shape: shape, values: values)
        }
        // tensors may not share bytes (the format requires disjoint ranges)
        // every non-empty range against the furthest-reaching one before it (sorted by start)
        var reach: (end: Int, name: String, begin: Int)? = nil
        for r in ranges.filter({ $0.begin < $0.end }).sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if let a = reach, r.begin < a.end {
                throw fail("its bytes [\(r.begin), \(r.end)) overlap those of \"\(a.name)\" [\(a.begin), \(a.end))", r.name)
            }
            if reach == nil || r.end > reach!.end { reach = (r.end, r.name, r.begin) }
        }
        return tensors
    }

    /// IEEE 754 binary16 to binary64, exactly (every half is a double).
    static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), mantissa = Double(h & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24                    // subnormal: m 2^-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
