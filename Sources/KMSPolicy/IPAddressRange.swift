/// An IPv4 or IPv6 address or CIDR range, for `IpAddress`/`NotIpAddress`. A value without a
/// prefix length is a single address (/32 or /128, as IAM documents). IPv4 addresses written
/// as IPv4-mapped IPv6 (`::ffff:192.0.2.1`) are compared as IPv4.
struct IPAddressRange: Equatable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    var bytes: [UInt8]
    var prefixLength: Int

    init?(cidr text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.address(parts[0]) else { return nil }
        bytes = address
        if parts.count == 2 {
            guard let length = Int(parts[1]), parts[1].allSatisfy({ ("0"..."9").contains($0) }),
                (0...address.count * 8).contains(length)
            else { return nil }
            prefixLength = length
        } else {
            prefixLength = address.count * 8
        }
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[index] & mask != address[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The bytes of one address, IPv4-mapped IPv6 folded to IPv4.
    static func address<S: StringProtocol>(_ text: S) -> [UInt8]? {
        if let v4 = ipv4(text) { return v4 }
        guard let v6 = ipv6(text) else { return nil }
        if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xFF && v6[11] == 0xFF { return Array(v6[12..<16]) }
        return v6
    }

    private static func ipv4<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy({ ("0"..."9").contains($0) }),
                let value = UInt8(octet)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let text = String(text)
        let halves = splitOnDoubleColon(text)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowTrailingIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowTrailingIPv4, index == pieces.count - 1, piece.contains("."), let v4 = ipv4(piece) {
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let words: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowTrailingIPv4: false),
                let tail = groups(halves[1], allowTrailingIPv4: true), head.count + tail.count <= 7
            else { return nil }
            words = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = groups(text, allowTrailingIPv4: true), all.count == 8 else { return nil }
            words = all
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// `text` split at each `::`, the compressed run of zero groups.
    private static func splitOnDoubleColon(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousWasColon = false
        for character in text {
            if character == ":" && previousWasColon {
                current.removeLast()
                parts.append(current)
                current = ""
                previousWasColon = false
                continue
            }
            current.append(character)
            previousWasColon = character == ":"
        }
        parts.append(current)
        return parts
    }
}
