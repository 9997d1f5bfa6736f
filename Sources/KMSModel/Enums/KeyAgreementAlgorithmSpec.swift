/// Key agreement algorithms for DeriveSharedSecret.
/// [KeyAgreementAlgorithm](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html#KMS-DeriveSharedSecret-request-KeyAgreementAlgorithm)
public enum KeyAgreementAlgorithmSpec: String, WireEnum {
    case ecdh = "ECDH"
}
