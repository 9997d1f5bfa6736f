// Removed when the principals branch lands.
extension Caller {
    struct IdentityPolicy { var name: String; var document: String }
    struct Session { var roleArn: String }
    var identityPolicies: [IdentityPolicy] { [] }
    var session: Session? { nil }
    var tags: [String: String] { [:] }
}
