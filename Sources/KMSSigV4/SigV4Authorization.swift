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

    /// Parses the header the way AWS front ends do, naming every missing part at once.
    public init(header: String) throws(SigV4Failure) {
        let trimmed = header.trimmingSpaces
        guard trimmed.hasPrefix(Self.algorithm + " ") else {
            throw .incompleteSignature(
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                    + "Authorization header requires 'SignedHeaders' parameter. Authorization=\(header)")
        }
        var parameters: [String: String] = [:]
        for part in trimmed.dropFirst(Self.algorithm.count + 1).split(separator: ",") {
            let pair = part.trimmingSpaces
            guard let equals = pair.firstIndex(of: "=") else { continue }
            parameters[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        var missing: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where (parameters[name] ?? "").isEmpty {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        guard missing.isEmpty, let credential = parameters["Credential"], let signature = parameters["Signature"],
            let signedHeaders = parameters["SignedHeaders"]
        else {
            throw .incompleteSignature(missing.joined(separator: " ") + " Authorization=\(header)")
        }
        let credentialParts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard credentialParts.count == 5, credentialParts[4] == "aws4_request", !credentialParts[0].isEmpty else {
            throw .incompleteSignature(
                "Credential should be scoped to a valid region. " + "Authorization=\(header)")
        }
        self.accessKeyId = String(credentialParts[0])
        self.scope = CredentialScope(
            date: String(credentialParts[1]), region: String(credentialParts[2]), service: String(credentialParts[3]))
        self.signedHeaders = signedHeaders.split(separator: ";").map { String($0) }
        self.signature = signature
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
