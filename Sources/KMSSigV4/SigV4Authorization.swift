/// The parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
/// [Signature Version 4](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
public struct SigV4Authorization: Sendable, Equatable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public var accessKeyId: String
    public var scope: CredentialScope
    public var signedHeaders: [String]
    public var signature: String

    public init(accessKeyId: String, scope: CredentialScope, signedHeaders: [String], signature: String) {
        self.accessKeyId = accessKeyId
        self.scope = scope
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Parses the header the way AWS front ends do, naming every missing part at once. It
    /// works on the header's contiguous UTF-8 bytes by offset, and makes strings only of the
    /// parts it keeps: it runs on every request, and walking `Character`s or `String.UTF8View`
    /// indices cost more than the signature check.
    public init(header: String) throws(SigV4Failure) {
        var text = header
        let parsed = text.withUTF8 { bytes -> Result<SigV4Authorization, SigV4Failure> in
            guard let ranges = Self.parse(bytes) else { return .failure(Self.incomplete(header, missing: nil)) }
            var missing: [String] = []
            if ranges.credential?.isEmpty ?? true { missing.append("Credential") }
            if ranges.signature?.isEmpty ?? true { missing.append("Signature") }
            if ranges.signedHeaders?.isEmpty ?? true { missing.append("SignedHeaders") }
            guard missing.isEmpty, let credential = ranges.credential, let signature = ranges.signature,
                let signedHeaders = ranges.signedHeaders
            else {
                return .failure(Self.incomplete(header, missing: missing))
            }
            let credentialParts = Self.split(bytes, credential, at: UInt8(ascii: "/"), omittingEmpty: false)
            guard credentialParts.count == 5, credentialParts[4] == "aws4_request", !credentialParts[0].isEmpty else {
                return .failure(.incompleteSignature("Credential should be scoped to a valid region. Authorization=\(header)"))
            }
            return .success(SigV4Authorization(
                accessKeyId: credentialParts[0],
                scope: CredentialScope(date: credentialParts[1], region: credentialParts[2], service: credentialParts[3]),
                signedHeaders: Self.split(bytes, signedHeaders, at: UInt8(ascii: ";"), omittingEmpty: true),
                signature: Self.text(bytes, signature)))
        }
        self = try parsed.get()
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Splits `range` of `bytes` at an ASCII separator; `String.split` walks grapheme clusters,
    /// which made it most of the cost of parsing the header. The array is sized first: grown
    /// part by part, the scope's five parts and the usual signed headers took three
    /// allocations each.
    private static func split(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, at separator: UInt8, omittingEmpty: Bool
    ) -> [String] {
        var parts: [String] = []
        parts.reserveCapacity(bytes[range].reduce(1) { $1 == separator ? $0 + 1 : $0 })
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || bytes[index] == separator {
            if !(omittingEmpty && index == start) { parts.append(text(bytes, start..<index)) }
            start = index + 1
        }
        return parts
    }

    /// Where the three parameters' values lie, or nil when the header does not start with the
    /// algorithm.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (
        credential: Range<Int>?, signedHeaders: Range<Int>?, signature: Range<Int>?
    )? {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let end = bytes.count
        var cursor = 0
        while cursor < end, isSpace(bytes[cursor]) { cursor += 1 }
        let algorithm = Self.algorithm.utf8
        guard end - cursor > algorithm.count, bytes[cursor..<(cursor + algorithm.count)].elementsEqual(algorithm),
            bytes[cursor + algorithm.count] == UInt8(ascii: " ")
        else { return nil }
        cursor += algorithm.count
        var result: (credential: Range<Int>?, signedHeaders: Range<Int>?, signature: Range<Int>?) = (nil, nil, nil)
        while cursor < end {
            while cursor < end, isSpace(bytes[cursor]) { cursor += 1 }
            let partStart = cursor
            while cursor < end, bytes[cursor] != UInt8(ascii: ",") { cursor += 1 }
            var partEnd = cursor
            if cursor < end { cursor += 1 }
            while partEnd > partStart, bytes[partEnd - 1] == UInt8(ascii: " ") { partEnd -= 1 }
            guard let equals = bytes[partStart..<partEnd].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = bytes[partStart..<equals]
            let value = (equals + 1)..<partEnd
            if name.elementsEqual("Credential".utf8) {
                result.credential = value
            } else if name.elementsEqual("SignedHeaders".utf8) {
                result.signedHeaders = value
            } else if name.elementsEqual("Signature".utf8) {
                result.signature = value
            }
        }
        return result
    }

    /// AWS's IncompleteSignatureException text: one sentence per missing parameter (all three
    /// when the header is not SigV4 at all), then the header as received.
    private static func incomplete(_ header: String, missing: [String]?) -> SigV4Failure {
        let names = missing ?? ["Credential", "Signature", "SignedHeaders"]
        return .incompleteSignature(
            names.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " ") + " Authorization=\(header)")
    }
}

/// `20150830/us-east-1/kms/aws4_request`.
public struct CredentialScope: Sendable, Hashable {
    public var date: String
    public var region: String
    public var service: String

    public init(date: String, region: String, service: String) {
        self.date = date
        self.region = region
        self.service = service
    }

    public var string: String { "\(date)/\(region)/\(service)/aws4_request" }
}
