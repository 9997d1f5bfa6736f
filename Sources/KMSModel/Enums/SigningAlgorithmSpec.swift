/// Signing algorithms for Sign and Verify.
/// [SigningAlgorithm](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#KMS-Sign-request-SigningAlgorithm)
public enum SigningAlgorithmSpec: String, WireEnum {
    case rsassaPssSha256 = "RSASSA_PSS_SHA_256"
    case rsassaPssSha384 = "RSASSA_PSS_SHA_384"
    case rsassaPssSha512 = "RSASSA_PSS_SHA_512"
    case rsassaPkcs1V15Sha256 = "RSASSA_PKCS1_V1_5_SHA_256"
    case rsassaPkcs1V15Sha384 = "RSASSA_PKCS1_V1_5_SHA_384"
    case rsassaPkcs1V15Sha512 = "RSASSA_PKCS1_V1_5_SHA_512"
    case ecdsaSha256 = "ECDSA_SHA_256"
    case ecdsaSha384 = "ECDSA_SHA_384"
    case ecdsaSha512 = "ECDSA_SHA_512"
    case sm2dsa = "SM2DSA"
    case mlDsaShake256 = "ML_DSA_SHAKE_256"
    case ed25519Sha512 = "ED25519_SHA_512"
    case ed25519PhSha512 = "ED25519_PH_SHA_512"

    /// The length of the digest a MessageType DIGEST request must carry: the hash the algorithm
    /// names (SM3 for SM2DSA). ML-DSA takes no digest; Ed25519ph takes a SHA-512 digest.
    public var digestLength: Int? {
        switch self {
        case .rsassaPssSha256, .rsassaPkcs1V15Sha256, .ecdsaSha256, .sm2dsa: 32
        case .rsassaPssSha384, .rsassaPkcs1V15Sha384, .ecdsaSha384: 48
        case .rsassaPssSha512, .rsassaPkcs1V15Sha512, .ecdsaSha512, .ed25519Sha512, .ed25519PhSha512: 64
        case .mlDsaShake256: nil
        }
    }
}
