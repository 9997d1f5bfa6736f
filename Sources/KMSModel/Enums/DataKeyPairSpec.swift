/// The key pair GenerateDataKeyPair makes.
/// [KeyPairSpec](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html#KMS-GenerateDataKeyPair-request-KeyPairSpec)
public enum DataKeyPairSpec: String, WireEnum {
    case rsa2048 = "RSA_2048"
    case rsa3072 = "RSA_3072"
    case rsa4096 = "RSA_4096"
    case eccNistP256 = "ECC_NIST_P256"
    case eccNistP384 = "ECC_NIST_P384"
    case eccNistP521 = "ECC_NIST_P521"
    case eccSecgP256k1 = "ECC_SECG_P256K1"
    case sm2 = "SM2"
    case eccNistEdwards25519 = "ECC_NIST_EDWARDS25519"

    /// The KMS key spec of the same key type.
    public var keySpec: KeySpec { KeySpec(rawValue: rawValue)! }
}
