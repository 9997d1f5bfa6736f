/// Who is calling, and in which namespace: the authenticated principal's account and the
/// Region of the request's SigV4 credential scope.
public struct Caller: Sendable, Equatable {
    public var accountId: String
    public var region: String
    /// `arn:aws:iam::<account>:root`, `…:user/<name>` or an assumed-role ARN.
    public var principalArn: String
    public var accessKeyId: String

    public init(accountId: String, region: String, principalArn: String, accessKeyId: String) {
        self.accountId = accountId
        self.region = region
        self.principalArn = principalArn
        self.accessKeyId = accessKeyId
    }

    /// The root principal of an account, as dev mode and the first-start administrator use.
    public static func accountRoot(_ accountId: String, region: String, accessKeyId: String) -> Caller {
        Caller(accountId: accountId, region: region, principalArn: "arn:aws:iam::\(accountId):root", accessKeyId: accessKeyId)
    }
}
