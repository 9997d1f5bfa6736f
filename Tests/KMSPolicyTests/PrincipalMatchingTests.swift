import KMSPolicy
import Testing

/// How a key policy's `Principal` reaches callers. Each case evaluates a key policy with one
/// Allow statement and no identity policy: `.direct` means the statement allows the caller by
/// itself, `.delegated` that it only admits the caller's account (an identity policy would
/// have to agree), `.none` that it is not about the caller at all.
@Suite("Principal matching")
struct PrincipalMatchingTests {
    enum Reach: Sendable { case direct, delegated, none }

    struct Case: CustomTestStringConvertible, Sendable {
        var principal: String
        var caller: RequestPrincipal
        var reach: Reach
        var testDescription: String { "\(principal) → \(caller.arn)" }
    }

    static let cases: [Case] = [
        // Everyone
        Case(principal: #""*""#, caller: Fixture.alice, reach: .direct),
        Case(principal: #"{"AWS":"*"}"#, caller: Fixture.alice, reach: .direct),
        Case(principal: #"{"AWS":"*"}"#, caller: Fixture.adminSession, reach: .direct),
        // The account: a delegation to IAM, never a direct allow, except for the root user
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:root"}"#, caller: Fixture.alice, reach: .delegated),
        Case(principal: #"{"AWS":"111122223333"}"#, caller: Fixture.alice, reach: .delegated),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:root"}"#, caller: Fixture.adminSession, reach: .delegated),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:root"}"#, caller: Fixture.root, reach: .direct),
        Case(principal: #"{"AWS":"111122223333"}"#, caller: Fixture.root, reach: .direct),
        Case(principal: #"{"AWS":"arn:aws:iam::444455556666:root"}"#, caller: Fixture.alice, reach: .none),
        // Users
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, caller: Fixture.alice, reach: .direct),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, caller: Fixture.bob, reach: .none),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, caller: Fixture.root, reach: .none),
        Case(principal: #"{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:user/alice"]}"#, caller: Fixture.alice, reach: .direct),
        // Roles and their sessions
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#, caller: Fixture.adminSession, reach: .direct),
        Case(principal: #"{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/alice-session"}"#, caller: Fixture.adminSession, reach: .direct),
        Case(principal: #"{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/other-session"}"#, caller: Fixture.adminSession, reach: .none),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:role/Auditor"}"#, caller: Fixture.adminSession, reach: .none),
        Case(principal: #"{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#, caller: Fixture.alice, reach: .none),
        // Services and identity providers are not IAM callers
        Case(principal: #"{"Service":"ec2.amazonaws.com"}"#, caller: Fixture.alice, reach: .none),
        Case(principal: #"{"Service":"ec2.amazonaws.com"}"#, caller: Fixture.root, reach: .none),
        Case(principal: #"{"Federated":"cognito-identity.amazonaws.com"}"#, caller: Fixture.alice, reach: .none),
        Case(principal: #"{"Service":"ec2.amazonaws.com","AWS":"arn:aws:iam::111122223333:user/alice"}"#, caller: Fixture.alice, reach: .direct),
    ]

    @Test("Key policy principals against callers of the key's account", arguments: cases)
    func reach(_ testCase: Case) throws {
        let policy = try keyPolicy(allowStatement(principal: testCase.principal))
        let withoutIdentity = evaluate(request(testCase.caller), keyPolicy: policy)
        let allowAll = try identityPolicy("all", #"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#)
        let withIdentity = evaluate(request(testCase.caller), keyPolicy: policy, identity: [allowAll])
        switch testCase.reach {
        case .direct:
            #expect(withoutIdentity.isAllowed)
        case .delegated:
            #expect(!withoutIdentity.isAllowed)
            #expect(withIdentity.isAllowed)
        case .none:
            #expect(!withoutIdentity.isAllowed)
            #expect(!withIdentity.isAllowed)
        }
    }

    @Test("A role ARN with a path matches sessions whose principal says so")
    func roleWithPath() throws {
        let session = RequestPrincipal(
            arn: "arn:aws:sts::111122223333:assumed-role/Deployer/ci", accountId: Fixture.account,
            roleArn: "arn:aws:iam::111122223333:role/automation/Deployer")
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"arn:aws:iam::111122223333:role/automation/Deployer"}"#))
        #expect(evaluate(request(session), keyPolicy: policy).isAllowed)
    }

    @Test("A principal built from a session ARN knows its account and role")
    func principalFromArn() throws {
        let session = try #require(RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/Admin/s"))
        #expect(session.accountId == "111122223333")
        #expect(session.roleArn == "arn:aws:iam::111122223333:role/Admin")
        #expect(!session.isAccountRoot)
        #expect(RequestPrincipal(arn: "arn:aws:iam::111122223333:root")?.isAccountRoot == true)
        #expect(RequestPrincipal(arn: "arn:aws:iam::111122223333:user/alice")?.isAccountRoot == false)
        #expect(RequestPrincipal(arn: "not-an-arn") == nil)
    }

    // MARK: NotPrincipal

    /// Deny everyone except the listed principals; an allow-all statement for the account and
    /// an allow-all identity policy let everything else through.
    func denyExcept(_ notPrincipal: String, caller: RequestPrincipal) throws -> Decision {
        let policy = try keyPolicy(
            allowStatement(principal: #"{"AWS":"*"}"#) + ","
                + #"{"Effect":"Deny","NotPrincipal":\#(notPrincipal),"Action":"kms:*","Resource":"*"}"#)
        return evaluate(request(caller), keyPolicy: policy)
    }

    @Test("NotPrincipal spares a caller listed together with its account")
    func notPrincipalSpares() throws {
        let spared = #"{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]}"#
        #expect(try denyExcept(spared, caller: Fixture.alice).isAllowed)
        #expect(try !denyExcept(spared, caller: Fixture.bob).isAllowed)
        #expect(try denyExcept(spared, caller: Fixture.root).isAllowed)
    }

    @Test("NotPrincipal naming a user but not its account still denies the user, as AWS warns")
    func notPrincipalWithoutAccount() throws {
        let decision = try denyExcept(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, caller: Fixture.alice)
        #expect(!decision.isAllowed)
    }

    @Test("NotPrincipal naming a role and its account spares the role's sessions")
    func notPrincipalRole() throws {
        let spared = #"{"AWS":["arn:aws:iam::111122223333:role/Admin","111122223333"]}"#
        #expect(try denyExcept(spared, caller: Fixture.adminSession).isAllowed)
        #expect(try !denyExcept(spared, caller: Fixture.alice).isAllowed)
    }
}
