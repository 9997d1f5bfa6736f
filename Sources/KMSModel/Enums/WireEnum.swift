/// An AWS enum: lowerCamel cases whose raw values are the wire strings.
///
/// Decoding an unknown string does not fail the whole body as a serialization fault: AWS
/// reports it as a `ValidationException` naming the member and the allowed set, so the value is
/// kept as ``WireValue/unknown(_:)`` and rejected by validation.
public protocol WireEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension WireEnum {
    /// `[A, B, C]` as AWS prints an enum value set.
    public static var valueSet: String {
        "[" + allCases.map(\.rawValue).joined(separator: ", ") + "]"
    }
}

/// A decoded enum member: a known case, or the string the client actually sent.
public enum WireValue<Value: WireEnum>: Codable, Sendable, Hashable {
    case known(Value)
    case unknown(String)

    public init(_ value: Value) { self = .known(value) }

    /// The value for a wire string, known or not, as decoding makes it.
    public init(raw: String) { self = Value(rawValue: raw).map(WireValue.known) ?? .unknown(raw) }

    public init(from decoder: any Decoder) throws {
        self.init(raw: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .known(let value): try container.encode(value.rawValue)
        case .unknown(let raw): try container.encode(raw)
        }
    }

    public var value: Value? {
        if case .known(let value) = self { return value }
        return nil
    }
}

extension Validation {
    public mutating func member<Value>(_ value: WireValue<Value>?, _ member: String) {
        if case .unknown(let raw) = value {
            fail(member, value: raw, constraint: "Member must satisfy enum value set: \(Value.valueSet)")
        }
    }
}

extension WireValue {
    /// The string the client sent, known or not.
    public var rawText: String {
        switch self {
        case .known(let value): value.rawValue
        case .unknown(let raw): raw
        }
    }
}
