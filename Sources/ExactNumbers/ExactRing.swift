/// The exact commutative rings the algebra layers are generic over (Z and Q here).
public protocol ExactRing: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    static var zero: Self { get }
    static var one: Self { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
}

/// An exact field (Q here).
public protocol ExactField: ExactRing {
    static func / (a: Self, b: Self) -> Self
    var reciprocal: Self { get }
}

extension BigInt: ExactRing {}
extension Rational: ExactField {}
