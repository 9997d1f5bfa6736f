import Foundation

/// A Nitro Enclave's attested public key. Decoded so a request naming one is refused
/// explicitly rather than answered in plaintext.
/// [RecipientInfo](https://docs.aws.amazon.com/kms/latest/APIReference/API_RecipientInfo.html)
public struct RecipientInfo: Codable, Sendable {
    public var keyEncryptionAlgorithm: String?
    public var attestationDocument: Data?

    enum CodingKeys: String, CodingKey {
        case keyEncryptionAlgorithm = "KeyEncryptionAlgorithm"
        case attestationDocument = "AttestationDocument"
    }
}
