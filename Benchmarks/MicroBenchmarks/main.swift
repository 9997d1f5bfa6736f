import Crypto
import Foundation
import KMSAudit
import KMSCrypto
import KMSHTTP
import KMSModel
import KMSPolicy
import KMSSigV4
import KMSStorage
import NIOCore
import NIOPosix

/// Micro-benchmarks of the hot pieces of one request, so a regression can be traced to its
/// layer. Run with `swift run -c release trent-microbench [filter]`; prints ns per operation
/// (median of 7 runs) and operations per second.

struct Bench {
    let name: String
    let body: () throws -> Void
}

func measure(_ bench: Bench, iterations: Int) throws -> Double {
    var samples: [Double] = []
    for _ in 0..<7 {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<iterations { try bench.body() }
        }
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(ns / Double(iterations))
    }
    return samples.sorted()[3]
}

// Fixtures: a request as botocore signs an Encrypt call, a key, a ciphertext.
let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
let body = Data(#"{"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "Plaintext": "\#(Data(count: 256).base64EncodedString())", "EncryptionContext": {"tenant": "acme", "purpose": "bench"}}"#.utf8)
let bodyBuffer = ByteBuffer(data: body)
let amzDate = "20260101T120000Z"
let scope = CredentialScope(date: "20260101", region: "us-east-1", service: "kms")
var request = SigV4Request(
    method: "POST", path: "/", query: "",
    headers: [
        ("Content-Type", "application/x-amz-json-1.1"), ("Host", "127.0.0.1:4599"), ("X-Amz-Date", amzDate),
        ("X-Amz-Target", "TrentService.Encrypt"), ("User-Agent", "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux"),
    ],
    payloadHash: SHA256.hash(data: body).hexString)
let signedHeaders = ["content-type", "host", "x-amz-date", "x-amz-target"]
let signature = SigV4Verifier.signature(request, signedHeaders: signedHeaders, amzDate: amzDate, scope: scope, secretAccessKey: secret)
let authorizationHeader =
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/\(scope.string), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
let now = AmzDate.parse(amzDate)!
let verifier = SigV4Verifier(service: "kms")

let (material, _) = SymmetricKeyMaterial.generate()
let header = CiphertextBlob.Header(accountId: "111122223333", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", keyVersion: 1)
let plaintext = Data(count: 256)
let context = ["tenant": "acme", "purpose": "bench"]
let blob = try material.seal(plaintext, header: header, context: context)
let blobBytes = blob.bytes
let rootKey = FileRootKeyProvider(key: SymmetricKey(size: .bits256))
let wrapped = try rootKey.wrap(Data(count: 32), for: .keyMaterial(account: "111122223333", region: "us-east-1", keyId: "k", version: 1))

let event = CloudTrailEvent(
    userIdentity: .init(type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333", accessKeyId: "AKIAEXAMPLE"),
    eventTime: Date(), eventName: "Encrypt", awsRegion: "us-east-1", sourceIPAddress: "127.0.0.1",
    // botocore's user agent, as Benchmarks/load sends it: with it the record is about the
    // size of an Encrypt's under load (just over 1 KB).
    userAgent: "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44 md/arch#x86_64 lang/python#3.13.5 md/pyimpl#CPython m/Z,D,N cfg/retry-mode#legacy Botocore/1.43.11",
    requestParameters: .object([
        "keyId": .string("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "encryptionAlgorithm": .string("SYMMETRIC_DEFAULT"), "encryptionContext": .object(["tenant": .string("acme")]),
    ]),
    responseElements: .null, additionalEventData: .object(["keyMaterialId": .string(String(repeating: "a", count: 64))]),
    errorCode: nil, errorMessage: nil, requestID: UUID().uuidString, eventID: UUID().uuidString, readOnly: true,
    resources: [.init(accountId: "111122223333", arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")],
    recipientAccountId: "111122223333")
let response = EncryptResponse(ciphertextBlob: Data(blobBytes), keyId: "arn:aws:kms:us-east-1:111122223333:key/k", encryptionAlgorithm: .symmetricDefault)
// DescribeKey's answer for a symmetric key, as the service builds it.
let describeKeyResponse = DescribeKeyResponse(
    keyMetadata: KeyMetadata(
        awsAccountId: "111122223333", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
        arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", creationDate: Date(),
        enabled: true, description: "benchmark symmetric", keyUsage: .encryptDecrypt, keyState: .enabled, deletionDate: nil,
        origin: .awsKMS, keyManager: .customer, customerMasterKeySpec: .symmetricDefault, keySpec: .symmetricDefault,
        encryptionAlgorithms: [.symmetricDefault], multiRegion: false, currentKeyMaterialId: String(repeating: "ab", count: 32)))
let describeKeyEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .secondsSince1970
    return encoder
}()

// A store on disk, for the cost of noticing principal changes made by another process.
let storeFolder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-microbench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: storeFolder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: storeFolder) }
let store = try SQLiteKeyRepository(path: storeFolder.appendingPathComponent("trent.sqlite").path)

// A store on tmpfs where there is one, for the CPU cost of group commit's writes without the
// disk's flush: one batch of 25 Encrypt records, as the commit thread writes them.
let commitFolder = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    .appendingPathComponent("trent-microbench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: commitFolder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: commitFolder) }
let commitStore = try SQLiteKeyRepository(path: commitFolder.appendingPathComponent("trent.sqlite").path)
let auditEntry = AuditEntry(
    eventTime: Date(), eventName: "Encrypt", principalArn: "arn:aws:iam::111122223333:root",
    keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", secondaryKeyArn: nil,
    errorCode: nil, record: try event.encoded())
let commitBatch = [CommitItem](repeating: CommitItem(mutations: [], audit: auditEntry), count: 25)
let commitBatchWrite = commitStore.synchronousCommit!

// A key policy separating administrators from users, with an encryption-context condition, and
// a user of the key's account whose identity policy the key policy's delegation consults.
let keyPolicyText = """
    {"Version":"2012-10-17","Statement":[
      {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
      {"Sid":"Key administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/admin"},
       "Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*"],"Resource":"*"},
      {"Sid":"Key users","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},
       "Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*",
       "Condition":{"StringEquals":{"kms:EncryptionContext:tenant":"acme"}}}]}
    """
let keyPolicy = try PolicyDocument(json: keyPolicyText, kind: .keyPolicy)
let identityPolicy = NamedPolicy(
    name: "use", document: try PolicyDocument(json: #"{"Statement":{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"arn:aws:kms:*:111122223333:key/*"}}"#, kind: .identity))
var policyContext = ConditionContext()
policyContext.set("kms:EncryptionContext:tenant", "acme")
policyContext.set("kms:EncryptionContextKeys", values: ["purpose", "tenant"])
policyContext.set("kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
policyContext.set("kms:CallerAccount", "111122223333")
let authorization = AuthorizationRequest(
    principal: RequestPrincipal(arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333"), action: "kms:Encrypt",
    resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", resourceAccount: "111122223333",
    context: policyContext)

let benches: [(Bench, Int)] = [
    (Bench(name: "sigv4.parse-authorization") { _ = try SigV4Authorization(header: authorizationHeader) }, 20_000),
    (Bench(name: "sigv4.payload-sha256 (300 B)") { _ = body.withUnsafeBytes(SigV4Request.payloadHash) }, 50_000),
    (Bench(name: "swift-crypto sha256 (300 B)") { _ = SHA256.hash(data: body).hexString }, 50_000),
    (Bench(name: "sigv4.verify") {
        try verifier.verify(request, authorization: try SigV4Authorization(header: authorizationHeader), secretAccessKey: secret, now: now)
    }, 10_000),
    (Bench(name: "ciphertext.seal (256 B, context)") { _ = try material.seal(plaintext, header: header, context: context) }, 20_000),
    (Bench(name: "ciphertext.open (256 B, context)") { _ = try material.open(try CiphertextBlob(bytes: blobBytes), context: context) }, 20_000),
    (Bench(name: "rootkey.unwrap (32 B)") {
        _ = try rootKey.unwrap(wrapped, for: .keyMaterial(account: "111122223333", region: "us-east-1", keyId: "k", version: 1))
    }, 20_000),
    (Bench(name: "json.decode EncryptRequest") { _ = try JSONDecoder().decode(EncryptRequest.self, from: body) }, 10_000),
    (Bench(name: "json.encode EncryptResponse") { _ = try JSONEncoder().encode(response) }, 10_000),
    // What the server does with the same body and response: the flat path, validation included.
    (Bench(name: "json.wire-decode EncryptRequest") { _ = try AWSJSONCodec.decode(EncryptRequest.self, from: bodyBuffer) }, 20_000),
    (Bench(name: "json.wire-encode EncryptResponse") { _ = try AWSJSONCodec.encode(response) }, 20_000),
    (Bench(name: "json.encode DescribeKeyResponse") { _ = try describeKeyEncoder.encode(describeKeyResponse) }, 5_000),
    (Bench(name: "json.wire-encode DescribeKeyResponse") { _ = try AWSJSONCodec.encode(describeKeyResponse) }, 20_000),
    (Bench(name: "audit.encode \(try event.encoded().count) B record") { _ = try event.encoded() }, 5_000),
    (Bench(name: "audit.chain-link") { _ = AuditChainHash.link(previous: AuditChainHash.genesis, sequence: 42, record: body) }, 50_000),
    (Bench(name: "policy.parse key policy (3 statements)") { _ = try PolicyDocument(json: keyPolicyText, kind: .keyPolicy) }, 5_000),
    (Bench(name: "policy.evaluate (key + identity policy)") {
        _ = PolicyEvaluator.evaluate(authorization, keyPolicy: keyPolicy, identityPolicies: [identityPolicy], grants: [], encryptionContext: context)
    }, 20_000),
    (Bench(name: "request id (uuid v4)") { _ = RandomIdentifier.uuid() }, 50_000),
    // Every authenticated request: one stat of the principal change file.
    (Bench(name: "principals.change-stamp (fstat)") { _ = store.principalChangeStamp() }, 200_000),
    // Per batch; divide by 25 for one request's share of the commit thread.
    (Bench(name: "store.commit (25 records, tmpfs)") { _ = try commitBatchWrite(commitBatch) }, 200),
]

let filter = CommandLine.arguments.dropFirst().first
if filter == "pipeline" {
    // As `trent serve` does: Swift concurrency on NIO's event loops.
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    try await PipelineBenchmark.run()
    exit(0)
}
print("benchmark".padding(toLength: 36, withPad: " ", startingAt: 0) + "      ns/op        ops/s")
for (bench, iterations) in benches where filter.map({ bench.name.contains($0) }) ?? true {
    let ns = try measure(bench, iterations: iterations)
    let name = bench.name.padding(toLength: 36, withPad: " ", startingAt: 0)
    print(name + String(format: "%11.0f  %11.0f", ns, 1e9 / ns))
}

// The alternative to the change file: a read transaction on the store per request (here the
// cheapest one, a COUNT of the credentials table), hop to a reader thread and back included.
let readName = "sqlite.read-transaction (per request)"
if filter.map({ readName.contains($0) }) ?? true {
    var samples: [Double] = []
    for _ in 0..<7 {
        let started = ContinuousClock.now
        for _ in 0..<5_000 { _ = try await store.credentialCount() }
        let elapsed = ContinuousClock.now - started
        samples.append((Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / 5_000)
    }
    let ns = samples.sorted()[3]
    print(readName.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%11.0f  %11.0f", ns, 1e9 / ns))
}
