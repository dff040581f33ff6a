import Foundation
import Mustache
import Testing

@testable import PlanScribe

struct TimestampTests {
    /// The hand-written reader agrees with Foundation's ISO 8601 formatter.
    @Test(arguments: [
        "2026-01-01T00:00:00Z", "2026-11-25T14:21:09.123Z", "2024-02-29T23:59:59.999Z", "1999-12-31T23:59:59Z",
        "2026-03-01T00:00:00+02:00", "2026-03-01T00:00:00.5-07:30", "1970-01-01T00:00:00Z", "2100-02-28T12:00:00Z",
    ])
    func readsWhatTheFormatterReads(_ text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = try #require(formatter.date(from: text)).timeIntervalSince1970
        let seconds = try #require(Timestamp.seconds(text))
        #expect(abs(seconds - expected) < 0.001)
    }

    @Test(arguments: ["", "yesterday", "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00Zx", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00+0200"])
    func refusesWhatIsNotATime(_ text: String) {
        #expect(Timestamp.seconds(text) == nil)
    }
}

struct PrettyJSONTests {
    /// Keys sorted, the writer gives JSONEncoder's bytes (its escaping and layout); otherwise
    /// it keeps the members' order and writes numbers as Swift does.
    @Test func writesJSONEncodersLayoutInTheOrderGiven() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let values: [JSONValue] = [
            .null, .bool(true), .int(-42), .string(""), .string("a\"b\\c/d\u{7F}é😀" + controls), .array([]), .object([]),
            .object([.init(key: "z", value: .int(1)), .init(key: "a", value: .array([.string("x"), .object([]), .array([.null])])), .init(key: "é", value: .bool(false))]),
            .object(["B", "a", "_", "10", "9", "A1", "a\u{2028}"].map { .init(key: $0, value: .string($0 + "\u{2028}\u{2029}")) }),
            .array([.object([.init(key: "file_path", value: .string("/tmp/x.md")), .init(key: "content", value: .string("# T\n\n- a\n"))])]),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for value in values {
            let expected = String(decoding: try encoder.encode(value), as: UTF8.self)
            #expect(ConversationView.pretty(value.sortingKeys) == expected, "\(value)")
        }
        let written = JSONValue.object([.init(key: "old_string", value: .string("a")), .init(key: "new_string", value: .string("b")), .init(key: "ratio", value: .double(1.5))])
        #expect(ConversationView.pretty(written) == "{\n  \"old_string\" : \"a\",\n  \"new_string\" : \"b\",\n  \"ratio\" : 1.5\n}")
        #expect(ConversationView.pretty(.array([.double(1e30), .double(-0.25)])) == "[\n  1e+30,\n  -0.25\n]")
    }

    /// A tool input keeps the order the agent wrote it in, on the page.
    @Test func aToolInputIsShownInTheOrderWritten() throws {
        let value = try #require(FastLineDecoder.jsonValue(of: #"{"todos":[{"status":"done","content":"x"}],"b":2.5,"a":1.0}"#))
        #expect(ConversationView.pretty(value) == "{\n  \"todos\" : [\n    {\n      \"status\" : \"done\",\n      \"content\" : \"x\"\n    }\n  ],\n  \"b\" : 2.5,\n  \"a\" : 1\n}")
    }
}

struct OneLineTests {
    /// Stops early yet gives what joining all the lines and cutting would.
    @Test func agreesWithJoiningEveryLine() {
        func joined(_ text: String, _ limit: Int) -> String {
            let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            return flat.count <= limit ? flat : String(flat.prefix(max(1, limit - 1))) + "…"
        }
        let texts = [
            "", "\n", "\n\n\n", "short", "a\nb", "\n\nlead", "trail\n\n", "a\r\nb\u{2028}c\u{85}d", "line one\n\n\nline two",
            String(repeating: "word ", count: 10_000), String(repeating: "x\n", count: 500), "é日本🎉\n🎉🎉",
            String(repeating: "a", count: 48), String(repeating: "a", count: 49), String(repeating: "a", count: 47) + "\nb",
            // Printable ASCII takes a byte-wise path; a combining mark or a line break just
            // past the limit must still count as Characters do.
            "tab\there", String(repeating: "a", count: 47) + "e\u{301}b", String(repeating: "a", count: 48) + "e\u{301}",
            String(repeating: "a", count: 100) + "\r\n", "del\u{7F}", String(repeating: "b", count: 101),
            // ASCII line breaks of every kind, in runs, at the ends and at the limit.
            "a\n\nb\rc\u{0B}d\u{0C}e", "\r\n\r\nlead", "x \n y", String(repeating: "word\n", count: 3_000),
            String(repeating: "a", count: 47) + "\n\nb", String(repeating: "a", count: 48) + "\nb", "## Title\n\n- one\n- two\n\n```\ncode\n```\n",
        ]
        for text in texts {
            for limit in [1, 2, 10, 48, 100] {
                #expect(Figures.oneLine(text, limit: limit) == joined(text, limit), "\(text.prefix(20).debugDescription) \(limit)")
            }
        }
        #expect(Figures.oneLine(nil, limit: 5) == "")
    }
}

/// Fixed-point figures read as `String(format:)` writes them: ties on the exact binary value,
/// negative zero, large and tiny values, and numbers past what is written in place.
struct FixedFigureTests {
    @Test func fixedAgreesWithStringFormat() {
        var rng = SplitMix(seed: 11)
        var values: [Double] = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.05, 2.5, -2.5, 0.0005, 0.0015, 1e-300, 123_456.789, 999.95, 1e14, 1e16, -1e20, .infinity, -.infinity, .nan]
        for _ in 0..<2_000 {
            values.append(Double(rng.next() % 2_000_000) / 1_000 - 1_000)
            values.append(Double(rng.next() % 100_000) / 20)
        }
        for value in values {
            for places in [0, 1, 2, 3, 12, 13] {
                #expect(Figures.fixed(value, places: places) == String(format: "%.\(places)f", value), "\(value) \(places)")
            }
        }
    }

    @Test func twoDigitsAgreesWithStringFormat() {
        for n in [-12, -1, 0, 1, 9, 10, 99, 100, 12_345] {
            #expect(Figures.twoDigits(n) == String(format: "%02d", n))
        }
    }
}

struct ByteSearchTests {
    @Test func piecesAgreeWithFoundation() {
        let sep = "\u{1}cut\u{1}"
        let texts = ["", "no separator", sep, "a\(sep)b", "\(sep)start", "end\(sep)", "a\(sep)\(sep)b", "é日本\(sep)🎉\(sep)x\u{301}", "\u{1}cu\u{1}cut\u{1}"]
        for text in texts {
            #expect(text.utf8Pieces(separatedBy: sep).map(String.init) == text.components(separatedBy: sep), "\(text.debugDescription)")
        }
        #expect("xx agentId: abc".utf8Offset(after: "agentId: ") == 12)
        #expect("agentId".utf8Offset(after: "agentId: ") == nil)
        #expect("é agentId: ".utf8Offset(after: "agentId: ") == 12)
    }

