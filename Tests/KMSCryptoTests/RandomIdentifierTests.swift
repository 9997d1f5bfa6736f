import Foundation
import KMSCrypto
import Testing

/// Request and event ids, and the random bytes under them and under every seal.
struct RandomIdentifierTests {
    @Test func idsAreLowercaseVersion4UUIDs() throws {
        for _ in 0..<200 {
            let id = RandomIdentifier.uuid()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36)
            for (index, byte) in bytes.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    #expect(byte == UInt8(ascii: "-"), "\(id)")
                } else {
                    #expect(Array("0123456789abcdef".utf8).contains(byte), "\(id)")
                }
            }
            #expect(bytes[14] == UInt8(ascii: "4"), "version 4: \(id)")
            #expect(Array("89ab".utf8).contains(bytes[19]), "RFC 4122 variant: \(id)")
            // Foundation reads it back as the same UUID.
            #expect(try #require(UUID(uuidString: id)).uuidString.lowercased() == id)
        }
    }

    @Test func idsAndRandomBytesDoNotRepeat() {
        let ids = Set((0..<1000).map { _ in RandomIdentifier.uuid() })
        #expect(ids.count == 1000)
        let seeds = Set((0..<1000).map { _ in SecureRandom.bytes(32) })
        #expect(seeds.count == 1000)
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(4096).count == 4096)
    }
}
