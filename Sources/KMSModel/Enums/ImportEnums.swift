/// The algorithm that wraps key material for import (GetParametersForImport's WrappingAlgorithm).
/// [AlgorithmSpec](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html#KMS-GetParametersForImport-request-WrappingAlgorithm)
public enum AlgorithmSpec: String, WireEnum {
    /// Deprecated by AWS; refused here.
    case rsaesPKCS1V15 = "RSAES_PKCS1_V1_5"
    case rsaesOAEPSHA1 = "RSAES_OAEP_SHA_1"
    case rsaesOAEPSHA256 = "RSAES_OAEP_SHA_256"
    /// RSA-OAEP of an ephemeral 256-bit AES key, then AES key wrap with padding (RFC 5649).
    case rsaAESKeyWrapSHA1 = "RSA_AES_KEY_WRAP_SHA_1"
    case rsaAESKeyWrapSHA256 = "RSA_AES_KEY_WRAP_SHA_256"
    case sm2PKE = "SM2PKE"
}

/// The public key GetParametersForImport returns to wrap key material with.
public enum WrappingKeySpec: String, WireEnum {
    case rsa2048 = "RSA_2048"
    case rsa3072 = "RSA_3072"
    case rsa4096 = "RSA_4096"
    case sm2 = "SM2"
}

/// Whether imported key material expires.
public enum ExpirationModelType: String, WireEnum {
    case keyMaterialExpires = "KEY_MATERIAL_EXPIRES"
    case keyMaterialDoesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE"
}

/// Whether ImportKeyMaterial brings material the key has never had, or material it had before.
public enum ImportType: String, WireEnum {
    case newKeyMaterial = "NEW_KEY_MATERIAL"
    case existingKeyMaterial = "EXISTING_KEY_MATERIAL"
}

/// Whether a key material of an EXTERNAL key is currently in KMS.
/// [RotationsListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html)
public enum ImportState: String, WireEnum {
    case imported = "IMPORTED"
    case pendingImport = "PENDING_IMPORT"
}
