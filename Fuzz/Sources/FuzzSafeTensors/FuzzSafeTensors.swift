import Expressivity

/// libFuzzer entry point. Any bytes must give tensors or a `SafeTensorsError`, never a trap;
/// tensors read must import under every layout to a model or an error, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let tensors = try? SafeTensors.read(bytes, file: "fuzz") else { return 0 }
    for layout in PyTorchLayout.allCases {
        let options = PyTorchImportOptions(gate: .identity, activation: .identity, cell: .linear)
        if let imported = try? PyTorchImport.model(from: tensors, layout: layout, options: options, file: "fuzz") {
            _ = imported.model.json
        }
    }
    return 0
}
