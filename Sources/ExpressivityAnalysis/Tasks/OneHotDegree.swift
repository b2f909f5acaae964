import ExactNumbers
import Polynomials
import RecurrentNetworks

extension StateTrackingTask {
    /// The degree of f on words of length T as a function of one-hot inputs: the least D such
    /// that some polynomial of total degree <= D in the x[t][k] equals f on every one-hot word
    /// (nil when f is 0 on every word of length T).
    ///
    /// On one-hot inputs x[t][0] = 1 - sum_{k>0} x[t][k], x[t][k] x[t][j] = 0 (k != j) and
    /// x[t][k]^2 = x[t][k]; these reductions never raise the degree and end in the basis
    /// prod_{t in S} x[t][k_t] (k_t > 0), a basis of the functions on words. So the degree is
    /// the largest |S| with a nonzero coefficient, and the coefficients come from the truth
    /// table by Moebius inversion in each step: table[.., a, ..] -= table[.., 0, ..] for a > 0.
    /// O(T m^T) exact operations for m symbols; the caller keeps m^T within
    /// `oneHotDegreeMaxWords` (`oneHotDegreeIsFeasible`).
    public func oneHotDegree(length T: Int) -> Int? { oneHotDegreeWitness(length: T)?.degree }

    /// The coefficients in the basis prod_{t in S} x[t][k_t], at the truth table's indices.
    func oneHotCoefficients(length T: Int) -> [Rational] {
        precondition(oneHotDegreeIsFeasible(length: T), "oneHotDegree: \(alphabetSize)^\(T) words exceed \(Self.oneHotDegreeMaxWords)")
        let m = alphabetSize
        var table = truthTable(length: T)
        var stride = 1
        for _ in 0..<T {
            for base in 0..<table.count where (base / stride) % m == 0 {
                for a in 1..<m { table[base + a * stride] -= table[base] }
            }
            stride *= m
        }
        return table
    }

    /// The largest truth table `oneHotDegree` builds.
    public static let oneHotDegreeMaxWords = 1 << 20

    /// Whether m^T <= `oneHotDegreeMaxWords`.
    public func oneHotDegreeIsFeasible(length T: Int) -> Bool {
        var count = 1
        for _ in 0..<max(T, 0) {
            count *= alphabetSize
            if count > Self.oneHotDegreeMaxWords { return false }
        }
        return true
    }

    /// f on every word of length T, at index sum_t w_t m^(T-1-t) (the order of `words`), by
    /// extending prefixes through the group's multiplication table: no word is materialised.
    func truthTable(length T: Int) -> [Rational] {
        let times = multiplicationTable
        var prefixes = [0]   // element index of each prefix; 0 = identity
        for _ in 0..<T { prefixes = prefixes.flatMap { j in times[j] } }
        return prefixes.map { $0 == 0 ? Rational.one : .zero }
    }

    /// A single linear unit with a polynomial activation inside the recurrence that computes f
    /// on every word: the state is the index of the group element read so far (0 = identity),
    /// pre_t = h_{t-1} + |G| s for symbol s (distinct for every pair), sigma interpolates the
    /// transition table (degree <= |G| m - 1) and the output activation rho the indicator of
    /// index 0 (degree <= |G| - 1). Multiplicative interactions are replaced by sigma.
    public func recurrentActivationModel() throws -> NetworkModel {
        let times = multiplicationTable, g = times.count, m = alphabetSize
        var sigma: [(x: Rational, y: Rational)] = []
        for j in 0..<g { for s in 0..<m { sigma.append((Rational(j + g * s), Rational(times[j][s]))) } }
        let rho = (0..<g).map { (x: Rational($0), y: Rational($0 == 0 ? 1 : 0)) }
        let layer = RecurrentLayer(hidden: 1, initialState: [0], recurrent: [[1]], input: [(0..<m).map { Rational(g * $0) }],
                                   activation: try Univariate.interpolate(through: sigma),
                                   outputActivation: try Univariate.interpolate(through: rho))
        return NetworkModel(inputDim: m, layers: [layer], readout: [[1]])
    }

