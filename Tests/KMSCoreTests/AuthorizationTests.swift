import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Authorization as operations enforce it: key policies, cross-account use, grants, the
/// lockout safety check. The evaluator's own rules have their tables in KMSPolicyTests; these
/// check that every path to a key goes through it.
struct AuthorizationTests {
    /// The root user's shortcut recognises exactly the account's root ARN.
    @Test(arguments: [
        ("arn:aws:iam::111122223333:root", "111122223333", true),
        ("arn:aws:iam::111122223333:root", "111122223334", false),
        ("arn:aws:iam::111122223333:user/root", "111122223333", false),
        ("arn:aws:iam::111122223333:rooty", "111122223333", false),
        ("arn:aws:iam::1111222233334:root", "111122223333", false),
        ("arn:aws-cn:iam::111122223333:root", "111122223333", false),
        ("arn:aws:sts::111122223333:root", "111122223333", false),
        ("", "", false),
        ("arn:aws:iam:::root", "", true),
    ])
    func theRootArnIsRecognisedExactly(arn: String, account: String, expected: Bool) {
        #expect(KeyManagementService.isRootArn(arn, of: account) == expected)
        #expect((arn == KeyManagementService.rootArn(account)) == expected)
    }

    static let owner = "111122223333"
    static let partner = "444455556666"

