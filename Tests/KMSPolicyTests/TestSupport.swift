import Testing
import KMSPolicy

/// Accounts, principals and keys shared by the tests, in AWS's documentation style.
enum Fixture {
    static let account = "111122223333"
    static let otherAccount = "444455556666"
    static let keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    static let otherKeyArn = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"

    static let root = RequestPrincipal.accountRoot(account)
    static let alice = RequestPrincipal(arn: "arn:aws:iam::111122223333:user/alice", accountId: account)
    static let bob = RequestPrincipal(arn: "arn:aws:iam::111122223333:user/bob", accountId: account)
    static let adminSession = RequestPrincipal(
        arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice-session", accountId: account,
        roleArn: "arn:aws:iam::111122223333:role/Admin")
    static let otherRoot = RequestPrincipal.accountRoot(otherAccount)
    static let carol = RequestPrincipal(arn: "arn:aws:iam::444455556666:user/carol", accountId: otherAccount)
    static let otherSession = RequestPrincipal(
        arn: "arn:aws:sts::444455556666:assumed-role/Reader/s1", accountId: otherAccount,
        roleArn: "arn:aws:iam::444455556666:role/Reader")
}

/// Parses a document that the test expects to be valid; a parse failure fails the test.
func parse(_ json: String, _ kind: PolicyKind) throws -> PolicyDocument {
    try PolicyDocument(json: json, kind: kind)
}

/// A key policy of the given statements (JSON objects, comma-separated).
func keyPolicy(_ statements: String) throws -> PolicyDocument {
    try parse(#"{"Version":"2012-10-17","Statement":[\#(statements)]}"#, .keyPolicy)
}

/// An identity policy of the given statements.
func identityPolicy(_ name: String, _ statements: String, version: String = "2012-10-17") throws -> NamedPolicy {
    NamedPolicy(name: name, document: try parse(#"{"Version":"\#(version)","Statement":[\#(statements)]}"#, .identity))
}

/// A key-policy statement allowing `principal` (a JSON value) the actions.
func allowStatement(principal: String, actions: String = #""kms:*""#, sid: String? = nil, condition: String? = nil)
    -> String
{
    var members = [#""Effect":"Allow""#, #""Principal":\#(principal)"#, #""Action":\#(actions)"#, #""Resource":"*""#]
    if let sid { members.insert(#""Sid":"\#(sid)""#, at: 0) }
    if let condition { members.append(#""Condition":\#(condition)"#) }
    return "{" + members.joined(separator: ",") + "}"
}

func request(
    _ principal: RequestPrincipal, _ action: String = "kms:Decrypt", resource: String = Fixture.keyArn,
    resourceAccount: String? = Fixture.account, context: ConditionContext = ConditionContext()
) -> AuthorizationRequest {
    AuthorizationRequest(
        principal: principal, action: action, resource: resource, resourceAccount: resourceAccount, context: context)
}

func evaluate(
    _ request: AuthorizationRequest, keyPolicy: PolicyDocument?, identity: [NamedPolicy] = [], grants: [GrantRule] = [],
    encryptionContext: [String: String]? = nil
) -> Decision {
    PolicyEvaluator.evaluate(
        request, keyPolicy: keyPolicy, identityPolicies: identity, grants: grants, encryptionContext: encryptionContext)
}

/// Whether a single condition holds for a request with `context`, observed through a
/// decision: an identity policy allows `kms:CreateKey` only under the condition.
/// `values` is the JSON for the condition's values (a scalar or an array).
func conditionHolds(
    _ conditionOperator: String, _ key: String, _ values: String, context: ConditionContext = ConditionContext(),
    principal: RequestPrincipal = Fixture.alice, version: String = "2012-10-17"
) throws -> Bool {
    let policy = try identityPolicy(
        "condition",
        #"{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*","Condition":{"\#(conditionOperator)":{"\#(key)":\#(values)}}}"#,
        version: version)
    let decision = PolicyEvaluator.evaluateIdentityOnly(
        AuthorizationRequest(principal: principal, action: "kms:CreateKey", resource: "*", context: context),
        identityPolicies: [policy])
    return decision.isAllowed
}

extension ConditionContext {
    /// A context from single values, for brevity.
    static func with(_ pairs: KeyValuePairs<String, String>) -> ConditionContext {
        var context = ConditionContext()
        for (key, value) in pairs { context.set(key, value) }
        return context
    }
}

/// One row of a condition table: operator, key, the policy's values (JSON), the request's
/// values for the key (`nil` when the request lacks it), and whether the condition holds.
struct ConditionCase: CustomTestStringConvertible, Sendable {
    var conditionOperator: String
    var key: String
    var policyValues: String
    var requestValues: [String]?
    var holds: Bool

    init(_ conditionOperator: String, _ key: String, _ policyValues: String, _ requestValues: [String]?, _ holds: Bool) {
        self.conditionOperator = conditionOperator
        self.key = key
        self.policyValues = policyValues
        self.requestValues = requestValues
        self.holds = holds
    }

    var testDescription: String {
        let request = requestValues.map { "\($0)" } ?? "absent"
        return "\(conditionOperator) \(key) \(policyValues) vs \(request) → \(holds)"
    }

    func check() throws {
        var context = ConditionContext()
        if let requestValues { context[key] = requestValues }
        #expect(try conditionHolds(conditionOperator, key, policyValues, context: context) == holds)
    }
}