    /// Raw bytes are searched as text is: the offset after the needle, nil when it is not
    /// there, longer than the bytes, or empty.
    @Test func offsetAfterANeedleInRawBytes() {
        func offset(_ hay: String, _ needle: String) -> Int? {
            Array(hay.utf8).withUnsafeBytes { h in Array(needle.utf8).withUnsafeBytes { h.offset(after: $0) } }
        }
        #expect(offset(#"{"type":"system","session_id":"s"}"#, #""session_id""#) == 29)
        #expect(offset(#"{"sessionId":"s"}"#, #""session_id""#) == nil)
        #expect(offset("ab", "abc") == nil)
        #expect(offset("abc", "") == nil)
        #expect(offset("abab", "ab") == 2)
    }

    /// A path's last part, after its last slash, whatever the characters before it.
    @Test func fileNameIsWhatFollowsTheLastSlash() {
        #expect(Paths.fileName("/home/é日本/proj/abc.jsonl") == "abc.jsonl")
        #expect(Paths.fileName("abc.jsonl") == "abc.jsonl")
        #expect(Paths.fileName("dir/") == "")
        #expect(Paths.fileName("/x\u{301}/a") == "a")
        #expect(SessionSource(file: "/p/-tmp-x/9f1c.jsonl").sessionID == "9f1c")
    }

    /// The vector scan finds the first of a set of bytes at every position of a block, across
    /// block edges and in the tail, as a plain loop does.
    @Test func firstOffsetOfAnyByteAgreesWithALoop() {
        var rng = SplitMix(seed: 7)
        let set: [UInt8] = [0x26, 0x3C, 0x3E, 0x22, 0x27]
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 100] {
            for _ in 0..<200 {
                let bytes = (0..<length).map { _ in rng.next() % 5 == 0 ? set[Int(rng.next() % 5)] : UInt8(0x61 + rng.next() % 26) }
                let sparse = bytes.map { b -> UInt8 in set.contains(b) && rng.next() % 8 != 0 ? 0x62 : b }
                for sample in [bytes, sparse] {
                    let expected = sample.firstIndex { set.contains($0) }
                    #expect(sample.withUnsafeBufferPointer { $0.firstOffset(ofAnyOf: set) } == expected)
                }
            }
        }
    }
}

