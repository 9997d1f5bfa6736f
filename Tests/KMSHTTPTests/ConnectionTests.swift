import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KMSCore
import KMSCrypto
import KMSStorage
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import KMSHTTP

/// `trent serve`'s own connection handling (``KMSChannel``), over real sockets: what a client
/// sees of framing, pipelining, `Connection: close` and malformed requests.
struct ConnectionTests {
    static func app() async throws -> some ApplicationProtocol {
        let service = KeyManagementService(
            repository: MemoryKeyRepository(), rootKey: FileRootKeyProvider(key: SymmetricKey(size: .bits256)))
        return buildApplication(
            service: service, authenticator: DevModeAuthenticator(), host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
    }

    /// A raw KMS request in dev mode, as bytes on the wire.
    static func request(_ operation: String, _ body: String, extraHeaders: String = "") -> String {
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "X-Amz-Target: TrentService.\(operation)\r\n\(extraHeaders)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWithFullHeaders() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawConnection.exchange(
                port: client.port!,
                Self.request("GenerateRandom", #"{"NumberOfBytes": 8}"#) + Self.request("ListKeys", "{}")
                    + Self.request("NoSuchOperation", "{}"),
                stopAfter: 3)
            #expect(exchange.responses.count == 3)
            #expect(!exchange.closedByServer)
            guard exchange.responses.count == 3 else { return }
            let (random, keys, unknown) = (exchange.responses[0], exchange.responses[1], exchange.responses[2])
            #expect(random.status == 200)
            #expect(random.body.contains("\"Plaintext\""))
            #expect(keys.status == 200)
            #expect(keys.body.contains("\"Keys\""))
            #expect(unknown.status == 400)
            #expect(unknown.body.contains("UnknownOperationException"))
            var requestIds: Set<String> = []
            for response in exchange.responses {
                #expect(response.headers["content-length"] == String(response.body.utf8.count))
                #expect(response.headers["content-type"] == "application/x-amz-json-1.1")
                #expect(response.headers["server"] == "Trent")
                let date = try #require(response.headers["date"])
                #expect(date.wholeMatch(of: #/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/#) != nil, "\(date)")
                requestIds.insert(try #require(response.headers["x-amzn-requestid"]))
            }
            #expect(requestIds.count == 3)
        }
    }

    /// More pipelined parts than the handler holds before it stops reading, and more bytes than
    /// a few reads take (each body is padded with 4 KB of JSON whitespace): reading must start
    /// again as they are answered, and every reply come back in order. The wait is long because
    /// suites running beside it can starve the test's task pool for tens of seconds.
    @Test func manyPipelinedRequestsAreAllAnsweredInOrder() async throws {
        let count = 2 * KMSRequestHandler.waitingPartsLimit
        let padding = String(repeating: " ", count: 4096)
        try await Self.app().test(.live) { client in
            let requests = (1...count).map { Self.request("GenerateRandom", #"{"NumberOfBytes": \#($0)}"# + padding) }.joined()
            let exchange = try await RawConnection.exchange(port: client.port!, requests, stopAfter: count, timeout: .seconds(120))
            #expect(exchange.responses.count == count)
            for (index, response) in exchange.responses.enumerated() {
                #expect(response.status == 200)
                let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                let plaintext = try #require(Data(base64Encoded: object?["Plaintext"] as? String ?? ""))
                #expect(plaintext.count == index + 1)
            }
        }
    }

    @Test func connectionCloseIsAnsweredThenClosed() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawConnection.exchange(
                port: client.port!, Self.request("GenerateRandom", #"{"NumberOfBytes": 4}"#, extraHeaders: "Connection: close\r\n"),
                stopAfter: nil)
            #expect(exchange.closedByServer)
            #expect(exchange.responses.count == 1)
            #expect(exchange.responses.first?.status == 200)
            #expect(exchange.responses.first?.headers["connection"] == "close")
        }
    }

    @Test func http10WithoutKeepAliveIsAnsweredThenClosed() async throws {
        try await Self.app().test(.live) { client in
            let request = Self.request("GenerateRandom", #"{"NumberOfBytes": 4}"#).replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0")
            let exchange = try await RawConnection.exchange(port: client.port!, request, stopAfter: nil)
            #expect(exchange.closedByServer)
            #expect(exchange.responses.map(\.status) == [200])
            #expect(exchange.responses.first?.headers["connection"] == "close")
        }
    }

    @Test func aChunkedBodyIsGatheredFromItsParts() async throws {
        try await Self.app().test(.live) { client in
            let head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: TrentService.GenerateRandom\r\nTransfer-Encoding: chunked\r\n\r\n"
            let chunks = "8\r\n{\"Number\r\n" + "C\r\nOfBytes\": 5}\r\n" + "0\r\n\r\n"
            let exchange = try await RawConnection.exchange(port: client.port!, head + chunks, stopAfter: 1)
            #expect(exchange.responses.map(\.status) == [200])
            let body = try #require(exchange.responses.first?.body)
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            let plaintext = try #require(json?["Plaintext"] as? String)
            #expect(Data(base64Encoded: plaintext)?.count == 5)
        }
    }

    @Test func aHeadRequestGetsHeadersWithoutABody() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawConnection.exchange(
                port: client.port!, "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", stopAfter: nil)
            #expect(exchange.closedByServer)
            let head = try #require(exchange.raw.components(separatedBy: "\r\n\r\n").first)
            #expect(head.hasPrefix("HTTP/1.1 "))
            #expect(head.lowercased().contains("content-length: "))
            #expect(exchange.raw == head + "\r\n\r\n", "a HEAD reply carries no body")
        }
    }

    @Test func anOversizedBodyIsRefusedAndTheConnectionGoesOn() async throws {
        try await Self.app().test(.live) { client in
            let big = String(repeating: "a", count: maximumBodySize + 1)
            let exchange = try await RawConnection.exchange(
                port: client.port!, Self.request("GenerateRandom", big) + Self.request("GenerateRandom", #"{"NumberOfBytes": 4}"#),
                stopAfter: 2)
            #expect(exchange.responses.map(\.status) == [413, 200])
            #expect(exchange.responses.first?.body.contains("RequestEntityTooLarge") == true)
        }
    }

    @Test func aMalformedRequestGetsABadRequestAndTheConnectionCloses() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawConnection.exchange(port: client.port!, "NOT HTTP AT ALL\r\n\r\n", stopAfter: nil)
            #expect(exchange.closedByServer)
            #expect(exchange.responses.map(\.status) == [400])
        }
    }
}

