import Testing
import Foundation
import ExactNumbers
@testable import RecurrentNetworks

/// Tests/Fixtures/pytorch: safetensors files written by make_fixtures.py, each beside the
/// exact outputs of the network's own forward pass (Python Fractions, PyTorch's conventions).
let pytorchFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/pytorch")

func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: pytorchFixtures.appendingPathComponent(name + ".safetensors")))
}

/// A safetensors file from (name, dtype, shape, raw little-endian bytes), with an optional
/// header override, for malformed cases.
func safetensorsFile(_ tensors: [(String, String, [Int], [UInt8])], offsets: [[Int]]? = nil) -> [UInt8] {
    var entries: [String] = [], data: [UInt8] = [], at = 0
    for (i, (name, dtype, shape, bytes)) in tensors.enumerated() {
        let o = offsets?[i] ?? [at, at + bytes.count]
        entries.append("\"\(name)\": {\"dtype\": \"\(dtype)\", \"shape\": \(shape), \"data_offsets\": \(o)}")
        data += bytes
        at += bytes.count
    }
    let header = Array(("{" + entries.joined(separator: ", ") + "}").utf8)
    var out: [UInt8] = (0..<8).map { UInt8((header.count >> (8 * $0)) & 0xFF) }
    out += header + data
    return out
}

func f64(_ xs: [Double]) -> [UInt8] { xs.flatMap { x in (0..<8).map { UInt8((x.bitPattern >> (8 * UInt64($0))) & 0xFF) } } }

@Suite("PyTorch import")
struct PyTorchImportTests {
    struct Reference: Decodable { var inputs: [[Step]]; var outputs: [[String]] }
    enum Step: Decodable {
        case vector([String]), token(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let t = try? c.decode(Int.self) { self = .token(t) } else { self = .vector(try c.decode([String].self)) }
        }
    }

    static let cases: [(file: String, layout: PyTorchLayout, options: PyTorchImportOptions)] = [
        ("deep_rnn", .roleOfDepthDeepRNN, PyTorchImportOptions(activation: .relu, replacement: [0, 1, Rational(1, 2)], cell: .linear)),
        ("deep_rnn_cell", .roleOfDepthDeepRNN, PyTorchImportOptions(activation: .identity, replacement: [0, 1, 0, Rational(-1, 3)], cell: .rnn)),
        ("deep_rnn_embedding", .roleOfDepthDeepRNN, PyTorchImportOptions(activation: .identity, cell: .linear)),
        ("deep_cprnn", .roleOfDepthDeepCPRNN, PyTorchImportOptions(gate: .tanh, activation: .identity, replacement: [0, 1, 0, Rational(-1, 3)])),
        ("second_order", .cprnnSecondOrder, PyTorchImportOptions(gate: .identity)),
        ("rac", .rac, PyTorchImportOptions()),
    ]

