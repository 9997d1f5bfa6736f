/// The encryption context a grant's cryptographic operations must carry.
/// [GrantConstraints](https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html)
///
/// `EncryptionContextEquals`: the request's context must be exactly this one.
/// `EncryptionContextSubset`: the request's context must include these pairs.
/// In both, keys compare case-insensitively and values case-sensitively, as AWS documents.
public struct GrantConstraints: Codable, Sendable, Equatable {
    public var encryptionContextSubset: [String: String]?
    public var encryptionContextEquals: [String: String]?

    public init(encryptionContextSubset: [String: String]? = nil, encryptionContextEquals: [String: String]? = nil) {
        self.encryptionContextSubset = encryptionContextSubset
        self.encryptionContextEquals = encryptionContextEquals
    }

    /// A constraints member that names neither context constrains nothing (`{}` is accepted).
    public var isEmpty: Bool { encryptionContextSubset == nil && encryptionContextEquals == nil }

    enum CodingKeys: String, CodingKey {
        case encryptionContextSubset = "EncryptionContextSubset"
        case encryptionContextEquals = "EncryptionContextEquals"
    }
}
