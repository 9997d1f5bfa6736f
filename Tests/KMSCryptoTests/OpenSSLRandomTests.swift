import Foundation
import KMSOpenSSL
import Synchronization
import Testing

/// Small draws come from a per-thread pool of libcrypto's output; these check that the pool
/// never hands out the same bytes twice, nor its wiped (zero) bytes, across refills and threads.
struct OpenSSLRandomTests {
    static func draw(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            OpenSSLRandom.fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    @Test func drawsOfEverySizeAcrossManyRefillsAreDistinct() {
        var seen = Set<[UInt8]>()
        var drawn = 0
        for index in 0..<20_000 {
            let count = 8 + index % 57  // 8 to 64 bytes: all from the pool
            let bytes = Self.draw(count)
            #expect(bytes.count == count)
            #expect(bytes.contains { $0 != 0 }, "draw \(index) was all zeros")
            seen.insert(bytes)
            drawn += count
        }
        #expect(seen.count == 20_000)
        #expect(drawn > 200 * 2048, "the pool was refilled many times")
    }

    /// Over 1.5 MB each byte value should appear about 6,144 times; a pool handing out wiped
    /// or repeated bytes skews this by thousands.
    @Test func bytesAreEvenlySpread() {
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<32_768 {
            for byte in Self.draw(48) { counts[Int(byte)] += 1 }
        }
        let expected = 32_768 * 48 / 256
        #expect(counts.allSatisfy { abs($0 - expected) < expected / 8 }, "\(counts.min()!)…\(counts.max()!)")
    }

    @Test func threadsDrawDistinctBytes() {
        let all = Mutex<[[UInt8]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let mine = (0..<2_000).map { _ in Self.draw(32) }
            all.withLock { $0 += mine }
        }
        #expect(Set(all.withLock { $0 }).count == 16_000)
    }

    @Test func largeAndEmptyDrawsGoStraightToLibcrypto() {
        let large = Self.draw(4096)
        #expect(large.count == 4096)
        #expect(Set(stride(from: 0, to: 4096, by: 64).map { Array(large[$0..<$0 + 64]) }).count == 64)
        #expect(Self.draw(0).isEmpty)
    }
}
