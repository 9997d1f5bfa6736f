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

    /// Group commit acknowledges a batch of requests at once, from its own thread: every one of
    /// them comes back to the loop, whichever pass over the executor's queue it lands in. (A job
    /// left in the queue would hang the test, hence the limit.)
    @Test(.timeLimit(.minutes(1))) func aBatchResumedAtOnceFromAnotherThreadAllComesBack() async throws {
        final class Waiting: Sendable {
            let continuations = Mutex<[CheckedContinuation<Void, Never>]>([])
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let waiting = Waiting()
        let count = 500
        let onLoop = await withTaskGroup(of: Bool.self) { tasks in
            for _ in 0..<count {
                tasks.addTask(executorPreference: executor) {
                    await withCheckedContinuation { continuation in
                        let all: [CheckedContinuation<Void, Never>]? = waiting.continuations.withLock {
                            $0.append(continuation)
                            return $0.count == count ? $0 : nil
                        }
                        if let all { Thread.detachNewThread { for waiter in all { waiter.resume() } } }
                    }
                    return loop.inEventLoop
                }
            }
            return await tasks.reduce(into: [Bool]()) { $0.append($1) }
        }
        try await group.shutdownGracefully()
        #expect(onLoop.count == count)
        #expect(onLoop.allSatisfy { $0 })
    }

    /// One executor per loop, shared by that loop's connections.
    @Test func eachLoopHasOneExecutor() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let executors = EventLoopTaskExecutors()
        let first = group.next(), second = group.next()
        #expect(executors.executor(for: first) === executors.executor(for: first))
        #expect(executors.executor(for: first) !== executors.executor(for: second))
        #expect(executors.executor(for: second).eventLoop === second)
        try await group.shutdownGracefully()
    }

    @concurrent private static func concurrentObservation(of flag: borrowing Atomic<Bool>, on loop: any EventLoop) async -> (Bool, Bool) {
        (flag.load(ordering: .sequentiallyConsistent), loop.inEventLoop)
    }
}

