/// The cryptographic operations a KMS key is for.
public enum KeyUsage: String, WireEnum {
    case signVerify = "SIGN_VERIFY"
    case encryptDecrypt = "ENCRYPT_DECRYPT"
    case generateVerifyMac = "GENERATE_VERIFY_MAC"
    case keyAgreement = "KEY_AGREEMENT"
}
