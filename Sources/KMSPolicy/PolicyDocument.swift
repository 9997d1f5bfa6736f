/// A parsed and validated AWS policy document: a KMS key policy, an IAM identity policy or a
/// role trust policy. Parsing follows the IAM policy grammar ("IAM JSON policy element
/// reference"): `Version`, `Id` and `Statement` at the top; a statement is one object or an
/// array of them; most elements are a string or an array of strings.
public struct PolicyDocument: Sendable, Equatable {
    public var kind: PolicyKind
    /// `2012-10-17`, `2008-10-17`, or `nil` when the document has none (then AWS reads it as
    /// 2008-10-17: policy variables such as `${aws:username}` stay literal text).
    public var version: String?
    public var id: String?
    public var statements: [PolicyStatement]

    /// Parses `json` and validates it as AWS validates a document of this kind; a refusal
    /// carries AWS's own message (see `MalformedPolicy`). Size limits are the service's to
    /// enforce before calling this.
    public init(json: String, kind: PolicyKind) throws(MalformedPolicy) {
        self = try PolicyDocumentParser(kind: kind).parse(json)
    }

    /// A document built in code, for tests and defaults; it is not validated.
    public init(kind: PolicyKind, version: String? = PolicyVersion.current, id: String? = nil, statements: [PolicyStatement]) {
        self.kind = kind
        self.version = version
        self.id = id
        self.statements = statements
    }

    /// Whether `${…}` in condition values and resources are policy variables: only in
    /// version 2012-10-17 documents, as in IAM.
    var resolvesPolicyVariables: Bool { version == PolicyVersion.current }
}

/// The two versions of the policy language AWS accepts.
public enum PolicyVersion {
    public static let current = "2012-10-17"
    public static let legacy = "2008-10-17"
    static let all: Set<String> = [current, legacy]
}
