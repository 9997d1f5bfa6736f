import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Grants: what CreateGrant accepts, how grants are listed, retired and revoked, and grant tokens.
/// Using a grant's permissions (authorization) is not this suite's concern.
struct GrantTests {
    static let app = "arn:aws:iam::111122223333:role/app"
    static let admin = "arn:aws:iam::111122223333:user/admin"

    func grant(
        _ f: ServiceFixture, _ keyId: String, operations: [GrantOperation] = [.encrypt, .decrypt], grantee: String = app,
        retiring: String? = nil, constraints: GrantConstraints? = nil, name: String? = nil, as caller: Caller? = nil
    ) async throws -> CreateGrantResponse {
        try await f.service.createGrant(
            CreateGrantRequest(
                keyId: keyId, granteePrincipal: grantee, retiringPrincipal: retiring, operations: operations,
                constraints: constraints, name: name),
            caller: caller ?? f.caller)
    }

    func createGrantError(
        _ f: ServiceFixture, _ keyId: String, operations: [GrantOperation], grantee: String = app, retiring: String? = nil,
        constraints: GrantConstraints? = nil
    ) async -> KMSError? {
        await kmsError { _ = try await grant(f, keyId, operations: operations, grantee: grantee, retiring: retiring, constraints: constraints) }
    }

    @Test func createGrantIsListedWithEveryMember() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let constraints = GrantConstraints(encryptionContextSubset: ["Department": "IT"])
        let created = try await grant(
            f, key.arn, operations: [.decrypt, .encrypt, .decrypt, .retireGrant], retiring: Self.admin, constraints: constraints,
            name: "app-grant")
        #expect(created.grantId.count == 64 && created.grantId.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(GrantToken(created.grantToken)?.grantId == created.grantId)

