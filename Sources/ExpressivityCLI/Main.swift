import ArgumentParser
import Expressivity

@main
struct ExpressivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expressivity",
        abstract: "Exact symbolic analysis of what recurrent networks compute.",
        version: expressivityVersion
    )
}
