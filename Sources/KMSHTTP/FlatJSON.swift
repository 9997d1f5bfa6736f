import Foundation

/// The plain request bodies that the SDKs send on the hot path, read in one pass without
/// Foundation's JSONDecoder: one object whose members are strings, integers, booleans, string
/// arrays or string-to-string maps.
///
/// It is deliberately narrow. Anything else (an escape sequence, `null`, a fraction, nesting,
/// a repeated member name, bytes that are not UTF-8, a syntax fault) makes ``parse(_:)``
/// return nil, and the body goes through StrictJSON and JSONDecoder as before, which answer
/// every such case with AWS's exact error. So this path never decides an error.
struct FlatJSONObject {
    enum Value {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case strings([String])
        case stringMap([String: String])
    }

    private(set) var members: [(name: String, value: Value)] = []

    static func parse(_ bytes: UnsafeRawBufferPointer) -> FlatJSONObject? {
        var parser = Parser(bytes: bytes)
        return parser.object()
    }

    private struct Parser {
        /// Up to this many members, an object's duplicate names are found without a set.
        static let linearLimit = 16

        let bytes: UnsafeRawBufferPointer
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        mutating func object() -> FlatJSONObject? {
            var object = FlatJSONObject()
            // Request bodies have a handful of members: room for them from the start, and
            // duplicates found by looking through them. A set of names (and its growth) cost
            // three allocations per request; past `linearLimit` members it is built after all,
            // so a body of many members stays linear.
            object.members.reserveCapacity(8)
            var names: Set<String>?
            skipWhitespace()
            guard consume(UInt8(ascii: "{")) else { return nil }
            skipWhitespace()
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    skipWhitespace()
                    guard let name = string() else { return nil }
                    if object.members.count < Self.linearLimit {
                        guard !object.members.contains(where: { $0.name == name }) else { return nil }
                    } else {
                        if names == nil { names = Set(object.members.map(\.name)) }
                        guard names!.insert(name).inserted else { return nil }
                    }
                    skipWhitespace()
                    guard consume(UInt8(ascii: ":")) else { return nil }
                    skipWhitespace()
                    guard let value = value() else { return nil }
                    object.members.append((name, value))
                    skipWhitespace()
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            skipWhitespace()
            return index == bytes.count ? object : nil
        }

        mutating func value() -> Value? {
            guard let first = current else { return nil }
            switch first {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "["): return strings().map(Value.strings)
            case UInt8(ascii: "{"): return stringMap().map(Value.stringMap)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map(Value.integer)
            default: return nil
            }
        }

        /// A string without escapes or control characters, as valid UTF-8.
        mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = index
            var highBits: UInt8 = 0
            while let c = current, c != UInt8(ascii: "\"") {
                guard c >= 0x20, c != UInt8(ascii: "\\") else { return nil }
                highBits |= c
                index += 1
            }
            guard current != nil else { return nil }
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            index += 1
            // ASCII needs no validation, and `String(validating:)` is not specialized: its
            // generic path looked up metadata on every call (1.5 % of the event loops' time).
            return highBits < 0x80 ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count,
                UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]).elementsEqual(
                    UnsafeRawBufferPointer(start: word.utf8Start, count: count))
            else { return false }
            index += count
            return true
        }

        /// An integer in JSON's form (no leading zeros), without fraction or exponent.
        mutating func integer() -> Int? {
            let negative = consume(UInt8(ascii: "-"))
            let start = index
            var value = 0
            while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                index += 1
            }
            let digits = index - start
            guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if let c = current, c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return nil }
            return negative ? -value : value
        }

        mutating func strings() -> [String]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var values: [String] = []
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return values }
            repeat {
                skipWhitespace()
                guard let value = string() else { return nil }
                values.append(value)
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? values : nil
        }

        mutating func stringMap() -> [String: String]? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var map: [String: String] = [:]
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return map }
            repeat {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard let value = string(), map.updateValue(value, forKey: key) == nil else { return nil }
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}")) ? map : nil
        }
    }
}
