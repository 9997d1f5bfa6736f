/// The key policy AWS attaches to a key created without one through the API (CreateKey,
/// ReplicateKey): the owning account's root may do everything, which delegates access to the
/// account's IAM policies.
/// [Default key policy](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
///
/// The text is byte for byte what GetKeyPolicy returns for such a key, as in the developer
/// guide's `aws kms get-key-policy --output text` example (two-space indents, ` : ` between
/// names and values, `[ {` … `} ]` around the one statement). A key whose stored policy is nil
/// has this policy.
public enum DefaultKeyPolicy {
    public static func text(accountId: String) -> String {
        """
        {
          "Version" : "2012-10-17",
          "Id" : "key-default-1",
          "Statement" : [ {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:aws:iam::\(accountId):root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """
    }
}
