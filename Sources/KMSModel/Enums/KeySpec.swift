/// The type of key material in a KMS key.
/// [KeySpec](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-KeySpec)
public enum KeySpec: String, WireEnum {
    case rsa2048 = "RSA_2048"
    case rsa3072 = "RSA_3072"
    case rsa4096 = "RSA_4096"
    case eccNistP256 = "ECC_NIST_P256"
    case eccNistP384 = "ECC_NIST_P384"
    case eccNistP521 = "ECC_NIST_P521"
    case eccSecgP256k1 = "ECC_SECG_P256K1"
    case symmetricDefault = "SYMMETRIC_DEFAULT"
    case hmac224 = "HMAC_224"
    case hmac256 = "HMAC_256"
    case hmac384 = "HMAC_384"
    case hmac512 = "HMAC_512"
    case sm2 = "SM2"
    case mlDsa44 = "ML_DSA_44"
    case mlDsa65 = "ML_DSA_65"
    case mlDsa87 = "ML_DSA_87"
    case eccNistEdwards25519 = "ECC_NIST_EDWARDS25519"

    /// The key usages AWS permits for this spec.
    public var permittedUsages: [KeyUsage] {
        switch self {
        case .symmetricDefault: [.encryptDecrypt]
        case .rsa2048, .rsa3072, .rsa4096: [.encryptDecrypt, .signVerify]
        case .eccNistP256, .eccNistP384, .eccNistP521: [.signVerify, .keyAgreement]
        case .eccSecgP256k1, .eccNistEdwards25519, .mlDsa44, .mlDsa65, .mlDsa87: [.signVerify]
        case .sm2: [.signVerify, .encryptDecrypt, .keyAgreement]
        case .hmac224, .hmac256, .hmac384, .hmac512: [.generateVerifyMac]
        }
    }
}

/// The deprecated twin of ``KeySpec`` that KeyMetadata still reports.
public enum CustomerMasterKeySpec: String, WireEnum {
    case rsa2048 = "RSA_2048"
    case rsa3072 = "RSA_3072"
    case rsa4096 = "RSA_4096"
    case eccNistP256 = "ECC_NIST_P256"
    case eccNistP384 = "ECC_NIST_P384"
    case eccNistP521 = "ECC_NIST_P521"
    case eccSecgP256k1 = "ECC_SECG_P256K1"
    case symmetricDefault = "SYMMETRIC_DEFAULT"
    case hmac224 = "HMAC_224"
    case hmac256 = "HMAC_256"
    case hmac384 = "HMAC_384"
    case hmac512 = "HMAC_512"
    case sm2 = "SM2"
}
