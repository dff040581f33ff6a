import ArgumentParser
import Foundation
import PlanScribe

@main
struct PlanScribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planscribe",
        abstract: "Reads Claude Code planning sessions and reports what happened and what it cost.",
        discussion: """
            Transcripts are read from the paths given (a session .jsonl, a project folder, or a \
            whole projects tree); with no path, from the projects/ folder under \
            $CLAUDE_CONFIG_DIR, else ~/.claude.

            Exit codes: 0 everything was read (recoverable line problems are warnings on \
            stderr); 1 a file could not be read; 2 a missing path, a bad flag or a bad price file.
            """,
        version: PlanScribeVersion.current,
        subcommands: [SessionsCommand.self, CostCommand.self]
    )
}
