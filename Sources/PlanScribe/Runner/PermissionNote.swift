/// How the runner and the reports word the tool calls the CLI refused for want of permission.
enum PermissionNote {
    /// `the CLI refused 3 tool calls for want of permission (Write ×2, Bash)`, the tools most
    /// refused first; nil when it refused none.
    static func text(_ tools: [String]) -> String? {
        guard !tools.isEmpty else { return nil }
        var counts: [String: Int] = [:]
        for tool in tools { counts[tool, default: 0] += 1 }
        let listed = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { $0.value > 1 ? "\($0.key) ×\($0.value)" : $0.key }
        return "the CLI refused \(Figures.plural(tools.count, "tool call")) for want of permission (\(listed.joined(separator: ", ")))"
    }
}
