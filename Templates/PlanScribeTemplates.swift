import Foundation

/// Where the built-in report templates are: the `html/` and `markdown/` folders of this
/// target's resource bundle.
public enum PlanScribeTemplates {
    /// The name SwiftPM gives this target's resource bundle.
    public static let bundleName = "planscribe_PlanScribeTemplates"

    /// The folder holding `html/` and `markdown/`, looked up beside the running executable
    /// (where SwiftPM puts resource bundles), then in the main bundle; nil when the templates
    /// were not installed with the binary.
    public static var folder: URL? {
        ResourceBundle.locate(bundleName)
    }
}

/// Finds a SwiftPM resource bundle without `Bundle.module`, which stops the process when the
/// bundle is missing (for example when only the executable was copied somewhere).
public enum ResourceBundle {
    /// The resource folder of the bundle named `name`, or nil.
    public static func locate(_ name: String) -> URL? {
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        if let resources = Bundle.main.resourceURL { candidates.append(resources) }
        for folder in candidates {
            for suffix in [".resources", ".bundle"] {
                let bundle = folder.appendingPathComponent(name + suffix)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: bundle.path, isDirectory: &isDir), isDir.boolValue {
                    // On macOS a .bundle keeps its files under Contents/Resources.
                    let nested = bundle.appendingPathComponent("Contents/Resources")
                    return FileManager.default.fileExists(atPath: nested.path) ? nested : bundle
                }
            }
        }
        return nil
    }
}
