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

    /// KMS bodies are small (plaintext at most 4096 bytes, policies at most 128 KiB of text);
    /// anything past 1 MiB is refused before it is read further.
    public var maxUploadSize: Int { 1 << 20 }
}
