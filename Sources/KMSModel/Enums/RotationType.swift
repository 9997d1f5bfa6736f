/// How a key material version came to be. [RotationsListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html)
public enum RotationType: String, WireEnum {
    case automatic = "AUTOMATIC"
    case onDemand = "ON_DEMAND"
}

/// Whether a material version is the one new ciphertexts use.
public enum KeyMaterialState: String, WireEnum {
    case nonCurrent = "NON_CURRENT"
    case current = "CURRENT"
    case pendingRotation = "PENDING_ROTATION"
    case pendingMultiRegionImportAndRotation = "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
}

/// ListKeyRotations: only rotations, or every material version.
public enum IncludeKeyMaterial: String, WireEnum {
    case allKeyMaterial = "ALL_KEY_MATERIAL"
    case rotationsOnly = "ROTATIONS_ONLY"
}
