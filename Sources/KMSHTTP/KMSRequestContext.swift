import Hummingbird

/// The per-request context: Hummingbird's core storage, the maximum body Trent reads, and the
/// peer's address for the audit record.
public struct KMSRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, as CloudTrail's `sourceIPAddress`.
    public let sourceIPAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.sourceIPAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    public var maxUploadSize: Int { maximumBodySize }
}
