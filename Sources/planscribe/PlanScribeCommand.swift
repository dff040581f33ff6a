import ArgumentParser
import Foundation
import PlanScribe

@main
struct PlanScribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planscribe",
        abstract: "Runs Claude Code planning phases and reports what happened and what it cost.",
        discussion: """
            Transcripts are read from the paths given (a session .jsonl, a project folder, or a \
            whole projects tree); with no path, from the projects/ folder under \
            $CLAUDE_CONFIG_DIR, else ~/.claude.

            Exit codes: 0 success (recoverable line problems are warnings on stderr); 1 a \
            runtime failure; 2 a usage or input error (a missing path, a bad flag, plan, price \
            file or template); 3 a phase did not reach ready_to_advance (run); 4 a budget was \
            crossed (run); 5 a --fail-on gate failed (render, run, diff; cost --max-cost); 130, \
            143, 129 interrupted (SIGINT, SIGTERM, SIGHUP). Each \
            command's --help says more.
            """,
        version: PlanScribeVersion.current,
        subcommands: [InitCommand.self, RunCommand.self, RenderCommand.self, DemoCommand.self, SessionsCommand.self, CostCommand.self, DiffCommand.self]
    )

    /// Runs the command, with usage errors exiting 2 (ArgumentParser's default is 64) so
    /// that every planscribe command keeps the documented codes.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as PlanScribeError {
            // The one place errors become exit codes: 2 when the input is at fault (written
            // "Error:" as ArgumentParser writes usage errors), 1 for a runtime failure.
            Console.error((error.isInputError ? "Error: " : "error: ") + error.description)
            Foundation.exit(error.isInputError ? 2 : 1)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Bad input the command line itself finds (an unknown phase in --only, a folder for
/// --artifacts that is not there): exit 2 with the message alone, no usage text.
struct InputError: PlanScribeError {
    var message: String
    var description: String { message }
    var isInputError: Bool { true }
}
