import ArgumentParser
import Expressivity

@main
struct ExpressivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expressivity",
        abstract: "Exact symbolic analysis of what recurrent networks compute.",
        discussion: """
            Unrolls recurrent networks into exact polynomials of their inputs x[t][k] and reports \
            their degrees, in exact rational arithmetic. Models are JSON files in the format of \
            Docs/model-format.md, or named families with seeded random weights.
            """,
        version: expressivityVersion,
        subcommands: [ModelCommand.self, UnrollCommand.self, DegreeCommand.self, RankCommand.self, TableCommand.self,
                      VerifyCommand.self, TaskCommand.self, MemoryCommand.self]
    )
}
