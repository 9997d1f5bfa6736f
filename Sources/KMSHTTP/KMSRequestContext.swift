import Hummingbird

/// The per-request context: Hummingbird's core storage and the maximum body Trent reads.
public struct KMSRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// KMS bodies are small (plaintext at most 4096 bytes, policies at most 128 KiB of text);
    /// anything past 1 MiB is refused before it is read further.
    public var maxUploadSize: Int { 1 << 20 }
}
