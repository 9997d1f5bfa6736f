/// The body of operations that return nothing (EnableKey, CreateAlias, …): `{}`.
public struct EmptyResponse: Codable, Sendable, Equatable {
    public init() {}
}
