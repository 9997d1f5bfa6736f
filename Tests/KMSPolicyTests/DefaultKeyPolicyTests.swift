import KMSPolicy
import Testing

@Suite("Default key policy")
struct DefaultKeyPolicyTests {
    @Test("The text is AWS's GetKeyPolicy output, byte for byte")
    func text() {
        let expected =
            "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::111122223333:root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}"
        #expect(DefaultKeyPolicy.document(accountId: "111122223333") == expected)
    }

    @Test("The text parses as a key policy equal to the parsed form")
    func parses() throws {
        let parsed = try PolicyDocument(json: DefaultKeyPolicy.document(accountId: "111122223333"), kind: .keyPolicy)
        #expect(parsed == DefaultKeyPolicy.policy(accountId: "111122223333"))
        #expect(parsed.id == "key-default-1")
    }

    @Test("Another partition")
    func partition() {
        #expect(DefaultKeyPolicy.document(accountId: "111122223333", partition: "aws-cn").contains("arn:aws-cn:iam::111122223333:root"))
    }
}
