import Foundation

/// Where the command line's output goes: results to stdout, everything else to stderr.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One warning per model the price table does not know.
    static func warnUnpriced(_ models: [String]) {
        for model in models {
            error("warning: no price for model \(model): its tokens are counted, its cost is unknown (add it with --prices FILE)")
        }
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        out(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
