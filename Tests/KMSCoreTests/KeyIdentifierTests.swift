import Testing

@testable import KMSCore

struct KeyIdentifierTests {
    @Test func parsesTheFourForms() {
        let id = "1234abcd-12ab-34cd-56ef-1234567890ab"
        #expect(KeyIdentifier(id) == .keyId(id))
        #expect(
            KeyIdentifier("arn:aws:kms:us-east-2:111122223333:key/\(id)")
                == .keyArn(region: "us-east-2", accountId: "111122223333", keyId: id))
        #expect(KeyIdentifier("alias/ExampleAlias") == .aliasName("alias/ExampleAlias"))
        #expect(
            KeyIdentifier("arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias")
                == .aliasArn(region: "us-east-2", accountId: "111122223333", aliasName: "alias/ExampleAlias"))
        #expect(KeyIdentifier("mrk-1234abcd12ab34cd56ef1234567890ab") == .keyId("mrk-1234abcd12ab34cd56ef1234567890ab"))
    }

    @Test(arguments: [
        "fake-key-id", "134f2428cec14b25a1ae9048164dba47", "mrk-fake-key-id", "key_id", "",
        "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:s3:::bucket",
        "arn:aws:kms:us-east-1:111122223333:key/nope",
    ])
    func rejectsMalformedIdentifiers(_ text: String) {
        #expect(KeyIdentifier(text) == nil)
    }
}
