import Testing

@testable import KMSPolicy

@Suite("Parsing and validating policy documents")
struct PolicyParsingTests {
    @Test("A single statement object and an array of statements both parse")
    func statementForms() throws {
        let single = try parse(
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}}"#,
            .keyPolicy)
        let array = try parse(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}]}"#,
            .keyPolicy)
        #expect(single.statements == array.statements)
        #expect(single.statements.count == 1)
    }

    @Test("Strings and arrays of strings are interchangeable, and the elements are read")
    func elements() throws {
        let document = try parse(
            """
            {
              "Version": "2012-10-17",
              "Id": "key-consolepolicy-3",
              "Statement": [
                {
                  "Sid": "Allow use of the key",
                  "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Admin", "444455556666"], "Service": "ec2.amazonaws.com"},
                  "Action": ["kms:Encrypt", "kms:Decrypt"],
                  "Resource": "*",
                  "Condition": {
                    "StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com", "kms:CallerAccount": ["111122223333"]},
                    "Bool": {"kms:GrantIsForAWSResource": true},
                    "NumericLessThan": {"kms:RotationPeriodInDays": 90}
                  }
                },
                {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "kms:Describe*", "NotResource": "arn:aws:kms:*:111122223333:key/*"}
              ]
            }
            """, .keyPolicy)
        #expect(document.version == "2012-10-17")
        #expect(document.id == "key-consolepolicy-3")
        let first = document.statements[0]
        #expect(first.sid == "Allow use of the key")
        #expect(first.effect == .allow)
        #expect(
            first.principal
                == .entries([
                    PrincipalEntry(kind: .aws, value: "arn:aws:iam::111122223333:role/Admin"),
                    PrincipalEntry(kind: .aws, value: "444455556666"),
                    PrincipalEntry(kind: .service, value: "ec2.amazonaws.com"),
                ]))
        #expect(first.action == ["kms:Encrypt", "kms:Decrypt"])
        #expect(first.resource == ["*"])
        #expect(first.conditions.count == 4)
        // Booleans and numbers become their text, as AWS compares them.
        #expect(first.conditions.contains { $0.key == "kms:GrantIsForAWSResource" && $0.values == ["true"] })
        #expect(first.conditions.contains { $0.key == "kms:RotationPeriodInDays" && $0.values == ["90"] })
        let second = document.statements[1]
        #expect(second.effect == .deny)
        #expect(second.notPrincipal == .entries([PrincipalEntry(kind: .aws, value: "arn:aws:iam::111122223333:root")]))
        #expect(second.notAction == ["kms:Describe*"])
        #expect(second.notResource == ["arn:aws:kms:*:111122223333:key/*"])
    }

    @Test("Both policy versions and a missing version are accepted")
    func versions() throws {
        for version in [#""Version":"2012-10-17","#, #""Version":"2008-10-17","#, ""] {
            let document = try parse(
                #"{\#(version)"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#, .identity)
            #expect(document.statements.count == 1)
        }
    }

    @Test("Condition operators parse into qualifier, comparison and IfExists")
    func conditionOperators() {
        #expect(
            ConditionOperator("ForAnyValue:StringLikeIfExists")
                == ConditionOperator(qualifier: .forAnyValue, comparison: .stringLike, ifExists: true))
        #expect(ConditionOperator("ForAllValues:StringEquals")?.qualifier == .forAllValues)
        #expect(ConditionOperator("Null") == ConditionOperator(comparison: .null))
        #expect(ConditionOperator("NullIfExists") == nil)
        #expect(ConditionOperator("StringEqual") == nil)
        #expect(ConditionOperator("stringequals") == nil)
        for comparison in ConditionOperator.Comparison.allCases {
            #expect(ConditionOperator(comparison.rawValue)?.comparison == comparison)
        }
    }

    // MARK: Refusals

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var kind: PolicyKind
        var json: String
        var reason: String
        var testDescription: String { name }
    }

    static let keyStatement = #""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*""#

    static let refusals: [Refusal] = [
        // Grammar
        Refusal(name: "not JSON", kind: .keyPolicy, json: "{\"Version\":", reason: "Syntax errors in policy."),
        Refusal(name: "trailing comma", kind: .identity, json: #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},]}"#, reason: "Syntax errors in policy."),
        Refusal(name: "not an object", kind: .identity, json: "[]", reason: "Syntax errors in policy."),
        Refusal(name: "missing Statement", kind: .keyPolicy, json: #"{"Version":"2012-10-17"}"#, reason: "Syntax errors in policy."),
        Refusal(name: "empty Statement array", kind: .keyPolicy, json: #"{"Version":"2012-10-17","Statement":[]}"#, reason: "Syntax errors in policy."),
        Refusal(name: "statement not an object", kind: .identity, json: #"{"Statement":["x"]}"#, reason: "Syntax errors in policy."),
        Refusal(name: "unknown version", kind: .keyPolicy, json: #"{"Version":"2013-01-01","Statement":{\#(keyStatement)}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "unknown top-level element", kind: .keyPolicy, json: #"{"Version":"2012-10-17","Owner":"me","Statement":{\#(keyStatement)}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "unknown statement element", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"Actions":"kms:*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "lower-case element name", kind: .identity, json: #"{"Statement":{"effect":"Allow","Action":"*","Resource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "duplicate element", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "missing Effect", kind: .identity, json: #"{"Statement":{"Action":"*","Resource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "Effect neither Allow nor Deny", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Permit","Principal":"*","Action":"kms:*","Resource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "Effect in the wrong case", kind: .identity, json: #"{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}"#, reason: "The policy failed legacy parsing"),
        Refusal(name: "both Action and NotAction", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"NotAction":"kms:Decrypt"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "both Resource and NotResource", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "Action is a number", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "unknown condition operator", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"Condition":{"StringEqualz":{"kms:CallerAccount":"111122223333"}}}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "condition value an object", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k:k":{"a":"b"}}}}}"#, reason: "Syntax errors in policy."),
        Refusal(name: "invalid date value", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}}}"#, reason: "The policy failed legacy parsing"),
        // Actions and resources
        Refusal(name: "missing Action", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":"*","Resource":"*"}}"#, reason: "Policy statement must contain actions."),
        Refusal(name: "empty Action", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}"#, reason: "Policy statement must contain actions."),
        Refusal(name: "missing Resource in an identity policy", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"kms:*"}}"#, reason: "Policy statement must contain resources."),
        Refusal(name: "missing Resource in a key policy", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*"}}"#, reason: "Policy statement must contain resources."),
        Refusal(name: "resource not an ARN", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"mykey"}}"#, reason: #"Resource mykey must be in ARN format or "*"."#),
        Refusal(name: "action without vendor", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"Encrypt","Resource":"*"}}"#, reason: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        Refusal(name: "action with two colons", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt:x","Resource":"*"}}"#, reason: "Actions/Condition can contain only one colon."),
        Refusal(name: "action with an invalid vendor", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Action":"km$:Encrypt","Resource":"*"}}"#, reason: "Vendor km$ is not valid"),
        Refusal(name: "duplicate Sid", kind: .keyPolicy, json: #"{"Statement":[{"Sid":"a",\#(keyStatement)},{"Sid":"a",\#(keyStatement)}]}"#, reason: "Statement IDs (SID) in a single policy must be unique."),
        // Principals
        Refusal(name: "key policy without principal", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with no principal."),
        Refusal(name: "key policy with an empty principal list", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with no principal."),
        Refusal(name: "principal neither ARN nor account", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "principal unique id", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"AIDACKCEVSQ6C2EXAMPLE"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "principal ARN with a wildcard", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "principal string other than *", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "unknown principal type", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"IAM":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "a KMS key ARN as principal", kind: .keyPolicy, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:kms:us-east-1:111122223333:key/abc"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy contains a statement with one or more invalid principals."),
        Refusal(name: "identity policy with Principal", kind: .identity, json: #"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}"#, reason: "Policy document should not specify a principal."),
        Refusal(name: "identity policy with NotPrincipal", kind: .identity, json: #"{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}}"#, reason: "Policy document should not specify a principal."),
        Refusal(name: "trust policy without principal", kind: .trust, json: #"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#, reason: "Missing required field Principal."),
        Refusal(name: "trust policy with a resource", kind: .trust, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}}"#, reason: "Has prohibited field Resource."),
        Refusal(name: "trust policy with an invalid principal", kind: .trust, json: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}}"#, reason: #"Invalid principal in policy: "AWS":"bob""#),
        // KMS's own key-policy rules
        Refusal(name: "resource tag in a key policy", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"Condition":{"StringEquals":{"aws:ResourceTag/Project":"x"}}}}"#, reason: "These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases"),
        Refusal(name: "resource aliases in a key policy", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"Condition":{"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/x"}}}}"#, reason: "These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases"),
        Refusal(name: "ForAllValues with an encryption context key", kind: .keyPolicy, json: #"{"Statement":{\#(keyStatement),"Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContext:Department":"IT"}}}}"#, reason: "OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues."),
    ]

    @Test("Malformed documents are refused with AWS's reason", arguments: refusals)
    func refused(_ refusal: Refusal) {
        #expect(throws: MalformedPolicy(reason: refusal.reason)) {
            try PolicyDocument(json: refusal.json, kind: refusal.kind)
        }
    }

    @Test("Documents valid for one kind may be refused for another")
    func kindMatters() throws {
        let withPrincipal = #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}}"#
        _ = try parse(withPrincipal, .keyPolicy)
        #expect(throws: MalformedPolicy.self) { try PolicyDocument(json: withPrincipal, kind: .identity) }
        let withoutPrincipal = #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#
        _ = try parse(withoutPrincipal, .identity)
        #expect(throws: MalformedPolicy.self) { try PolicyDocument(json: withoutPrincipal, kind: .keyPolicy) }
    }

    @Test("Principal forms a key policy accepts")
    func acceptedPrincipals() throws {
        for principal in [
            #""*""#, #"{"AWS":"*"}"#, #"{"AWS":"111122223333"}"#, #"{"AWS":"arn:aws:iam::111122223333:root"}"#,
            #"{"AWS":"arn:aws:iam::111122223333:user/path/alice"}"#, #"{"AWS":"arn:aws:iam::111122223333:role/Admin"}"#,
            #"{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/session"}"#,
            #"{"AWS":"arn:aws:sts::111122223333:federated-user/bob"}"#, #"{"Service":"ec2.amazonaws.com"}"#,
            #"{"Federated":"cognito-identity.amazonaws.com"}"#, #"{"AWS":"arn:aws-cn:iam::111122223333:root"}"#,
        ] {
            let document = try keyPolicy(allowStatement(principal: principal))
            #expect(document.statements.count == 1, "\(principal)")
        }
    }

    @Test("JSON strings are decoded fully: escapes, surrogate pairs, non-ASCII")
    func jsonStrings() throws {
        let document = try parse(
            #"{"Statement":{"Sid":"caf\u00e9 \ud83d\udd11 \"quoted\" tab\t","Effect":"Allow","Action":"kms:*","Resource":"*"}}"#,
            .identity)
        #expect(document.statements[0].sid == "café 🔑 \"quoted\" tab\t")
    }

    @Test("Deeply nested JSON is refused, not a crash")
    func deepNesting() {
        let json = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: MalformedPolicy(reason: "Syntax errors in policy.")) {
            try PolicyDocument(json: json, kind: .identity)
        }
    }
}