    /// Whether `recurrentActivationModel()` computes f for every length: the state starts at
    /// index 0 and each (state, symbol) pair is mapped to the index of the product, so by
    /// induction h_t is the index of the prefix's element; rho then gives f. Checks those finite
    /// tables on the model's own activation coefficients, plus every word of length <= `words`
    /// by the exact forward pass.
    public func recurrentActivationIsExact(_ model: NetworkModel, words maxLength: Int = 6) -> Bool {
        let times = multiplicationTable, g = times.count, m = alphabetSize
        guard model.depth == 1, model.inputDim == m, let layer = model.layers.first, layer.hidden == 1,
              let sigma = layer.activation, let rho = layer.outputActivation,
              layer.terms.map(\.kind) == [.recurrent, .input],   // no other term (a multiplicative one vanishes at h_0 = 0 only)
              layer.h0 == [0], layer.recurrent == [[1]], layer.input == [(0..<m).map { Rational(g * $0) }],
              model.readout == [[1]], !model.hasReadoutBias else { return false }
        for j in 0..<g {
            if Univariate.evaluate(rho, at: Rational(j)) != (j == 0 ? 1 : 0) { return false }
            for s in 0..<m where Univariate.evaluate(sigma, at: Rational(j + g * s)) != Rational(times[j][s]) { return false }
        }
        for T in 1...max(1, maxLength) {
            for w in words(length: T) {
                let x = w.map { s in (0..<m).map { $0 == s ? Rational.one : .zero } }
                if model.evaluate(inputs: x)[0] != value(w) { return false }
            }
        }
        return true
    }
}

/// A coefficient that proves a one-hot degree >= D: in the basis prod_{t in S} x[t][k_t]
/// (k_t > 0) of the functions on words of length T, the coefficient of the product with
/// |S| = D symbols is nonzero. It is the alternating sum of f over the 2^D words that put k_t
/// or the reference symbol 0 at each t in S (0 elsewhere), so `verify` recomputes it from f
/// alone, without the truth table or its transform.
public struct OneHotDegreeWitness: Sendable, Equatable {
    /// symbols[t] = k_{t+1} > 0 for the steps in S, 0 elsewhere (count T).
    public let symbols: [Int]
    public let coefficient: Rational
    public var length: Int { symbols.count }
    /// |S|: the degree the witness proves f reaches.
    public var degree: Int { symbols.lazy.filter { $0 != 0 }.count }

    public init(symbols: [Int], coefficient: Rational) { self.symbols = symbols; self.coefficient = coefficient }

    /// Whether the coefficient is nonzero and equals the alternating sum over f's words.
    public func verify(for task: StateTrackingTask) -> Bool {
        let m = task.alphabetSize, support = symbols.indices.filter { symbols[$0] != 0 }
        guard !coefficient.isZero, symbols.allSatisfy({ $0 >= 0 && $0 < m }), support.count < 31 else { return false }
        var sum = Rational.zero
        for subset in 0..<(1 << support.count) {
            var word = [Int](repeating: 0, count: symbols.count)
            for (i, t) in support.enumerated() where subset & (1 << i) != 0 { word[t] = symbols[t] }
            let sign = (support.count - subset.nonzeroBitCount) % 2 == 0
            sum += sign ? task.value(word) : -task.value(word)
        }
        return sum == coefficient
    }
}

extension StateTrackingTask {
    /// The coefficient of largest support in the one-hot basis at length T (the one
    /// `oneHotDegree` reads its answer off), nil when f is 0 on every word.
    public func oneHotDegreeWitness(length T: Int) -> OneHotDegreeWitness? {
        let table = oneHotCoefficients(length: T), m = alphabetSize
        var best: (support: Int, index: Int)?
        for (index, c) in table.enumerated() where !c.isZero {
            var support = 0, rest = index
            for _ in 0..<T { if rest % m != 0 { support += 1 }; rest /= m }
            if support > best?.support ?? -1 { best = (support, index) }
        }
        guard let best else { return nil }
        // index = sum_t w_t m^(T-1-t): the first step is the most significant digit
        var symbols = [Int](repeating: 0, count: T), rest = best.index
        for t in stride(from: T - 1, through: 0, by: -1) { symbols[t] = rest % m; rest /= m }
        return OneHotDegreeWitness(symbols: symbols, coefficient: table[best.index])
    }
}
