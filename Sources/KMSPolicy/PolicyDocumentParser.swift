/// Turns policy JSON into a `PolicyDocument`, refusing what AWS refuses with AWS's message.
///
/// The checks run in the order IAM runs them, because when a document has several faults
/// AWS reports the first it meets: JSON and grammar ("Syntax errors in policy."), then the
/// legacy checks (exact `Allow`/`Deny` case, date values), then principals, SIDs, actions,
/// resources, and finally the KMS-only rules for key policies.
struct PolicyDocumentParser {
    let kind: PolicyKind

    private static let topLevelElements: Set<String> = ["Version", "Id", "Statement"]
    private static let statementElements: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    func parse(_ json: String) throws(MalformedPolicy) -> PolicyDocument {
        let root: PolicyJSON
        do {
            root = try PolicyJSONReader.parse(json)
        } catch {
            throw .syntaxErrors
        }
        guard case .object(let members) = root else { throw .syntaxErrors }
        for member in members where !Self.topLevelElements.contains(member.name) { throw .syntaxErrors }

        var version: String?
        if let value = root[member: "Version"] {
            guard case .string(let text) = value, PolicyVersion.all.contains(text) else { throw .syntaxErrors }
            version = text
        }
        var id: String?
        if let value = root[member: "Id"] {
            guard case .string(let text) = value else { throw .syntaxErrors }
            id = text
        }
        let statementObjects: [[(name: String, value: PolicyJSON)]]
        switch root[member: "Statement"] {
        case .object(let single)?:
            statementObjects = [single]
        case .array(let many)?:
            var objects: [[(name: String, value: PolicyJSON)]] = []
            for element in many {
                guard case .object(let statement) = element else { throw .syntaxErrors }
                objects.append(statement)
            }
            statementObjects = objects
        default:
            throw .syntaxErrors
        }
        guard !statementObjects.isEmpty else { throw .syntaxErrors }

        var statements: [PolicyStatement] = []
        for object in statementObjects { statements.append(try grammarCheckedStatement(object)) }
        try checkLegacyParsing(statementObjects, statements)
        for statement in statements { try checkPrincipals(statement) }
        try checkSidsAreUnique(statements)
        for statement in statements { try checkActionsPresent(statement) }
        for statement in statements { try checkResources(statement) }
        for statement in statements { try checkActionPrefixes(statement) }
        if kind == .keyPolicy {
            for statement in statements { try checkKeyPolicyConditions(statement) }
        }
        return PolicyDocument(kind: kind, version: version, id: id, statements: statements)
    }

    // MARK: Grammar

    private func grammarCheckedStatement(_ members: [(name: String, value: PolicyJSON)]) throws(MalformedPolicy)
        -> PolicyStatement
    {
        let object = PolicyJSON.object(members)
        let names = Set(members.map(\.name))
        // IAM names the principal problem before calling the element unknown.
        if kind == .identity, names.contains("Principal") || names.contains("NotPrincipal") {
            throw .principalInIdentityPolicy
        }
        for name in names where !Self.statementElements.contains(name) { throw .syntaxErrors }
        if names.contains("Action") && names.contains("NotAction") { throw .syntaxErrors }
        if names.contains("Resource") && names.contains("NotResource") { throw .syntaxErrors }
        if names.contains("Principal") && names.contains("NotPrincipal") { throw .syntaxErrors }

        var sid: String?
        if let value = object[member: "Sid"] {
            guard case .string(let text) = value else { throw .syntaxErrors }
            sid = text
        }
        guard case .string(let effectText)? = object[member: "Effect"] else { throw .syntaxErrors }
        // Any capitalisation passes the grammar; the exact spelling is a legacy check below.
        let effect: StatementEffect
        switch effectText.lowercased() {
        case "allow": effect = .allow
        case "deny": effect = .deny
        default: throw .syntaxErrors
        }
        return PolicyStatement(
            sid: sid,
            effect: effect,
            principal: try principalElement(object[member: "Principal"]),
            notPrincipal: try principalElement(object[member: "NotPrincipal"]),
            action: try stringList(object[member: "Action"]),
            notAction: try stringList(object[member: "NotAction"]),
            resource: try stringList(object[member: "Resource"]),
            notResource: try stringList(object[member: "NotResource"]),
            conditions: try conditions(object[member: "Condition"]))
    }

