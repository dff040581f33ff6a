import Foundation

/// Paths as planscribe hands them on: to a CLI that runs in another folder, or into a record.
public enum Paths {
    /// `path` as an absolute path: as it is when it starts with `/`, else under the current folder.
    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
