import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [CreateAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)
    public func createAlias(_ request: CreateAliasRequest, context: OperationContext) async throws -> EmptyResponse {
        try checkCustomerAliasName(request.aliasName)
        try await authorizeAlias(request.aliasName, action: "CreateAlias", context: context)
        let key = try await aliasTarget(request.targetKeyId, context: context, action: "CreateAlias")
        let now = clock.now()
        let alias = AliasRecord(
            accountId: context.caller.accountId, region: context.caller.region, aliasName: request.aliasName,
            targetKeyId: key.reference.keyId, creationDate: now, lastUpdatedDate: now)
        let taken = KMSError(.alreadyExists, "An alias with the name \(alias.arn) already exists")
        // Checked here for the common case; the store refuses a name taken meanwhile.
        if try await boundary({ try await repository.alias(accountId: alias.accountId, region: alias.region, name: alias.aliasName) }) != nil {
            throw taken
        }
        context.change(.insertAlias(alias), ifRefused: taken)
        return EmptyResponse()
    }

    /// [UpdateAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html)
    /// The new key must be of the same type and usage as the old one, so code that uses the
    /// alias keeps working.
    public func updateAlias(_ request: UpdateAliasRequest, context: OperationContext) async throws -> EmptyResponse {
        try checkCustomerAliasName(request.aliasName)
        try await authorizeAlias(request.aliasName, action: "UpdateAlias", context: context)
        guard var alias = try await boundary({
            try await repository.alias(accountId: context.caller.accountId, region: context.caller.region, name: request.aliasName)
        }) else {
            throw KMSError.aliasNotFound("arn:aws:kms:\(context.caller.region):\(context.caller.accountId):\(request.aliasName)")
        }
        let newTarget = try await aliasTarget(request.targetKeyId, context: context, action: "UpdateAlias")
        let oldTarget = try await boundary {
            try await repository.key(KeyReference(accountId: context.caller.accountId, region: context.caller.region, keyId: alias.targetKeyId))
        }
        // As in AWS, the caller needs kms:UpdateAlias on the key the alias leaves as well.
        if let oldTarget { try await authorize(oldTarget, action: "UpdateAlias", context: context) }
        if let oldTarget, oldTarget.keyUsage != newTarget.keyUsage || oldTarget.keySpec.family != newTarget.keySpec.family {
            throw KMSError(
                .validation,
                "\(newTarget.reference.arn) is not the same key type or key usage as the alias's current key \(oldTarget.reference.arn).")
        }
        alias.targetKeyId = newTarget.reference.keyId
        alias.lastUpdatedDate = clock.now()
        context.change(.updateAlias(alias), ifRefused: KMSError.aliasNotFound(alias.arn))
        return EmptyResponse()
    }

    /// [DeleteAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html)
    public func deleteAlias(_ request: DeleteAliasRequest, context: OperationContext) async throws -> EmptyResponse {
        try checkCustomerAliasName(request.aliasName)
        try await authorizeAlias(request.aliasName, action: "DeleteAlias", context: context)
        let caller = context.caller
        let notFound = KMSError.aliasNotFound("arn:aws:kms:\(caller.region):\(caller.accountId):\(request.aliasName)")
        guard let alias = try await boundary({
            try await repository.alias(accountId: caller.accountId, region: caller.region, name: request.aliasName)
        }) else {
            throw notFound
        }
        let target = KeyReference(accountId: caller.accountId, region: caller.region, keyId: alias.targetKeyId)
        context.touched(target)
        if let key = try await boundary({ try await repository.key(target) }) {
            try await authorize(key, action: "DeleteAlias", context: context)
        }
        context.change(.deleteAlias(accountId: caller.accountId, region: caller.region, name: request.aliasName), ifRefused: notFound)
        return EmptyResponse()
    }

    /// [ListAliases](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html)
    /// Pages in alias name order; the marker is the last alias name of the previous page.
    public func listAliases(_ request: ListAliasesRequest, context: OperationContext) async throws -> ListAliasesResponse {
        try await authorizeWithoutKey("ListAliases", context: context)
        let limit = request.limit ?? 100
        if let marker = request.marker, !marker.hasPrefix("alias/") {
            throw KMSError.invalidMarker
        }
        var targetKeyId: String?
        if let keyId = request.keyId {
            targetKeyId = try await resolveKey(keyId, .keyOnly, context: context, action: "ListAliases").reference.keyId
        }
        let rows = try await boundary {
            try await repository.listAliases(
                accountId: context.caller.accountId, region: context.caller.region, targetKeyId: targetKeyId, after: request.marker,
                limit: limit + 1)
        }
        let page = rows.prefix(limit)
        return ListAliasesResponse(
            aliases: page.map {
                AliasListEntry(
                    aliasName: $0.aliasName, aliasArn: $0.arn, targetKeyId: $0.targetKeyId, creationDate: $0.creationDate,
                    lastUpdatedDate: $0.lastUpdatedDate)
            },
            nextMarker: rows.count > limit ? page.last?.aliasName : nil)
    }

    /// Alias names start with `alias/`; `alias/aws/` belongs to AWS managed keys.
    private func checkCustomerAliasName(_ name: String) throws {
        guard name.hasPrefix("alias/"), name.count > "alias/".count else {
            throw KMSError(
                .validation,
                "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html")
        }
        if name.hasPrefix("alias/aws/") {
            throw KMSError(.notAuthorized, "")
        }
    }

    /// The alias side of an alias operation: AWS asks the caller's identity policies for the
    /// action on the alias ARN, besides the key policies of the keys involved.
    private func authorizeAlias(_ name: String, action: String, context: OperationContext) async throws {
        let caller = context.caller
        try await authorizeWithoutKey(action, resource: "arn:aws:kms:\(caller.region):\(caller.accountId):\(name)", context: context)
    }

    /// An alias points at a customer key of the caller's own account that is not being deleted.
    private func aliasTarget(_ keyId: String, context: OperationContext, action: String) async throws -> KeyRecord {
        let key = try await resolveKey(keyId, .keyOnly, context: context, action: action)
        if key.keyState.isScheduledForDeletion { throw KMSError.invalidState(key.reference.arn, key.keyState) }
        return key
    }
}

extension KeySpec {
    /// Symmetric, asymmetric or HMAC: an alias may move only within one family.
    var family: String {
        switch self {
        case .symmetricDefault: "symmetric"
        case .hmac224, .hmac256, .hmac384, .hmac512: "hmac"
        default: "asymmetric"
        }
    }
}
