/// Encryption algorithms a KMS key can use.
public enum EncryptionAlgorithmSpec: String, WireEnum {
    case symmetricDefault = "SYMMETRIC_DEFAULT"
    case rsaesOaepSha1 = "RSAES_OAEP_SHA_1"
    case rsaesOaepSha256 = "RSAES_OAEP_SHA_256"
    case sm2pke = "SM2PKE"
}

/// The length of a generated data key, by name.
public enum DataKeySpec: String, WireEnum {
    case aes256 = "AES_256"
    case aes128 = "AES_128"

    public var byteCount: Int {
        switch self {
        case .aes256: 32
        case .aes128: 16
        }
    }
}
