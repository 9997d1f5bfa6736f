import Foundation

/// Collects constraint violations the way AWS's request validation reports them:
/// `2 validation errors detected: Value '…' at 'keySpec' failed to satisfy constraint: …; …`.
///
/// Member names are the lowerCamel form of the wire member (`KeyId` → `keyId`), as AWS writes them.
public struct Validation: Sendable {
    public private(set) var failures: [String] = []

    public init() {}

    public mutating func fail(_ member: String, value: String?, constraint: String) {
        if let value {
            failures.append("Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)")
        } else {
            failures.append("Value at '\(member)' failed to satisfy constraint: \(constraint)")
        }
    }

    /// A required member that is absent or JSON `null`.
    public mutating func missing(_ member: String) {
        failures.append("Value null at '\(member)' failed to satisfy constraint: Member must not be null")
    }

    public mutating func length(_ value: String?, _ member: String, _ bounds: ClosedRange<Int>) {
        guard let value else { return }
        let count = value.utf16.count
        if count < bounds.lowerBound {
            fail(member, value: value, constraint: "Member must have length greater than or equal to \(bounds.lowerBound)")
        } else if count > bounds.upperBound {
            fail(member, value: value, constraint: "Member must have length less than or equal to \(bounds.upperBound)")
        }
    }

    /// Blobs are sensitive: AWS names the member but never echoes the value.
    public mutating func length(_ value: Data?, _ member: String, _ bounds: ClosedRange<Int>) {
        guard let value else { return }
        if value.count < bounds.lowerBound {
            fail(member, value: nil, constraint: "Member must have length greater than or equal to \(bounds.lowerBound)")
        } else if value.count > bounds.upperBound {
            fail(member, value: nil, constraint: "Member must have length less than or equal to \(bounds.upperBound)")
        }
    }

    public mutating func count<T>(_ value: [T]?, _ member: String, _ bounds: ClosedRange<Int>) {
        guard let value else { return }
        if value.count < bounds.lowerBound {
            fail(member, value: nil, constraint: "Member must have length greater than or equal to \(bounds.lowerBound)")
        } else if value.count > bounds.upperBound {
            fail(member, value: nil, constraint: "Member must have length less than or equal to \(bounds.upperBound)")
        }
    }

    public mutating func range(_ value: Int?, _ member: String, _ bounds: ClosedRange<Int>) {
        guard let value else { return }
        if value < bounds.lowerBound {
            fail(member, value: String(value), constraint: "Member must have value greater than or equal to \(bounds.lowerBound)")
        } else if value > bounds.upperBound {
            fail(member, value: String(value), constraint: "Member must have value less than or equal to \(bounds.upperBound)")
        }
    }

    public mutating func pattern(_ value: String?, _ member: String, _ pattern: String, matches: (String) -> Bool) {
        guard let value, !matches(value) else { return }
        fail(member, value: value, constraint: "Member must satisfy regular expression pattern: \(pattern)")
    }

    /// Markers are printable Latin-1, as `MarkerType` requires.
    public mutating func marker(_ value: String?, _ member: String = "marker") {
        length(value, member, 1...1024)
        pattern(value, member, "[\\u0020-\\u00FF]*") { $0.unicodeScalars.allSatisfy { (0x20...0xFF).contains($0.value) } }
    }

    public mutating func keyId(_ value: String?, _ member: String = "keyId") {
        length(value, member, 1...2048)
    }

    /// Throws the collected failures as one `ValidationException`, as AWS does.
    public func check() throws {
        if let error { throw error }
    }

    /// The collected failures as one `ValidationException`, or nil when there are none.
    public var error: KMSError? {
        guard !failures.isEmpty else { return nil }
        let count = failures.count
        let noun = count == 1 ? "validation error" : "validation errors"
        return KMSError(.validation, "\(count) \(noun) detected: " + failures.joined(separator: "; "))
    }
}

/// A request that checks its own members against the API's constraints before it runs.
public protocol ValidatedRequest: Decodable, Sendable {
    /// The wire names of the members the API requires, in the model's order.
    static var requiredMembers: [String] { get }
    func validate(into validation: inout Validation)
}

extension ValidatedRequest {
    public static var requiredMembers: [String] { [] }

    public func validate() throws {
        var validation = Validation()
        validate(into: &validation)
        try validation.check()
    }
}
