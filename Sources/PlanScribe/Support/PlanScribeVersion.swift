/// planscribe's version.
public enum PlanScribeVersion {
    /// The version string `--version` prints.
    public static let current = "0.1.0"
}
