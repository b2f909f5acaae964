import Testing
import ExactNumbers
import Polynomials
import RecurrentNetworks
import ExpressivityAnalysis

@Suite("Degree evidence")
struct DegreeEvidenceTests {
    @Test("every report carries witnesses that verify: every family, depths 1-3, the output and each layer")
    func reportsVerify() throws {
        var checked = 0
        for family in ModelFamily.allCases {
            for L in 1...3 {
                let m = FamilySpec(family: family, depth: L, hidden: 2, inputDim: 2, seed: UInt64(20 + L)).model()
                let T = L == 3 ? 3 : 4
                for layer in [nil] + (1...L).map(Optional.some) {
                    var u = Unrolling<Polynomial>(m)
                    for r in try DegreeAnalysis.reports(model: m, maxLength: T, layer: layer) {
                        // the profile read off the witnesses' scan equals the plain one (DegreeProfile(of:))
                        u.advance()
                        let ps = try layer.map { u.passed[$0 - 1] } ?? [u.output(0)]
                        #expect(r.measured == DegreeProfile(of: ps, length: r.length, inputDim: m.inputDim))
                        #expect(try r.evidence.verify(), "\(family) L=\(L) layer=\(String(describing: layer)) T=\(r.length)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= 150)
    }

    @Test("hand case: y_2 = x1 x2^3 + 5 x2 (d = 1) has total degree 4 and step degrees 1, 3, witnessed by its terms; wrong claims fail")
    func handCase() throws {
        let space = VariableSpace.sequence(steps: 2, width: 1)
        let y = try Polynomial(parsing: "x[1][1]*x[2][1]^3 + 5*x[2][1]", in: space)
        let m = FamilySpec(family: .twoRNN, depth: 1, hidden: 1, inputDim: 1, seed: 1).model()
        let e = DegreeEvidence(model: m, length: 2, output: 0, layer: nil, polynomials: [y])
        #expect(e.measured == DegreeProfile(total: 4, perStep: [1, 3]))
        #expect(e.totalWitness?.monomial.totalDegree == 4 && e.totalWitness?.coefficient == 1)
        #expect(e.verify(against: [y]))
        // a polynomial with a term above the profile, one without the witness, one with another coefficient
        #expect(!e.verify(against: [y + (try Polynomial(parsing: "x[1][1]^5", in: space))]))
        #expect(!e.verify(against: [try Polynomial(parsing: "5*x[2][1]", in: space)]))
        #expect(!e.verify(against: [try Polynomial(parsing: "2*x[1][1]*x[2][1]^3 + 5*x[2][1]", in: space)]))
        #expect(!e.verify(against: [.zero]))
        // the zero polynomial: no degree, no witness
        let zero = DegreeEvidence(model: m, length: 2, output: 0, layer: nil, polynomials: [.zero])
        #expect(zero.measured.total == nil && zero.verify(against: [.zero]) && !zero.verify(against: [y]))
    }
}
