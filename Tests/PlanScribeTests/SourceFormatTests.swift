import Foundation
import Testing

/// The code passes `swift format lint --strict` with the repository's `.swift-format`
/// (documented public API included). Skipped, saying why, where the toolchain has no
/// `swift format`.
struct SourceFormatTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

    static let swift: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { $0 + "/swift" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test(.enabled(if: swift != nil, "no swift on PATH"))
    func theSourcesPassSwiftFormat() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.swift!)
        process.arguments = ["format", "lint", "--strict", "--recursive", "Sources", "Tests"]
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let findings = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && findings.isEmpty, "swift format lint:\n\(findings)")
    }
}
