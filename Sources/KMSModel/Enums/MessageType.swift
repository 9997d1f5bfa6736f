/// Whether Sign and Verify hash the message (RAW), take it as a digest (DIGEST), or take
/// ML-DSA's 64-byte representative μ (EXTERNAL_MU, FIPS 204 §6.2).
/// [MessageType](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html#KMS-Sign-request-MessageType)
public enum MessageType: String, WireEnum {
    case raw = "RAW"
    case digest = "DIGEST"
    case externalMu = "EXTERNAL_MU"
}
