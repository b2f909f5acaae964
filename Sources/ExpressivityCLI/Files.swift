import ArgumentParser
import Expressivity
import Foundation

// Reading model files and writing outputs, with errors that name the file and the cause.

/// A computation refused or failed at run time (exit code 1); usage errors are
/// `ValidationError`s from `validate()` (exit code 64).
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Reads and validates a model file, turning every failure into an error naming the file
/// and the cause (missing, a directory, unreadable, empty, not UTF-8).
/// With `output` or `layer`: an index beyond the file's model is a usage error (exit 64), found
/// only once the file is read.
func loadModel(_ path: String, output: Int? = nil, layer: Int? = nil) throws -> NetworkModel {
    let m = try readModel(path)
    if let i = output, i >= m.outputCount {
        throw ValidationError("--output-index \(i) is out of range for \(path): its readout has \(m.outputCount) output(s), indices 0 to \(m.outputCount - 1)")
    }
    if let l = layer, l > m.depth {
        throw ValidationError("--layer \(l) is out of range for \(path): it has \(m.depth) layer(s), 1 to \(m.depth)")
    }
    return m
}

private func readModel(_ path: String) throws -> NetworkModel {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ModelError(file: path, path: "", message: "no such file")
    }
    if isDirectory.boolValue { throw ModelError(file: path, path: "", message: "is a directory, not a model file") }
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    if let type = try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType, type != .typeRegular {
        throw ModelError(file: path, path: "", message: "is not a regular file (a device, socket or pipe)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ModelError(file: path, path: "", message: "cannot read the file (permission denied)")
    }
    if data.isEmpty { throw ModelError(file: path, path: "", message: "the file is empty") }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ModelError(file: path, path: "", message: "the file is not UTF-8 text")
    }
    return try NetworkModel(json: text, file: path)
}

/// Writes `text` to the file `path`, or to standard output when `path` is "-" or absent.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path = path, path != "-" else { print(text, terminator: ""); return }
    try writeFile(text, to: path)
}

/// Writes a file, or says why it cannot: a directory, a missing parent directory, no permission.
func writeFile(_ text: String, to path: String) throws {
    if FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8)) { return }
    var isDirectory: ObjCBool = false
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let cause: String
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        cause = "it is a directory"
    } else if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) || !isDirectory.boolValue {
        cause = "no directory \(parent)"
    } else {
        cause = "permission denied"
    }
    throw CommandError("cannot write \(path): \(cause)")
}