struct JSONValueReaderTests {
    private func decoded(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Every tool input in the fixtures, written back as JSON (compact and pretty), reads the
    /// same in place as through JSONDecoder.
    @Test func jsonValueMatchesJSONDecoderOnFixtureInputs() throws {
        var inputs: [Any] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if object["type"] as? String == "tool_use", let input = object["input"] { inputs.append(input) }
                object.values.forEach(collect)
            } else if let list = value as? [Any] {
                list.forEach(collect)
            }
        }
        let files = FileManager.default.enumerator(atPath: Fixture.root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".jsonl") }
        for file in files {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixture.root + "/" + file)), as: UTF8.self)
            for line in text.split(separator: "\n") {
                if let value = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) { collect(value) }
            }
        }
        var read = 0
        for input in inputs {
            for options: JSONSerialization.WritingOptions in [[.fragmentsAllowed], [.prettyPrinted, .fragmentsAllowed]] {
                let text = String(decoding: try JSONSerialization.data(withJSONObject: input, options: options), as: UTF8.self)
                let expected = decoded(text)
                if let value = FastLineDecoder.jsonValue(of: text) {
                    read += 1
                    #expect(value.sortingKeys == expected, "\(text.prefix(200))")
                }
            }
        }
        #expect(inputs.count >= 40)
        #expect(read * 10 >= inputs.count * 2 * 9, "read in place: \(read) of \(inputs.count * 2)")
    }

    @Test(arguments: [
        #"{"b":1,"a":[true,false,null,-12,0,"x\n\"y\u00e9 🎉"],"c":{"d":{}}}"#, #"[]"#, #"{}"#, #""just a string""#, "-0", "42",
        #"{"z":"\\ud800 is not an escape here"}"#, #" { "spaced" : [ 1 , 2 ] } "#, "9223372036854775807", #"{"k\u0041y":"key with an escape"}"#,
        "1.5", "1e3", "2.0", "-0.25e-3", "9223372036854775808", "1e300",
    ])
    func readsInPlaceAsJSONDecoderDoes(_ text: String) throws {
        let value = try #require(FastLineDecoder.jsonValue(of: text))
        #expect(value.sortingKeys == decoded(text))
    }

    /// Left to JSONDecoder: repeated keys, a whole number past 2⁵³ written with an exponent,
    /// surrogate escapes, leading zeros, invalid JSON.
    @Test(arguments: [
        "1e17", #"{"a":1,"a":2}"#, #""\ud83c\udf89""#, #""\uDC00""#, "01", #"{"a":}"#, "[1,]", "tru", #""bad \q escape""#,
        "{\"a\":1} trailing", "\"raw\u{1F}control\"", "{\"k\":\"tab\tinside\"}",
    ])
    func leavesToJSONDecoder(_ text: String) {
        #expect(FastLineDecoder.jsonValue(of: text) == nil)
    }
}

struct HashedKeyTableTests {
    /// Agrees with a Dictionary through growth, overwrites, kept values, the key 0 and keys
    /// that share a slot.
    @Test func agreesWithADictionary() {
        var rng = SplitMix(seed: 11)
        var table = HashedKeyTable()
        var reference: [UInt64: UInt32] = [:]
        let crowded = (0..<64).map { UInt64($0) << 58 }  // equal low bits: neighbours after the multiply-shift too, often
        for step in 0..<50_000 {
            let key = step % 7 == 0 ? crowded[Int(rng.next() % 64)] : (step % 11 == 0 ? 0 : rng.next() % 20_000)
            let value = UInt32(rng.next() % 1000)
            let keep = rng.next() % 2 == 0
            table.set(key, value, keepingOld: keep)
            if !(keep && reference[key] != nil) { reference[key] = value }
            if step % 97 == 0 {
                let probe = rng.next() % 25_000
                #expect(table[probe] == reference[probe])
                #expect(table.contains(probe) == (reference[probe] != nil))
            }
        }
        #expect(table.count == reference.count)
        var seen: [UInt64: UInt32] = [:]
        table.forEach { seen[$0] = $1 }
        #expect(seen == reference)
        var other = HashedKeyTable()
        other.set(1_000_000, 1)
        #expect(table.isDisjoint(with: other))
        other.set(reference.keys.first!, 2)
        #expect(!table.isDisjoint(with: other))
    }
}

struct HashedIndexTests {
    /// Strings whose hashes collide are told apart by comparing the strings: each finds its
    /// own position, and a third string with the same hash finds none.
    @Test func tellsCollidingStringsApart() {
        var keys: [String] = []
        var index = HashedStringIndex()
        func add(_ key: String, hash: UInt64) {
            #expect(index.position(of: key, hash: hash, keyAt: { keys[$0] }) == nil)
            index.insert(key, hash: hash, position: keys.count)
            keys.append(key)
        }
        add("first", hash: 7)
        add("second", hash: 7)
        add("third", hash: 7)
        add("other", hash: 8)
        #expect(index.position(of: "first", hash: 7, keyAt: { keys[$0] }) == 0)
        #expect(index.position(of: "second", hash: 7, keyAt: { keys[$0] }) == 1)
        #expect(index.position(of: "third", hash: 7, keyAt: { keys[$0] }) == 2)
        #expect(index.position(of: "other", hash: 8, keyAt: { keys[$0] }) == 3)
        #expect(index.position(of: "fourth", hash: 7, keyAt: { keys[$0] }) == nil)
        #expect(index.position(of: "first", hash: 9, keyAt: { keys[$0] }) == nil)
    }

