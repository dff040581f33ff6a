import ArgumentParser
import Foundation
import PlanScribe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planscribe-bench",
        abstract: "Measure planscribe on a generated projects tree: MB/s, ratio to reading the disk, peak memory.",
        discussion: """
            Build in release mode first (swift build -c release), then for example:
              .build/release/planscribe-bench run --mb 1000 --runs 3
            Each measurement runs in its own process; the figures are medians, and ratios are \
            taken against the floor (reading every byte and counting newlines) measured in the \
            same run. CPU time (user + system, all threads) is that of the run with the median \
            wall time: less noisy than wall time on a shared machine, and it shows how much of a \
            command is the kernel copying the files.
            """,
        subcommands: [RunBench.self, Generate.self, Floor.self],
        defaultSubcommand: RunBench.self)
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a deterministic projects tree.")

    @Option(help: "Size of the tree in MB (10^6 bytes).") var mb = 100
    @Option(name: .customLong("big-session"), help: "Add one session of this many MB.") var bigSession: Int?
    @Option(help: "The folder to write into (its projects/ is created).") var out: String
    @Option(
        help: ArgumentHelp(
            "Grow the tree from the transcripts under this folder instead: each session (with its subagents) is copied with fresh ids until the tree has --mb.",
            valueName: "folder")) var from: String?

    func validate() throws {
        if from != nil && bigSession != nil { throw ValidationError("--big-session is for generated trees; it does not go with --from") }
    }

    func run() throws {
        let written: TreeGenerator.Written
        if let from {
            let grower = CorpusTreeGrower(sources: try CorpusTreeGrower.sources(under: from), targetBytes: mb * 1_000_000)
            written = try grower.write(to: out)
        } else {
            var generator = TreeGenerator(targetBytes: mb * 1_000_000, bigSessionBytes: bigSession.map { $0 * 1_000_000 })
            written = try generator.write(to: out)
        }
        print("\(written.sessions) sessions, \(written.files) files, \(written.bytes / 1_000_000) MB in \(out)/projects")
    }
}

struct Floor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read every byte of every .jsonl file and count newlines (the floor).")

    @Argument var folder: String

    func run() throws {
        var lines = 0
        var bytes = 0
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        let walker = FileManager.default.enumerator(atPath: folder)
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".jsonl") else { continue }
            let fd = open(folder + "/" + relative, O_RDONLY)
            guard fd >= 0 else { continue }
            while true {
                let got = read(fd, buffer, 1 << 20)
                if got <= 0 { break }
                bytes += got
                var at = 0
                while at < got, let hit = memchr(buffer + at, 0x0A, got - at) {
                    lines += 1
                    at = buffer.distance(to: hit) + 1
                }
            }
            close(fd)
        }
        print("\(lines) lines, \(bytes) bytes")
    }
}

