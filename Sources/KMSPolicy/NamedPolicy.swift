/// An identity policy with the name it is attached under, so a decision can say which one
/// allowed or denied.
public struct NamedPolicy: Sendable, Equatable {
    public var name: String
    public var document: PolicyDocument

    public init(name: String, document: PolicyDocument) {
        self.name = name
        self.document = document
    }
}
