import KMSModel

extension KeyManagementService {
    /// [ListKeys](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html)
    /// Pages in key id order; the marker is the last key id of the previous page.
    public func listKeys(_ request: ListKeysRequest, context: OperationContext) async throws -> ListKeysResponse {
        try await authorizeWithoutKey("ListKeys", context: context)
        let limit = request.limit ?? 100
        if let marker = request.marker, !KeyIdentifier.isKeyId(marker) {
            throw KMSError.invalidMarker
        }
        let rows = try await boundary {
            try await repository.listKeys(
                accountId: context.caller.accountId, region: context.caller.region, after: request.marker, limit: limit + 1)
        }
        let page = rows.prefix(limit)
        return ListKeysResponse(
            keys: page.map { KeyListEntry(keyId: $0.reference.keyId, keyArn: $0.reference.arn) },
            nextMarker: rows.count > limit ? page.last?.reference.keyId : nil)
    }
}
