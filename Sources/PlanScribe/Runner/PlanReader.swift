import Foundation
import Yams

/// Walks the YAML tree with line numbers, checking every field.
struct PlanReader {
    let file: String
    let environment: [String: String]
    let currentDirectory: String

    func fail(_ node: Node?, _ field: String?, _ message: String) -> PlanError {
        PlanError(file: file, line: node?.mark?.line, field: field, message: message)
    }

    /// Every problem found so far; the plan is refused with all of them at once.
    final class Problems {
        var list: [PlanError] = []
    }
    let problems = Problems()

    /// Runs one check; a problem it finds is kept and nil returned, so that the checks after
    /// it still run.
    func check<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as PlanError {
            problems.list.append(error)
            return nil
        } catch {
            problems.list.append(PlanError(file: file, line: nil, field: nil, message: "\(error)"))
            return nil
        }
    }

    func read(_ text: String) throws -> Plan {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error)
        }
        guard let root, case .mapping(let top) = root else {
            throw fail(root, nil, "expected a mapping with slug, description and phases")
        }
        let known: Set<String> = ["slug", "description", "workspace", "system_prompt", "phases", "default_reply", "claude", "budget"]
        checkKeys(top, known: known, prefix: "")

        let slug = check { () throws -> String in
            let slugNode = try required(top, "slug", "")
            let slug = try string(slugNode, "slug")
            guard slug.range(of: Plan.slugPattern, options: .regularExpression) != nil else {
                throw fail(slugNode, "slug", "must match [a-z0-9][a-z0-9-]* (at most 64 characters): it names the output folder")
            }
            return slug
        }
        let description = check { () throws -> String in
            let descriptionNode = try required(top, "description", "")
            let description = try string(descriptionNode, "description")
            guard !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw fail(descriptionNode, "description", "must not be empty")
            }
            return description
        }

        let workspace = check { () throws -> String in
            if let node = top["workspace"] {
                // Relative to the plan's folder (as every path in the plan), else the current one.
                let raw = try string(node, "workspace")
                guard let path = locate(raw, folder: true) else {
                    throw fail(node, "workspace", "no such folder: \(raw) (looked beside the plan and in the current folder)")
                }
                return path
            }
            if let root = environment["PLANSCRIBE_WORKSPACE_ROOT"], let slug, isDirectory(root + "/" + slug) {
                return Paths.absolute(root + "/" + slug)
            }
            return currentDirectory
        }

        // A named prompt must be there; without one, an editable copy in the usual place wins
        // over the built-in prompt.
        let promptFile = check { () throws -> String? in
            guard let promptNode = top["system_prompt"] else { return locate("prompts/planning_agent.md") }
            let promptPath = try string(promptNode, "system_prompt")
            guard let found = locate(promptPath) else {
                throw fail(promptNode, "system_prompt", "no such file: \(promptPath) (looked beside the plan and in the current folder)")
            }
            return found
        }

        let defaultReply = check { try top["default_reply"].map { try string($0, "default_reply") } }

        var claude = Plan.ClaudeSettings()
        if let node = top["claude"], let read = check({ try settings(node, base: claude, field: "claude", known: Self.claudeKeys) }) { claude = read }
        if claude.usesDefaultAddDirs, let slug { claude.defaultAddDirs = defaultAddDirs(slug: slug) }
        var budget = Plan.Budget()
        if let node = top["budget"], let read = check({ try self.budget(node, field: "budget") }) { budget = read }

        var phases: [Plan.PhasePlan] = []
        if let phasesNode = check({ try required(top, "phases", "") }) {
            if case .sequence(let list) = phasesNode, !list.isEmpty {
                var seen: [PhaseName: Int] = [:]
                for (i, item) in list.enumerated() {
                    let phase = phasePlan(item, field: "phases[\(i)]", claude: claude)
                    // A name seen twice is a problem even when the first has others.
                    var nameNode = item
                    if case .mapping(let map) = item, let node = map["name"] { nameNode = node }
                    guard case .scalar(let scalar) = nameNode, let name = PhaseName(scalar.string) else { continue }
                    if let first = seen[name] {
                        problems.list.append(fail(item, "phases[\(i)]", "\(name.command) is already phases[\(first)]; each phase runs once"))
                        continue
                    }
                    seen[name] = i
                    if let phase { phases.append(phase) }
                }
            } else {
                problems.list.append(fail(phasesNode, "phases", "must be a non-empty list of phases"))
            }
        }
        guard problems.list.isEmpty, let slug, let description, let workspace, let promptFile, let defaultReply else {
            var all = problems.list
            guard !all.isEmpty else { throw fail(root, nil, "cannot be read") }
            var first = all.removeFirst()
            first.more = all
            throw first
        }
        return Plan(
            file: file, slug: slug, description: description, workspace: workspace, systemPromptFile: promptFile,
            phases: phases, defaultReply: defaultReply, claude: claude, budget: budget)
    }

    /// The folders added to every invocation unless `default_add_dirs: false`, those that
    /// exist: gstack's notes for this project (`~/.gstack/projects/<slug>`, else the
    /// `~/.gstack/projects` it would be made in), where gstack's skills write their design
    /// documents (the CLI refuses a Write outside the workspace and the added folders), and
    /// the user's skills folder, whose files the skills read.
    func defaultAddDirs(slug: String) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let notes = home + "/.gstack/projects"
        var dirs: [String] = []
        if isDirectory(notes + "/" + slug) { dirs.append(notes + "/" + slug) } else if isDirectory(notes) { dirs.append(notes) }
        let skills = TranscriptLocator.configFolder(environment: environment) + "/skills"
        if isDirectory(skills) { dirs.append(skills) }
        return dirs
    }

    private func phasePlan(_ node: Node, field: String, claude: Plan.ClaudeSettings) -> Plan.PhasePlan? {
        let line = node.mark?.line ?? 0
        if case .scalar(let scalar) = node {
            guard let name = PhaseName(scalar.string) else {
                problems.list.append(fail(node, field, "not a phase name: \(scalar.string)"))
                return nil
            }
            var phase = Plan.PhasePlan(name: name, replies: [], maxReplies: 6, line: line)
            phase.claude = claude
            return phase
        }
        guard case .mapping(let map) = node else {
            problems.list.append(fail(node, field, "expected a phase name or a mapping with name and replies"))
            return nil
        }
        checkKeys(map, known: ["name", "replies", "max_replies", "max_nudges", "plain", "claude", "budget"], prefix: field + ".")
        let name = check { () throws -> PhaseName in
            let nameNode = try required(map, "name", field + ".")
            let raw = try string(nameNode, field + ".name")
            guard let name = PhaseName(raw) else { throw fail(nameNode, field + ".name", "not a phase name: \(raw)") }
            return name
        }
        var replies: [Plan.Reply] = []
        if let repliesNode = map["replies"] {
            if case .sequence(let list) = repliesNode {
                for (j, item) in list.enumerated() {
                    if let reply = check({ try self.reply(item, field: field + ".replies[\(j)]") }) { replies.append(reply) }
                }
            } else {
                problems.list.append(fail(repliesNode, field + ".replies", "expected a list of replies"))
            }
        }
        let maxReplies = check { try map["max_replies"].map { try int($0, field + ".max_replies", 0...100) } ?? 6 }
        let maxNudges = check { try map["max_nudges"].map { try int($0, field + ".max_nudges", 0...100) } ?? 2 }
        let plain = check { () throws -> Bool in
            guard let node = map["plain"] else { return false }
            guard case .scalar(let scalar) = node, let b = Bool.construct(from: scalar) else { throw fail(node, field + ".plain", "expected true or false") }
            return b
        }
        let phaseClaude = check { try map["claude"].map { try settings($0, base: claude, field: field + ".claude", known: Self.phaseClaudeKeys) } ?? claude }
        let budget = check { try map["budget"].map { try self.budget($0, field: field + ".budget") } ?? Plan.Budget() }
        guard let name, let maxReplies, let maxNudges, let plain, let phaseClaude, let budget else { return nil }
        var phase = Plan.PhasePlan(name: name, replies: replies, maxReplies: maxReplies, line: line)
        phase.maxNudges = maxNudges
        phase.plain = plain
        phase.claude = phaseClaude
        phase.budget = budget
        return phase
    }

    /// One canned reply: its text, or a mapping with `when` and `reply`.
    private func reply(_ item: Node, field f: String) throws -> Plan.Reply {
        if case .scalar = item { return Plan.Reply(text: try replyText(item, f), when: nil) }
        guard case .mapping(let m) = item else { throw fail(item, f, "expected a reply text or a mapping with when and reply") }
        try requireKnownKeys(m, known: ["when", "reply"], prefix: f + ".")
        let text = try replyText(try required(m, "reply", f + "."), f + ".reply")
        let whenNode = try required(m, "when", f + ".")
        let pattern = try string(whenNode, f + ".when")
        do {
            // An empty pattern matches any question.
            if !pattern.isEmpty { _ = try NSRegularExpression(pattern: pattern) }
        } catch {
            throw fail(whenNode, f + ".when", "not a valid regular expression: \(pattern)")
        }
        return Plan.Reply(text: text, when: pattern)
    }

    /// The keys of the plan's `claude` settings.
    static let claudeKeys: Set<String> = [
        "model", "max_turns", "retry_max_turns", "timeout_s", "add_dirs", "default_add_dirs", "permission_mode", "dangerously_skip_permissions",
        "allowed_tools", "disallowed_tools", "fail_on_permission_denial", "extra_args",
    ]
    /// The keys a phase's `claude` may override: what belongs to one invocation.
    static let phaseClaudeKeys: Set<String> = [
        "model", "max_turns", "retry_max_turns", "timeout_s", "permission_mode", "allowed_tools", "disallowed_tools", "fail_on_permission_denial",
    ]

    private func budget(_ node: Node, field: String) throws -> Plan.Budget {
        guard case .mapping(let map) = node else { throw fail(node, field, "expected a mapping with max_cost_usd and/or time_limit_s") }
        checkKeys(map, known: ["max_cost_usd", "time_limit_s"], prefix: field + ".")
        var b = Plan.Budget()
        if let n = map["max_cost_usd"] {
            guard case .scalar(let s) = n, let value = Double(s.string), value.isFinite else { throw fail(n, field + ".max_cost_usd", "expected an amount in dollars (5, 0.50)") }
            guard value > 0, value <= 1_000_000 else { throw fail(n, field + ".max_cost_usd", "must be more than 0 and at most 1000000") }
            b.maxCostUSD = value
        }
        if let n = map["time_limit_s"] { b.timeLimitSeconds = try int(n, field + ".time_limit_s", 1...604_800) }
        return b
    }

    /// `claude` settings: the plan's (from the defaults) or a phase's overrides (from the
    /// plan's settings).
    private func settings(_ node: Node, base: Plan.ClaudeSettings, field: String, known: Set<String>) throws -> Plan.ClaudeSettings {
        guard case .mapping(let map) = node else { throw fail(node, field, "expected a mapping") }
        checkKeys(map, known: known, prefix: field + ".")
        var s = base
        if let n = map["model"] { s.model = try string(n, field + ".model") }
        if let n = map["max_turns"] { s.maxTurns = try int(n, field + ".max_turns", 1...500) }
        if let n = map["retry_max_turns"] {
            s.retryMaxTurns = try int(n, field + ".retry_max_turns", 1...1000)
            guard s.retryMaxTurns >= s.maxTurns else { throw fail(n, field + ".retry_max_turns", "must be at least max_turns (\(s.maxTurns))") }
        } else if map["max_turns"] != nil {
            s.retryMaxTurns = max(30, s.maxTurns, base.retryMaxTurns)
        }
        if let n = map["timeout_s"] { s.timeoutSeconds = try int(n, field + ".timeout_s", 1...86_400) }
        if let n = map["add_dirs"] { s.addDirs = try strings(n, field + ".add_dirs").map { locate($0, folder: true) ?? expand($0) } }
        if let n = map["default_add_dirs"] {
            guard case .scalar(let scalar) = n, let b = Bool.construct(from: scalar) else { throw fail(n, field + ".default_add_dirs", "expected true or false") }
            s.usesDefaultAddDirs = b
        }
        if let n = map["permission_mode"] {
            let mode = try string(n, field + ".permission_mode")
            let modes = ["acceptEdits", "auto", "bypassPermissions", "default", "dontAsk", "manual", "plan"]
            guard modes.contains(mode) else { throw fail(n, field + ".permission_mode", "must be one of " + modes.joined(separator: ", ")) }
            s.permissionMode = mode
            // Where skipping cannot be set (a phase's overrides), a mode named replaces the
            // plan's skipping of permissions.
            if !known.contains("dangerously_skip_permissions") { s.skipPermissions = false }
        }
        if let n = map["dangerously_skip_permissions"] {
            guard case .scalar(let scalar) = n, let b = Bool.construct(from: scalar) else { throw fail(n, field + ".dangerously_skip_permissions", "expected true or false") }
            s.skipPermissions = b
            // Skipping permissions replaces the default mode (a mode the plan names stays).
            if b && map["permission_mode"] == nil { s.permissionMode = nil }
        }
        if let n = map["allowed_tools"] { s.allowedTools = try strings(n, field + ".allowed_tools") }
        if let n = map["fail_on_permission_denial"] {
            guard case .scalar(let scalar) = n, let b = Bool.construct(from: scalar) else { throw fail(n, field + ".fail_on_permission_denial", "expected true or false") }
            s.failOnPermissionDenial = b
        }
        if let n = map["disallowed_tools"] { s.disallowedTools = try strings(n, field + ".disallowed_tools") }
        if let n = map["extra_args"] {
            s.extraArgs = try strings(n, field + ".extra_args")
            let items: [Node?]
            if case .sequence(let seq) = n { items = Array(seq) } else { items = [n] }
            for (i, arg) in s.extraArgs.enumerated() {
                let flag = String(arg.split(separator: "=", maxSplits: 1).first ?? "")
                if let instead = Self.managedFlags[flag] {
                    throw fail(i < items.count ? items[i] : n, field + ".extra_args", "\(flag) is set by planscribe (\(instead))")
                }
            }
        }
        return s
    }

    /// Flags of the CLI that planscribe sets itself, with what to use instead: passing them in
    /// `extra_args` would break the protocol after the call is paid for.
    static let managedFlags: [String: String] = {
        var flags: [String: String] = [:]
        for f in ["-p", "--print"] { flags[f] = "every invocation is non-interactive" }
        for f in ["--output-format", "--input-format", "--verbose", "--include-partial-messages"] { flags[f] = "planscribe reads the CLI's stream-json" }
        for f in ["-r", "--resume", "-c", "--continue", "--session-id", "--fork-session", "--resume-session-at"] { flags[f] = "planscribe resumes each phase's own session" }
        flags["--max-turns"] = "use claude.max_turns and claude.retry_max_turns"
        for f in ["--system-prompt", "--system-prompt-file"] { flags[f] = "use system_prompt" }
        for f in ["--allowedTools", "--allowed-tools"] { flags[f] = "use claude.allowed_tools" }
        for f in ["--disallowedTools", "--disallowed-tools"] { flags[f] = "use claude.disallowed_tools" }
        flags["--model"] = "use claude.model"
        flags["--permission-mode"] = "use claude.permission_mode"
        flags["--dangerously-skip-permissions"] = "use claude.dangerously_skip_permissions"
        flags["--add-dir"] = "use claude.add_dirs"
        return flags
    }()

    // MARK: Helpers

    private func unknownKeys(_ map: Node.Mapping, known: Set<String>, prefix: String) -> [PlanError] {
        map.compactMap { key, _ in
            if case .scalar(let k) = key, known.contains(k.string) { return nil }
            return fail(key, prefix + (key.string ?? "?"), "unknown field (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// Keeps a problem for each unknown field.
    private func checkKeys(_ map: Node.Mapping, known: Set<String>, prefix: String) {
        problems.list += unknownKeys(map, known: known, prefix: prefix)
    }

    /// Throws the first unknown field.
    private func requireKnownKeys(_ map: Node.Mapping, known: Set<String>, prefix: String) throws {
        if let first = unknownKeys(map, known: known, prefix: prefix).first { throw first }
    }

    private func required(_ map: Node.Mapping, _ key: String, _ prefix: String) throws -> Node {
        guard let node = map[key] else {
            throw PlanError(file: file, line: map.mark?.line, field: prefix + key, message: "missing")
        }
        return node
    }

    /// A reply as written; an empty one or YAML's null (`~`, `null`, nothing) is an error, not a
    /// reply of no words.
    private func replyText(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, field, "expected the reply's text") }
        let plainNull = s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
        guard !plainNull, !s.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail(node, field, "a reply must not be empty")
        }
        return s.string
    }

    private func string(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, field, "expected text") }
        return s.string
    }

    private func strings(_ node: Node, _ field: String) throws -> [String] {
        guard case .sequence(let list) = node else { throw fail(node, field, "expected a list") }
        return try list.enumerated().map { try string($0.element, field + "[\($0.offset)]") }
    }

    private func int(_ node: Node, _ field: String, _ range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let s) = node, let value = Int(s.string) else { throw fail(node, field, "expected a whole number") }
        guard range.contains(value) else { throw fail(node, field, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    private func expand(_ path: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
        }
        return path
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// A file (or folder) named in the plan, as an absolute path: absolute, beside the plan,
    /// or in the current folder.
    private func locate(_ raw: String, folder: Bool = false) -> String? {
        let path = expand(raw)
        let planFolder = (Paths.absolute(file) as NSString).deletingLastPathComponent
        let candidates =
            path.hasPrefix("/")
            ? [path]
            : [
                (planFolder as NSString).appendingPathComponent(path),
                (Paths.absolute(currentDirectory) as NSString).appendingPathComponent(path),
            ]
        let found = candidates.first { folder ? isDirectory($0) : FileManager.default.isReadableFile(atPath: $0) && !isDirectory($0) }
        return found.map { ($0 as NSString).standardizingPath }
    }

    private func yamlError(_ error: YamlError) -> PlanError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PlanError(file: file, line: mark.line, field: nil, message: "invalid YAML: \(problem)")
        default:
            return PlanError(file: file, line: nil, field: nil, message: "invalid YAML: \(error)")
        }
    }
}
