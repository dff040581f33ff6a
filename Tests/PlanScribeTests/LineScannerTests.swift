import Foundation
import Testing

@testable import PlanScribe

struct LineScannerTests {
    private func lines(ofFile path: String) throws -> [(Int, String, Bool)] {
        var out: [(Int, String, Bool)] = []
        try LineScanner.scanFile(atPath: path) { line in
            out.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.isTerminated))
        }
        return out
    }

    @Test func crlfLinesAndAMissingFinalNewline() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("a.jsonl", bytes: Array("one\r\ntwo\n\nthree".utf8))
        let got = try lines(ofFile: file)
        #expect(got.map(\.0) == [1, 2, 3, 4])
        #expect(got.map(\.1) == ["one", "two", "", "three"])
        #expect(got.map(\.2) == [true, true, true, false])
    }

    @Test func anEmptyFileHasNoLines() throws {
        let scratch = ScratchFolder()
        #expect(try lines(ofFile: scratch.write("e.jsonl", bytes: [])).isEmpty)
    }

    @Test func linesLongerThanTheReadChunkArriveWhole() throws {
        let scratch = ScratchFolder()
        let long = String(repeating: "x", count: LineScanner.chunkSize * 2 + 17)
        let file = scratch.write("long.jsonl", lines: ["short", long, "after"])
        let got = try lines(ofFile: file)
        #expect(got.map { $0.1.count } == [5, long.count, 5])
        #expect(got[1].1 == long)
    }

    @Test func manyLinesAcrossChunkBoundaries() throws {
        let scratch = ScratchFolder()
        let all = (0..<100_000).map { "line \($0) " + String(repeating: "y", count: $0 % 37) }
        let file = scratch.write("many.jsonl", lines: all)
        let got = try lines(ofFile: file)
        #expect(got.count == all.count)
        #expect(got.map(\.1) == all)
    }

    @Test func aMissingFileIsAnError() {
        #expect(throws: TranscriptError.unreadable(path: "/nonexistent/x.jsonl", reason: "No such file or directory")) {
            try LineScanner.scanFile(atPath: "/nonexistent/x.jsonl") { _ in }
        }
    }

    @Test func theSnifferFindsTopLevelFieldsOnly() {
        let line =
            #"{"parentUuid":"p1","attachment":{"type":"date","uuid":"inner"},"message":{"type":"message","text":"a \"quoted\" }{ brace"},"type":"attachment","uuid":"u1","isSidechain":true,"timestamp":"2026-01-01T00:00:00Z"}"#
        let sniff = Array(line.utf8).withUnsafeBytes { LineSniffer.sniff($0) }
        #expect(sniff == LineSniff(type: "attachment", uuid: "u1", parentUUID: "p1", logicalParentUUID: nil, attachmentType: "date", isSidechain: true, timestamp: "2026-01-01T00:00:00Z"))
    }
}
