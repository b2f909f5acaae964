import ArgumentParser
import Expressivity

@main
struct ExpressivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expressivity",
        abstract: "Exact symbolic analysis of what recurrent networks compute.",
        discussion: """
            Unrolls recurrent networks into exact polynomials of their inputs x[t][k] and reports, in \
            exact rational arithmetic: their degrees (degree), their separation ranks for a split of \
            the steps into a start and an end set (rank: the Start-End rank and any other partition, \
            with the bounds of the papers beside each cell), both side by side (table), the papers' \
            claims checked on grids of models (verify), state-tracking tasks (task) and delayed-copy \
            memory (memory). Models are JSON files in the format of Docs/model-format.md, or named \
            families with seeded random weights. Exit codes: 0 success, 1 a refused or failed \
            computation, 64 a usage error.
            """,
        version: expressivityVersion,
        subcommands: [ModelCommand.self, UnrollCommand.self, DegreeCommand.self, RankCommand.self, TableCommand.self,
                      VerifyCommand.self, TaskCommand.self, MemoryCommand.self]
    )

    /// ArgumentParser's own main, with library errors put in the CLI's words first.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: cliError(error))
        }
    }
}