    @Test("issue 16: each layout's fixture imports to a model whose outputs equal the network's own forward pass, exactly (F64, F32, F16, BF16; embeddings folded into one-hot inputs)")
    func forwardPassAgrees() throws {
        for (file, layout, options) in PyTorchImportTests.cases {
            let tensors = try SafeTensors.read(try fixtureBytes(file), file: file)
            let imported = try PyTorchImport.model(from: tensors, layout: layout, options: options, file: file)
            let m = imported.model
            let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: pytorchFixtures.appendingPathComponent(file + ".json")))
            #expect(!ref.inputs.isEmpty)
            for (sequence, expected) in zip(ref.inputs, ref.outputs) {
                let inputs: [[Rational]] = try sequence.map { step in
                    switch step {
                    case .vector(let v): return try v.map { try Rational(parsing: $0) }
                    case .token(let t): return (0..<m.inputDim).map { $0 == t ? 1 : 0 }     // one-hot
                    }
                }
                let y = m.evaluate(inputs: inputs)
                #expect(y == (try expected.map { try Rational(parsing: $0) }), "\(file)")
            }
            // the model file round-trips, and the import says what it assumed or replaced
            #expect(try NetworkModel(json: m.json, file: file) == m)
            #expect(layout == .rac || !imported.notes.isEmpty)
            if options.replacement != nil { #expect(imported.notes.contains { $0.hasPrefix("REPLACED: the ") }) }
        }
    }

    @Test("issue 16: half and bfloat16 values convert exactly")
    func halfPrecision() throws {
        #expect(SafeTensors.halfToDouble(0x3C00) == 1)
        #expect(SafeTensors.halfToDouble(0xC000) == -2)
        #expect(SafeTensors.halfToDouble(0x0001) == 0x1p-24)          // smallest subnormal
        #expect(SafeTensors.halfToDouble(0x7BFF) == 65504)            // largest finite
        #expect(SafeTensors.halfToDouble(0x3555) == 0x1.554p-2)       // 1/3 rounded to half
        #expect(SafeTensors.halfToDouble(0x7C00) == .infinity)
        // BF16 1.5 = 0x3FC0; F16 -0.5 = 0xB800
        let file = safetensorsFile([("a", "BF16", [1], [0xC0, 0x3F]), ("b", "F16", [1], [0x00, 0xB8])])
        let t = try SafeTensors.read(file, file: "t")
        #expect(t["a"]?.values == [Rational(3, 2)] && t["b"]?.values == [Rational(-1, 2)])
    }

    @Test("issue 16: malformed files are refused with an error naming the tensor")
    func malformed() throws {
        func error(_ bytes: [UInt8]) -> String {
            do { _ = try SafeTensors.read(bytes, file: "f"); return "read" } catch { return "\(error)" }
        }
        let good = safetensorsFile([("w", "F64", [2], f64([1, 2]))])
        #expect(error(good) == "read")
        #expect(error(Array(good.dropLast(3))) == "f: tensor \"w\": data_offsets [0, 16] out of the data section (13 bytes): truncated or corrupt")
        #expect(error([1, 2, 3]) == "f: shorter than the 8-byte header length: not a safetensors file")
        #expect(error([255, 0, 0, 0, 0, 0, 0, 0, 0]) == "f: header length 255 runs past the end of the file (9 bytes): truncated")
        #expect(error(safetensorsFile([("w", "I64", [1], f64([1]))])).hasPrefix("f: tensor \"w\": dtype I64 is not supported"))
        #expect(error(safetensorsFile([("w", "F64", [3], f64([1, 2]))])) == "f: tensor \"w\": data_offsets [0, 16] hold 16 bytes, but shape [3] of F64 needs 24")
        #expect(error(safetensorsFile([("a", "F64", [2], f64([1, 2])), ("b", "F64", [1], f64([3]))], offsets: [[0, 16], [8, 16]]))
                == "f: tensor \"b\": its bytes [8, 16) overlap those of \"a\" [0, 16)")
        // an empty tensor between them does not hide the overlap (review finding)
        #expect(error(safetensorsFile([("a", "F64", [2], f64([1, 2])), ("e", "F64", [0], []), ("b", "F64", [1], f64([3]))],
                                      offsets: [[0, 16], [4, 4], [8, 16]])) == "f: tensor \"b\": its bytes [8, 16) overlap those of \"a\" [0, 16)")
        #expect(error(safetensorsFile([("w", "F64", [1], f64([.nan]))])) == "f: tensor \"w\": value 0 is nan: not a number an exact analysis can use")
    }

    @Test("issue 16: a layout refuses what it does not know: a missing or extra tensor, a wrong shape, an unnamed or nonlinear activation")
    func layoutErrors() throws {
        let rac = try SafeTensors.read(try fixtureBytes("rac"), file: "rac")
        func error(_ t: [String: ExactTensor], _ layout: PyTorchLayout, _ o: PyTorchImportOptions = .init()) -> String {
            do { _ = try PyTorchImport.model(from: t, layout: layout, options: o, file: "f"); return "read" } catch { return "\(error)" }
        }
        #expect(error(rac, .rac) == "read")
        var extra = rac
        extra["residual.weight"] = ExactTensor(name: "residual.weight", dtype: "F64", shape: [1], values: [1])
        #expect(error(extra, .rac).hasPrefix("f: tensor \"residual.weight\": not a parameter of the layout rac"))
        var wrong = rac
        wrong["layers.1.input"] = ExactTensor(name: "layers.1.input", dtype: "F64", shape: [2, 3], values: [Rational](repeating: 1, count: 6))
        #expect(error(wrong, .rac) == "f: tensor \"layers.1.input\": shape [2, 3]: expected 2 columns")
        #expect(error(rac, .roleOfDepthDeepRNN, .init(activation: .identity, cell: .linear)) == "f: tensor \"rnn_layers.0.weight_ih\": missing: the layout's first layer")
        let deep = try SafeTensors.read(try fixtureBytes("deep_rnn"), file: "deep")
        #expect(error(deep, .roleOfDepthDeepRNN, .init(activation: .identity)).hasPrefix("f: the layout role-of-depth-deep-rnn needs the cell type"))
        #expect(error(deep, .roleOfDepthDeepRNN, .init(cell: .linear)).hasPrefix("f: the layout role-of-depth-deep-rnn applies a activation function the file does not record"))
        #expect(error(deep, .roleOfDepthDeepRNN, .init(activation: .relu, cell: .linear)).hasPrefix("f: activation relu is not a polynomial"))
        #expect(error(deep, .roleOfDepthDeepRNN, .init(activation: .identity, cell: .rnn)).hasPrefix("f: gate tanh is not a polynomial"))
        // relu replaced by the identity: the same model as identity, plus the note
        let replaced = try PyTorchImport.model(from: deep, layout: .roleOfDepthDeepRNN, options: .init(activation: .relu, replacement: [0, 1], cell: .linear), file: "f")
        let identity = try PyTorchImport.model(from: deep, layout: .roleOfDepthDeepRNN, options: .init(activation: .identity, cell: .linear), file: "f")
        #expect(replaced.model.layers.map(\.outputActivation) == [[0, 1], [0, 1]] && identity.model.layers.map(\.outputActivation) == [nil, nil])
        #expect(replaced.model.evaluate(inputs: [[1, 2], [3, 4]]) == identity.model.evaluate(inputs: [[1, 2], [3, 4]]))
    }
}
