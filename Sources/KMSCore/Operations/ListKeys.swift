import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [ListKeys](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html)
    /// Pages in key id order; the marker is the last key id of the previous page.
    public func listKeys(_ request: ListKeysRequest, context: OperationContext) async throws -> ListKeysResponse {
        try await authorizeWithoutKey("ListKeys", context: context)
        let limit = request.limit ?? 100
        if let marker = request.marker, !KeyIdentifier.isKeyId(marker) {
            throw KMSError.invalidMarker
        }
        let (accountId, region) = (context.caller.accountId, context.caller.region)
        let ids = try await boundary {
            try await repository.listKeyIds(accountId: accountId, region: region, after: request.marker, limit: limit + 1)
        }
        let page = ids.prefix(limit)
        return ListKeysResponse(
            keys: page.map { KeyListEntry(keyId: $0, keyArn: KeyReference(accountId: accountId, region: region, keyId: $0).arn) },
            nextMarker: ids.count > limit ? page.last : nil)
    }
}
