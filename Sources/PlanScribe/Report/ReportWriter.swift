import Foundation
import PlanScribeTemplates

/// Why a report could not be written.
public enum ReportWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file path would leave the output folder.
    case unsafePath(String)
    /// The folder or a file could not be written.
    case cannotWrite(path: String, reason: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .unsafePath(let path): return "refusing to write \(path): it is outside the output folder"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        }
    }
}

/// Writes a report's files into a folder: each file to a temporary name first, then renamed,
/// so a reader never sees a half-written file. Phase pages left over from an earlier render
/// with more phases are removed.
public enum ReportWriter {
    /// Writes the files.
    ///
    /// - Parameters:
    ///   - files: the report's files, with paths relative to `folder`.
    ///   - folder: the output folder (created if needed).
    /// - Throws: ``ReportWriteError``.
    public static func write(_ files: [RenderedFile], to folder: String) throws {
        let fm = FileManager.default
        for file in files where !isSafe(file.path) {
            throw ReportWriteError.unsafePath(file.path)
        }
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportWriteError.cannotWrite(path: folder, reason: reason(error))
        }
        for file in files {
            let target = (folder as NSString).appendingPathComponent(file.path)
            let dir = (target as NSString).deletingLastPathComponent
            let temp = (dir as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try file.contents.write(to: URL(fileURLWithPath: temp))
                if rename(temp, target) != 0 {
                    let message = String(cString: strerror(errno))
                    try? fm.removeItem(atPath: temp)
                    throw ReportWriteError.cannotWrite(path: target, reason: message)
                }
            } catch let error as ReportWriteError {
                throw error
            } catch {
                try? fm.removeItem(atPath: temp)
                throw ReportWriteError.cannotWrite(path: target, reason: reason(error))
            }
        }
        // Stale phase pages (NN-name.html / .md) from an earlier render.
        let written = Set(files.map(\.path))
        let phases = (folder as NSString).appendingPathComponent("phases")
        for name in (try? fm.contentsOfDirectory(atPath: phases)) ?? [] {
            let relative = "phases/" + name
            let isPage = name.count > 3 && name.prefix(2).allSatisfy(\.isNumber) && name.dropFirst(2).hasPrefix("-")
                && (name.hasSuffix(".html") || name.hasSuffix(".md"))
            if isPage && !written.contains(relative) {
                try? fm.removeItem(atPath: (phases as NSString).appendingPathComponent(name))
            }
        }
    }

    /// A relative path of plain names: no `..`, no absolute path, no empty or hidden parts,
    /// no NUL.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && !part.hasPrefix(".") && part.utf8.count <= 255
        }
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}

/// The recorded planning run that ships with planscribe, for `planscribe demo`.
public enum DemoRun {
    /// The resource bundle holding the demo run.
    public static let bundleName = "planscribe_PlanScribe"

    /// The demo's transcript folder (a Claude Code project folder), or nil when the
    /// resources were not installed with the binary.
    public static var projectFolder: String? {
        guard let bundle = ResourceBundle.locate(bundleName) else { return nil }
        let projects = bundle.appendingPathComponent("demo-run/projects")
        guard let first = try? FileManager.default.contentsOfDirectory(atPath: projects.path).sorted().first else { return nil }
        return projects.appendingPathComponent(first).path
    }
}
