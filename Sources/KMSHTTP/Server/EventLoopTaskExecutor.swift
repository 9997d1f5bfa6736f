import NIOCore
import Synchronization

/// An event loop as a task executor: a request's task prefers its connection's loop, so it
/// comes back there wherever it is resumed from. `trent serve` makes one per loop
/// (``EventLoopTaskExecutors``), shared by the loop's connections.
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
    /// Jobs waiting for the loop, in the order they came. Only the first of a run schedules a
    /// pass over them: group commit acknowledges a whole batch at once, and a loop that reads
    /// several requests in one wake-up starts their tasks together. Each job handed to the loop
    /// on its own cost a closure, the loop's queue lock and, from the commit thread, often a
    /// wake-up of the loop (an `eventfd` write): 4.5 % of the commit thread's samples.
    private let waiting = Mutex<[UnownedJob]>([])

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs the job on the loop *as this task executor* (SE-0417's contract for a task
    /// executor), not through the loop's own `enqueue`, which runs jobs as the loop's serial
    /// executor. Run that way, the runtime saw the task on an executor other than the generic
    /// one, so every hop the code makes to the generic executor (each call into a `@concurrent`
    /// function or a dependency's nonisolated async function, and the way back) was another job
    /// through the loop's queue: eight per Encrypt (`perf probe` on `swift_task_enqueue`).
    /// As a task executor's job those hops go on at once.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let first = waiting.withLock { waiting in
            waiting.append(job)
            return waiting.count == 1
        }
        if first {
            eventLoop.execute { self.runWaitingJobs() }
        }
    }

    /// Runs what is waiting now; a job enqueued meanwhile, by one of these or from another
    /// thread, schedules the next pass.
    private func runWaitingJobs() {
        let jobs = waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
        let executor = asUnownedTaskExecutor()
        for job in jobs {
            job.runSynchronously(on: executor)
        }
    }
}

/// One ``EventLoopTaskExecutor`` per event loop, for the connections of one server.
final class EventLoopTaskExecutors: Sendable {
    private let executors = Mutex<[ObjectIdentifier: EventLoopTaskExecutor]>([:])

    func executor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        executors.withLock { executors in
            if let existing = executors[ObjectIdentifier(eventLoop)] { return existing }
            let made = EventLoopTaskExecutor(eventLoop)
            executors[ObjectIdentifier(eventLoop)] = made
            return made
        }
    }
}
