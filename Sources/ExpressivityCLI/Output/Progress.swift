import ArgumentParser
import Expressivity
import Foundation

/// Progress lines on stderr, only when stderr is a terminal.
struct Progress {
    let enabled = isatty(2) != 0
    func report(_ s: String) {
        guard enabled else { return }
        FileHandle.standardError.write(("\r\u{1B}[K" + s).data(using: .utf8)!)
    }
    func done() { if enabled { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!) } }
}
