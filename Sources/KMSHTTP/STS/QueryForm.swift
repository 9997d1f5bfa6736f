import NIOCore

/// The fields of an `application/x-www-form-urlencoded` body, as AWS's query protocol sends
/// them (`Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3A…`). A field given twice
/// keeps its last value; bytes that do not decode as UTF-8 are replaced.
struct QueryForm: Sendable, Equatable {
    private(set) var fields: [String: String] = [:]

    init(_ fields: [String: String]) {
        self.fields = fields
    }

    init(body: ByteBuffer) {
        self.init(bytes: Array(body.readableBytesView))
    }

    init(bytes: [UInt8]) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits stays as it is.
    static func decode(_ encoded: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < encoded.endIndex,
                let high = hex(encoded[index + 1]), let low = hex(encoded[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The members of a query-protocol list, `<name>.member.1`, `<name>.member.2`, … in order;
    /// nil when none was sent.
    func list(_ name: String) -> [String]? {
        var values: [String] = []
        while let value = fields["\(name).member.\(values.count + 1)"] { values.append(value) }
        return values.isEmpty && !fields.keys.contains(where: { $0.hasPrefix("\(name).") }) ? nil : values
    }

    /// How many structures of a list were sent (`<name>.member.N.<field>`), nil when none.
    func structureCount(_ name: String) -> Int? {
        let prefix = "\(name).member."
        let indexes = Set(fields.keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix) else { return nil }
            return Int(key.dropFirst(prefix.count).prefix { $0 != "." })
        })
        return indexes.isEmpty ? nil : indexes.count
    }
}
