import Foundation
import PlanScribeTemplates

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
        let writer = try Folder(folder)
        for file in files { try writer.write(file) }
        writer.removeStalePages()
    }

    /// An output folder being written file by file (from any thread). While it exists it
    /// holds a lock on the folder itself (`flock` on the folder, so that no lock file is left
    /// in a report someone publishes), so a second planscribe writing the same folder waits
    /// for the first to finish instead of mixing its files in.
    public final class Folder: @unchecked Sendable {
        /// The folder.
        public let path: String
        private let lock = NSLock()
        private var written = Set<String>()
        private let lockDescriptor: Int32

        /// Creates the folder if needed and takes its lock, waiting while another process
        /// holds it.
        ///
        /// - Throws: ``ReportWriteError/cannotWrite(path:reason:)``.
        public init(_ path: String) throws {
            self.path = path
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw ReportWriteError.cannotWrite(path: path, reason: ReportWriter.reason(error))
            }
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw ReportWriteError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR {
                    close(fd)
                    throw ReportWriteError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
            }
            lockDescriptor = fd
            // The lock file earlier versions kept in the folder.
            unlink((path as NSString).appendingPathComponent(".planscribe.lock"))
            // Temporary files a killed writer left behind are removed; the files they were
            // to replace are still whole.
            for dir in [path, (path as NSString).appendingPathComponent("phases")] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                    try? FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(name))
                }
            }
        }

        deinit {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
        }

        /// Writes one file: to a temporary name beside it, then renamed over it.
        ///
        /// - Throws: ``ReportWriteError``.
        public func write(_ file: RenderedFile) throws {
            guard ReportWriter.isSafe(file.path) else { throw ReportWriteError.unsafePath(file.path) }
            let target = (path as NSString).appendingPathComponent(file.path)
            let dir = (target as NSString).deletingLastPathComponent
            let temp = (dir as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).tmp-\(getpid())")
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw ReportWriteError.cannotWrite(path: dir, reason: ReportWriter.reason(error))
            }
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ReportWriteError.cannotWrite(path: target, reason: String(cString: strerror(errno))) }
            let ok = file.forEachChunk { bytes -> Bool in
                var at = 0
                while at < bytes.count {
                    let n = Glibc.write(fd, bytes.baseAddress! + at, bytes.count - at)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    at += n
                }
                return true
            }
            close(fd)
            guard ok, rename(temp, target) == 0 else {
                let message = String(cString: strerror(errno))
                unlink(temp)
                throw ReportWriteError.cannotWrite(path: target, reason: message)
            }
            lock.lock()
            written.insert(file.path)
            lock.unlock()
        }

        /// Removes phase pages (NN-name.html / .md) left from an earlier render with more
        /// phases.
        public func removeStalePages() {
            let phases = (path as NSString).appendingPathComponent("phases")
            lock.lock()
            let done = written
            lock.unlock()
            for name in (try? FileManager.default.contentsOfDirectory(atPath: phases)) ?? [] {
                let isPage =
                    name.count > 3 && name.prefix(2).allSatisfy(\.isNumber) && name.dropFirst(2).hasPrefix("-")
                    && (name.hasSuffix(".html") || name.hasSuffix(".md"))
                if isPage && !done.contains("phases/" + name) {
                    try? FileManager.default.removeItem(atPath: (phases as NSString).appendingPathComponent(name))
                }
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

    static func reason(_ error: any Error) -> String {
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

extension ReportWriteError: PlanScribeError {
    /// The report folder cannot be written.
    public var isInputError: Bool { false }
}