    /// A string or an array of strings; `nil` when the element is absent.
    private func stringList(_ value: PolicyJSON?) throws(MalformedPolicy) -> [String]? {
        switch value {
        case nil: return nil
        case .string(let text)?: return [text]
        case .array(let elements)?:
            var list: [String] = []
            for element in elements {
                guard case .string(let text) = element else { throw .syntaxErrors }
                list.append(text)
            }
            return list
        default: throw .syntaxErrors
        }
    }

    private func principalElement(_ value: PolicyJSON?) throws(MalformedPolicy) -> PrincipalElement? {
        switch value {
        case nil:
            return nil
        case .string(let text)?:
            guard text == "*" else { throw invalidPrincipal(type: PrincipalKind.aws.rawValue, value: text) }
            return .everyone
        case .object(let members)?:
            var entries: [PrincipalEntry] = []
            for member in members {
                guard let principalKind = PrincipalKind(rawValue: member.name) else {
                    throw invalidPrincipal(type: member.name, value: member.value.scalarText ?? "")
                }
                guard let values = try? stringList(member.value) else {
                    throw invalidPrincipal(type: member.name, value: member.value.scalarText ?? "")
                }
                entries += values.map { PrincipalEntry(kind: principalKind, value: $0) }
            }
            return .entries(entries)
        default:
            throw kind == .keyPolicy ? .keyPolicyInvalidPrincipals : .syntaxErrors
        }
    }

    private func invalidPrincipal(type: String, value: String) -> MalformedPolicy {
        switch kind {
        case .keyPolicy: .keyPolicyInvalidPrincipals
        case .trust: .trustPolicyInvalidPrincipal(type: type, value: value)
        case .identity: .principalInIdentityPolicy
        }
    }

    /// `{"Operator": {"key": value-or-values, …}, …}`, flattened to one condition per key.
    private func conditions(_ value: PolicyJSON?) throws(MalformedPolicy) -> [PolicyCondition] {
        guard let value else { return [] }
        guard case .object(let blocks) = value else { throw .syntaxErrors }
        var conditions: [PolicyCondition] = []
        for block in blocks {
            guard case .object(let keys) = block.value else { throw .syntaxErrors }
            guard let conditionOperator = ConditionOperator(block.name) else { throw .syntaxErrors }
            for key in keys {
                let values: [String]
                switch key.value {
                case .array(let elements):
                    var texts: [String] = []
                    for element in elements {
                        guard let text = element.scalarText else { throw .syntaxErrors }
                        texts.append(text)
                    }
                    values = texts
                default:
                    guard let text = key.value.scalarText else { throw .syntaxErrors }
                    values = [text]
                }
                conditions.append(PolicyCondition(conditionOperator: conditionOperator, key: key.name, values: values))
            }
        }
        return conditions
    }

    // MARK: Legacy checks

    /// IAM's older parser, still applied: `Effect` spelled exactly `Allow` or `Deny`, and date
    /// condition values that are real ISO 8601 dates or epoch seconds.
    private func checkLegacyParsing(
        _ objects: [[(name: String, value: PolicyJSON)]], _ statements: [PolicyStatement]
    ) throws(MalformedPolicy) {
        for (object, statement) in zip(objects, statements) {
            guard case .string(let effect)? = PolicyJSON.object(object)[member: "Effect"],
                effect == statement.effect.rawValue
            else { throw .legacyParsing }
            for condition in statement.conditions where condition.conditionOperator.comparison.isDate {
                for value in condition.values where PolicyDate.secondsSinceEpoch(value) == nil { throw .legacyParsing }
            }
        }
    }

    // MARK: Principals

