import NIOCore

/// An event loop as a task executor: a request's task prefers its connection's loop, so it
/// comes back there wherever it is resumed from.
///
/// Without a preference, a task resumed from a thread that is not an event loop (group commit's
/// writer thread acknowledging an audit record) is handed to whichever loop NIO's global
/// executor hook picks next, which is the other loop about half the time. The request then
/// finishes on a thread that did not allocate its memory: glibc's `free` of another thread's
/// chunks locks that thread's arena, and under load the two loops woke each other through those
/// locks about once per request (`futex` calls counted with `perf`); and the reply needed a hop back to
/// the connection's loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        eventLoop.enqueue(job)
    }
}
