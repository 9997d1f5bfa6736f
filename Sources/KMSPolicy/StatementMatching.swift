/// Whether a statement applies to a request, element by element.
extension PolicyStatement {
    /// `Action`/`NotAction`: case-insensitive, with `*` and `?`.
    func appliesTo(action: String) -> Bool {
        if let patterns = self.action { return patterns.contains { Wildcard.matches($0, action, ignoringCase: true) } }
        if let patterns = notAction { return !patterns.contains { Wildcard.matches($0, action, ignoringCase: true) } }
        return false
    }

    /// `Resource`/`NotResource`: case-sensitive ARN patterns whose segment-ending `*` may run
    /// past colons. A statement with neither (a trust policy's) applies to the resource it is
    /// attached to. A pattern whose policy variable cannot be resolved matches nothing.
    func appliesTo(resource: String, context: ConditionContext, resolvingVariables: Bool) -> Bool {
        func matches(_ pattern: String) -> Bool {
            let resolved = resolvingVariables ? PolicyVariables.resolve(pattern, in: context) : pattern
            guard let resolved else { return false }
            return Wildcard.arnMatches(resolved, resource, trailingStarCrossesColons: true)
        }
        if let patterns = self.resource { return patterns.contains(where: matches) }
        if let patterns = notResource { return !patterns.contains(where: matches) }
        return true
    }

    func conditionsHold(in context: ConditionContext, resolvingVariables: Bool) -> Bool {
        conditions.allSatisfy { ConditionEvaluation.holds($0, in: context, resolvingVariables: resolvingVariables) }
    }
}

/// The statements of one document that apply to a request, found in one pass.
struct ApplicableStatements {
    /// The first matching Deny.
    var deny: StatementReference?
    /// The matching Allows in document order, with how each one's principal matched (always
    /// `.direct` for identity policies, which have no principal).
    var allows: [(statement: StatementReference, match: PrincipalMatch)] = []

    init(
        _ document: PolicyDocument, as policy: StatementReference.Policy, request: AuthorizationRequest,
        context: ConditionContext
    ) {
        let variables = document.resolvesPolicyVariables
        let callerIsRoot = request.principal.isAccountRoot
        for (index, statement) in document.statements.enumerated() {
            var match = PrincipalMatch.of(statement, caller: request.principal)
            // The root user is its account: a statement naming the account names it.
            if match == .account && callerIsRoot { match = .direct }
            guard match != .none, statement.appliesTo(action: request.action),
                statement.appliesTo(resource: request.resource, context: context, resolvingVariables: variables),
                statement.conditionsHold(in: context, resolvingVariables: variables)
            else { continue }
            let reference = StatementReference(policy: policy, index: index, sid: statement.sid)
            switch statement.effect {
            case .deny:
                if deny == nil { deny = reference }
            case .allow:
                allows.append((reference, match))
            }
        }
    }
}
