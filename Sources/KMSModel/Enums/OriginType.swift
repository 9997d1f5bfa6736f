/// Where a KMS key's material came from.
public enum OriginType: String, WireEnum {
    case awsKMS = "AWS_KMS"
    case external = "EXTERNAL"
    case awsCloudHSM = "AWS_CLOUDHSM"
    case externalKeyStore = "EXTERNAL_KEY_STORE"
}

/// Who manages a KMS key: the customer, or an AWS service (`alias/aws/<service>`).
public enum KeyManagerType: String, WireEnum {
    case aws = "AWS"
    case customer = "CUSTOMER"
}
