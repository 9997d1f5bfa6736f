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
    /// What each identity policy text mentions, by text (see ``needs(_:)``).
    private let needs = Mutex<[String: ConditionNeeds]>([:])
    /// The default key policy of each account, parsed: most keys have it, and building its text
    /// to look it up cost a string of about 500 bytes per request.
    private let defaultKeyPolicies = Mutex<[String: PolicyDocument]>([:])
    /// Past this many documents the cache starts over, so distinct texts cannot grow it without bound.
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The parsed default key policy of `accountId`'s keys.
    func defaultKeyPolicy(accountId: String) throws -> PolicyDocument {
        if let cached = defaultKeyPolicies.withLock({ $0[accountId] }) { return cached }
        let parsed = try document(DefaultKeyPolicy.document(accountId: accountId), kind: .keyPolicy)
        defaultKeyPolicies.withLock { policies in
            if policies.count >= capacity { policies.removeAll(keepingCapacity: true) }
            policies[accountId] = parsed
        }
        return parsed
    }

    /// Whether an identity policy's text mentions the condition keys whose values cost a read
    /// of the store, worked out once per distinct text. It searches the whole text, lowercased
    /// (condition keys are case-insensitive), so a mention outside a condition also counts:
    /// the values are then read and not used, never left out.
    func needs(_ text: String) -> ConditionNeeds {
        if let cached = needs.withLock({ $0[text] }) { return cached }
        let lowercased = text.lowercased()
        let found = ConditionNeeds(
            resourceAliases: lowercased.contains("kms:resourcealiases"), resourceTags: lowercased.contains("aws:resourcetag/"))
        needs.withLock { needs in
            if needs.count >= capacity { needs.removeAll(keepingCapacity: true) }
            needs[text] = found
        }
        return found
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

/// Condition values an identity policy may ask for that are read from the store per request.
struct ConditionNeeds: Equatable {
    var resourceAliases = false
    var resourceTags = false
}
