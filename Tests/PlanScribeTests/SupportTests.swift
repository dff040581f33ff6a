import Foundation
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
