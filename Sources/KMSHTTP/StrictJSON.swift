import Foundation

/// A single-pass RFC 8259 syntax check run before decoding. Foundation's decoder is lenient
/// (it takes trailing commas, for one); AWS's front end answers such bodies with a
/// SerializationException, and so does Trent. It also bounds nesting, so no body can drive a
/// recursive decoder deep enough to exhaust the stack.
enum StrictJSON {
    static let maximumDepth = 64

    enum Failure: Error, Equatable {
        case syntax(offset: Int)
        case tooDeep
    }

    /// The first fault in `data`, or nil when it is one well-formed JSON value.
    static func firstFault(in data: Data) -> Failure? {
        data.withUnsafeBytes { bytes -> Failure? in
            var parser = Parser(bytes: bytes)
            do throws(Failure) {
                parser.skipWhitespace()
                try parser.value(depth: 0)
                parser.skipWhitespace()
                return parser.index == bytes.count ? nil : .syntax(offset: parser.index)
            } catch {
                return error
            }
        }
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
        }

        mutating func expect(_ c: UInt8) throws(Failure) {
            guard current == c else { throw .syntax(offset: index) }
            index += 1
        }

        mutating func value(depth: Int) throws(Failure) {
            guard let c = current else { throw .syntax(offset: index) }
            switch c {
            case UInt8(ascii: "{"): try object(depth: depth + 1)
            case UInt8(ascii: "["): try array(depth: depth + 1)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func object(depth: Int) throws(Failure) {
            guard depth <= StrictJSON.maximumDepth else { throw .tooDeep }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try value(depth: depth)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                return
            }
        }

        mutating func array(depth: Int) throws(Failure) {
            guard depth <= StrictJSON.maximumDepth else { throw .tooDeep }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try value(depth: depth)
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "]"))
                return
            }
        }

        mutating func string() throws(Failure) {
            try expect(UInt8(ascii: "\""))
            while let c = current {
                index += 1
                switch c {
                case UInt8(ascii: "\""): return
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { throw .syntax(offset: index) }
                    index += 1
                    if escaped == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            guard let h = current, isHexDigit(h) else { throw .syntax(offset: index) }
                            index += 1
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(escaped) {
                        throw .syntax(offset: index - 1)
                    }
                case 0x00..<0x20: throw .syntax(offset: index - 1)
                default: continue
                }
            }
            throw .syntax(offset: index)
        }

        mutating func number() throws(Failure) {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { throw .syntax(offset: start) }
            index += 1
            if first != UInt8(ascii: "0") { while let c = current, isDigit(c) { index += 1 } }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let c = current, isDigit(c) else { throw .syntax(offset: index) }
                while let c = current, isDigit(c) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let c = current, isDigit(c) else { throw .syntax(offset: index) }
                while let c = current, isDigit(c) { index += 1 }
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let text = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for byte in text { try expect(byte) }
        }

        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        func isHexDigit(_ c: UInt8) -> Bool {
            isDigit(c) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
        }
    }
}