struct RunBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Generate a tree (unless --tree) and measure.")

    @Option(help: "Size of the generated tree in MB.") var mb = 100
    @Flag(name: .customLong("big-session"), help: "Add one session of 40 % of --mb (several hundred MB at --mb 1000).") var bigSession = false
    @Option(help: "Measure an existing projects folder (the one holding the project folders, as claude-code-log's --projects-dir takes it) instead of generating one.") var tree: String?
    @Option(help: "How many times each measurement runs (the median is reported).") var runs = 3
    @Option(help: "The planscribe binary. Default: beside this one.") var planscribe: String?
    @Option(help: "Also time this tool on the same tree (claude-code-log), when it is installed.") var compare: String?
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(
        help:
            "Keep the generated tree and outputs (on ext4, creating files is slower for a few minutes after gigabytes were deleted: keep them when measuring back to back, and delete them afterwards)."
    ) var keep = false
    @Option(
        help:
            "Where the renders write their reports and their render cache (XDG_CACHE_HOME), in a fresh folder inside it, removed at the end. Default: the temporary folder and the user's cache. A tmpfs such as /dev/shm takes the disk's file creation out of the figures: on a disk where creating a file costs half a millisecond, a tree of many small projects measures the disk."
    ) var outputs: String?

    func run() throws {
        let selfPath = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binary = planscribe ?? selfPath.deletingLastPathComponent().appendingPathComponent("planscribe").path
        let scratch = NSTemporaryDirectory() + "planscribe-bench-" + UUID().uuidString
        defer { if !keep { try? FileManager.default.removeItem(atPath: scratch) } }
        let root: String
        if let tree {
            root = tree
        } else {
            var generator = TreeGenerator(targetBytes: mb * 1_000_000, bigSessionBytes: bigSession ? mb * 400_000 : nil)
            let written = try generator.write(to: scratch)
            FileHandle.standardError.write(Data("generated \(written.sessions) sessions, \(written.files) files, \(written.bytes / 1_000_000) MB\n".utf8))
            root = scratch + "/projects"
        }
        let bytes = Self.treeBytes(root)
        var results: [Measurement] = []
        /// Runs `argv(run)` `runs` times, each after `sync()`. Each run that writes gets a
        /// folder of its own, and all are removed at the end: on ext4, creating files just
        /// after thousands were deleted is several times slower (the allocator passes over
        /// recently freed inodes), which would charge the bench's own clean-up to the next run.
        func measure(_ name: String, before: (() -> Void)? = nil, _ argv: (Int) -> [String]) {
            var samples: [Sample] = []
            for run in 0..<max(1, runs) {
                before?()
                // Untimed: what earlier runs wrote goes to disk first, so that no run waits on
                // another's writeback.
                sync()
                samples.append(Self.spawn(argv(run)))
            }
            results.append(Measurement(name: name, samples: samples, bytes: bytes))
        }
        // Removed with the scratch folder, or at the end when it is elsewhere.
        let outputs = self.outputs.map { ($0 as NSString).appendingPathComponent("planscribe-bench-outputs-" + UUID().uuidString) } ?? scratch + "/outputs"
        defer { if !keep && self.outputs != nil { try? FileManager.default.removeItem(atPath: outputs) } }
        if self.outputs != nil { setenv("XDG_CACHE_HOME", outputs + "/cache", 1) }
        func out(_ name: String, _ run: Int) -> String { outputs + "/\(name)-\(run + 1)" }
        measure("floor (read every byte)") { _ in [selfPath.path, "floor", root] }
        measure("cost") { _ in [binary, "cost", root, "--json"] }
        measure("render") { run in [binary, "render", root, "--output", out("render", run)] }
        let rendered = out("render", max(1, runs) - 1)
        // The largest page a reader opens, and the largest file of the report.
        let largest = Self.largestFiles(under: rendered)
        measure("render, unchanged tree") { _ in [binary, "render", root, "--output", rendered] }
        // Names of the compared tool's measurements; the first is the one the speed-up is of.
        var compared: [String] = []
        if let compare {
            if let tool = Self.which(compare) {
                if (compare as NSString).lastPathComponent == "claude-code-log" {
                    // As render runs: every project, defaults, cold. claude-code-log keeps its
                    // cache in the projects folder (claude-code-log-cache.db); its own
                    // --clear-cache empties it before each run, untimed. By default it writes a
                    // page per session and a combined page per project, as render writes a page
                    // per phase and report.md.
                    let name = compare + " (defaults, cold cache)"
                    let clearCache = [tool, "--all-projects", "--projects-dir", root, "--clear-cache"]
                    measure(name, before: { _ = Self.spawn(clearCache) }) { run in
                        [tool, "--all-projects", "--projects-dir", root, "--output", out("compare", run)]
                    }
                    // With --no-cache it writes only the combined page of each project.
                    measure(compare + " --no-cache") { run in
                        [tool, "--all-projects", "--projects-dir", root, "--no-cache", "--output", out("compare-no-cache", run)]
                    }
                    _ = Self.spawn(clearCache)
                    compared = [name, compare + " --no-cache"]
                } else {
                    measure(compare) { run in [tool, root, "--output", out("compare", run)] }
                    compared = [compare]
                }
            } else {
                FileHandle.standardError.write(Data("\(compare) is not installed: skipped\n".utf8))
            }
        }
        let floor = results[0].medianSeconds
        // How many times faster render is than each compared measurement, on the same tree.
        let speedups: [(name: String, times: Double)] = compared.compactMap { name in
            results.first { $0.name == name }.map { (name, $0.medianSeconds / results[2].medianSeconds) }
        }
        if json {
            let rows = results.map { m -> [String: Any] in
                [
                    "name": m.name, "median_seconds": m.medianSeconds, "mb_per_s": m.mbPerSecond, "ratio_to_floor": m.medianSeconds / floor,
                    "median_run_user_seconds": m.medianRunCPU.user, "median_run_system_seconds": m.medianRunCPU.system,
                    "peak_rss_mb": Double(m.peakRSSKB) / 1024, "exit_codes": m.samples.map(\.status), "runs": m.samples.map(\.seconds),
                ]
            }
            var top: [String: Any] = ["tree_mb": Double(bytes) / 1e6, "cores": ProcessInfo.processInfo.activeProcessorCount, "measurements": rows]
            top["largest_html_page_bytes"] = largest.html
            top["largest_html_page"] = largest.htmlPath
            top["largest_file_bytes"] = largest.any
            if let first = speedups.first { top["render_speedup_over_compared"] = first.times }
            if !speedups.isEmpty { top["render_speedups"] = Dictionary(uniqueKeysWithValues: speedups.map { ($0.name, $0.times) }) }
            let data = try JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "tree: %.0f MB, %d cores, median of %d runs", Double(bytes) / 1e6, ProcessInfo.processInfo.activeProcessorCount, runs))
            let width = max(26, results.map(\.name.count).max() ?? 0)
            print("measurement".padding(toLength: width, withPad: " ", startingAt: 0) + "   seconds      MB/s   × floor   peak RSS   CPU: user + system")
            for m in results {
                let status = m.samples.contains { $0.status != 0 } ? "  (exit \(m.samples.map { String($0.status) }.joined(separator: ",")))" : ""
                let name = m.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let cpu = m.medianRunCPU
                print(
                    name + String(format: " %8.3f %9.0f %9.2f %7.0f MB   %6.3f + %.3f s", m.medianSeconds, m.mbPerSecond, m.medianSeconds / floor, Double(m.peakRSSKB) / 1024, cpu.user, cpu.system)
                        + status)
            }
            print(String(format: "largest HTML page: %.2f MB (%@); largest file: %.2f MB", Double(largest.html) / 1e6, largest.htmlPath, Double(largest.any) / 1e6))
            for speedup in speedups {
                print(String(format: "render is %.1f× as fast as %@ on this tree", speedup.times, speedup.name))
            }
        }
    }

    /// The largest `.html` file (its size and path, relative) and the largest file of any
    /// kind under a folder.
    static func largestFiles(under folder: String) -> (html: Int, htmlPath: String, any: Int) {
        var html = 0
        var htmlPath = ""
        var any = 0
        let files = FileManager.default.enumerator(atPath: folder)
        while let name = files?.nextObject() as? String {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name))?[.size] as? Int else { continue }
            any = max(any, size)
            if name.hasSuffix(".html"), size > html { (html, htmlPath) = (size, name) }
        }
        return (html, htmlPath, any)
    }

    struct Sample {
        var seconds: Double
        var maxRSSKB: Int
        var status: Int32
        /// CPU time in user space and in the kernel (reading, writing, page faults), all threads.
        var userSeconds = 0.0
        var systemSeconds = 0.0
    }

    struct Measurement {
        var name: String
        var samples: [Sample]
        var bytes: Int
        var medianSeconds: Double {
            let sorted = samples.map(\.seconds).sorted()
            return sorted[sorted.count / 2]
        }
        var mbPerSecond: Double { Double(bytes) / 1e6 / medianSeconds }
        /// The run with the median wall time's CPU time (user, system).
        var medianRunCPU: (user: Double, system: Double) {
            let run = samples.sorted { $0.seconds < $1.seconds }[samples.count / 2]
            return (run.userSeconds, run.systemSeconds)
        }
        var peakRSSKB: Int { samples.map(\.maxRSSKB).max() ?? 0 }
    }

    static func treeBytes(_ root: String) -> Int {
        var total = 0
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".jsonl") else { continue }
            total += ((try? FileManager.default.attributesOfItem(atPath: root + "/" + relative))?[.size] as? Int) ?? 0
        }
        return total
    }

    static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    /// Runs a command in its own process, stdout and stderr to /dev/null, and measures its
    /// wall time and peak resident memory (from wait4).
    static func spawn(_ argv: [String]) -> Sample {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let start = DispatchTime.now()
        guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else {
            return Sample(seconds: .nan, maxRSSKB: 0, status: -1)
        }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
        func time(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return Sample(
            seconds: seconds, maxRSSKB: usage.ru_maxrss, status: exit,
            userSeconds: time(usage.ru_utime), systemSeconds: time(usage.ru_stime))
    }
}
