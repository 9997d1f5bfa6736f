import KMSModel

/// AWS's message texts, in one place so they can be checked against the API reference together.
extension KMSError {
    static func keyNotFound(_ arn: String) -> KMSError {
        KMSError(.notFound, "Key '\(arn)' does not exist")
    }

    static func aliasNotFound(_ arn: String) -> KMSError {
        KMSError(.notFound, "Alias \(arn) is not found.")
    }

    static func invalidKeyId(_ text: String) -> KMSError {
        KMSError(.notFound, "Invalid keyId '\(text)'")
    }

    /// A key ARN naming another Region than the endpoint's.
    static func invalidArnRegion(_ region: String) -> KMSError {
        KMSError(.notFound, "Invalid arn \(region)")
    }

    static func disabled(_ arn: String) -> KMSError {
        KMSError(.disabled, "\(arn) is disabled.")
    }

    static func pendingDeletion(_ arn: String) -> KMSError {
        KMSError(.invalidState, "\(arn) is pending deletion.")
    }

    static func invalidState(_ arn: String, _ state: KeyState) -> KMSError {
        switch state {
        case .pendingDeletion: pendingDeletion(arn)
        case .pendingImport: KMSError(.invalidState, "\(arn) is pending import.")
        default: KMSError(.invalidState, "\(arn) is \(state.rawValue.lowercased()).")
        }
    }

    static func accessDenied(_ caller: Caller, action: String, resource: String) -> KMSError {
        KMSError(
            .accessDenied,
            "User: \(caller.principalArn) is not authorized to perform: kms:\(action) on resource: \(resource) "
                + "because no resource-based policy allows the kms:\(action) action")
    }

    static func invalidKeyUsage(_ arn: String, usage: KeyUsage, operation: String) -> KMSError {
        KMSError(.invalidKeyUsage, "\(arn) key usage is \(usage.rawValue) which is not valid for \(operation).")
    }

    /// AWS sends this one with no message at all, so nothing about the blob leaks.
    static let invalidCiphertext = KMSError(.invalidCiphertext, "")

    static let invalidMarker = KMSError(.invalidMarker, "")

    static let incorrectKey = KMSError(
        .incorrectKey, "The key ID in the request does not identify a CMK that can perform this operation.")

    static let dryRunSucceeded = KMSError(.dryRunOperation, "The request would have succeeded, but the DryRun option is set.")

    static let internalFailure = KMSError(.internalFailure, "An internal error occurred.")
}
