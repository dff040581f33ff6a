import Foundation

/// The CLI's config folder of its own (`run/claude-config`, with `--isolate`): no login, no
/// history of the user's, but the user's skills, commands and agents linked in, so that a
/// phase's `/office-hours` loads there as it does at home.
public enum IsolatedConfig {
    /// The user's folders that are linked in: `skills`, `commands` and `agents` of
    /// `$CLAUDE_CONFIG_DIR`, else `~/.claude`, those that exist.
    public static func shared(environment: [String: String]) -> [(name: String, source: String)] {
        let user = TranscriptLocator.configFolder(environment: environment)
        return ["skills", "commands", "agents"].compactMap { name in
            let path = (user as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? (name, path) : nil
        }
    }

    /// Makes the folder and links the user's folders into it (what is there already stays).
    public static func prepare(_ folder: String, environment: [String: String]) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, source) in shared(environment: environment) {
            let link = (folder as NSString).appendingPathComponent(name)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil, !FileManager.default.fileExists(atPath: link) {
                try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: source)
            }
        }
    }

    /// What lets the CLI work without a login in its config folder.
    public static let credentialKeys = ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_AUTH_TOKEN"]
}
