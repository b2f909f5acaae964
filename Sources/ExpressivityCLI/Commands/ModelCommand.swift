import ArgumentParser
import Expressivity
import Foundation

extension PyTorchLayout: ExpressibleByArgument {}
extension Nonlinearity: ExpressibleByArgument {}
extension RNNCellKind: ExpressibleByArgument {}

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Write random models of a named family; check, summarise or print a model file; import PyTorch weights.",
        subcommands: [Random.self, Check.self, Show.self, Import.self])

    struct Random: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a model with seeded integer weights as JSON.")

        @OptionGroup var generated: FamilyOptions
        @Option(name: .long, parsing: .unconditional, help: "Number of layers L.") var depth: Int = 1
        @Option(name: .long, parsing: .unconditional, help: "Number of outputs (rows of the readout).") var outputs: Int = 1
        @Option(name: [.short, .long], help: "Write to this file ('-': standard output, the default).") var output: String?

        func validate() throws {
            if generated.family == nil { throw ValidationError("--family is required") }
            if depth < 1 { throw ValidationError("--depth must be at least 1") }
            if outputs < 1 { throw ValidationError("--outputs must be at least 1") }
            try generated.checkSize(depth: depth, outputs: outputs)
        }

        func run() throws {
            let spec = try generated.spec(depth: depth, outputs: outputs)
            try writeOutput(spec.model().json, to: output)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a model file and summarise it.")
        @Argument(help: "The model file.") var file: String

        func run() throws {
            let m = try loadModel(file)
            print("\(file): valid \(NetworkModel.formatTag) model")
            print("input dimension d = \(m.inputDim), depth L = \(m.depth), outputs = \(m.outputCount), parameters = \(m.parameterCount)")
            for (l, layer) in m.layers.enumerated() {
                var terms: [String] = []
                if layer.bilinear != nil { terms.append("bilinear") }
                if layer.hadamard != nil { terms.append("hadamard") }
                if let cp = layer.cp { terms.append("cp(R=\(cp.rank))") }
                if layer.recurrent != nil { terms.append("recurrent") }
                if layer.input != nil { terms.append("input") }
                if layer.bias != nil { terms.append("bias") }
                var extra: [String] = []
                if let a = layer.activation { extra.append("activation of degree \(degreeText(polynomialDegree(a)))") }
                if let a = layer.outputActivation { extra.append("outputActivation of degree \(degreeText(polynomialDegree(a)))") }
                extra.append(layer.initialState.map { $0.allSatisfy(\.isZero) ? "h_0 = 0" : "h_0 given" } ?? "h_0 = 0")
                print("layer \(l + 1): hidden \(layer.hidden), reads width \(m.inputWidth(ofLayer: l)); \(terms.joined(separator: " + ")); \(extra.joined(separator: ", "))")
            }
            print("readout: \(m.outputCount) x \(m.layers.last!.hidden)" + (m.readoutBias == nil ? "" : m.hasReadoutBias ? " with a bias c" : " with a zero bias c"))
            if let f = DegreeFormula.forModel(m, length: 1) {
                print(wrapped("degree formula: \(f.text)").joined(separator: "\n"))
            } else {
                print("degree formula: none known (structural bound only)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the exact model a file is read as, in the model format.",
            discussion: """
                Every number as the exact rational the tool analyses: a JSON float literal is the \
                binary64 value it denotes (0.1 becomes 3602879701896397/36028797018963968), a string \
                "0.1" is the decimal 1/10, with absent optional fields left absent. Reading the output back gives the same model.
                """)
        @Argument(help: "The model file.") var file: String
        @Option(name: [.short, .long], help: "Write to this file ('-': standard output, the default).") var output: String?

        func run() throws { try writeOutput(try loadModel(file).json, to: output) }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a trained PyTorch network's weights (safetensors) into a model file, exactly.",
            discussion: """
                Every F64, F32, F16 or BF16 weight is a dyadic rational and is converted exactly. The \
                layout names the public code the network was defined with (Docs/model-format.md, \
                "Importing PyTorch"); the activation functions are constructor arguments the file does \
                not record, so they are named here. A nonlinear one (relu, tanh, sigmoid) is refused \
                unless --replace-nonlinear gives the polynomial to analyse in its place; the replacement \
                and every assumption are printed on standard error.
                """)
        @Argument(help: "The .safetensors file (torch.save state dicts: convert with safetensors.torch.save_file).") var file: String
        @Option(name: .long, help: "\(PyTorchLayout.allCases.map(\.rawValue).joined(separator: ", ")).") var layout: PyTorchLayout
        @Option(name: .long, help: "The activation between layers (DeepRNN's and DeepCPRNN's 'activation'): identity, relu, tanh or sigmoid.")
        var activation: Nonlinearity?
        @Option(name: .long, help: "The function inside the recurrence (CPRNN's 'gate'): identity, relu, tanh or sigmoid.") var gate: Nonlinearity?
        @Option(name: .long, help: "DeepRNN's cell (role-of-depth-deep-rnn): linear (LinearRNNCell) or rnn (nn.RNNCell, tanh inside).") var rnncell: RNNCellKind?
        @Option(name: .customLong("replace-nonlinear"), help: "Coefficients c0,c1,... of a polynomial analysed in place of every nonlinear function named.")
        var replacement: String?
        @Option(name: [.short, .long], help: "Write to this file ('-': standard output, the default).") var output: String?

        func validate() throws {
            let roles = layout.activationRoles
            if activation != nil && !roles.contains(.betweenLayers) { throw ValidationError("--activation: the layout \(layout.rawValue) has no activation between layers") }
            if gate != nil && !roles.contains(.gate) { throw ValidationError("--gate: the layout \(layout.rawValue) has no gate") }
            if layout == .roleOfDepthDeepRNN && rnncell == nil {
                throw ValidationError("--rnncell is required for role-of-depth-deep-rnn: the file does not record it (DeepRNN's default is rnn, nn.RNNCell with tanh inside)")
            }
            if layout != .roleOfDepthDeepRNN && rnncell != nil { throw ValidationError("--rnncell applies to role-of-depth-deep-rnn only") }
            if roles.contains(.betweenLayers) && activation == nil {
                throw ValidationError("--activation is required for \(layout.rawValue): the file does not record it (DeepRNN's default is relu, DeepCPRNN's identity)")
            }
            if roles.contains(.gate) && gate == nil {
                throw ValidationError("--gate is required for \(layout.rawValue): the file does not record it (CPRNN's default is tanh in SecondOrderRNN, identity in DeepCPRNN)")
            }
            if let r = replacement {
                _ = try parseCoefficients(r, option: "--replace-nonlinear")
                if ![activation, gate].contains(where: { $0 != nil && $0 != .identity }) && rnncell != .rnn {
                    throw ValidationError("--replace-nonlinear: no nonlinear function is named, so there is nothing to replace")
                }
            }
        }

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandError("\(file): cannot read the file") }
            let tensors = try SafeTensors.read([UInt8](data), file: file)
            let options = PyTorchImportOptions(gate: gate, activation: activation,
                                               replacement: try replacement.map { try parseCoefficients($0, option: "--replace-nonlinear") },
                                               cell: rnncell)
            let imported = try PyTorchImport.model(from: tensors, layout: layout, options: options, file: file)
            for n in imported.notes { FileHandle.standardError.write("\(file): \(n)\n".data(using: .utf8)!) }
            try writeOutput(imported.model.json, to: output)
        }
    }
}
