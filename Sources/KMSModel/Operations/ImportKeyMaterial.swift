import Foundation

/// [GetParametersForImport](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html)
public struct GetParametersForImportRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "WrappingAlgorithm", "WrappingKeySpec"]

    public var keyId: String
    public var wrappingAlgorithm: WireValue<AlgorithmSpec>
    public var wrappingKeySpec: WireValue<WrappingKeySpec>

    public init(keyId: String, wrappingAlgorithm: AlgorithmSpec, wrappingKeySpec: WrappingKeySpec) {
        self.keyId = keyId
        self.wrappingAlgorithm = .known(wrappingAlgorithm)
        self.wrappingKeySpec = .known(wrappingKeySpec)
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.member(wrappingAlgorithm, "wrappingAlgorithm")
        v.member(wrappingKeySpec, "wrappingKeySpec")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case wrappingAlgorithm = "WrappingAlgorithm"
        case wrappingKeySpec = "WrappingKeySpec"
    }
}

public struct GetParametersForImportResponse: Codable, Sendable {
    public var keyId: String
    public var importToken: Data
    /// DER SubjectPublicKeyInfo of the wrapping key.
    public var publicKey: Data
    public var parametersValidTo: Date

    public init(keyId: String, importToken: Data, publicKey: Data, parametersValidTo: Date) {
        self.keyId = keyId
        self.importToken = importToken
        self.publicKey = publicKey
        self.parametersValidTo = parametersValidTo
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case importToken = "ImportToken"
        case publicKey = "PublicKey"
        case parametersValidTo = "ParametersValidTo"
    }
}

/// [ImportKeyMaterial](https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html)
public struct ImportKeyMaterialRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "ImportToken", "EncryptedKeyMaterial"]

    public var keyId: String
    public var importToken: Data
    public var encryptedKeyMaterial: Data
    public var validTo: Date?
    public var expirationModel: WireValue<ExpirationModelType>?
    public var importType: WireValue<ImportType>?
    public var keyMaterialDescription: String?
    public var keyMaterialId: String?

    public init(
        keyId: String, importToken: Data, encryptedKeyMaterial: Data, validTo: Date? = nil,
        expirationModel: ExpirationModelType? = nil, importType: ImportType? = nil, keyMaterialDescription: String? = nil,
        keyMaterialId: String? = nil
    ) {
        self.keyId = keyId
        self.importToken = importToken
        self.encryptedKeyMaterial = encryptedKeyMaterial
        self.validTo = validTo
        self.expirationModel = expirationModel.map(WireValue.known)
        self.importType = importType.map(WireValue.known)
        self.keyMaterialDescription = keyMaterialDescription
        self.keyMaterialId = keyMaterialId
    }

    private static let descriptionCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/_.-".unicodeScalars)

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(importToken, "importToken", 1...6144)
        v.length(encryptedKeyMaterial, "encryptedKeyMaterial", 1...6144)
        v.member(expirationModel, "expirationModel")
        v.member(importType, "importType")
        v.length(keyMaterialDescription, "keyMaterialDescription", 0...256)
        v.pattern(keyMaterialDescription, "keyMaterialDescription", "^[a-zA-Z0-9:/_\\s.-]+$") { text in
            !text.isEmpty && text.unicodeScalars.allSatisfy { Self.descriptionCharacters.contains($0) || $0.properties.isWhitespace }
        }
        v.backingKeyId(keyMaterialId, "keyMaterialId")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case importToken = "ImportToken"
        case encryptedKeyMaterial = "EncryptedKeyMaterial"
        case validTo = "ValidTo"
        case expirationModel = "ExpirationModel"
        case importType = "ImportType"
        case keyMaterialDescription = "KeyMaterialDescription"
        case keyMaterialId = "KeyMaterialId"
    }
}

/// ImportKeyMaterial's and DeleteImportedKeyMaterial's answer.
public struct KeyMaterialResponse: Codable, Sendable {
    public var keyId: String
    public var keyMaterialId: String?

    public init(keyId: String, keyMaterialId: String?) {
        self.keyId = keyId
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyMaterialId = "KeyMaterialId"
    }
}

public typealias ImportKeyMaterialResponse = KeyMaterialResponse
public typealias DeleteImportedKeyMaterialResponse = KeyMaterialResponse

/// [DeleteImportedKeyMaterial](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html)
public struct DeleteImportedKeyMaterialRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var keyMaterialId: String?

    public init(keyId: String, keyMaterialId: String? = nil) {
        self.keyId = keyId
        self.keyMaterialId = keyMaterialId
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.backingKeyId(keyMaterialId, "keyMaterialId")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyMaterialId = "KeyMaterialId"
    }
}

extension Validation {
    /// BackingKeyIdType: 64 lowercase hex characters.
    public mutating func backingKeyId(_ value: String?, _ member: String) {
        length(value, member, 64...64)
        pattern(value, member, "^[a-f0-9]+$") { text in
            !text.isEmpty && text.unicodeScalars.allSatisfy { Set("0123456789abcdef".unicodeScalars).contains($0) }
        }
    }
}
