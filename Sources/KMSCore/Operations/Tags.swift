import KMSModel

extension KeyManagementService {
    /// AWS allows 50 tags on one key.
    static let maximumTagsPerKey = 50

    /// [TagResource](https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html)
    public func tagResource(_ request: TagResourceRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "TagResource")
        if key.keyState.isScheduledForDeletion { throw KMSError.invalidState(key.reference.arn, key.keyState) }
        try validateTags(request.tags)
        let existing = try await boundary { try await repository.tags(key.reference) }
        let keys = Set(existing.map(\.tagKey)).union(request.tags.map(\.tagKey))
        guard keys.count <= Self.maximumTagsPerKey else { throw KMSError(.tag, "Too many tags") }
        context.change(.putTags(key.reference, request.tags))
        return EmptyResponse()
    }

    /// [UntagResource](https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html)
    public func untagResource(_ request: UntagResourceRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "UntagResource")
        if key.keyState.isScheduledForDeletion { throw KMSError.invalidState(key.reference.arn, key.keyState) }
        context.change(.removeTags(key.reference, keys: request.tagKeys))
        return EmptyResponse()
    }

    /// [ListResourceTags](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html)
    public func listResourceTags(_ request: ListResourceTagsRequest, context: OperationContext) async throws -> ListResourceTagsResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ListResourceTags")
        let limit = request.limit ?? 50
        let all = try await boundary { try await repository.tags(key.reference) }
        // The marker is the last tag key of the previous page; tags are ordered by key.
        let remaining = request.marker.map { marker in all.filter { $0.tagKey > marker } } ?? all
        let page = remaining.prefix(limit)
        let more = remaining.count > limit
        return ListResourceTagsResponse(tags: Array(page), nextMarker: more ? page.last?.tagKey : nil)
    }

    /// Tag rules beyond the shape's lengths: no `aws:` prefix, no repeated key in one request.
    func validateTags(_ tags: [Tag]) throws {
        var seen = Set<String>()
        for tag in tags {
            if tag.tagKey.lowercased().hasPrefix("aws:") {
                throw KMSError(.tag, "Tags beginning with aws: are reserved")
            }
            guard seen.insert(tag.tagKey).inserted else {
                throw KMSError(.tag, "Duplicate tag keys")
            }
        }
        guard tags.count <= Self.maximumTagsPerKey else { throw KMSError(.tag, "Too many tags") }
    }
}
