import KMSPolicy
import Testing

/// Grants, evaluated against a key policy that allows nothing to the caller, so only the
/// grant can allow.
@Suite("Grants")
struct GrantTests {
    static let keyPolicyForBobOnly = #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:*","Resource":"*"}"#

    func decide(
        _ caller: RequestPrincipal, _ action: String, grant: GrantRule, encryptionContext: [String: String]? = nil
    ) throws -> Decision {
        evaluate(
            request(caller, action), keyPolicy: try keyPolicy(Self.keyPolicyForBobOnly), grants: [grant],
            encryptionContext: encryptionContext)
    }

    @Test("A grant allows exactly the operations it lists, without any identity policy")
    func operations() throws {
        let grant = GrantRule(grantId: "g1", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt", "GenerateDataKey"])
        let decrypt = try decide(Fixture.alice, "kms:Decrypt", grant: grant)
        #expect(decrypt.isAllowed)
        #expect(decrypt.reason == .grantAllows(grantId: "g1"))
        #expect(try decide(Fixture.alice, "kms:GenerateDataKey", grant: grant).isAllowed)
        #expect(try !decide(Fixture.alice, "kms:Encrypt", grant: grant).isAllowed)
        #expect(try !decide(Fixture.alice, "kms:GenerateDataKeyWithoutPlaintext", grant: grant).isAllowed)
        #expect(try !decide(Fixture.alice, "kms:ScheduleKeyDeletion", grant: grant).isAllowed)
        #expect(try !decide(Fixture.alice, "s3:Decrypt", grant: grant).isAllowed)
    }

    struct GranteeCase: CustomTestStringConvertible, Sendable {
        var grantee: String
        var caller: RequestPrincipal
        var allowed: Bool
        var testDescription: String { "\(grantee) → \(caller.arn)" }
    }

    static let granteeCases: [GranteeCase] = [
        GranteeCase(grantee: "arn:aws:iam::111122223333:user/alice", caller: Fixture.alice, allowed: true),
        GranteeCase(grantee: "arn:aws:iam::111122223333:user/alice", caller: Fixture.adminSession, allowed: false),
        GranteeCase(grantee: "arn:aws:iam::111122223333:role/Admin", caller: Fixture.adminSession, allowed: true),
        GranteeCase(grantee: "arn:aws:sts::111122223333:assumed-role/Admin/alice-session", caller: Fixture.adminSession, allowed: true),
        GranteeCase(grantee: "arn:aws:iam::111122223333:role/Admin", caller: Fixture.alice, allowed: false),
        // An account root grantee is the root user, not the account's identities.
        GranteeCase(grantee: "arn:aws:iam::111122223333:root", caller: Fixture.root, allowed: true),
        GranteeCase(grantee: "arn:aws:iam::111122223333:root", caller: Fixture.alice, allowed: false),
        GranteeCase(grantee: "arn:aws:iam::111122223333:root", caller: Fixture.adminSession, allowed: false),
        // Grants work across accounts, again without identity policies.
        GranteeCase(grantee: "arn:aws:iam::444455556666:user/carol", caller: Fixture.carol, allowed: true),
        GranteeCase(grantee: "arn:aws:iam::444455556666:role/Reader", caller: Fixture.otherSession, allowed: true),
    ]

    @Test("Grantee matching", arguments: granteeCases)
    func grantee(_ testCase: GranteeCase) throws {
        let grant = GrantRule(grantId: "g", granteePrincipal: testCase.grantee, operations: ["Decrypt"])
        #expect(try decide(testCase.caller, "kms:Decrypt", grant: grant).isAllowed == testCase.allowed)
    }

    struct ConstraintCase: CustomTestStringConvertible, Sendable {
        var name: String
        var equals: [String: String]?
        var subset: [String: String]?
        var context: [String: String]?
        var allowed: Bool
        var testDescription: String { name }
    }

    static let constraintCases: [ConstraintCase] = [
        ConstraintCase(name: "equals, same pairs", equals: ["app": "web", "env": "prod"], context: ["env": "prod", "app": "web"], allowed: true),
        ConstraintCase(name: "equals, an extra pair", equals: ["app": "web"], context: ["app": "web", "env": "prod"], allowed: false),
        ConstraintCase(name: "equals, a missing pair", equals: ["app": "web", "env": "prod"], context: ["app": "web"], allowed: false),
        ConstraintCase(name: "equals, other value", equals: ["app": "web"], context: ["app": "batch"], allowed: false),
        ConstraintCase(name: "equals, value in another case", equals: ["app": "web"], context: ["app": "Web"], allowed: false),
        ConstraintCase(name: "equals, key in another case", equals: ["app": "web"], context: ["App": "web"], allowed: true),
        ConstraintCase(name: "equals, no context", equals: ["app": "web"], context: nil, allowed: false),
        ConstraintCase(name: "equals empty, no context", equals: [:], context: nil, allowed: true),
        ConstraintCase(name: "equals empty, some context", equals: [:], context: ["app": "web"], allowed: false),
        ConstraintCase(name: "subset, same pairs", subset: ["app": "web"], context: ["app": "web"], allowed: true),
        ConstraintCase(name: "subset, extra pairs", subset: ["app": "web"], context: ["app": "web", "env": "prod"], allowed: true),
        ConstraintCase(name: "subset, missing pair", subset: ["app": "web", "env": "prod"], context: ["app": "web"], allowed: false),
        ConstraintCase(name: "subset, other value", subset: ["app": "web"], context: ["app": "batch", "env": "prod"], allowed: false),
        ConstraintCase(name: "subset, no context", subset: ["app": "web"], context: nil, allowed: false),
        ConstraintCase(name: "subset, key in another case", subset: ["app": "web"], context: ["APP": "web"], allowed: true),
        ConstraintCase(name: "both, both hold", equals: ["app": "web"], subset: ["app": "web"], context: ["app": "web"], allowed: true),
        ConstraintCase(name: "no constraints", context: ["anything": "goes"], allowed: true),
    ]

    @Test("Encryption context constraints", arguments: constraintCases)
    func constraints(_ testCase: ConstraintCase) throws {
        let grant = GrantRule(
            grantId: "g", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt"],
            encryptionContextEquals: testCase.equals, encryptionContextSubset: testCase.subset)
        let decision = try decide(Fixture.alice, "kms:Decrypt", grant: grant, encryptionContext: testCase.context)
        #expect(decision.isAllowed == testCase.allowed)
    }

    @Test("Constraints do not apply to operations without an encryption context")
    func constraintsIgnoredForOtherOperations() throws {
        let grant = GrantRule(
            grantId: "g", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt", "DescribeKey", "RetireGrant"],
            encryptionContextEquals: ["app": "web"])
        #expect(try decide(Fixture.alice, "kms:DescribeKey", grant: grant).isAllowed)
        #expect(try decide(Fixture.alice, "kms:RetireGrant", grant: grant).isAllowed)
        #expect(try !decide(Fixture.alice, "kms:Decrypt", grant: grant).isAllowed)
    }

    @Test("Any one of several grants may allow")
    func severalGrants() throws {
        let grants = [
            GrantRule(grantId: "web", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt"], encryptionContextSubset: ["app": "web"]),
            GrantRule(grantId: "batch", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt"], encryptionContextSubset: ["app": "batch"]),
        ]
        let decision = evaluate(
            request(Fixture.alice), keyPolicy: try keyPolicy(Self.keyPolicyForBobOnly), grants: grants,
            encryptionContext: ["app": "batch"])
        #expect(decision.reason == .grantAllows(grantId: "batch"))
    }
}
