import Expressivity

/// libFuzzer entry point. Any bytes must give a polynomial or a `PolynomialParseError`,
/// never a trap or a runaway expansion; an accepted polynomial must read back from its
/// canonical text as itself, and that text must be a fixed point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolynomialParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let p = try? Polynomial(parsing: text) else { return 0 }
    let canonical = p.description
    guard let q = try? Polynomial(parsing: canonical) else { fatalError("canonical text refused: \(canonical)") }
    guard q == p else { fatalError("canonical text reads as another polynomial: \(canonical)") }
    guard q.description == canonical else { fatalError("canonical text is not a fixed point: \(canonical)") }
    return 0
}
