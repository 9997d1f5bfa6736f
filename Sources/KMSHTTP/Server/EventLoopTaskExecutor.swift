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

    /// Runs the job on the loop *as this task executor* (SE-0417's contract for a task
    /// executor), not through the loop's own `enqueue`, which runs jobs as the loop's serial
    /// executor. Run that way, the runtime saw the task on an executor other than the generic
    /// one, so every hop the code makes to the generic executor (each call into a `@concurrent`
    /// function or a dependency's nonisolated async function, and the way back) was another job
    /// through the loop's queue: eight per Encrypt (`perf probe` on `swift_task_enqueue`).
    /// As a task executor's job those hops go on at once. The closure costs an allocation per
    /// job; a request has two jobs (its start and the commit's acknowledgement), not ten.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
