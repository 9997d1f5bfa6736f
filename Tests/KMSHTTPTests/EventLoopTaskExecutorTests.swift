import Foundation
import NIOCore
import NIOPosix
import Synchronization
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

    /// A job runs on the loop as the task executor it is, not as the loop's serial executor:
    /// code that asks for the generic executor (a `@concurrent` function, or a dependency's
    /// nonisolated async function) then goes on at once. Run as the loop's serial executor,
    /// every such hop was a trip through the loop's queue, behind whatever was waiting there:
    /// eight per Encrypt (`perf probe` on `swift_task_enqueue`).
    @Test func aHopToTheGenericExecutorGoesOnAtOnceOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let queuedWorkRan = Atomic(false)
        let (ranBehindQueuedWork, onLoop) = await Task(executorPreference: executor) {
            loop.execute { queuedWorkRan.store(true, ordering: .sequentiallyConsistent) }
            return await Self.concurrentObservation(of: queuedWorkRan, on: loop)
        }.value
        try await group.shutdownGracefully()
        #expect(onLoop)
        #expect(!ranBehindQueuedWork)
    }

    @concurrent private static func concurrentObservation(of flag: borrowing Atomic<Bool>, on loop: any EventLoop) async -> (Bool, Bool) {
        (flag.load(ordering: .sequentiallyConsistent), loop.inEventLoop)
    }
}

