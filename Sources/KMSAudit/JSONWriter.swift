/// A small, deterministic JSON writer for audit records: compact, keys in the order given
/// (callers give them sorted), strings escaped as RFC 8259 requires, non-ASCII kept as UTF-8.
/// Foundation's JSONEncoder cost more than the cryptography of an Encrypt call.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 2048) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func string(_ value: String) {
        JSONString.append(value, to: &bytes)
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Writes `"name":` after a comma when it is not the object's first member.
    mutating func key(_ name: StaticString, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    mutating func value(_ value: AuditValue) {
        switch value {
        case .string(let text): string(text)
        case .int(let number): int(number)
        case .bool(let flag): bool(flag)
        case .null: raw("null")
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            if members.count <= Self.smallObject {
                writeSmall(members)
            } else {
                for (index, pair) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    member(pair.key, pair.value)
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Objects up to this size are put in key order without an array of their members.
    private static let smallObject = 6

    /// A small object's members in key order, each found by a pass over the dictionary for the
    /// least key after the last one written. Sorting copied the members into an array on
    /// every object of every record; nearly all have three members or fewer.
    private mutating func writeSmall(_ members: [String: AuditValue]) {
        var last: String?
        for position in 0..<members.count {
            var next: Dictionary<String, AuditValue>.Index?
            var index = members.startIndex
            while index != members.endIndex {
                let key = members[index].key
                if last.map({ $0 < key }) ?? true, next.map({ key < members[$0].key }) ?? true { next = index }
                index = members.index(after: index)
            }
            guard let next else { return }
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            let (key, value) = members[next]
            member(key, value)
            last = key
        }
    }

    private mutating func member(_ name: String, _ value: AuditValue) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        self.value(value)
    }
}
