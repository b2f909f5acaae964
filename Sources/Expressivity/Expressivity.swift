// Umbrella module: `import Expressivity` gives the whole analysis API.
@_exported import ExactNumbers
@_exported import Polynomials
@_exported import ExactLinearAlgebra
@_exported import RecurrentNetworks
@_exported import ExpressivityAnalysis
@_exported import TheoremChecks

/// The package version printed by `expressivity --version`.
public let expressivityVersion = "0.1.0"
