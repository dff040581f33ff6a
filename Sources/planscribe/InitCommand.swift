import ArgumentParser
import Foundation
import PlanScribe

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter plan and an editable copy of the planning prompt.",
        discussion: """
            Writes DIR/plan.yaml (the four gstack planning phases, canned replies to edit, the \
            default settings) and DIR/planning_agent.md (the system prompt planscribe uses when \
            a plan names none). Existing files are left alone unless --force is given. Then: \
            edit the description and replies, and try `planscribe run DIR/plan.yaml --dry-run`.

            Exit codes: 0 written; 1 a file could not be written; 2 a file exists (without \
            --force) or a bad slug.
            """)

    @Argument(help: ArgumentHelp("The folder to write into (created when missing).", valueName: "dir"))
    var dir = "."

    @Option(help: ArgumentHelp("The plan's slug (names its output folder); by default the folder's name.", valueName: "slug"))
    var slug: String?

    @Flag(help: "Overwrite plan.yaml and planning_agent.md when they exist.")
    var force = false

    func run() throws {
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
        let name = slug ?? Self.slug(from: folder.lastPathComponent)
        guard name.range(of: Plan.slugPattern, options: .regularExpression) != nil else {
            throw InputError(message: "--slug: \(name) is not a slug (lower-case letters, digits and dashes, starting with a letter or digit)")
        }
        let files = [("plan.yaml", StarterFiles.plan(slug: name)), (StarterFiles.promptFileName, StarterFiles.planningPrompt)]
        let paths = files.map { folder.appendingPathComponent($0.0).path }
        if !force, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw InputError(message: "\(existing) exists; pass --force to overwrite it")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for ((_, text), path) in zip(files, paths) {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                Console.out(path)
            }
        } catch {
            Console.error("error: cannot write into \(folder.path): \((error as NSError).localizedDescription)")
            throw ExitCode(1)
        }
        Console.error("planscribe: edit the description and the replies, then: planscribe run \(Shell.quote(paths[0])) --dry-run")
    }

    /// A folder name made into a slug (`My App` → `my-app`), or `plan` when nothing is left.
    static func slug(from name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "plan" : String(out.prefix(64))
    }
}
