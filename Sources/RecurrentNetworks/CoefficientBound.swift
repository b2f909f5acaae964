import ExactNumbers

/// A bound on the coefficients of a polynomial the unrolling builds, propagated through the
/// recurrence like `DegreeShape` (Docs/resources.md derives it):
/// - `log2Norm` >= log2 of the polynomial's 1-norm (sum of |coefficients|), so of every
///   coefficient's magnitude: ||p q|| <= ||p|| ||q||, ||sum c_i p_i|| <= sum |c_i| ||p_i||,
///   an input variable has norm 1;
/// - `denominatorPower` k: every coefficient times D^k is an integer, D the least common
///   multiple of all denominators in the model (k adds in a product, is the largest in a sum).
/// Sizes only an estimate (Double, rounded up at each step), never an exact result.
public struct CoefficientBound: UnrollValue, Equatable {
    /// -infinity: the zero polynomial.
    public var log2Norm: Double
    public var denominatorPower: Double

    public static let zero = CoefficientBound(log2Norm: -.infinity, denominatorPower: 0)
    public init(log2Norm: Double, denominatorPower: Double) { self.log2Norm = log2Norm; self.denominatorPower = denominatorPower }

    public var isZeroValue: Bool { log2Norm == -.infinity }
    public var size: Int { 1 }

    /// An integer >= log2|c|: 0 for +-1, bits(c) for other integers, and
    /// bits(numerator) - bits(denominator) + 1 for fractions.
    static func log2Bound(_ c: Rational) -> Double {
        if c.isZero { return -.infinity }
        if c.isInteger { return c.numerator.bitWidth == 1 ? 0 : Double(c.numerator.bitWidth) }
        return Double(c.numerator.bitWidth - c.denominator.bitWidth + 1)
    }

    public static func constant(_ c: Rational) -> CoefficientBound {
        c.isZero ? .zero : CoefficientBound(log2Norm: log2Bound(c), denominatorPower: c.isInteger ? 0 : 1)
    }
    public static func input(step t: Int, coordinate k: Int, inputDim d: Int) -> CoefficientBound {
        CoefficientBound(log2Norm: 0, denominatorPower: 0)
    }

    /// log2(sum 2^a_i) <= max a_i + log2(count), with log2(count) rounded up to bits(count).
    public static func combination(_ terms: [(Rational, CoefficientBound)]) -> CoefficientBound {
        var top = -Double.infinity, power = 0.0, count = 0
        for (c, v) in terms where !c.isZero && !v.isZeroValue {
            top = max(top, up(log2Bound(c) + v.log2Norm))
            power = max(power, up(v.denominatorPower + (c.isInteger ? 0 : 1)))
            count += 1
        }
        if count == 0 { return .zero }
        return CoefficientBound(log2Norm: up(top + Double(Int.bitWidth - (count - 1).leadingZeroBitCount)), denominatorPower: power)
    }

    public static func * (a: CoefficientBound, b: CoefficientBound) -> CoefficientBound {
        if a.isZeroValue || b.isZeroValue { return .zero }
        return CoefficientBound(log2Norm: up(a.log2Norm + b.log2Norm), denominatorPower: up(a.denominatorPower + b.denominatorPower))
    }

    public func power(_ k: Int) -> CoefficientBound {
        if k == 0 { return CoefficientBound(log2Norm: 0, denominatorPower: 0) }
        if isZeroValue { return .zero }
        return CoefficientBound(log2Norm: CoefficientBound.up(log2Norm * Double(k)),
                                denominatorPower: CoefficientBound.up(denominatorPower * Double(k)))
    }

    /// Every bound is an integer computed from integers: exact in a Double below 2^53; past
    /// it, one step up covers the rounding of the operation that made it.
    static func up(_ x: Double) -> Double { x.isFinite && abs(x) >= 0x1p53 ? x.nextUp : x }

    /// Bits of any coefficient's numerator or denominator, given bits(D): |numerator| <=
    /// norm D^k, denominator <= D^k.
    public func coefficientBits(denominatorBits b: Int) -> Double {
        if isZeroValue { return 0 }
        return CoefficientBound.up(CoefficientBound.up(max(0, log2Norm) + CoefficientBound.up(denominatorPower * Double(b))) + 1)
    }
}

extension RecurrentLayer {
    /// Every number the layer stores, h_0 and activation coefficients included.
    public var constants: [Rational] {
        var c: [Rational] = initialState ?? []
        for t in terms { c += t.constants }
        c += activation ?? []
        c += outputActivation ?? []
        return c
    }
}

extension RecurrentLayer {
    /// The same layer with every stored number (h_0 and activations included) replaced by f of it.
    public func mapConstants(_ f: (Rational) -> Rational) -> RecurrentLayer {
        func v(_ x: [Rational]?) -> [Rational]? { x?.map(f) }
        var layer = self   // same kinds, so each term replaces itself
        for term in terms { layer.setTerm(term.mapConstants(f)) }
        layer.initialState = v(initialState); layer.activation = v(activation); layer.outputActivation = v(outputActivation)
        return layer
    }
}

extension NetworkModel {
    /// The same model with every stored number replaced by f of it.
    public func mapConstants(_ f: (Rational) -> Rational) -> NetworkModel {
        NetworkModel(inputDim: inputDim, layers: layers.map { $0.mapConstants(f) },
                     readout: readout.map { $0.map(f) }, readoutBias: readoutBias?.map(f))
    }

    /// Every number the model stores.
    public var constants: [Rational] {
        layers.flatMap(\.constants) + readout.joined() + (readoutBias ?? [])
    }

    /// bits(D), D the least common multiple of the model's denominators (0 when all are integers).
    public var denominatorLCMBits: Int {
        var l = BigInt.one
        for c in constants where !c.isInteger { l = lcm(l, c.denominator) }
        return l == .one ? 0 : l.bitWidth
    }
}
