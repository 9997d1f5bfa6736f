import Foundation
import KMSModel
import KMSStorage

/// The checks Sign and Verify share, in AWS's order: the algorithm belongs to the key spec, the
/// message type suits the algorithm, and a digest (or ML-DSA μ) has the right length.
/// [Sign: MessageType](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#KMS-Sign-request-MessageType)
extension KeyManagementService {
    func signingParameters(
        _ requested: WireValue<SigningAlgorithmSpec>, messageType requestedType: WireValue<MessageType>?,
        message: Data, key: KeyRecord
    ) throws -> (SigningAlgorithmSpec, MessageType) {
        // An unknown value was already refused by validation.
        guard let algorithm = requested.value else { throw KMSError.internalFailure }
        guard key.keySpec.signingAlgorithms(for: key.keyUsage)?.contains(algorithm) == true else {
            throw KMSError.incompatibleAlgorithm(algorithm.rawValue, spec: key.keySpec)
        }
        let messageType = requestedType?.value ?? .raw
        switch (algorithm, messageType) {
        case (.mlDsaShake256, .digest):
            throw KMSError.messageTypeIncompatible(.digest, spec: key.keySpec)
        case (.mlDsaShake256, .externalMu):
            guard message.count == 64 else { throw KMSError.invalidExternalMuLength(algorithm) }
        case (_, .externalMu):
            throw KMSError.messageTypeIncompatible(.externalMu, spec: key.keySpec)
        case (.ed25519Sha512, .digest), (.ed25519PhSha512, .raw):
            throw KMSError.messageTypeIncompatible(messageType, algorithm: algorithm)
        case (_, .digest):
            guard message.count == algorithm.digestLength else { throw KMSError.invalidDigestLength(algorithm) }
        case (_, .raw):
            break
        }
        return (algorithm, messageType)
    }
}
