/// MAC algorithms for GenerateMac and VerifyMac.
/// [MacAlgorithm](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html#KMS-GenerateMac-request-MacAlgorithm)
public enum MacAlgorithmSpec: String, WireEnum {
    case hmacSha224 = "HMAC_SHA_224"
    case hmacSha256 = "HMAC_SHA_256"
    case hmacSha384 = "HMAC_SHA_384"
    case hmacSha512 = "HMAC_SHA_512"
}
