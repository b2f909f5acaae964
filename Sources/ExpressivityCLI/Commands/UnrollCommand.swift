import ArgumentParser
import Expressivity

struct UnrollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unroll",
        abstract: "Print y_T, the readout after T steps, as an exact polynomial in x[t][k].")

    @Option(name: .long, help: "The model file.") var model: String
    @Option(name: .long, parsing: .unconditional, help: "Number of steps T (0 gives the constant y_0 = C h_0).") var length: Int
    @Option(name: .customLong("output-index"), parsing: .unconditional, help: "Which output y_T[i] of the readout, 0-based (--output, where a command writes a file, names the file).") var output: Int = 0
    @Flag(name: .long, help: "Print statistics (terms, degrees, coefficient bits) instead of the polynomial.") var stats = false
    @Option(name: .customLong("max-terms"), parsing: .unconditional, help: "Refuse when the estimated size of a polynomial exceeds this.") var maxTermsOption = Count(5_000_000)
    var maxTerms: Int { maxTermsOption.value }
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(ByteCount.help)) var maxMemory: ByteCount = .defaultLimit
    @Option(name: .customLong("max-work"), parsing: .unconditional, help: ArgumentHelp(OperationCount.expansionHelp))
    var maxWork = OperationCount(defaultMaxExpansionWork)

    func validate() throws {
        if length < 0 { throw ValidationError("--length must be at least 0") }
        if output < 0 { throw ValidationError("--output-index must be at least 0") }
    }

    func run() throws {
        let m = try loadModel(model, output: output)
        try m.validate()
        let (y, estimate) = try m.expandedOutput(output, length: length, maxTerms: maxTerms, maxBytes: maxMemory.bytes,
                                                 maxWork: maxWork.value)
        let space = InputVariables.space(length: length, inputDim: m.inputDim)
        if !stats {
            print(y.text(in: space))
            return
        }
        let p = DegreeProfile(of: y, length: length, inputDim: m.inputDim)
        print("T = \(length), output \(output): \(y.termCount) terms")
        print("total degree: \(degreeText(p.total))")
        print("degree per step t = 1..\(length): [\(p.perStep.map(degreeText).joined(separator: ", "))]")
        print("largest coefficient: \(y.maxCoefficientBits) bits")
        print(wrapped("estimated before expanding (upper bounds): \(UnrollError.formatEstimate(estimate.terms)) terms in one polynomial, "
              + "coefficients of \(UnrollError.formatEstimate(estimate.coefficientBits)) bits, \(UnrollError.formatEstimate(estimate.bytes)) bytes held at once, \(UnrollError.formatEstimate(estimate.work)) coefficient operations").joined(separator: "\n"))
    }
}
