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
    /// works on the header's UTF-8 bytes: it runs on every request, and walking `Character`s
    /// (grapheme clusters) cost more than the signature check itself.
    public init(header: String) throws(SigV4Failure) {
        var credential: Substring?
        var signedHeaders: Substring?
        var signature: Substring?
        let utf8 = header.utf8
        var cursor = utf8.startIndex
        func skipSpaces() {
            while cursor != utf8.endIndex, utf8[cursor] == UInt8(ascii: " ") || utf8[cursor] == UInt8(ascii: "\t") {
                cursor = utf8.index(after: cursor)
            }
        }
        skipSpaces()
        guard utf8[cursor...].starts(with: Self.algorithm.utf8) else { throw Self.incomplete(header, missing: nil) }
        cursor = utf8.index(cursor, offsetBy: Self.algorithm.utf8.count)
        guard cursor != utf8.endIndex, utf8[cursor] == UInt8(ascii: " ") else { throw Self.incomplete(header, missing: nil) }
        while cursor != utf8.endIndex {
            skipSpaces()
            let partStart = cursor
            while cursor != utf8.endIndex, utf8[cursor] != UInt8(ascii: ",") { cursor = utf8.index(after: cursor) }
            var partEnd = cursor
            if cursor != utf8.endIndex { cursor = utf8.index(after: cursor) }
            while partEnd > partStart, utf8[utf8.index(before: partEnd)] == UInt8(ascii: " ") { partEnd = utf8.index(before: partEnd) }
            guard let equals = utf8[partStart..<partEnd].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = utf8[partStart..<equals]
            let value = Substring(utf8[utf8.index(after: equals)..<partEnd])
            if name.elementsEqual("Credential".utf8) {
                credential = value
            } else if name.elementsEqual("SignedHeaders".utf8) {
                signedHeaders = value
            } else if name.elementsEqual("Signature".utf8) {
                signature = value
            }
        }
        let missing = [("Credential", credential), ("Signature", signature), ("SignedHeaders", signedHeaders)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let credential, let signature, let signedHeaders else {
            throw Self.incomplete(header, missing: missing)
        }
        let credentialParts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard credentialParts.count == 5, credentialParts[4] == "aws4_request", !credentialParts[0].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region. Authorization=\(header)")
        }
        self.accessKeyId = String(credentialParts[0])
        self.scope = CredentialScope(
            date: String(credentialParts[1]), region: String(credentialParts[2]), service: String(credentialParts[3]))
        self.signedHeaders = signedHeaders.split(separator: ";").map { String($0) }
        self.signature = String(signature)
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
public struct CredentialScope: Sendable, Equatable {
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

extension StringProtocol {
    var trimmingSpaces: Substring {
        let s = self[...]
        guard let start = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return Substring("") }
        let end = s.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return Substring(s[start...end])
    }
}
