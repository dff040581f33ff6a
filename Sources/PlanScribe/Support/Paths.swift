import Foundation

/// Paths as planscribe hands them on: to a CLI that runs in another folder, or into a record.
public enum Paths {
    /// `path` as an absolute path: as it is when it starts with `/`, else under the current folder.
    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// The last part of `path`, after its last `/` (found among the UTF-8 bytes: a backward
    /// search by Characters cost thousands of instructions a path).
    static func fileName(_ path: String) -> Substring {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return Substring(path) }
        return path[path.utf8.index(after: slash)...]
    }
}
