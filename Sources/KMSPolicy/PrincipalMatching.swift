/// How a statement's `Principal` or `NotPrincipal` relates to the caller
/// ("AWS JSON policy elements: Principal", "Determining access to a KMS key").
enum PrincipalMatch: Int, Comparable {
    /// The statement is not about this caller.
    case none
    /// The statement names the caller's account (`arn:aws:iam::111122223333:root` or
    /// `111122223333`): in a key policy that hands the decision to the account's identity
    /// policies rather than allowing anyone by itself.
    case account
    /// The statement names the caller: its user or session ARN, its role (which covers the
    /// role's sessions), or everyone (`"*"`, `{"AWS": "*"}`).
    case direct

    static func < (lhs: PrincipalMatch, rhs: PrincipalMatch) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The match of a statement: its `Principal`, or for a `NotPrincipal` everyone it does not
    /// exclude; a statement with neither (an identity policy's) is about its holder.
    static func of(_ statement: PolicyStatement, caller: RequestPrincipal) -> PrincipalMatch {
        if let principal = statement.principal { return of(principal, caller: caller) }
        if let notPrincipal = statement.notPrincipal { return excludes(notPrincipal, caller: caller) ? .none : .direct }
        return .direct
    }

    static func of(_ element: PrincipalElement, caller: RequestPrincipal) -> PrincipalMatch {
        switch element {
        case .everyone:
            return .direct
        case .entries(let entries):
            return entries.reduce(PrincipalMatch.none) { max($0, of($1, caller: caller)) }
        }
    }

    /// Only `AWS` principals are IAM identities; `Service`, `Federated` and `CanonicalUser`
    /// never match a signed IAM caller.
    private static func of(_ entry: PrincipalEntry, caller: RequestPrincipal) -> PrincipalMatch {
        guard entry.kind == .aws else { return .none }
        let value = entry.value
        if value == "*" { return .direct }
        if let account = entry.namedAccount { return account == caller.accountId ? .account : .none }
        if value == caller.arn || value == caller.roleArn { return .direct }
        return .none
    }

    /// A `NotPrincipal` spares a caller only when it lists both the caller's account and the
    /// caller itself (its ARN, or its role for a session): AWS checks the account first, then
    /// the role, then the session, so a list naming only the user still denies its account,
    /// and with it the user ("AWS JSON policy elements: NotPrincipal").
    static func excludes(_ element: PrincipalElement, caller: RequestPrincipal) -> Bool {
        guard case .entries(let entries) = element else { return true }
        let awsEntries = entries.filter { $0.kind == .aws }
        let awsValues = awsEntries.map(\.value)
        let accountListed = awsEntries.contains { $0.value == "*" || $0.namedAccount == caller.accountId }
        let callerListed =
            caller.isAccountRoot
            || awsValues.contains { $0 == "*" || $0 == caller.arn || $0 == caller.roleArn }
        return accountListed && callerListed
    }
}
