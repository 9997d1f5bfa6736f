import KMSModel
import KMSPolicy
import Synchronization

/// Parsed policy documents by their text: every request on a key evaluates its policy, and
/// parsing JSON each time would cost more than the evaluation. Texts are immutable values,
/// so an entry never goes stale; a changed policy is simply another text.
final class PolicyCache: Sendable {
    private struct Entry: Hashable {
        var text: String
        var kind: PolicyKind
    }

    private let documents = Mutex<[Entry: PolicyDocument]>([:])
    /// Past this many documents the cache starts over, so distinct texts cannot grow it without bound.
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The parsed document; a text that does not parse is `MalformedPolicyDocumentException`.
    func document(_ text: String, kind: PolicyKind) throws -> PolicyDocument {
        let entry = Entry(text: text, kind: kind)
        if let cached = documents.withLock({ $0[entry] }) { return cached }
        let parsed: PolicyDocument
        do {
            parsed = try PolicyDocument(json: text, kind: kind)
        } catch {
            throw KMSError(.malformedPolicyDocument, error.reason)
        }
        documents.withLock { documents in
            if documents.count >= capacity { documents.removeAll(keepingCapacity: true) }
            documents[entry] = parsed
        }
        return parsed
    }
}