    /// A key list gives each key the position it was first added at, also when hashes collide.
    @Test func keyListKeepsFirstPositions() {
        var list = HashedKeyList<String>()
        #expect(list.add("a", hash: 1) == (0, true))
        #expect(list.add("b", hash: 1) == (1, true))
        #expect(list.add("c", hash: 2) == (2, true))
        #expect(list.add("a", hash: 1) == (0, false))
        #expect(list.add("b", hash: 1) == (1, false))
        #expect(list.keys == ["a", "b", "c"])
        #expect(list.position(of: "c", hash: 2) == 2)
        #expect(list.position(of: "d", hash: 1) == nil)
    }

    /// A call key hashes as its two ids joined by U+001F, the key the duplicate filter knows.
    @Test func callKeyHashIsThatOfTheJoinedIDs() {
        let key = CallKey(messageID: "msg_01ABC", requestID: "req_élan")
        #expect(key.hash == StableHash.of("msg_01ABC\u{1F}req_élan"))
        #expect(CallKey(messageID: "m", requestID: nil) == CallKey(messageID: "m", requestID: ""))
        #expect(StableHash.of("a", "", "bc") == StableHash.of("abc"))
    }

    /// With real hashes it finds what a Dictionary finds.
    @Test func agreesWithADictionaryOnUUIDs() {
        var keys: [String] = []
        var index = HashedStringIndex()
        var reference: [String: Int] = [:]
        for n in 0..<5_000 {
            let key = n % 3 == 0 ? "uuid-\(n % 700)" : UUID().uuidString  // repeats, and fresh ones
            let found = index.position(of: key, hash: StableHash.of(key), keyAt: { keys[$0] })
            #expect(found == reference[key])
            if found == nil {
                index.insert(key, hash: StableHash.of(key), position: keys.count)
                reference[key] = keys.count
                keys.append(key)
            }
        }
        #expect(keys.count == reference.count && keys.count < 5_000)
    }
}

struct JSONLWalkTests {
    /// The readdir walk finds what FileManager's enumerator finds: nested files, a folder
    /// named `*.jsonl` and what it holds, hidden names; a symbolic link to a folder is named
    /// but not followed.
    @Test func findsWhatFileManagerFinds() throws {
        let scratch = ScratchFolder()
        let root = scratch.path + "/tree"
        let fm = FileManager.default
        for dir in ["a/b/c", "x.jsonl", ".hidden", "elsewhere"] { try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
        for file in ["s1.jsonl", "a/s2.jsonl", "a/b/c/s3.jsonl", "x.jsonl/s4.jsonl", ".hidden/s5.jsonl", "a/notes.txt", "elsewhere/s6.jsonl"] {
            _ = fm.createFile(atPath: root + "/" + file, contents: Data("{}\n".utf8))
        }
        try fm.createSymbolicLink(atPath: root + "/link.jsonl", withDestinationPath: root + "/elsewhere")
        try fm.createSymbolicLink(atPath: root + "/linkdir", withDestinationPath: root + "/elsewhere")
        var expected: [String] = []
        let walker = try #require(fm.enumerator(atPath: root))
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".jsonl") { expected.append(root + "/" + relative) }
        }
        let found = TranscriptLocator.jsonlFiles(under: root + "/")
        #expect(found == expected.sorted())
        #expect(found.contains(root + "/link.jsonl") && !found.contains(root + "/linkdir/s6.jsonl"))
        #expect(found.count == 8)
    }
}

/// SHA-256, for the CSP hash of the search script: the standard's test vectors, and the same
/// digest as `sha256sum` gives for the script itself.
struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func givesTheStandardsDigests() {
        #expect(Self.hex(SHA256.digest("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(SHA256.digest("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Self.hex(SHA256.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.hex(SHA256.digest([UInt8](repeating: 0x61, count: 1_000_000))) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.cspSource(of: "abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test func agreesWithSha256sumOnTheSearchScript() throws {
        let scratch = ScratchFolder()
        let path = scratch.write("search.js", bytes: Array(Fixture.searchScript.utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(printed.hasPrefix(Self.hex(SHA256.digest(Fixture.searchScript.utf8)) + " "))
    }
}
