import Foundation
import KMSModel

/// The largest key policy document AWS accepts: 32 KB (32,768 bytes), although the API model's
/// `PolicyType` allows 131,072 characters.
/// [Key policy format](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html#key-policy-format)
public let maximumKeyPolicyBytes = 32_768

/// Checks a key policy document before it is stored (CreateKey, PutKeyPolicy, ReplicateKey):
/// its size (`LimitExceededException`, as AWS documents for an oversized key policy) and that it
/// is one JSON object (`MalformedPolicyDocumentException`).
///
/// The request's own validation has already checked the model's length and character set;
/// the policy grammar is the evaluator's parser's (``KeyManagementService/parseKeyPolicy(_:)``).
/// A text that is not JSON at all gets the exception with no message, as AWS answers it.
public func validateKeyPolicyDocument(_ text: String) throws {
    guard text.utf8.count <= maximumKeyPolicyBytes else { throw KMSError.keyPolicyTooLarge }
    let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8))
    guard parsed is [String: Any] else { throw KMSError.malformedPolicyDocument }
}