    /// The owner's root may do everything; the partner's root may use the key for Encrypt and
    /// Decrypt, and only with the encryption context `purpose=shared`.
    static let sharedPolicy = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
          {"Sid":"Partner use","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["kms:Encrypt","kms:Decrypt"],
           "Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:purpose":"shared"}}}]}
        """

    @Test func anotherAccountIsRefusedByTheDefaultPolicyWithAWSsMessage() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let partner = f.caller(account: Self.partner)
        let error = await kmsError {
            _ = try await f.service.encrypt(EncryptRequest(keyId: key.arn, plaintext: Data("x".utf8)), caller: partner)
        }
        #expect(
            error
                == KMSError(
                    .accessDenied,
                    "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Encrypt on resource: \(key.arn) "
                        + "because no resource-based policy allows the kms:Encrypt action"))
        let blob = try await f.encrypt(key.keyId, "secret")
        let decryptError = await kmsError { _ = try await f.decrypt(blob, as: partner) }
        #expect(decryptError?.code == .accessDenied)
    }

    @Test func aKeyPolicyCanShareAKeyWithAnotherAccountUnderAnEncryptionContextCondition() async throws {
        let f = ServiceFixture()
        let key = try await f.service.createKey(CreateKeyRequest(policy: Self.sharedPolicy), caller: f.caller).keyMetadata
        let partner = f.caller(account: Self.partner)
        let blob = try await f.service.encrypt(
            EncryptRequest(keyId: key.arn, plaintext: Data("hello".utf8), encryptionContext: ["purpose": "shared"]), caller: partner
        ).ciphertextBlob
        #expect(try await f.decrypt(blob, context: ["purpose": "shared"], as: partner) == "hello")
        // Another context, or none, is refused; so is any other action.
        for context in [["purpose": "other"], nil] as [[String: String]?] {
            let error = await kmsError {
                _ = try await f.service.encrypt(
                    EncryptRequest(keyId: key.arn, plaintext: Data("x".utf8), encryptionContext: context), caller: partner)
            }
            #expect(error?.code == .accessDenied, "\(String(describing: context))")
        }
        let describe = await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.arn), caller: partner) }
        #expect(describe?.code == .accessDenied)
        // The partner's own ListKeys never shows the owner's key.
        let listed = try await f.service.listKeys(ListKeysRequest(), caller: partner)
        #expect(listed.keys.isEmpty)
    }

    @Test func anExplicitDenyInTheKeyPolicyWinsEvenForTheOwnersRoot() async throws {
        let f = ServiceFixture()
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"},
              {"Sid":"No decrypt without a tenant","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",
               "Condition":{"Null":{"kms:EncryptionContext:tenant":"true"}}}]}
            """
        let key = try await f.service.createKey(CreateKeyRequest(policy: policy), caller: f.caller).keyMetadata
        let blob = try await f.encrypt(key.keyId, "plain")
        let error = await kmsError { _ = try await f.decrypt(blob) }
        #expect(
            error
                == KMSError(
                    .accessDenied,
                    "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:Decrypt on resource: \(key.arn) "
                        + "with an explicit deny in a resource-based policy"))
        let withTenant = try await f.encrypt(key.keyId, "tenant data", context: ["tenant": "t1"])
        #expect(try await f.decrypt(withTenant, context: ["tenant": "t1"]) == "tenant data")
    }

    @Test func theLockoutSafetyCheckRefusesAPolicyThatShutsOutItsAuthor() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let lockout = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*","Resource":"*"}]}
            """
        let error = await kmsError {
            _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: lockout), caller: f.caller)
        }
        #expect(
            error
                == KMSError(.malformedPolicyDocument, "The new key policy will not allow you to update the key policy in the future."))
        let createError = await kmsError { _ = try await f.service.createKey(CreateKeyRequest(policy: lockout), caller: f.caller) }
        #expect(createError == error)
        // Bypassing the check is the caller's choice; afterwards the owner is locked out.
        _ = try await f.service.putKeyPolicy(
            PutKeyPolicyRequest(keyId: key.keyId, policy: lockout, bypassPolicyLockoutSafetyCheck: true), caller: f.caller)
        let after = await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller) }
        #expect(after?.code == .accessDenied)
    }

    @Test func malformedPolicyGrammarIsRefusedWithAWSsReason() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let noPrincipal = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#
        let error = await kmsError {
            _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: noPrincipal), caller: f.caller)
        }
        #expect(error == KMSError(.malformedPolicyDocument, "Policy contains a statement with no principal."))
    }

    @Test func aConstrainedGrantAllowsOnlyMatchingContextsAndStopsAtOnceWhenRevoked() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let partner = f.caller(account: Self.partner)
        let grant = try await f.service.createGrant(
            CreateGrantRequest(
                keyId: key.keyId, granteePrincipal: "arn:aws:iam::444455556666:root", operations: [.encrypt, .decrypt],
                constraints: GrantConstraints(encryptionContextSubset: ["tenant": "t1"])),
            caller: f.caller)
        let blob = try await f.service.encrypt(
            EncryptRequest(keyId: key.arn, plaintext: Data("granted".utf8), encryptionContext: ["tenant": "t1", "extra": "ok"]),
            caller: partner
        ).ciphertextBlob
        #expect(try await f.decrypt(blob, context: ["tenant": "t1", "extra": "ok"], as: partner) == "granted")
        let wrongTenant = await kmsError {
            _ = try await f.service.encrypt(
                EncryptRequest(keyId: key.arn, plaintext: Data("x".utf8), encryptionContext: ["tenant": "t2"]), caller: partner)
        }
        #expect(wrongTenant?.code == .accessDenied)
        // The grant lists Encrypt and Decrypt only.
        let notListed = await kmsError {
            _ = try await f.service.generateDataKey(GenerateDataKeyRequest(keyId: key.arn, numberOfBytes: 32), caller: partner)
        }
        #expect(notListed?.code == .accessDenied)
        _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.keyId, grantId: grant.grantId), caller: f.caller)
        let revoked = await kmsError { _ = try await f.decrypt(blob, context: ["tenant": "t1", "extra": "ok"], as: partner) }
        #expect(revoked?.code == .accessDenied)
    }

    @Test func deniedRequestsAreAuditedWithTheirError() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let partner = f.caller(account: Self.partner)
        _ = await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.arn), caller: partner) }
        let records = try await f.repository.auditRecords(after: 0, limit: 100)
        let last = try #require(records.last)
        #expect(last.entry.errorCode == "AccessDeniedException")
        #expect(last.entry.principalArn == "arn:aws:iam::444455556666:root")
    }

    @Test func theSimulatorAnswersWithTheRequestsOwnEvaluation() async throws {
        let f = ServiceFixture()
        let admin = try #require(try await f.service.bootstrapAdministrator())
        let root = Caller.accountRoot(admin.accountId, region: "us-east-1", accessKeyId: admin.accessKeyId)
        let key = try await f.createKey(as: root)
        _ = try await f.service.createUser(accountId: admin.accountId, userName: "alice")
        let alice = "arn:aws:iam::\(admin.accountId):user/alice"
        let before = try await f.service.simulate(PolicySimulation(principalArn: alice, action: "kms:Encrypt", key: key.arn))
        #expect(!before.decision.isAllowed)
        #expect(before.denialMessage?.hasSuffix("because no identity-based policy allows the kms:Encrypt action") == true)
        try await f.service.putPolicy(
            accountId: admin.accountId, owner: .user("alice"), policyName: "use",
            document: #"{"Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:tenant":"t1"}}}}"#)
        let matching = try await f.service.simulate(
            PolicySimulation(principalArn: alice, action: "kms:Encrypt", key: key.arn, encryptionContext: ["tenant": "t1"]))
        #expect(matching.decision.isAllowed)
        #expect(matching.decision.explanation.contains(#"identity policy "use""#))
        let other = try await f.service.simulate(
            PolicySimulation(principalArn: alice, action: "kms:Encrypt", key: key.arn, encryptionContext: ["tenant": "t2"]))
        #expect(!other.decision.isAllowed)
        await #expect(throws: PolicySimulationError.unknownPrincipal("arn:aws:iam::\(admin.accountId):user/bob")) {
            _ = try await f.service.simulate(
                PolicySimulation(principalArn: "arn:aws:iam::\(admin.accountId):user/bob", action: "kms:Encrypt", key: key.arn))
        }
    }

    @Test func aliasesNeedTheIdentityPolicyOnTheAliasAsWellAsTheKey() async throws {
        let f = ServiceFixture()
        let account = Self.owner
        let key = try await f.createKey()
        func alice(_ resources: String) -> Caller {
            Caller.user(
                accountId: account, userName: "alice", userId: "AIDAEXAMPLE0000000001", region: "us-east-1", accessKeyId: "AKIAALICE",
                tags: [:],
                identityPolicies: [
                    Caller.IdentityPolicy(
                        name: "aliases",
                        document: #"{"Statement":{"Effect":"Allow","Action":["kms:CreateAlias","kms:DeleteAlias"],"Resource":\#(resources)}}"#)
                ])
        }
        // The key alone is not enough: the alias ARN is a resource of its own.
        let keyOnly = alice(#"["arn:aws:kms:*:111122223333:key/*"]"#)
        let error = await kmsError {
            _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/app", targetKeyId: key.keyId), caller: keyOnly)
        }
        #expect(
            error
                == KMSError(
                    .accessDenied,
                    "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:CreateAlias on resource: "
                        + "arn:aws:kms:us-east-1:111122223333:alias/app because no identity-based policy allows the kms:CreateAlias action"))
        // With both, it works; the same holds for DeleteAlias.
        let both = alice(#"["arn:aws:kms:*:111122223333:key/*","arn:aws:kms:*:111122223333:alias/app"]"#)
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/app", targetKeyId: key.keyId), caller: both)
        let deleteError = await kmsError { _ = try await f.service.deleteAlias(DeleteAliasRequest(aliasName: "alias/app"), caller: keyOnly) }
        #expect(deleteError?.code == .accessDenied)
        _ = try await f.service.deleteAlias(DeleteAliasRequest(aliasName: "alias/app"), caller: both)
    }
}