/// One client connection that writes bytes as given and parses what comes back.
enum RawConnection {
    struct Response {
        let status: Int
        let headers: [String: String]  // names lowercased
        let body: String
    }

    struct Exchange {
        let raw: String
        let responses: [Response]
        /// Whether the server closed the connection (rather than the reader stopping or timing out).
        let closedByServer: Bool
    }

    /// Sends `bytes`, then reads until `stopAfter` whole responses have arrived, the server
    /// closes the connection, or `timeout` passes.
    static func exchange(port: Int, _ bytes: String, stopAfter: Int?, timeout: Duration = .seconds(10)) async throws -> Exchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let timeout = Task {
            try await Task.sleep(for: timeout)
            try await channel.channel.close()
        }
        defer { timeout.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: bytes))
            var received = ""
            for try await chunk in inbound {
                received += String(buffer: chunk)
                if let stopAfter, parse(received).count >= stopAfter {
                    return Exchange(raw: received, responses: parse(received), closedByServer: false)
                }
            }
            timeout.cancel()
            let timedOut = (try? await timeout.value) != nil
            return Exchange(raw: received, responses: parse(received), closedByServer: !timedOut)
        }
    }

    /// The complete responses at the start of `text`.
    static func parse(_ text: String) -> [Response] {
        var responses: [Response] = []
        var rest = Substring(text)
        while let end = rest.range(of: "\r\n\r\n") {
            let lines = rest[..<end.lowerBound].components(separatedBy: "\r\n")
            guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { break }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound
            guard rest.utf8.distance(from: bodyStart, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.utf8.index(bodyStart, offsetBy: length)
            responses.append(Response(status: status, headers: headers, body: String(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return responses
    }
}
