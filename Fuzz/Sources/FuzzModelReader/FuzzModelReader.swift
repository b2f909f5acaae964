import Expressivity

/// libFuzzer entry point. Any bytes must give a model or a `ModelError`, never a trap; an
/// accepted model must survive the writer and reader unchanged (canonical form), and its
/// structural size estimate must not trap either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let model = try? NetworkModel(json: text) else { return 0 }
    let written = model.json
    guard let again = try? NetworkModel(json: written) else { fatalError("the writer's output is refused:\n\(written)") }
    guard again == model else { fatalError("write-read changed the model:\n\(written)") }
    guard again.json == written else { fatalError("the written form is not canonical:\n\(written)") }
    _ = model.parameterCount
    _ = model.estimatedMaxTerms(length: 3)
    return 0
}
