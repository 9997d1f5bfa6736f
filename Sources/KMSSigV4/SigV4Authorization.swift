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
    /// works on the header's contiguous UTF-8 bytes by offset: it runs on every request, and
    /// walking `Character`s or `String.UTF8View` indices cost more than the signature check.
    public init(header: String) throws(SigV4Failure) {
        var header = header
        let parsed = header.withUTF8 { Self.parse($0) }
        guard let parsed else { throw Self.incomplete(header, missing: nil) }
        var missing: [String] = []
        if parsed.credential?.isEmpty ?? true { missing.append("Credential") }
        if parsed.signature?.isEmpty ?? true { missing.append("Signature") }
        if parsed.signedHeaders?.isEmpty ?? true { missing.append("SignedHeaders") }
        guard missing.isEmpty, let credential = parsed.credential, let signature = parsed.signature,
            let signedHeaders = parsed.signedHeaders
        else {
            throw Self.incomplete(header, missing: missing)
        }
        let credentialParts = Self.split(credential, at: UInt8(ascii: "/"), omittingEmpty: false)
        guard credentialParts.count == 5, credentialParts[4] == "aws4_request", !credentialParts[0].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region. Authorization=\(header)")
        }
        self.accessKeyId = credentialParts[0]
        self.scope = CredentialScope(date: credentialParts[1], region: credentialParts[2], service: credentialParts[3])
        self.signedHeaders = Self.split(signedHeaders, at: UInt8(ascii: ";"), omittingEmpty: true)
        self.signature = signature
    }

    /// Splits at an ASCII separator over UTF-8 bytes; `String.split` walks grapheme clusters,
    /// which made it most of the cost of parsing the header.
    private static func split(_ text: String, at separator: UInt8, omittingEmpty: Bool) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var parts: [String] = []
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == separator {
                if !(omittingEmpty && index == start) {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                start = index + 1
            }
            return parts
        }
    }

    /// The three parameters' values, or nil when the header does not start with the algorithm.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (credential: String?, signedHeaders: String?, signature: String?)? {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        let end = bytes.count
        var cursor = 0
        while cursor < end, isSpace(bytes[cursor]) { cursor += 1 }
        let algorithm = Self.algorithm.utf8
        guard end - cursor > algorithm.count, bytes[cursor..<(cursor + algorithm.count)].elementsEqual(algorithm),
            bytes[cursor + algorithm.count] == UInt8(ascii: " ")
        else { return nil }
        cursor += algorithm.count
        var result: (credential: String?, signedHeaders: String?, signature: String?) = (nil, nil, nil)
        while cursor < end {
            while cursor < end, isSpace(bytes[cursor]) { cursor += 1 }
            let partStart = cursor
            while cursor < end, bytes[cursor] != UInt8(ascii: ",") { cursor += 1 }
            var partEnd = cursor
            if cursor < end { cursor += 1 }
            while partEnd > partStart, bytes[partEnd - 1] == UInt8(ascii: " ") { partEnd -= 1 }
            guard let equals = bytes[partStart..<partEnd].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = bytes[partStart..<equals]
            let value = text((equals + 1)..<partEnd)
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
