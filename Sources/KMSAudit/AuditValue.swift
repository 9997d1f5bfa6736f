/// A JSON value in an audit record: request parameters and response elements are free-form in
/// CloudTrail, so they are built from these rather than from the wire types (which would carry
/// plaintexts and ciphertexts along). Not `indirect`: arrays and dictionaries already hold
/// their elements out of line, and an indirect case boxed every string on the request path.
public enum AuditValue: Codable, Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([AuditValue])
    case object([String: AuditValue])
    case null

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        case .null: try container.encodeNil()
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let values = try? container.decode([AuditValue].self) {
            self = .array(values)
        } else if let members = try? container.decode([String: AuditValue].self) {
            self = .object(members)
        } else if let value = try? container.decode(Double.self) {
            self = .string(String(value))
        } else {
            self = .null
        }
    }

    public subscript(member member: String) -> AuditValue? {
        if case .object(let members) = self { return members[member] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// Builds a request-parameters object, leaving out members that are absent.
public struct AuditParameters: Sendable {
    /// Sized for the few members a request has, so that adding them does not regrow it.
    public private(set) var members = [String: AuditValue](minimumCapacity: 6)

    public init() {}

    public mutating func set(_ name: String, _ value: String?) {
        if let value { members[name] = .string(value) }
    }

    public mutating func set(_ name: String, _ value: Int?) {
        if let value { members[name] = .int(value) }
    }

    public mutating func set(_ name: String, _ value: Bool?) {
        if let value { members[name] = .bool(value) }
    }

    public mutating func set(_ name: String, _ value: [String]?) {
        if let value { members[name] = .array(value.map(AuditValue.string)) }
    }

    public mutating func set(_ name: String, _ value: [String: String]?) {
        if let value { members[name] = .object(value.mapValues(AuditValue.string)) }
    }

    public mutating func set(_ name: String, _ value: AuditValue?) {
        if let value { members[name] = value }
    }

    public var value: AuditValue { .object(members) }
}
