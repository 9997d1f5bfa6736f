import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// ListGrants and ListRetirableGrants answer at most 100 grants a page (50 by default),
    /// whatever Limit the model lets through.
    static let grantPageLimit = 100
    static let defaultGrantPageSize = 50

    /// [CreateGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html)
    ///
    /// With a Name, a request whose every parameter equals an existing grant's of that name on
    /// that key answers that grant's id (with a new token) and creates nothing; a request that
    /// differs in anything creates another grant of the same name, as the reference describes.
    public func createGrant(_ request: CreateGrantRequest, context: OperationContext) async throws -> CreateGrantResponse {
        try validateGrantTokens(request.grantTokens)
        if KeyIdentifier(request.keyId)?.isAlias == true { throw KMSError.grantKeyAlias }
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "CreateGrant")
        switch key.keyState {
        case .pendingDeletion, .pendingReplicaDeletion, .unavailable:
            throw KMSError.invalidState(key.reference.arn, key.keyState)
        case .enabled, .disabled, .pendingImport, .creating, .updating:
            break
        }
        for principal in [request.granteePrincipal] + (request.retiringPrincipal.map { [$0] } ?? [])
        where !GrantRules.isPrincipal(principal) {
            throw KMSError.invalidPrincipal(principal)
        }
        let constraints = request.constraints?.isEmpty == false ? request.constraints : nil
        let operations = try GrantRules.checkedOperations(
            request.operations.compactMap(\.value), constraints: constraints, key: key)

        if let name = request.name {
            let named = try await boundary {
                try await repository.grants(of: key.reference, matching: GrantFilter(name: name), after: nil, limit: Int(Int32.max))
            }
            if let same = named.first(where: {
                $0.granteePrincipal == request.granteePrincipal && $0.retiringPrincipal == request.retiringPrincipal
                    && $0.issuingAccount == context.caller.accountId && Set($0.operations) == Set(operations)
                    && $0.constraints == constraints
            }) {
                if request.dryRun == true { throw KMSError.dryRunSucceeded }
                context.responseElements = .object(["grantId": .string(same.grantId)])
                return CreateGrantResponse(
                    grantToken: GrantToken(grantId: same.grantId, tokenId: same.tokenId).encoded(), grantId: same.grantId)
            }
        }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let grant = GrantRecord(
            grantId: randomBytes(32).hexString, reference: key.reference, name: request.name,
            granteePrincipal: request.granteePrincipal, retiringPrincipal: request.retiringPrincipal,
            issuingAccount: context.caller.accountId, operations: operations, constraints: constraints,
            creationDate: clock.now(), tokenId: randomBytes(16).hexString)
        context.change(.insertGrant(grant), ifRefused: KMSError.keyNotFound(key.reference.arn))
        context.responseElements = .object(["grantId": .string(grant.grantId)])
        return CreateGrantResponse(
            grantToken: GrantToken(grantId: grant.grantId, tokenId: grant.tokenId).encoded(), grantId: grant.grantId)
    }

    /// [ListGrants](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html)
    public func listGrants(_ request: ListGrantsRequest, context: OperationContext) async throws -> ListGrantsResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ListGrants")
        if let grantId = request.grantId, !Self.isGrantId(grantId) { throw KMSError.invalidGrantId }
        if let marker = request.marker, !Self.isGrantId(marker) { throw KMSError.invalidMarker }
        let limit = min(request.limit ?? Self.defaultGrantPageSize, Self.grantPageLimit)
        let filter = GrantFilter(grantId: request.grantId, granteePrincipal: request.granteePrincipal)
        let grants = try await boundary {
            try await repository.grants(of: key.reference, matching: filter, after: request.marker, limit: limit + 1)
        }
        return Self.grantPage(grants, limit: limit)
    }

    /// [ListRetirableGrants](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html):
    /// grants on keys of any account in the caller's Region whose retiring principal is the one
    /// named, which must be a principal of the caller's own account.
    public func listRetirableGrants(_ request: ListRetirableGrantsRequest, context: OperationContext) async throws -> ListGrantsResponse {
        try await authorizeWithoutKey("ListRetirableGrants", context: context)
        guard GrantRules.account(of: request.retiringPrincipal) == context.caller.accountId else {
            throw KMSError.accessDenied(context.caller, action: "ListRetirableGrants", resource: request.retiringPrincipal)
        }
        if let marker = request.marker, !Self.isGrantId(marker) { throw KMSError.invalidMarker }
        let limit = min(request.limit ?? Self.defaultGrantPageSize, Self.grantPageLimit)
        let grants = try await boundary {
            try await repository.retirableGrants(
                retiringPrincipal: request.retiringPrincipal, region: context.caller.region, after: request.marker, limit: limit + 1)
        }
        return Self.grantPage(grants, limit: limit)
    }

    /// [RetireGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html)
    ///
    /// The grant is named by a grant token, or by key id or ARN (of any account) and grant id.
    /// Who may retire it is the grant's own rule (``GrantRules/mayRetire(_:caller:)``), not the
    /// key's policy, so a key of another account is reached here without ``resolveKey``.
    public func retireGrant(_ request: RetireGrantRequest, context: OperationContext) async throws -> EmptyResponse {
        let grant: GrantRecord
        if let text = request.grantToken {
            guard let token = GrantToken(text) else { throw KMSError.invalidGrantToken }
            guard let found = try await boundary({ try await repository.grant(id: token.grantId) }) else {
                throw KMSError.grantNotFound(token.grantId)
            }
            guard found.tokenId == token.tokenId else { throw KMSError.invalidGrantToken }
            if let grantId = request.grantId, grantId != found.grantId { throw KMSError.grantNotFound(grantId) }
            if let keyId = request.keyId, try grantKeyReference(keyId, context: context) != found.reference {
                throw KMSError.grantNotFound(found.grantId)
            }
            grant = found
        } else if let keyId = request.keyId, let grantId = request.grantId {
            let reference = try grantKeyReference(keyId, context: context)
            guard Self.isGrantId(grantId) else { throw KMSError.invalidGrantId }
            guard let found = try await boundary({ try await repository.grant(id: grantId) }), found.reference == reference else {
                throw KMSError.grantNotFound(grantId)
            }
            grant = found
        } else {
            throw KMSError.retireGrantUnnamed
        }
        context.touched(grant.reference)
        if !GrantRules.mayRetire(grant, caller: context.caller) {
            // Beyond the grant's own rule, a principal the key's policies allow kms:RetireGrant.
            guard let key = try await boundary({ try await repository.key(grant.reference) }) else {
                throw KMSError.grantNotFound(grant.grantId)
            }
            try await authorize(key, action: "RetireGrant", context: context)
        }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        context.change(.deleteGrant(grant.reference, grantId: grant.grantId), ifRefused: KMSError.grantNotFound(grant.grantId))
        return EmptyResponse()
    }

    /// [RevokeGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html)
    public func revokeGrant(_ request: RevokeGrantRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "RevokeGrant")
        guard Self.isGrantId(request.grantId) else { throw KMSError.invalidGrantId }
        guard let grant = try await boundary({ try await repository.grant(id: request.grantId) }), grant.reference == key.reference else {
            throw KMSError.grantNotFound(request.grantId)
        }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        context.change(.deleteGrant(key.reference, grantId: grant.grantId), ifRefused: KMSError.grantNotFound(grant.grantId))
        return EmptyResponse()
    }

    /// The key a RetireGrant names by key id (the caller's account) or key ARN (any account),
    /// in the caller's Region. Aliases name no grant's key.
    private func grantKeyReference(_ text: String, context: OperationContext) throws -> KeyReference {
        switch KeyIdentifier(text) {
        case .keyId(let id):
            return KeyReference(accountId: context.caller.accountId, region: context.caller.region, keyId: id)
        case .keyArn(let region, let account, let id):
            guard region == context.caller.region else { throw KMSError.invalidArnRegion(region) }
            return KeyReference(accountId: account, region: region, keyId: id)
        case .aliasName, .aliasArn, nil:
            throw KMSError.invalidKeyId(text)
        }
    }

    /// Grant ids are 64 lowercase hex characters.
    static func isGrantId(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// One page from up to `limit + 1` grants read: the extra one says whether there is more.
    static func grantPage(_ grants: [GrantRecord], limit: Int) -> ListGrantsResponse {
        let page = grants.prefix(limit)
        return ListGrantsResponse(
            grants: page.map(grantListEntry), nextMarker: grants.count > limit ? page.last?.grantId : nil)
    }

    static func grantListEntry(_ grant: GrantRecord) -> GrantListEntry {
        GrantListEntry(
            keyId: grant.reference.arn, grantId: grant.grantId, name: grant.name, creationDate: grant.creationDate,
            granteePrincipal: grant.granteePrincipal, retiringPrincipal: grant.retiringPrincipal,
            issuingAccount: "arn:aws:iam::\(grant.issuingAccount):root", operations: grant.operations,
            constraints: grant.constraints)
    }
}
