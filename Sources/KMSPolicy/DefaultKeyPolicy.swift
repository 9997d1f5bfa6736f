/// The key policy AWS KMS gives a key created without one ("Default key policy", AWS KMS
/// Developer Guide): one statement that allows the account, which hands the key's access
/// control to IAM policies and grants.
public enum DefaultKeyPolicy {
    public static let policyId = "key-default-1"
    public static let statementSid = "Enable IAM User Permissions"

    /// The policy text exactly as `GetKeyPolicy` returns it: AWS pretty-prints with Jackson's
    /// default printer (two-space indent, `" : "` between name and value, `[ {` and `} ]`
    /// around the statement array) and no newline at the end, as in the GetKeyPolicy example
    /// of the AWS KMS API Reference.
    public static func document(accountId: String) -> String {
        document(accountId: accountId, partition: "aws")
    }

    /// The default policy in another partition (`aws-cn`, `aws-us-gov`).
    public static func document(accountId: String, partition: String) -> String {
        """
        {
          "Version" : "2012-10-17",
          "Id" : "\(policyId)",
          "Statement" : [ {
            "Sid" : "\(statementSid)",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:\(partition):iam::\(accountId):root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """
    }

    /// The same policy, parsed.
    public static func policy(accountId: String, partition: String = "aws") -> PolicyDocument {
        PolicyDocument(
            kind: .keyPolicy, version: PolicyVersion.current, id: policyId,
            statements: [
                PolicyStatement(
                    sid: statementSid, effect: .allow,
                    principal: .entries([PrincipalEntry(kind: .aws, value: "arn:\(partition):iam::\(accountId):root")]),
                    action: ["kms:*"], resource: ["*"])
            ])
    }
}
