import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KMSCore
import KMSCrypto
import KMSHTTP
import KMSSigV4
import KMSStorage
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix

/// `trent-microbench pipeline`: the whole request path above HTTP, without sockets. Signed
/// Encrypt requests go through `KMSResponder` from 64 concurrent tasks: SigV4 verification,
/// decoding, authorization, sealing, the audit record and group commit to SQLite on disk, as in
/// `trent serve` (whose concurrency runs on NIO's event loops, as here). Comparing its CPU per
/// request with `Benchmarks/load`'s tells how much of a request costs above the network.
enum PipelineBenchmark {
    static func run(concurrency: Int = 64, seconds: Double = 8) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let repository = try SQLiteKeyRepository(path: folder.appendingPathComponent("trent.sqlite").path)
        let logger = Logger(label: "pipeline")
        let service = KeyManagementService(
            repository: CachingKeyRepository(repository), rootKey: FileRootKeyProvider(key: SymmetricKey(size: .bits256)),
            logger: logger)
        guard let administrator = try await service.bootstrapAdministrator() else { fatalError("no administrator") }
        let responder = KMSResponder(service: service, authenticator: SigV4Authenticator(service: service))
        let context = KMSRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))

        func signed(_ operation: String, _ body: String) -> Request {
            let amzDate = AmzDate.format(Date())
            let scope = CredentialScope(date: String(amzDate.prefix(8)), region: "us-east-1", service: "kms")
            let headers = [
                ("content-type", "application/x-amz-json-1.1"), ("host", "127.0.0.1:4599"), ("x-amz-date", amzDate),
                ("x-amz-target", "TrentService.\(operation)"),
            ]
            let signedHeaders = headers.map(\.0)
            let signature = SigV4Verifier.signature(
                SigV4Request(
                    method: "POST", path: "/", query: "", headers: headers.map { (name: $0.0, value: $0.1) },
                    payloadHash: SHA256.hash(data: Data(body.utf8)).hexString),
                signedHeaders: signedHeaders, amzDate: amzDate, scope: scope, secretAccessKey: administrator.secretAccessKey)
            var fields = HTTPFields()
            fields[.contentType] = "application/x-amz-json-1.1"
            fields[HTTPField.Name("X-Amz-Date")!] = amzDate
            fields[HTTPField.Name("X-Amz-Target")!] = "TrentService.\(operation)"
            fields[.authorization] =
                "AWS4-HMAC-SHA256 Credential=\(administrator.accessKeyId)/\(scope.string), "
                + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
            let head = HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1:4599", path: "/", headerFields: fields)
            return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
        }

        func send(_ request: Request) async throws -> (HTTPResponse.Status, Data) {
            let response = try await responder.respond(to: request, context: context)
            let collector = BodyCollector()
            try await response.body.write(collector)
            return (response.status, Data(buffer: collector.buffer))
        }

        let (created, createBody) = try await send(signed("CreateKey", "{}"))
        guard created == .ok, let metadata = (try JSONSerialization.jsonObject(with: createBody) as? [String: Any])?["KeyMetadata"] as? [String: Any],
            let keyId = metadata["KeyId"] as? String
        else { fatalError("CreateKey failed: \(String(decoding: createBody, as: UTF8.self))") }
        let plaintext = Data(count: 256).base64EncodedString()
        let encrypt = signed(
            "Encrypt", #"{"KeyId":"\#(keyId)","Plaintext":"\#(plaintext)","EncryptionContext":{"tenant":"acme","purpose":"bench"}}"#)
        let (status, body) = try await send(encrypt)
        guard status == .ok else { fatalError("Encrypt failed: \(String(decoding: body, as: UTF8.self))") }

        for (label, duration) in [("warm-up", 1.0), ("Encrypt", seconds)] {
            let cpuBefore = processCPUSeconds()
            let started = ContinuousClock.now
            let deadline = started + .milliseconds(Int(duration * 1000))
            let count = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var done = 0
                        while ContinuousClock.now < deadline {
                            let (status, _) = try await send(encrypt)
                            precondition(status == .ok)
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = ContinuousClock.now - started
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = processCPUSeconds() - cpuBefore
            guard label != "warm-up" else { continue }
            print(
                "pipeline \(label), \(concurrency) tasks, no sockets: "
                    + String(format: "%.0f req/s, %.1f µs of CPU per request", Double(count) / wall, cpu / Double(count) * 1e6))
        }
        let commits = await service.commitStatistics()
        print(String(format: "group commit: %.1f requests per disk flush", commits.itemsPerTransaction))
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// Gathers a response body into one buffer.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