    private func checkPrincipals(_ statement: PolicyStatement) throws(MalformedPolicy) {
        switch kind {
        case .identity:
            // Refused during the grammar pass already.
            break
        case .keyPolicy:
            guard let element = statement.principal ?? statement.notPrincipal else { throw .keyPolicyNoPrincipal }
            try checkResourcePolicyPrincipals(element)
        case .trust:
            guard statement.notPrincipal == nil else { throw .syntaxErrors }
            guard let element = statement.principal else { throw .trustPolicyMissingPrincipal }
            try checkResourcePolicyPrincipals(element)
        }
    }

    private func checkResourcePolicyPrincipals(_ element: PrincipalElement) throws(MalformedPolicy) {
        guard case .entries(let entries) = element else { return }
        guard !entries.isEmpty else {
            throw kind == .keyPolicy ? .keyPolicyNoPrincipal : .trustPolicyMissingPrincipal
        }
        for entry in entries {
            let valid: Bool
            switch entry.kind {
            case .aws: valid = entry.value == "*" || PrincipalName.isAccountId(entry.value) || PrincipalName(arn: entry.value) != nil
            case .service, .federated, .canonicalUser: valid = !entry.value.isEmpty
            }
            guard valid else { throw invalidPrincipal(type: entry.kind.rawValue, value: entry.value) }
        }
    }

    // MARK: SIDs, actions, resources

    private func checkSidsAreUnique(_ statements: [PolicyStatement]) throws(MalformedPolicy) {
        var seen: Set<String> = []
        for case let sid? in statements.map(\.sid) where !sid.isEmpty {
            guard seen.insert(sid).inserted else { throw .duplicateSid }
        }
    }

    private func checkActionsPresent(_ statement: PolicyStatement) throws(MalformedPolicy) {
        guard let actions = statement.action ?? statement.notAction, !actions.isEmpty else { throw .missingActions }
    }

    private func checkResources(_ statement: PolicyStatement) throws(MalformedPolicy) {
        let resources = statement.resource ?? statement.notResource
        if kind == .trust {
            // A trust policy's resource is the role it is attached to.
            guard resources == nil else { throw .trustPolicyProhibitedResource }
            return
        }
        guard let resources, !resources.isEmpty else { throw .missingResources }
        for resource in resources where resource != "*" && !resource.contains(":") {
            throw .resourceNotArn(resource)
        }
    }

    /// `*` or `vendor:pattern`, one colon, a vendor of letters, digits, `-` and `.`.
    private func checkActionPrefixes(_ statement: PolicyStatement) throws(MalformedPolicy) {
        for action in statement.action ?? statement.notAction ?? [] where action != "*" {
            let parts = action.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 1 { throw .actionWithoutVendor }
            if parts.count > 2 { throw .actionWithTwoColons }
            let vendor = parts[0]
            let isValidVendor = vendor.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
            }
            if vendor != "*" && !isValidVendor { throw .invalidVendor(String(vendor)) }
        }
    }

    // MARK: KMS key-policy rules

    /// KMS refuses resource-describing keys that mean nothing in a key policy, and
    /// `ForAllValues` on single-valued keys, which would allow requests without them
    /// (AWS KMS Developer Guide, "AWS KMS condition keys").
    private func checkKeyPolicyConditions(_ statement: PolicyStatement) throws(MalformedPolicy) {
        for condition in statement.conditions {
            let key = condition.key.lowercased()
            if key == "aws:resourcetag" || key.hasPrefix("aws:resourcetag/") || key == "kms:resourcetag"
                || key.hasPrefix("kms:resourcetag/") || key == "kms:resourcealiases"
            {
                throw .keyPolicyForbiddenConditionKeys
            }
            guard condition.conditionOperator.qualifier == .forAllValues else { continue }
            if key.hasPrefix("kms:encryptioncontext:") { throw .overlyPermissiveEncryptionContext }
            if key.hasPrefix("aws:requesttag/") { throw .overlyPermissiveRequestTag }
        }
    }
}

extension ConditionOperator.Comparison {
    var isDate: Bool {
        switch self {
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            true
        default:
            false
        }
    }
}
