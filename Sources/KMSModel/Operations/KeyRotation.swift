import Foundation

/// [EnableKeyRotation](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html)
public struct EnableKeyRotationRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var rotationPeriodInDays: Int?

    public init(keyId: String, rotationPeriodInDays: Int? = nil) {
        self.keyId = keyId
        self.rotationPeriodInDays = rotationPeriodInDays
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.range(rotationPeriodInDays, "rotationPeriodInDays", 90...2560)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case rotationPeriodInDays = "RotationPeriodInDays"
    }
}

/// [DisableKeyRotation](https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html),
/// [GetKeyRotationStatus](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html),
/// [RotateKeyOnDemand](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html):
/// a key and nothing else. Distinct types, so each has its own audit description.
public struct DisableKeyRotationRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]
    public var keyId: String
    public init(keyId: String) { self.keyId = keyId }
    public func validate(into v: inout Validation) { v.keyId(keyId) }
    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

public struct GetKeyRotationStatusRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]
    public var keyId: String
    public init(keyId: String) { self.keyId = keyId }
    public func validate(into v: inout Validation) { v.keyId(keyId) }
    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

public struct RotateKeyOnDemandRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]
    public var keyId: String
    public init(keyId: String) { self.keyId = keyId }
    public func validate(into v: inout Validation) { v.keyId(keyId) }
    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

public struct GetKeyRotationStatusResponse: Codable, Sendable, Equatable {
    public var keyRotationEnabled: Bool
    public var keyId: String
    public var rotationPeriodInDays: Int?
    public var nextRotationDate: Date?
    public var onDemandRotationStartDate: Date?

    public init(
        keyRotationEnabled: Bool, keyId: String, rotationPeriodInDays: Int?, nextRotationDate: Date?,
        onDemandRotationStartDate: Date? = nil
    ) {
        self.keyRotationEnabled = keyRotationEnabled
        self.keyId = keyId
        self.rotationPeriodInDays = rotationPeriodInDays
        self.nextRotationDate = nextRotationDate
        self.onDemandRotationStartDate = onDemandRotationStartDate
    }

    enum CodingKeys: String, CodingKey {
        case keyRotationEnabled = "KeyRotationEnabled"
        case keyId = "KeyId"
        case rotationPeriodInDays = "RotationPeriodInDays"
        case nextRotationDate = "NextRotationDate"
        case onDemandRotationStartDate = "OnDemandRotationStartDate"
    }
}

public struct RotateKeyOnDemandResponse: Codable, Sendable {
    public var keyId: String
    public init(keyId: String) { self.keyId = keyId }
    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

/// [ListKeyRotations](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html)
public struct ListKeyRotationsRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var includeKeyMaterial: WireValue<IncludeKeyMaterial>?
    public var limit: Int?
    public var marker: String?

    public init(keyId: String, includeKeyMaterial: IncludeKeyMaterial? = nil, limit: Int? = nil, marker: String? = nil) {
        self.keyId = keyId
        self.includeKeyMaterial = includeKeyMaterial.map(WireValue.known)
        self.limit = limit
        self.marker = marker
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.member(includeKeyMaterial, "includeKeyMaterial")
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case includeKeyMaterial = "IncludeKeyMaterial"
        case limit = "Limit"
        case marker = "Marker"
    }
}

/// [RotationsListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html)
public struct RotationsListEntry: Codable, Sendable, Equatable {
    public var keyId: String
    public var keyMaterialId: String?
    public var keyMaterialState: KeyMaterialState?
    public var rotationDate: Date?
    public var rotationType: RotationType?
    /// The next four only for symmetric encryption keys with Origin EXTERNAL.
    public var keyMaterialDescription: String?
    public var importState: ImportState?
    public var expirationModel: ExpirationModelType?
    public var validTo: Date?

    public init(
        keyId: String, keyMaterialId: String?, keyMaterialState: KeyMaterialState?, rotationDate: Date?,
        rotationType: RotationType?, keyMaterialDescription: String? = nil, importState: ImportState? = nil,
        expirationModel: ExpirationModelType? = nil, validTo: Date? = nil
    ) {
        self.keyId = keyId
        self.keyMaterialId = keyMaterialId
        self.keyMaterialState = keyMaterialState
        self.rotationDate = rotationDate
        self.rotationType = rotationType
        self.keyMaterialDescription = keyMaterialDescription
        self.importState = importState
        self.expirationModel = expirationModel
        self.validTo = validTo
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyMaterialId = "KeyMaterialId"
        case keyMaterialState = "KeyMaterialState"
        case rotationDate = "RotationDate"
        case rotationType = "RotationType"
        case keyMaterialDescription = "KeyMaterialDescription"
        case importState = "ImportState"
        case expirationModel = "ExpirationModel"
        case validTo = "ValidTo"
    }
}

public struct ListKeyRotationsResponse: Codable, Sendable {
    public var rotations: [RotationsListEntry]
    public var nextMarker: String?
    public var truncated: Bool

    public init(rotations: [RotationsListEntry], nextMarker: String?) {
        self.rotations = rotations
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case rotations = "Rotations"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}
