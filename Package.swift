// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top (a module imports only modules below it):
//   CGMP → ExactNumbers → Polynomials, ExactLinearAlgebra → RecurrentNetworks
//   → ExpressivityAnalysis → Expressivity (umbrella) → ExpressivityCLI
// Release builds use SwiftPM's defaults (-O, whole-module): no unsafe flags, so every
// precondition and bounds check stays, and the package can be a versioned dependency.

let package = Package(
    name: "Expressivity",
    products: [
        .library(name: "Expressivity", targets: ["Expressivity"]),
        .executable(name: "expressivity", targets: ["ExpressivityCLI"]),
        .executable(name: "expressivity-bench", targets: ["ExpressivityBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        .target(name: "ExactNumbers", dependencies: ["CGMP"]),
        .target(name: "Polynomials", dependencies: ["ExactNumbers"]),
        .target(name: "ExactLinearAlgebra", dependencies: ["CGMP", "ExactNumbers"]),
        .target(name: "RecurrentNetworks", dependencies: ["ExactNumbers", "Polynomials"]),
        .target(name: "ExpressivityAnalysis",
                dependencies: ["ExactNumbers", "Polynomials", "ExactLinearAlgebra", "RecurrentNetworks"]),
        .target(name: "TheoremChecks",
                dependencies: ["ExactNumbers", "Polynomials", "ExactLinearAlgebra", "RecurrentNetworks", "ExpressivityAnalysis"]),
        .target(name: "Expressivity",
                dependencies: ["ExactNumbers", "Polynomials", "ExactLinearAlgebra", "RecurrentNetworks", "ExpressivityAnalysis",
                               "TheoremChecks"]),
        .executableTarget(name: "ExpressivityCLI", dependencies: [
            "Expressivity",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ExpressivityBenchmarks", dependencies: ["CGMP", "Expressivity", "_TestSupport"]),
        // Seeded generators and random inputs shared by tests and benchmarks; no public promise.
        .target(name: "_TestSupport", dependencies: ["ExactNumbers", "Polynomials", "ExactLinearAlgebra"]),
        .testTarget(name: "ExactNumbersTests", dependencies: ["ExactNumbers", "_TestSupport"]),
        .testTarget(name: "PolynomialsTests", dependencies: ["Polynomials", "_TestSupport"]),
        .testTarget(name: "ExactLinearAlgebraTests", dependencies: ["ExactLinearAlgebra", "_TestSupport"]),
        .testTarget(name: "RecurrentNetworksTests", dependencies: ["RecurrentNetworks", "_TestSupport"]),
        .testTarget(name: "ExpressivityAnalysisTests", dependencies: ["ExpressivityAnalysis", "_TestSupport"]),
        .testTarget(name: "TheoremChecksTests", dependencies: ["TheoremChecks", "_TestSupport"]),
        .testTarget(name: "ExpressivityCLITests", dependencies: ["ExpressivityCLI"]),
        // Docs/library.md's worked example, as an outside package would write it: the umbrella module only.
        .testTarget(name: "LibraryExampleTests", dependencies: ["Expressivity"]),
    ]
)