        let listed = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller)
        #expect(!listed.truncated && listed.nextMarker == nil)
        #expect(
            listed.grants == [
                GrantListEntry(
                    keyId: key.arn, grantId: created.grantId, name: "app-grant", creationDate: f.clock.now(),
                    granteePrincipal: Self.app, retiringPrincipal: Self.admin, issuingAccount: "arn:aws:iam::111122223333:root",
                    operations: [.decrypt, .encrypt, .retireGrant], constraints: constraints)
            ])
        // Without Name, RetiringPrincipal or Constraints, the entry leaves them out.
        let bare = try await grant(f, key.keyId)
        let entry = try #require(
            try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, grantId: bare.grantId), caller: f.caller).grants.first)
        #expect(entry.name == nil && entry.retiringPrincipal == nil && entry.constraints == nil)
        // An empty Constraints member constrains nothing.
        let empty = try await grant(f, key.keyId, constraints: GrantConstraints())
        #expect(
            try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, grantId: empty.grantId), caller: f.caller).grants.first?
                .constraints == nil)
    }

    @Test func aNameMakesRetriesIdempotentAndOnlyRetries() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let first = try await grant(f, key.keyId, operations: [.encrypt, .decrypt], name: "retry")
        let again = try await grant(f, key.keyId, operations: [.decrypt, .encrypt], name: "retry")
        #expect(again.grantId == first.grantId)
        #expect(again.grantToken != first.grantToken, "every CreateGrant answers a new token")
        #expect(GrantToken(again.grantToken) == GrantToken(first.grantToken), "tokens of one grant are interchangeable")
        // Any other parameter under the same name is another grant.
        let wider = try await grant(f, key.keyId, operations: [.encrypt, .decrypt, .describeKey], name: "retry")
        let otherGrantee = try await grant(f, key.keyId, operations: [.encrypt, .decrypt], grantee: Self.admin, name: "retry")
        #expect(Set([first.grantId, wider.grantId, otherGrantee.grantId]).count == 3)
        // Names belong to their key.
        let otherKey = try await f.createKey()
        let elsewhere = try await grant(f, otherKey.keyId, operations: [.encrypt, .decrypt], name: "retry")
        #expect(elsewhere.grantId != first.grantId)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.count == 3)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: otherKey.keyId), caller: f.caller).grants.count == 1)
    }

    @Test func grantsMayAllowOnlyWhatTheirKeyCanDo() async throws {
        let f = ServiceFixture()
        let symmetric = try await f.createKey()
        let signing = try await f.service.createKey(CreateKeyRequest(keyUsage: .signVerify, keySpec: .eccNistP256), caller: f.caller).keyMetadata
        let rsa = try await f.service.createKey(CreateKeyRequest(keyUsage: .encryptDecrypt, keySpec: .rsa2048), caller: f.caller).keyMetadata
        let hmac = try await f.service.createKey(CreateKeyRequest(keyUsage: .generateVerifyMac, keySpec: .hmac256), caller: f.caller).keyMetadata

        let sign = await createGrantError(f, symmetric.keyId, operations: [.encrypt, .sign])
        #expect(sign?.code == .validation && sign?.message.contains("[Sign]") == true)
        #expect(await createGrantError(f, rsa.keyId, operations: [.generateDataKey])?.code == .validation)
        #expect(await createGrantError(f, signing.keyId, operations: [.decrypt])?.code == .validation)
        #expect(await createGrantError(f, hmac.keyId, operations: [.getPublicKey])?.code == .validation)
        _ = try await grant(f, symmetric.keyId, operations: GrantOperation.allCases.filter {
            GrantRules.supportedOperations(keySpec: .symmetricDefault, keyUsage: .encryptDecrypt).contains($0)
        })
        _ = try await grant(f, signing.keyId, operations: [.sign, .verify, .getPublicKey, .describeKey])
        _ = try await grant(f, rsa.keyId, operations: [.encrypt, .decrypt, .getPublicKey])
        _ = try await grant(f, hmac.keyId, operations: [.generateMac, .verifyMac, .retireGrant])

        #expect(
            await createGrantError(f, symmetric.keyId, operations: [.createGrant])
                == KMSError(.validation, "Grants must not contain only the CreateGrant operation."))
        #expect(await createGrantError(f, symmetric.keyId, operations: [])?.code == .validation)
    }

    @Test func encryptionContextConstraintsNeedOperationsThatTakeOne() async throws {
        let f = ServiceFixture()
        let symmetric = try await f.createKey()
        let signing = try await f.service.createKey(CreateKeyRequest(keyUsage: .signVerify, keySpec: .eccNistP256), caller: f.caller).keyMetadata
        let equals = GrantConstraints(encryptionContextEquals: ["a": "b"])
        _ = try await grant(f, symmetric.keyId, operations: [.decrypt, .describeKey, .retireGrant, .createGrant], constraints: equals)
        // DescribeKey and RetireGrant take no context, but a constraint does not refuse them.
        _ = try await grant(f, signing.keyId, operations: [.describeKey], constraints: equals)
        let refused = await createGrantError(f, signing.keyId, operations: [.sign, .describeKey], constraints: equals)
        #expect(refused?.code == .validation && refused?.message.contains("[Sign]") == true)
        #expect(
            await createGrantError(
                f, symmetric.keyId, operations: [.decrypt],
                constraints: GrantConstraints(encryptionContextSubset: ["a": "b"], encryptionContextEquals: ["a": "b"]))
                == KMSError(.validation, "More than one constraint supplied"))
        let nine = Dictionary(uniqueKeysWithValues: (1...9).map { ("k\($0)", "v") })
        #expect(await createGrantError(f, symmetric.keyId, operations: [.decrypt], constraints: GrantConstraints(encryptionContextSubset: nine))?.code == .validation)
        let long = ["k": String(repeating: "v", count: 384)]
        #expect(await createGrantError(f, symmetric.keyId, operations: [.decrypt], constraints: GrantConstraints(encryptionContextSubset: long))?.code == .validation)
        _ = try await grant(f, symmetric.keyId, operations: [.decrypt], constraints: GrantConstraints(encryptionContextSubset: ["k": String(repeating: "v", count: 383)]))
    }

    @Test func principalsMustBePrincipals() async throws {
        for valid in [
            "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/path/app",
            "arn:aws:sts::111122223333:assumed-role/app/session", "arn:aws:sts::111122223333:federated-user/bob",
            "111122223333", "rds.amazonaws.com", "logs.us-east-1.amazonaws.com", "arn:aws-cn:iam::111122223333:root",
        ] {
            #expect(GrantRules.isPrincipal(valid), "\(valid)")
        }
        for invalid in [
            "alice", "arn:aws:iam::111122223333:group/admins", "arn:aws:iam::1111:root", "arn:aws:s3:::bucket",
            "arn:aws:iam::111122223333:user/", "arn:aws:sts::111122223333:assumed-role/app", "11112222333a", ".amazonaws.com", "Logs.amazonaws.com",
        ] {
            #expect(!GrantRules.isPrincipal(invalid), "\(invalid)")
        }
        let f = ServiceFixture()
        let key = try await f.createKey()
        #expect(
            await createGrantError(f, key.keyId, operations: [.decrypt], grantee: "alice")
                == KMSError(.invalidArn, "ARN does not refer to a valid principal: alice"))
        #expect(await createGrantError(f, key.keyId, operations: [.decrypt], retiring: "arn:aws:iam::111122223333:group/g")?.code == .invalidArn)
        // The model's pattern comes first, at decoding.
        #expect(throws: KMSError.self) {
            try CreateGrantRequest(keyId: "k", granteePrincipal: "white space", operations: [.decrypt]).validate()
        }
    }

    @Test func createGrantNeedsAKeyIdOrArnOfAKeyNotPendingDeletion() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/g", targetKeyId: key.keyId), caller: f.caller)
        #expect(
            await createGrantError(f, "alias/g", operations: [.decrypt])
                == KMSError(.invalidArn, "Key Aliases are not supported for this operation."))
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: key.keyId), caller: f.caller)
        _ = try await grant(f, key.keyId)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)
        #expect(await createGrantError(f, key.keyId, operations: [.decrypt]) == KMSError(.invalidState, "\(key.arn) is pending deletion."))
        // Listing and revoking still work on a key pending deletion.
        let grants = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants
        #expect(grants.count == 1)
        _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.keyId, grantId: grants[0].grantId), caller: f.caller)
    }

    @Test func unknownOperationsAreValidationErrorsListingTheWholeList() throws {
        var request = CreateGrantRequest(keyId: "k", granteePrincipal: Self.app, operations: [.decrypt])
        request.operations.append(.unknown("Teleport"))
        let error = try #require(request.validateError())
        #expect(error.code == .validation)
        #expect(
            error.message
                == "1 validation error detected: Value '[Decrypt, Teleport]' at 'operations' failed to satisfy constraint: "
                + "Member must satisfy constraint: [Member must satisfy enum value set: \(GrantOperation.valueSet)]")
    }

    @Test func grantTokensAreCheckedWhereverARequestCarriesThem() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let created = try await grant(f, key.keyId)
        try validateGrantTokens(nil)
        try validateGrantTokens([])
        try validateGrantTokens([created.grantToken, created.grantToken])
        let malformed = ["not-a-token", "", created.grantToken + "A", String(created.grantToken.dropLast(2)), "Ag" + created.grantToken.dropFirst(2)]
        for token in malformed {
            #expect(throws: KMSError.self, "\(token)") { try validateGrantTokens([token]) }
        }
        #expect(throws: KMSError.invalidGrantToken) { try validateGrantTokens(["not-a-token"]) }
        let tooMany = Array(repeating: created.grantToken, count: 11)
        #expect(throws: KMSError.self) { try validateGrantTokens(tooMany) }
        do {
            try validateGrantTokens([String(repeating: "A", count: 8193)])
            Issue.record("an 8193-character token was accepted")
        } catch let error as KMSError {
            #expect(error.code == .validation && !error.message.contains("AAAA"), "a token is never echoed")
        }

        let bad = ["bogus"]
        var encrypt = EncryptRequest(keyId: key.keyId, plaintext: Data("x".utf8))
        encrypt.grantTokens = bad
        #expect(await kmsError { _ = try await f.service.encrypt(encrypt, caller: f.caller) } == KMSError.invalidGrantToken)
        var describe = DescribeKeyRequest(keyId: key.keyId)
        describe.grantTokens = bad
        #expect(await kmsError { _ = try await f.service.describeKey(describe, caller: f.caller) } == KMSError.invalidGrantToken)
        var dataKey = GenerateDataKeyRequest(keyId: key.keyId, keySpec: .aes256)
        dataKey.grantTokens = bad
        #expect(await kmsError { _ = try await f.service.generateDataKey(dataKey, caller: f.caller) } == KMSError.invalidGrantToken)
        var blob = EncryptRequest(keyId: key.keyId, plaintext: Data("x".utf8))
        blob.grantTokens = [created.grantToken]
        let sealed = try await f.service.encrypt(blob, caller: f.caller).ciphertextBlob
        var decrypt = DecryptRequest(ciphertextBlob: sealed)
        decrypt.grantTokens = bad
        #expect(await kmsError { _ = try await f.service.decrypt(decrypt, caller: f.caller) } == KMSError.invalidGrantToken)
        decrypt.grantTokens = [created.grantToken]
        #expect(try await f.service.decrypt(decrypt, caller: f.caller).plaintext == Data("x".utf8))
        var createWithToken = CreateGrantRequest(keyId: key.keyId, granteePrincipal: Self.app, operations: [.decrypt])
        createWithToken.grantTokens = bad
        #expect(await kmsError { _ = try await f.service.createGrant(createWithToken, caller: f.caller) } == KMSError.invalidGrantToken)
    }

    @Test func theRetireRuleIsTheGrantsOwn() {
        func grant(retiring: String?, operations: [GrantOperation], issuer: String = "111122223333") -> GrantRecord {
            GrantRecord(
                grantId: String(repeating: "a", count: 64), reference: KeyReference(accountId: "111122223333", region: "us-east-1", keyId: "k"),
                name: nil, granteePrincipal: Self.app, retiringPrincipal: retiring, issuingAccount: issuer, operations: operations,
                constraints: nil, creationDate: Date(), tokenId: String(repeating: "b", count: 32))
        }
        func caller(_ arn: String, account: String = "111122223333") -> Caller {
            Caller(accountId: account, region: "us-east-1", principalArn: arn, accessKeyId: "AKIA")
        }
        let root = caller("arn:aws:iam::111122223333:root")
        let appCaller = caller(Self.app)
        let adminCaller = caller(Self.admin)
        let session = Caller.assumedRole(
            accountId: "111122223333",
            session: Caller.Session(
                roleArn: Self.app, roleId: "AROAEXAMPLE0000000001", roleName: "app", sessionName: "s1", issuedAt: Date(),
                expiration: Date()),
            region: "us-east-1", accessKeyId: "ASIAEXAMPLE", tags: [:], identityPolicies: [])
        let stranger = caller("arn:aws:iam::444455556666:root", account: "444455556666")

        let plain = grant(retiring: Self.admin, operations: [.decrypt])
        #expect(GrantRules.mayRetire(plain, caller: adminCaller), "the retiring principal")
        #expect(!GrantRules.mayRetire(plain, caller: appCaller), "the grantee, without RetireGrant")
        #expect(GrantRules.mayRetire(plain, caller: root), "the issuing account")
        #expect(!GrantRules.mayRetire(plain, caller: stranger))

        let selfRetiring = grant(retiring: nil, operations: [.decrypt, .retireGrant])
        #expect(GrantRules.mayRetire(selfRetiring, caller: appCaller), "the grantee, with RetireGrant")
        #expect(GrantRules.mayRetire(selfRetiring, caller: session), "a session of the grantee role")
        #expect(!GrantRules.mayRetire(selfRetiring, caller: adminCaller))

        // A grant issued by another account, retirable by that account's root or by account principal.
        let foreign = grant(retiring: "444455556666", operations: [.decrypt], issuer: "444455556666")
        #expect(GrantRules.mayRetire(foreign, caller: stranger))
        #expect(!GrantRules.mayRetire(foreign, caller: root), "the key's account is not the issuing account")
        #expect(!GrantRules.mayRetire(grant(retiring: "arn:aws:iam::444455556666:root", operations: [.decrypt], issuer: "999988887777"), caller: caller("arn:aws:iam::444455556666:user/u", account: "444455556666")))
    }

    @Test func retireGrantByTokenOrByKeyAndGrantId() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let byToken = try await grant(f, key.keyId, retiring: Self.admin)
        let byId = try await grant(f, key.keyId, retiring: Self.admin)
        let admin = Caller(accountId: "111122223333", region: "us-east-1", principalArn: Self.admin, accessKeyId: "AKIAADMIN")
        let app = Caller(accountId: "111122223333", region: "us-east-1", principalArn: Self.app, accessKeyId: "AKIAAPP")

        #expect(
            await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: byToken.grantToken), caller: app) }?.code
                == .accessDenied)
        #expect(
            await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: byToken.grantToken, dryRun: true), caller: admin) }
                == KMSError.dryRunSucceeded)
        _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: byToken.grantToken), caller: admin)
        _ = try await f.service.retireGrant(RetireGrantRequest(keyId: key.arn, grantId: byId.grantId), caller: admin)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.isEmpty)

        #expect(
            await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: byToken.grantToken), caller: admin) }
                == KMSError(.notFound, "Grant ID \(byToken.grantId) not found"))
        #expect(await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(keyId: key.keyId), caller: admin) }?.code == .validation)
        #expect(await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(), caller: admin) }?.code == .validation)
        #expect(
            await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(keyId: key.keyId, grantId: "nope"), caller: admin) }
                == KMSError.invalidGrantId)
        // A token with the right grant id but another token id was not issued for that grant.
        let live = try await grant(f, key.keyId, retiring: Self.admin)
        let forged = GrantToken(grantId: live.grantId, tokenId: String(repeating: "0", count: 32)).encoded()
        #expect(await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: forged), caller: admin) } == KMSError.invalidGrantToken)
        // The token and the ids must name the same grant.
        let otherKey = try await f.createKey()
        #expect(
            await kmsError {
                _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: live.grantToken, keyId: otherKey.keyId), caller: admin)
            }?.code == .notFound)
        #expect(
            await kmsError {
                _ = try await f.service.retireGrant(RetireGrantRequest(keyId: otherKey.keyId, grantId: live.grantId), caller: admin)
            }?.code == .notFound)
    }

    @Test func aRetiringPrincipalOfAnotherAccountRetiresByKeyArn() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let partner = f.caller(account: "444455556666")
        let created = try await grant(f, key.keyId, retiring: "arn:aws:iam::444455556666:root")
        let retirable = try await f.service.listRetirableGrants(
            ListRetirableGrantsRequest(retiringPrincipal: "arn:aws:iam::444455556666:root"), caller: partner)
        #expect(retirable.grants.map(\.grantId) == [created.grantId] && retirable.grants[0].keyId == key.arn)
        // The partner cannot list what another account's principal may retire.
        #expect(
            await kmsError {
                _ = try await f.service.listRetirableGrants(ListRetirableGrantsRequest(retiringPrincipal: Self.admin), caller: partner)
            }?.code == .accessDenied)
        // By key id the partner names a key of its own account, which has no such grant.
        #expect(
            await kmsError { _ = try await f.service.retireGrant(RetireGrantRequest(keyId: key.keyId, grantId: created.grantId), caller: partner) }?
                .code == .notFound)
        _ = try await f.service.retireGrant(RetireGrantRequest(keyId: key.arn, grantId: created.grantId), caller: partner)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.isEmpty)
        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let retire = try #require(events.last { $0.eventName == "RetireGrant" && $0.errorCode == nil })
        #expect(retire.resources.map(\.arn) == [key.arn] && retire.userIdentity.accountId == "444455556666")
    }

    @Test func revokeGrant() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let created = try await grant(f, key.keyId)
        #expect(
            await kmsError { _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.keyId, grantId: created.grantId, dryRun: true), caller: f.caller) }
                == KMSError.dryRunSucceeded)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.count == 1)
        _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.arn, grantId: created.grantId), caller: f.caller)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.isEmpty)
        #expect(
            await kmsError { _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.keyId, grantId: created.grantId), caller: f.caller) }
                == KMSError(.notFound, "Grant ID \(created.grantId) not found"))
        #expect(
            await kmsError { _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: key.keyId, grantId: "not-a-grant-id"), caller: f.caller) }
                == KMSError.invalidGrantId)
        // A grant is revoked through its own key only.
        let otherKey = try await f.createKey()
        let kept = try await grant(f, key.keyId)
        #expect(
            await kmsError { _ = try await f.service.revokeGrant(RevokeGrantRequest(keyId: otherKey.keyId, grantId: kept.grantId), caller: f.caller) }?
                .code == .notFound)
        // DryRun on CreateGrant creates nothing.
        var dry = CreateGrantRequest(keyId: key.keyId, granteePrincipal: Self.app, operations: [.decrypt])
        dry.dryRun = true
        #expect(await kmsError { _ = try await f.service.createGrant(dry, caller: f.caller) } == KMSError.dryRunSucceeded)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.map(\.grantId) == [kept.grantId])
    }

    @Test func listGrantsPagesAndFilters() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(try await grant(f, key.keyId, grantee: index == 2 ? Self.admin : Self.app).grantId)
        }
        ids.sort()
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, limit: 2, marker: marker), caller: f.caller)
            #expect(page.grants.count <= 2)
            seen += page.grants.map(\.grantId)
            #expect(page.truncated == (page.nextMarker != nil))
            marker = page.nextMarker
        } while marker != nil
        #expect(seen == ids)
        let byGrantee = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, granteePrincipal: Self.admin), caller: f.caller)
        #expect(byGrantee.grants.count == 1 && byGrantee.grants[0].granteePrincipal == Self.admin)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, grantId: ids[3]), caller: f.caller).grants.map(\.grantId) == [ids[3]])
        #expect(
            try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, grantId: String(repeating: "0", count: 64)), caller: f.caller)
                .grants.isEmpty)
        #expect(await kmsError { _ = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, grantId: "x"), caller: f.caller) } == KMSError.invalidGrantId)
        #expect(await kmsError { _ = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, marker: "x"), caller: f.caller) }?.code == .invalidMarker)
    }

    @Test func aPageHoldsAtMostOneHundredGrants() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for _ in 0..<101 { _ = try await grant(f, key.keyId) }
        let page = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, limit: 1000), caller: f.caller)
        #expect(page.grants.count == 100 && page.truncated)
        #expect(try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId), caller: f.caller).grants.count == 50)
        let rest = try await f.service.listGrants(ListGrantsRequest(keyId: key.keyId, limit: 1000, marker: page.nextMarker), caller: f.caller)
        #expect(rest.grants.count == 1 && !rest.truncated)
    }

    @Test func aDeletedKeyTakesItsGrantsWithIt() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let kept = try await f.createKey()
        _ = try await grant(f, key.keyId, retiring: Self.admin)
        _ = try await grant(f, kept.keyId, retiring: Self.admin)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)
        f.clock.advance(by: 7 * 86400)
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)
        #expect(try await f.repository.grants(of: reference).isEmpty)
        let retirable = try await f.service.listRetirableGrants(ListRetirableGrantsRequest(retiringPrincipal: Self.admin), caller: f.caller)
        #expect(retirable.grants.map(\.keyId) == [kept.arn])
    }

    @Test func theTrailNamesGrantsButNeverHoldsATokenOrAnotherSecret() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let created = try await grant(
            f, key.keyId, operations: [.decrypt], retiring: Self.admin,
            constraints: GrantConstraints(encryptionContextEquals: ["app": "x"]), name: "audited")
        var encrypt = EncryptRequest(keyId: key.keyId, plaintext: Data("x".utf8), encryptionContext: ["app": "x"])
        encrypt.grantTokens = [created.grantToken]
        _ = try await f.service.encrypt(encrypt, caller: f.caller)
        var badTokens = DescribeKeyRequest(keyId: key.keyId)
        badTokens.grantTokens = ["a-malformed-secret-token"]
        _ = await kmsError { _ = try await f.service.describeKey(badTokens, caller: f.caller) }
        _ = try await f.service.retireGrant(RetireGrantRequest(grantToken: created.grantToken), caller: f.caller)

        let stored = try await f.repository.auditRecords(after: 0, limit: 100)
        var trail = Data()
        for record in stored { trail.append(record.entry.record) }
        let tokenId = try #require(GrantToken(created.grantToken)?.tokenId)
        for secret in [created.grantToken, String(created.grantToken.prefix(40)), "a-malformed-secret-token", tokenId] {
            #expect(trail.range(of: Data(secret.utf8)) == nil, "\(secret)")
        }
        let events = try stored.map { try CloudTrailEvent.decode($0.entry.record) }
        let create = try #require(events.first { $0.eventName == "CreateGrant" })
        #expect(!create.readOnly && create.resources.map(\.arn) == [key.arn])
        #expect(create.responseElements == .object(["grantId": .string(created.grantId)]))
        #expect(create.requestParameters[member: "granteePrincipal"]?.stringValue == Self.app)
        #expect(create.requestParameters[member: "operations"] == .array([.string("Decrypt")]))
        #expect(create.requestParameters[member: "constraints"] == .object(["encryptionContextEquals": .object(["app": .string("x")])]))
        #expect(create.requestParameters[member: "name"]?.stringValue == "audited")
        let retire = try #require(events.first { $0.eventName == "RetireGrant" })
        #expect(retire.errorCode == nil && retire.resources.map(\.arn) == [key.arn])
        #expect(events.contains { $0.eventName == "DescribeKey" && $0.errorCode == "InvalidGrantTokenException" })
    }
}

extension ValidatedRequest {
    /// The ValidationException this request's own checks give, or nil.
    func validateError() -> KMSError? {
        var validation = Validation()
        validate(into: &validation)
        return validation.error
    }
}
