// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the readers of the package (model JSON, polynomial text, safetensors) (Docs/fuzzing.md):
//   swift build -c release --sanitize=fuzzer --sanitize=address --package-path Fuzz
//   Fuzz/.build/release/FuzzModelReader Fuzz/Corpus/ModelReader -max_total_time=600
// A separate package so that `swift test` on the main package never builds them
// (their entry point is libFuzzer's main, present only under -sanitize=fuzzer).
let package = Package(
    name: "ExpressivityFuzz",
    dependencies: [.package(name: "Expressivity", path: "..")],
    targets: [
        .executableTarget(name: "FuzzModelReader",
                          dependencies: [.product(name: "Expressivity", package: "Expressivity")]),
        .executableTarget(name: "FuzzPolynomialParser",
                          dependencies: [.product(name: "Expressivity", package: "Expressivity")]),
        .executableTarget(name: "FuzzSafeTensors",
                          dependencies: [.product(name: "Expressivity", package: "Expressivity")]),
    ]
)
