import Foundation
import Logging
import Synchronization
import Testing

@testable import KMSHTTP

/// The server's log lines read as swift-log's `StreamLogHandler` writes them.
struct ServerLogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// Drops the leading timestamp, which the two handlers take at different instants.
    static func untimed(_ line: String) -> String { String(line.drop { $0 != " " }) }

    static func logBoth(_ body: (inout Logger) -> Void) -> (ours: [String], stream: [String]) {
        let ours = Lines()
        let stream = Lines()
        var server = Logger(label: "trent") { ServerLogHandler(label: $0, write: { ours.write($0) }) }
        var reference = Logger(label: "trent") { StreamLogHandler(label: $0, stream: stream, metadataProvider: nil) }
        body(&server)
        body(&reference)
        return (ours.all.map(untimed), stream.all.map(untimed))
    }

    @Test func linesMatchStreamLogHandlers() {
        let (ours, stream) = Self.logBoth { logger in
            logger.logLevel = .info
            logger[metadataKey: "hb.request.id"] = "0001"
            logger[metadataKey: "a"] = "first"
            logger.debug("not written")
            logger.info("plain")
            logger.warning("with metadata", metadata: ["a": "explicit", "z": "last"])
            logger.error("failed", metadata: ["operation": "Encrypt"])
        }
        #expect(ours.count == 3)
        #expect(ours == stream)
        #expect(ours.first == " info trent: a=first hb.request.id=0001 [KMSHTTPTests] plain\n")
    }

    @Test func aLoggerWithoutMetadataWritesNone() {
        let (ours, stream) = Self.logBoth { $0.notice("started") }
        #expect(ours == [" notice trent: [KMSHTTPTests] started\n"])
        #expect(ours == stream)
    }

    @Test func timestampsAreLocalISO8601() throws {
        let ours = Lines()
        let logger = Logger(label: "trent") { ServerLogHandler(label: $0, write: { ours.write($0) }) }
        logger.info("now")
        let line = try #require(ours.all.first)
        #expect(line.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} info trent: \[KMSHTTPTests\] now\n/) != nil)
    }
}
