import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import KMSHTTP

struct EventLoopTaskExecutorTests {
    /// The server's requests wait for the group commit's thread to acknowledge their audit
    /// record; after that they must finish on their connection's loop, not on any other.
    @Test func aTaskResumedFromAnotherThreadComesBackToItsLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let observed = await Task(executorPreference: executor) {
            var onLoop = [loop.inEventLoop]
            for _ in 0..<20 {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    Thread.detachNewThread { continuation.resume() }
                }
                onLoop.append(loop.inEventLoop)
            }
            return onLoop
        }.value
        try await group.shutdownGracefully()
        #expect(observed.count == 21)
        #expect(observed.allSatisfy { $0 })
    }
}
