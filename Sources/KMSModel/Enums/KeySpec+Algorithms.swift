/// The algorithms KeyMetadata and GetPublicKey list for a key spec and usage, exactly as AWS
/// reports them (absent lists are omitted on the wire).
/// [Key spec reference](https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html)
extension KeySpec {
    public func encryptionAlgorithms(for usage: KeyUsage) -> [EncryptionAlgorithmSpec]? {
        guard usage == .encryptDecrypt else { return nil }
        switch self {
        case .symmetricDefault: return [.symmetricDefault]
        case .rsa2048, .rsa3072, .rsa4096: return [.rsaesOaepSha1, .rsaesOaepSha256]
        case .sm2: return [.sm2pke]
        default: return nil
        }
    }

    public func signingAlgorithms(for usage: KeyUsage) -> [SigningAlgorithmSpec]? {
        guard usage == .signVerify else { return nil }
        switch self {
        case .rsa2048, .rsa3072, .rsa4096:
            return [
                .rsassaPkcs1V15Sha256, .rsassaPkcs1V15Sha384, .rsassaPkcs1V15Sha512,
                .rsassaPssSha256, .rsassaPssSha384, .rsassaPssSha512,
            ]
        case .eccNistP256, .eccSecgP256k1: return [.ecdsaSha256]
        case .eccNistP384: return [.ecdsaSha384]
        case .eccNistP521: return [.ecdsaSha512]
        case .eccNistEdwards25519: return [.ed25519Sha512, .ed25519PhSha512]
        case .mlDsa44, .mlDsa65, .mlDsa87: return [.mlDsaShake256]
        case .sm2: return [.sm2dsa]
        default: return nil
        }
    }

    public func macAlgorithms(for usage: KeyUsage) -> [MacAlgorithmSpec]? {
        guard usage == .generateVerifyMac else { return nil }
        switch self {
        case .hmac224: return [.hmacSha224]
        case .hmac256: return [.hmacSha256]
        case .hmac384: return [.hmacSha384]
        case .hmac512: return [.hmacSha512]
        default: return nil
        }
    }

    public func keyAgreementAlgorithms(for usage: KeyUsage) -> [KeyAgreementAlgorithmSpec]? {
        usage == .keyAgreement ? [.ecdh] : nil
    }

    /// Whether the key has a public half (GetPublicKey, Sign, asymmetric Encrypt, ECDH).
    public var isAsymmetric: Bool {
        switch self {
        case .symmetricDefault, .hmac224, .hmac256, .hmac384, .hmac512: false
        default: true
        }
    }
}
